// Avro in Confluent's wire format against python3-avro (Debian's Apache Avro for Python): it
// decodes our payloads after the 5-byte prefix, and payloads it encodes (prefix added) decode
// with ours to the same JSON. Invalid values are refused naming the field and the reason.
#include <QTemporaryDir>
#include <QtTest>

#include <nlohmann/json.hpp>

#include "broker/broker_process.h"
#include "serde/avro_codec.h"
#include "serde/wire_format.h"

using bs::serde::AvroSchema;
using bs::test::runTool;
using nlohmann::json;

namespace {

const char* kSchema = R"({
  "type": "record", "name": "Order", "namespace": "shop",
  "fields": [
    {"name": "id", "type": "long"},
    {"name": "customer", "type": "string"},
    {"name": "total", "type": ["null", "double"], "default": null},
    {"name": "status", "type": {"type": "enum", "name": "Status", "symbols": ["NEW", "PAID", "SHIPPED"]}},
    {"name": "lines", "type": {"type": "array", "items": {"type": "record", "name": "Line",
        "fields": [{"name": "sku", "type": "string"}, {"name": "qty", "type": "int"}]}}},
    {"name": "tags", "type": {"type": "map", "values": "string"}, "default": {}},
    {"name": "note", "type": ["null", "string", "Line"], "default": null},
    {"name": "flag", "type": "boolean", "default": false},
    {"name": "ratio", "type": "float", "default": 0.5},
    {"name": "raw", "type": "bytes", "default": ""}
  ]
})";

// python3-avro: argv[1] schema, argv[2] hex of a framed payload to decode (prints the schema
// id and the datum as JSON), or "encode" + argv[3] a JSON datum (prints the framed hex).
const char* kPython = R"(
import sys, io, json, struct, avro.schema, avro.io
schema = avro.schema.parse(sys.argv[1])
if sys.argv[2] == 'encode':
    buf = io.BytesIO()
    buf.write(struct.pack('>bI', 0, 7))
    datum = json.loads(sys.argv[3])
    datum['raw'] = datum['raw'].encode('latin-1')  # Avro bytes are bytes in Python
    avro.io.DatumWriter(schema).write(datum, avro.io.BinaryEncoder(buf))
    print(buf.getvalue().hex())
else:
    data = bytes.fromhex(sys.argv[2])
    magic, sid = struct.unpack('>bI', data[:5])
    datum = avro.io.DatumReader(schema).read(avro.io.BinaryDecoder(io.BytesIO(data[5:])))
    print(magic, sid, json.dumps(datum, sort_keys=True, default=lambda b: b.decode('latin-1')))
)";

QString hex(const std::vector<uint8_t>& b) {
    return QString::fromLatin1(
        QByteArray(reinterpret_cast<const char*>(b.data()), static_cast<int>(b.size())).toHex());
}

std::shared_ptr<const AvroSchema> schema(const char* text = kSchema) {
    auto s = AvroSchema::parse(text);
    if (!s) qFatal("%s", s.error().message.c_str());
    return *s;
}

std::string encodeError(const std::string& value) {
    auto r = schema()->encodeJson(value);
    return r ? std::string("(encoded)") : r.error().message;
}

}  // namespace

class AvroCodecTest : public QObject {
    Q_OBJECT

