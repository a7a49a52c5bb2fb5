// Protobuf in Confluent's wire format against python3-protobuf with a module protoc compiles
// from the same .proto at test time: it parses our payloads after the prefix and the message
// indexes, and payloads it encodes (prefix and indexes added) decode with ours to the same JSON,
// for the first message (the single-0 index) and for nested ones picked by message type.
// Schemas go through the embedded registry (in-process, real HTTP).
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <nlohmann/json.hpp>

#include "broker/broker_process.h"
#include "registry/registry_server.h"
#include "serde/protobuf_codec.h"
#include "serde/schema_serde.h"
#include "serde/wire_format.h"

using bs::serde::ProtobufSchema;
using bs::serde::SchemaDeserializer;
using bs::serde::SchemaFormat;
using bs::serde::SchemaRegistryClient;
using bs::serde::SchemaRegistryClientConfig;
using bs::serde::SchemaSerializer;
using bs::test::runTool;
using nlohmann::json;

namespace {

// A map field before the nested Line: its map entry type is a nested type that Confluent's
// indexes do not count.
const char* kProto = R"(syntax = "proto3";
package shop;

message Order {
  int64 id = 1;
  string customer = 2;
  double total = 3;
  map<string, string> tags = 4;
  Status status = 5;
  repeated Line lines = 6;
  bytes raw = 7;
  bool gift = 8;
  message Line {
    string sku = 1;
    int32 qty = 2;
  }
  enum Status {
    NEW = 0;
    PAID = 1;
  }
}

message Customer {
  string name = 1;
  message Address {
    string city = 1;
    string zip_code = 2;
  }
  Address address = 2;
}
)";

// argv[1] the dir holding shop_pb2; "decode" HEX prints "magic id [indexes] JSON"; "encode" ID
// INDEXES(comma-separated) TYPE JSON prints the framed hex. The indexes are Confluent's zigzag
// varints, read and written here by hand from the format's description.
const char* kPython = R"(
import sys, json, struct
sys.path.insert(0, sys.argv[1])
import shop_pb2
from google.protobuf import json_format

def types(descs):
    return [d for d in descs if not d.GetOptions().map_entry]

def resolve(indexes):
    d = types(shop_pb2.DESCRIPTOR.message_types_by_name.values())[indexes[0]]
    for i in indexes[1:]:
        d = types(d.nested_types)[i]
    cls = shop_pb2
    for part in d.full_name.split('.')[1:]:
        cls = getattr(cls, part)
    return cls

def read_varint(b, i):
    shift, z = 0, 0
    while True:
        byte = b[i]; i += 1
        z |= (byte & 0x7f) << shift; shift += 7
        if not byte & 0x80:
            return (z >> 1) ^ -(z & 1), i

def write_varint(v):
    z, out = ((v << 1) ^ (v >> 31)) & 0xffffffff, b''
    while z & ~0x7f:
        out += bytes([(z & 0x7f) | 0x80]); z >>= 7
    return out + bytes([z])

if sys.argv[2] == 'decode':
    data = bytes.fromhex(sys.argv[3])
    magic, sid = struct.unpack('>bI', data[:5])
    count, i = read_varint(data, 5)
    indexes = [0] if count == 0 else []
    for _ in range(count):
        v, i = read_varint(data, i); indexes.append(v)
    msg = resolve(indexes)()
    msg.ParseFromString(data[i:])
    d = json_format.MessageToDict(msg, including_default_value_fields=True)
    print(magic, sid, ','.join(map(str, indexes)), json.dumps(d, sort_keys=True))
else:
    sid, indexes = int(sys.argv[3]), [int(x) for x in sys.argv[4].split(',')]
    msg = json_format.Parse(sys.argv[5], resolve(indexes)())
    head = b'\0' if indexes == [0] else write_varint(len(indexes)) + b''.join(map(write_varint, indexes))
    print((struct.pack('>bI', 0, sid) + head + msg.SerializeToString()).hex())
)";

QString hex(const std::vector<uint8_t>& b) {
    return QString::fromLatin1(
        QByteArray(reinterpret_cast<const char*>(b.data()), static_cast<int>(b.size())).toHex());
}