  private slots:
    void pythonDecodesOurs() {
        // A union written as {"double": ...} and as a plain value; a record in a union by its
        // short name; defaults filled in.
        const std::string in =
            R"({"id": 42, "customer": "Zoë", "total": {"double": 12.5}, "status": "PAID",
                "lines": [{"sku": "A-1", "qty": 2}, {"sku": "B-2", "qty": 1}],
                "tags": {"gift": "yes"}, "note": {"Line": {"sku": "N", "qty": 0}}})";
        auto payload = schema()->encodeJson(in);
        QVERIFY2(payload, payload ? "" : payload.error().message.c_str());
        const auto framed = bs::serde::frameWithSchemaId(258, *payload);
        QCOMPARE(framed.size(), payload->size() + 5);
        QCOMPARE(framed[0], uint8_t{0});
        auto r = runTool("/usr/bin/python3", {"-c", kPython, kSchema, hex(framed)});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QList<QByteArray> parts = r.out.trimmed().split(' ');
        QCOMPARE(parts.value(0), QByteArray("0"));
        QCOMPARE(parts.value(1), QByteArray("258"));
        const json got =
            json::parse(r.out.trimmed().mid(parts[0].size() + parts[1].size() + 2).toStdString());
        const json want = json::parse(R"({"id": 42, "customer": "Zoë", "total": 12.5,
            "status": "PAID", "lines": [{"sku": "A-1", "qty": 2}, {"sku": "B-2", "qty": 1}],
            "tags": {"gift": "yes"}, "note": {"sku": "N", "qty": 0}, "flag": false,
            "ratio": 0.5, "raw": ""})");
        QCOMPARE(got.dump(), want.dump());

        // The plain value for an unambiguous union.
        auto plain = schema()->encodeJson(
            R"({"id": 1, "customer": "c", "total": 3.25, "status": "NEW", "lines": []})");
        QVERIFY(plain);
        r = runTool("/usr/bin/python3",
                    {"-c", kPython, kSchema, hex(bs::serde::frameWithSchemaId(1, *plain))});
        QVERIFY2(r.out.contains("\"total\": 3.25"), r.out.constData());
    }

    void oursDecodesPythons() {
        const char* datum = R"({"id": -7, "customer": "Ann", "total": null, "status": "SHIPPED",
            "lines": [{"sku": "X", "qty": 300000}], "tags": {"a": "1", "b": "2"},
            "note": "fragile", "flag": true, "ratio": 1.5, "raw": "\u0001\u00ff"})";
        auto r = runTool("/usr/bin/python3", {"-c", kPython, kSchema, "encode", datum});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QByteArray bytes = QByteArray::fromHex(r.out.trimmed());
        auto framed = bs::serde::unframe(reinterpret_cast<const uint8_t*>(bytes.data()),
                                         static_cast<size_t>(bytes.size()));
        QVERIFY(framed);
        QCOMPARE(framed->schemaId, 7);
        auto text = schema()->decodeToJson(framed->data, framed->size);
        QVERIFY2(text, text ? "" : text.error().message.c_str());
        QVERIFY2(text->find('\n') == std::string::npos, text->c_str());
        // Avro's JSON encoding: unions as {"type": value}, null as null, bytes as code points.
        const json want = json::parse(R"({"id": -7, "customer": "Ann", "total": null,
            "status": "SHIPPED", "lines": [{"sku": "X", "qty": 300000}],
            "tags": {"a": "1", "b": "2"}, "note": {"string": "fragile"}, "flag": true,
            "ratio": 1.5, "raw": "\u0001\u00ff"})");
        QCOMPARE(json::parse(*text).dump(), want.dump());
        // What we print encodes again to the same bytes.
        auto again = schema()->encodeJson(*text);
        QVERIFY2(again, again ? "" : again.error().message.c_str());
        QCOMPARE(QByteArray(reinterpret_cast<const char*>(again->data()),
                            static_cast<int>(again->size())),
                 bytes.mid(5));
    }

    void invalidValuesNameTheField() {
        const std::string base = R"("status": "NEW", "lines": [])";
        QCOMPARE(encodeError(R"({"id": 1, )" + base + "}"),
                 std::string("field 'customer': missing required field"));
        QCOMPARE(encodeError(R"({"id": "one", "customer": "c", )" + base + "}"),
                 std::string("field 'id': wrong type: expected long, got string"));
        QCOMPARE(encodeError(R"({"id": 1, "customer": "c", "status": "LOST", "lines": []})"),
                 std::string("field 'status': unknown enum symbol 'LOST' (symbols: NEW, PAID, "
                             "SHIPPED)"));
        QCOMPARE(encodeError(R"({"id": 1, "customer": "c", "status": "NEW",
                                 "lines": [{"sku": "a", "qty": 1}, {"sku": "b"}]})"),
                 std::string("field 'lines[1].qty': missing required field"));
        QCOMPARE(encodeError(R"({"id": 1, "customer": "c", )" + base + R"(, "colour": "red"})"),
                 std::string("field 'colour': unknown field (not in record Order)"));
        QCOMPARE(encodeError(R"({"id": 1, "customer": "c", )" + base +
                             R"(, "lines": [{"sku": "a", "qty": 3000000000}]})"),
                 std::string("field 'lines[0].qty': 3000000000 is out of range for int"));
        const std::string unionError =
            encodeError(R"({"id": 1, "customer": "c", "total": true, )" + base + "}");
        QVERIFY2(unionError.starts_with("field 'total': wrong type: boolean fits none of the "
                                        "union's types (null, double)"),
                 unionError.c_str());
        QVERIFY(encodeError("{\"id\": 1,").starts_with("not JSON"));
    }

    void badSchemasAndBadBytes() {
        auto bad = AvroSchema::parse(
            R"({"type": "record", "name": "R", "fields": [{"name": "a", "type": "nope"}]})");
        QVERIFY(!bad);
        QVERIFY2(bad.error().message.starts_with("Invalid Avro schema: "),
                 bad.error().message.c_str());
        QVERIFY(!AvroSchema::parse("{not json"));
        // Truncated Avro, a wrong magic byte, a too-short frame: errors, no crash.
        auto payload = schema()->encodeJson(
            R"({"id": 5, "customer": "a long enough name", "status": "NEW", "lines": []})");
        QVERIFY(payload);
        QVERIFY(!schema()->decodeToJson(payload->data(), payload->size() / 2));
        // A string length of about 2^31 with 3 bytes behind it: refused before avro-c reads it.
        const uint8_t hugeLength[] = {0x0a, 0xfe, 0xff, 0xff, 0xff, 0x0f, 'a', 'b', 'c'};
        auto huge = schema()->decodeToJson(hugeLength, sizeof hugeLength);
        QVERIFY(!huge);
        QVERIFY2(huge.error().message.find("past the end of the input") != std::string::npos,
                 huge.error().message.c_str());
        const uint8_t wrongMagic[] = {1, 0, 0, 0, 1, 2};
        auto e = bs::serde::unframe(wrongMagic, sizeof wrongMagic);
        QVERIFY(!e);
        QVERIFY(e.error().message.starts_with("Unknown magic byte!"));
        QVERIFY(!bs::serde::unframe(wrongMagic, 3));
        QCOMPARE(schema()->fullName(), std::string("shop.Order"));
        QCOMPARE(schema(R"("string")")->fullName(), std::string());
    }
};

QTEST_GUILESS_MAIN(AvroCodecTest)
#include "test_avro_codec.moc"