std::unique_ptr<bs::registry::RegistryServer> startRegistry(const QTemporaryDir& dir) {
    bs::registry::RegistryServerConfig c;
    c.file = (dir.path() + "/schemas.json").toStdString();
    auto r = bs::registry::RegistryServer::start(c);
    if (!r) qFatal("%s", r.error().message.c_str());
    return std::move(*r);
}

std::shared_ptr<SchemaRegistryClient> client(const std::string& url) {
    auto config = SchemaRegistryClientConfig::fromProperties({{"schema.registry.url", url}});
    if (!config) qFatal("%s", config.error().message.c_str());
    return std::make_shared<SchemaRegistryClient>(*config);
}

std::string encodeError(const std::string& type, const std::string& value) {
    auto s = ProtobufSchema::parse(kProto);
    if (!s) qFatal("%s", s.error().message.c_str());
    auto r = (*s)->encodeJson(type, value);
    return r ? std::string("(encoded)") : r.error().message;
}

}  // namespace

class ProtobufCodecTest : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    QString pyDir_;
    std::unique_ptr<bs::registry::RegistryServer> server_;

    QByteArray python(const QStringList& args) {
        auto r = runTool("/usr/bin/python3", QStringList{"-c", kPython, pyDir_} + args);
        if (r.exitCode != 0) qWarning("python: %s", r.err.constData());
        return r.out.trimmed();
    }

    std::unique_ptr<SchemaSerializer> serializer(const std::string& messageType) {
        std::map<std::string, std::string> props{{"schema.registry.url", server_->url()},
                                                 {"value.schema", kProto}};
        if (!messageType.empty()) props["value.schema.message.type"] = messageType;
        auto s = SchemaSerializer::create(SchemaFormat::Protobuf, props, false, "orders",
                                          client(server_->url()));
        if (!s) qFatal("%s", s.error().message.c_str());
        return std::move(*s);
    }

  private slots:
    void initTestCase() {
        pyDir_ = dir_.path() + "/py";
        QVERIFY(QDir().mkpath(pyDir_));
        QFile f(dir_.path() + "/shop.proto");
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(kProto);
        f.close();
        auto r = runTool(
            "/usr/bin/protoc",
            {"--proto_path=" + dir_.path(), "--python_out=" + pyDir_, dir_.path() + "/shop.proto"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        server_ = startRegistry(dir_);
    }

    void messageTypesInFileOrder() {
        auto types = bs::serde::protobufMessageTypes(kProto);
        QVERIFY2(types, types ? "" : types.error().message.c_str());
        QCOMPARE(*types, (std::vector<std::string>{"shop.Order", "shop.Order.Line", "shop.Customer",
                                                   "shop.Customer.Address"}));
        auto s = ProtobufSchema::parse(kProto);
        QVERIFY(s);
        QCOMPARE(*(*s)->messageIndexes("shop.Customer.Address"), (std::vector<int32_t>{1, 0}));
        QCOMPARE(*(*s)->messageIndexes("shop.Order.Line"), (std::vector<int32_t>{0, 0}));
        QCOMPARE(*(*s)->messageTypeAt({1, 0}), std::string("shop.Customer.Address"));
        QVERIFY(!(*s)->messageTypeAt({0, 1}));
        QVERIFY(!(*s)->messageTypeAt({2}));
    }

    void pythonDecodesOurs() {
        // The default type: the first message, written as the single index byte 0.
        auto order = serializer("");
        QCOMPARE(order->messageType(), std::string("shop.Order"));
        QCOMPARE(order->subject(), std::string("orders-value"));
        auto framed = order->serialize(
            R"({"id": "42", "customer": "Zoë", "total": 12.5, "tags": {"gift": "yes"},
                "status": "PAID", "lines": [{"sku": "A-1", "qty": 2}], "raw": "AQL/", "gift": true})");
        QVERIFY2(framed, framed ? "" : framed.error().message.c_str());
        QCOMPARE((*framed)[5], uint8_t{0});
        QByteArray out = python({"decode", hex(*framed)});
        QVERIFY2(out.startsWith("0 " + QByteArray::number(order->schemaId()) + " 0 {"),
                 out.constData());
        json got = json::parse(out.mid(out.indexOf('{')).toStdString());
        QCOMPARE(got, json::parse(R"({"id": "42", "customer": "Zoë", "total": 12.5,
            "tags": {"gift": "yes"}, "status": "PAID", "lines": [{"sku": "A-1", "qty": 2}],
            "raw": "AQL/", "gift": true})"));

        // A nested type picked by value.schema.message.type: indexes [1, 0].
        auto address = serializer("shop.Customer.Address");
        QCOMPARE(address->schemaId(), order->schemaId());  // the same schema, the same id
        framed = address->serialize(R"({"city": "Oslo", "zip_code": "0150"})");
        QVERIFY(framed);
        QCOMPARE((*framed)[5], uint8_t{4});  // zigzag(2): two indexes
        out = python({"decode", hex(*framed)});
        QVERIFY2(out.startsWith("0 " + QByteArray::number(address->schemaId()) + " 1,0 {"),
                 out.constData());
        got = json::parse(out.mid(out.indexOf('{')).toStdString());
        QCOMPARE(got, json::parse(R"({"city": "Oslo", "zipCode": "0150"})"));
    }

    void oursDecodesPythons() {
        const int32_t id = serializer("")->schemaId();
        SchemaDeserializer ours(SchemaFormat::Protobuf, client(server_->url()));
        struct Case {
            QString indexes, json;
        };
        const Case cases[] = {
            {"0", R"({"id": "-7", "customer": "Ann", "lines": [{"sku": "X", "qty": 300000}],
                      "tags": {"a": "1"}, "raw": "/w=="})"},
            {"0,0", R"({"sku": "B", "qty": -3})"},
            {"1", R"({"name": "Bo", "address": {"city": "Rome"}})"},
            {"1,0", R"({"city": "Paris", "zipCode": "75001"})"},
        };
        for (const Case& c : cases) {
            const QByteArray bytes =
                QByteArray::fromHex(python({"encode", QString::number(id), c.indexes, c.json}));
            QVERIFY(!bytes.isEmpty());
            auto text = ours.deserialize(reinterpret_cast<const uint8_t*>(bytes.data()),
                                         static_cast<size_t>(bytes.size()));
            QVERIFY2(text, text ? "" : text.error().message.c_str());
            QVERIFY(text->find('\n') == std::string::npos);
            // Python prints the same message with its defaults: the same JSON.
            const QByteArray back = python({"decode", bytes.toHex()});
            QCOMPARE(json::parse(*text), json::parse(back.mid(back.indexOf('{')).toStdString()));
        }
    }

    void invalidValuesNameTheField() {
        QCOMPARE(encodeError("shop.Order", R"({"id": "4x2"})").substr(0, 30),
                 std::string("invalid shop.Order: field 'id'"));
        auto unknown = encodeError("shop.Order", R"({"nope": 1})");
        QVERIFY2(unknown.find("nope") != std::string::npos, unknown.c_str());
        auto badEnum = encodeError("shop.Order", R"({"status": "LOST"})");
        QVERIFY2(badEnum.find("status") != std::string::npos, badEnum.c_str());
        auto nested = encodeError("shop.Customer", R"({"address": {"city": 5}})");
        QVERIFY2(nested.find("city") != std::string::npos, nested.c_str());
        QVERIFY(encodeError("shop.Order", "not json").starts_with("invalid shop.Order: "));

        // proto2 required fields.
        auto p2 = ProtobufSchema::parse(
            "syntax = \"proto2\";\nmessage R { required string name = 1; optional int32 n = 2; }");
        QVERIFY(p2);
        auto missing = (*p2)->encodeJson("R", R"({"n": 1})");
        QVERIFY(!missing);
        QVERIFY2(missing.error().message == "invalid R: field 'name': missing required field",
                 missing.error().message.c_str());
    }

    void badSchemasAndTypes() {
        auto syntax = ProtobufSchema::parse("syntax = \"proto3\";\nmessage M {\n  int32 a = ;\n}");
        QVERIFY(!syntax);
        QVERIFY2(syntax.error().message.starts_with("Invalid Protobuf schema: line 3, column 13:"),
                 syntax.error().message.c_str());
        auto import = ProtobufSchema::parse(
            "syntax = \"proto3\";\nimport \"other.proto\";\nmessage M { int32 a = 1; }");
        QVERIFY(!import);
        QVERIFY2(import.error().message.find("import \"other.proto\" is not supported") !=
                     std::string::npos,
                 import.error().message.c_str());
        // Well-known types come from libprotobuf-dev's copies.
        auto wkt = ProtobufSchema::parse(
            "syntax = \"proto3\";\nimport \"google/protobuf/timestamp.proto\";\n"
            "message E { google.protobuf.Timestamp at = 1; }");
        QVERIFY2(wkt, wkt ? "" : wkt.error().message.c_str());
        auto encoded = (*wkt)->encodeJson("E", R"({"at": "2024-01-02T03:04:05Z"})");
        QVERIFY2(encoded, encoded ? "" : encoded.error().message.c_str());
        auto decoded = (*wkt)->decodeToJson("E", encoded->data(), encoded->size());
        QCOMPARE(*decoded, std::string(R"({"at":"2024-01-02T03:04:05Z"})"));

        // key.schema.message.type for a key; the setting is refused for another format.
        auto key = SchemaSerializer::create(
            SchemaFormat::Protobuf,
            {{"key.schema", kProto}, {"key.schema.message.type", "shop.Customer"}}, true, "orders",
            client(server_->url()));
        QVERIFY2(key, key ? "" : key.error().message.c_str());
        QCOMPARE((*key)->subject(), std::string("orders-key"));
        QCOMPARE((*key)->messageType(), std::string("shop.Customer"));
        auto keyBytes = (*key)->serialize(R"({"name": "k"})");
        QVERIFY(keyBytes);
        QCOMPARE((*keyBytes)[5], uint8_t{2});  // count 1
        QCOMPARE((*keyBytes)[6], uint8_t{2});  // index 1
        auto avro = SchemaSerializer::create(
            SchemaFormat::Avro,
            {{"value.schema", R"("string")"}, {"value.schema.message.type", "x"}}, false, "orders",
            client(server_->url()));
        QVERIFY(!avro);
        QCOMPARE(avro.error().message,
                 std::string("value.schema.message.type is for Protobuf, not Avro"));

        std::map<std::string, std::string> props{{"schema.registry.url", server_->url()},
                                                 {"value.schema", kProto},
                                                 {"value.schema.message.type", "shop.Nope"}};
        auto s = SchemaSerializer::create(SchemaFormat::Protobuf, props, false, "orders",
                                          client(server_->url()));
        QVERIFY(!s);
        QCOMPARE(s.error().message,
                 std::string("value.schema: no message type 'shop.Nope' in the schema (it has "
                             "shop.Order, shop.Order.Line, shop.Customer, shop.Customer.Address)"));
    }

    void badWireData() {
        const int32_t id = serializer("")->schemaId();
        SchemaDeserializer ours(SchemaFormat::Protobuf, client(server_->url()));
        auto run = [&](std::vector<uint8_t> bytes) {
            auto r = ours.deserialize(bytes.data(), bytes.size());
            return r ? std::string("(decoded)") : r.error().message;
        };
        const std::string prefix =
            "Error deserializing Protobuf message for id " + std::to_string(id) + ": ";
        auto framed = [&](std::vector<uint8_t> body) {
            return bs::serde::frameWithSchemaId(id, body);
        };
        QCOMPARE(run(framed({0x80})), prefix + "the Protobuf message indexes are truncated");
        QCOMPARE(run(framed({4, 2})), prefix + "the Protobuf message indexes hold a bad count 2");
        QCOMPARE(run(framed({2, 10})),
                 prefix + "message indexes [5] name no message type in the schema");
        QCOMPARE(run(framed({0, 0xff})), prefix + "the payload is not a valid shop.Order message");
        QCOMPARE(run(framed({0xff, 0xff, 0xff, 0xff, 0xff, 0x01})),
                 prefix + "the Protobuf message indexes hold an overlong varint");
        // An unknown id; an id of another format.
        QCOMPARE(run(bs::serde::frameWithSchemaId(999, {0})),
                 std::string("Error retrieving Protobuf schema for id 999: schema registry: "
                             "Schema 999 not found; error code: 40403"));
        auto avroId = client(server_->url())->registerSchema("a-value", R"("string")");
        QVERIFY(avroId);
        QCOMPARE(run(bs::serde::frameWithSchemaId(*avroId, {0})),
                 "schema id " + std::to_string(*avroId) + " is AVRO, not Protobuf");
    }
};

QTEST_GUILESS_MAIN(ProtobufCodecTest)
#include "test_protobuf_codec.moc"
