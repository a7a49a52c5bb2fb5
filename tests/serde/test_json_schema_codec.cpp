// JSON Schema in Confluent's wire format: valid records encode as the compact JSON text after the
// 5-byte prefix (and python's json reads it back), each kind of invalid record is refused naming
// the field and the reason, and the deserializer prints the payload as one line of JSON.
// Schemas go through the embedded registry (in-process, real HTTP).
#include <QTemporaryDir>
#include <QtTest>

#include <nlohmann/json.hpp>

#include "broker/broker_process.h"
#include "registry/registry_server.h"
#include "serde/json_schema_codec.h"
#include "serde/schema_serde.h"
#include "serde/wire_format.h"

using bs::serde::JsonSchema;
using bs::serde::SchemaDeserializer;
using bs::serde::SchemaFormat;
using bs::serde::SchemaRegistryClient;
using bs::serde::SchemaRegistryClientConfig;
using bs::serde::SchemaSerializer;
using bs::test::runTool;
using nlohmann::json;

namespace {

const char* kSchema =
    "{\n"
    "  \"$schema\": \"http://json-schema.org/draft-07/schema#\",\n"
    "  \"title\": \"shop.Person\",\n"
    "  \"type\": \"object\",\n"
    "  \"properties\": {\n"
    "    \"name\": {\"type\": \"string\", \"minLength\": 1, \"maxLength\": 10},\n"
    "    \"age\": {\"type\": \"integer\", \"minimum\": 0, \"exclusiveMaximum\": 150},\n"
    "    \"email\": {\"type\": [\"string\", \"null\"], \"pattern\": \"^[^@]+@[^@]+$\", \"format\": "
    "\"email\"},\n"
    "    \"role\": {\"enum\": [\"admin\", \"user\"]},\n"
    "    \"kind\": {\"const\": \"person\"},\n"
    "    \"score\": {\"type\": \"number\", \"multipleOf\": 0.5},\n"
    "    \"tags\": {\"type\": \"array\", \"items\": {\"type\": \"string\"}, \"minItems\": 1, "
    "\"maxItems\": 3,\n"
    "             \"uniqueItems\": true},\n"
    "    \"address\": {\"$ref\": \"#/definitions/Address\"},\n"
    "    \"contact\": {\"oneOf\": [{\"$ref\": \"#/$defs/Phone\"}, {\"$ref\": \"#/$defs/Fax\"}]},\n"
    "    \"any\": {\"anyOf\": [{\"type\": \"integer\"}, {\"type\": \"boolean\"}]},\n"
    "    \"both\": {\"allOf\": [{\"type\": \"string\"}, {\"maxLength\": 3}]},\n"
    "    \"notNull\": {\"not\": {\"type\": \"null\"}}\n"
    "  },\n"
    "  \"required\": [\"name\", \"age\"],\n"
    "  \"additionalProperties\": false,\n"
    "  \"definitions\": {\n"
    "    \"Address\": {\n"
    "      \"type\": \"object\",\n"
    "      \"properties\": {\"city\": {\"type\": \"string\"}, \"zip\": {\"type\": \"string\"}},\n"
    "      \"required\": [\"zip\"],\n"
    "      \"additionalProperties\": {\"type\": \"string\"}\n"
    "    }\n"
    "  },\n"
    "  \"$defs\": {\n"
    "    \"Phone\": {\"type\": \"object\", \"properties\": {\"phone\": {\"type\": \"string\"}}, "
    "\"required\": [\"phone\"]},\n"
    "    \"Fax\": {\"type\": \"object\", \"properties\": {\"fax\": {\"type\": \"string\"}}, "
    "\"required\": [\"fax\"]}\n"
    "  }\n"
    "}";

std::shared_ptr<const JsonSchema> schema() {
    auto s = JsonSchema::parse(kSchema);
    if (!s) qFatal("%s", s.error().message.c_str());
    return *s;
}

std::string encodeError(const std::string& value) {
    auto r = schema()->encodeJson(value);
    return r ? std::string("(encoded)") : r.error().message;
}

std::shared_ptr<SchemaRegistryClient> client(const std::string& url) {
    auto config = SchemaRegistryClientConfig::fromProperties({{"schema.registry.url", url}});
    if (!config) qFatal("%s", config.error().message.c_str());
    return std::make_shared<SchemaRegistryClient>(*config);
}

}  // namespace

class JsonSchemaCodecTest : public QObject {
    Q_OBJECT

  private slots:
    void validRecordsEncode() {
        const char* full =
            "{\"name\": \"Zoë\", \"age\": 41, \"email\": \"z@x.org\", \"role\": \"admin\",\n"
            "            \"kind\": \"person\", \"score\": 2.5, \"tags\": [\"a\", \"b\"],\n"
            "            \"address\": {\"zip\": \"0150\", \"city\": \"Oslo\", \"street\": "
            "\"Main\"},\n"
            "            \"contact\": {\"phone\": \"123\"}, \"any\": true, \"both\": \"abc\", "
            "\"notNull\": 0}";
        for (const char* v : {full, "{\"name\": \"A\", \"age\": 0, \"email\": null}",
                              "{\"age\": 149.0, \"name\": \"B\", \"contact\": {\"fax\": \"9\"}}"}) {
            auto r = schema()->encodeJson(v);
            QVERIFY2(r, r ? "" : r.error().message.c_str());
            // The payload is the value's compact JSON, fields in the order written.
            QCOMPARE(std::string(r->begin(), r->end()), nlohmann::ordered_json::parse(v).dump());
        }
        QCOMPARE(schema()->title(), std::string("shop.Person"));
    }

    void invalidRecordsNameFieldAndReason() {
        const std::pair<const char*, const char*> cases[] = {
            {"{\"name\": \"A\"}", "field 'age': missing required field"},
            {"{\"name\": \"A\", \"age\": \"41\"}",
             "field 'age': wrong type: expected integer, got string"},
            {"{\"name\": \"A\", \"age\": 1.5}",
             "field 'age': wrong type: expected integer, got number"},
            {"{\"name\": \"A\", \"age\": -1}", "field 'age': -1 is less than the minimum 0"},
            {"{\"name\": \"A\", \"age\": 150}",
             "field 'age': 150 is not less than 150 (exclusiveMaximum)"},
            {"{\"name\": \"\", \"age\": 1}",
             "field 'name': shorter than minLength 1 (0 characters)"},
            {"{\"name\": \"ÅÅÅÅÅÅÅÅÅÅÅ\", \"age\": 1}",
             "field 'name': longer than maxLength 10 (11 characters)"},
            {"{\"name\": \"A\", \"age\": 1, \"email\": \"nope\"}",
             "field 'email': does not match the pattern \"^[^@]+@[^@]+$\""},
            {"{\"name\": \"A\", \"age\": 1, \"email\": 5}",
             "field 'email': wrong type: expected string or null, got integer"},
            {"{\"name\": \"A\", \"age\": 1, \"role\": \"root\"}",
             "field 'role': unknown enum value \"root\" (allowed: \"admin\", \"user\")"},
            {"{\"name\": \"A\", \"age\": 1, \"kind\": \"robot\"}",
             "field 'kind': must be \"person\", got \"robot\""},
            {"{\"name\": \"A\", \"age\": 1, \"score\": 0.3}",
             "field 'score': 0.3 is not a multiple of 0.5"},
            {"{\"name\": \"A\", \"age\": 1, \"tags\": []}",
             "field 'tags': fewer than minItems 1 items (0)"},
            {"{\"name\": \"A\", \"age\": 1, \"tags\": [\"a\", \"b\", \"c\", \"d\"]}",
             "field 'tags': more than maxItems 3 items (4)"},
            {"{\"name\": \"A\", \"age\": 1, \"tags\": [\"a\", 2]}",
             "field 'tags[1]': wrong type: expected string, got integer"},
            {"{\"name\": \"A\", \"age\": 1, \"tags\": [\"a\", \"a\"]}",
             "field 'tags': items 0 and 1 are equal (uniqueItems)"},
            {"{\"name\": \"A\", \"age\": 1, \"address\": {\"city\": \"Oslo\"}}",
             "field 'address.zip': missing required field"},
            {"{\"name\": \"A\", \"age\": 1, \"address\": {\"zip\": \"1\", \"floor\": 3}}",
             "field 'address.floor': wrong type: expected string, got integer"},
            {"{\"name\": \"A\", \"age\": 1, \"extra\": 1}",
             "field 'extra': unknown field (additionalProperties is false)"},
            {"{\"name\": \"A\", \"age\": 1, \"contact\": {}}",
             "field 'contact': matches none of oneOf's schemas (the first says: field "
             "'contact.phone': missing required field)"},
            {"{\"name\": \"A\", \"age\": 1, \"contact\": {\"phone\": \"1\", \"fax\": \"2\"}}",
             "field 'contact': matches 2 of oneOf's schemas, not exactly one"},
            {"{\"name\": \"A\", \"age\": 1, \"any\": \"x\"}",
             "field 'any': matches none of anyOf's schemas (the first says: field 'any': wrong "
             "type: expected integer, got string)"},
            {"{\"name\": \"A\", \"age\": 1, \"both\": \"abcd\"}",
             "field 'both': longer than maxLength 3 (4 characters)"},
            {"{\"name\": \"A\", \"age\": 1, \"notNull\": null}",
             "field 'notNull': must not match the \"not\" schema"},
            {"[1]", "value: wrong type: expected object, got array"},
        };
        for (const auto& [value, want] : cases)
            QCOMPARE(encodeError(value), std::string(want));
        QVERIFY(encodeError("{\"name\": ").starts_with("not JSON: "));
        // A number too large for a double is refused by the parser, never sent as null.
        const std::string overflow = encodeError("{\"name\": \"A\", \"age\": 1, \"score\": 1e400}");
        QVERIFY2(overflow.starts_with("not JSON: ") &&
                     overflow.find("number overflow") != std::string::npos,
                 overflow.c_str());
    }

    void badSchemas() {
        auto error = [](const char* text) {
            auto s = JsonSchema::parse(text);
            return s ? std::string("(parsed)") : s.error().message;
        };
        QVERIFY(error("{").starts_with("Invalid JSON Schema: "));
        QCOMPARE(error("[1]"),
                 std::string("Invalid JSON Schema: a schema is an object or a boolean, not array"));
        QCOMPARE(error("{\"properties\": {\"a\": {\"$ref\": \"#/definitions/Nope\"}}}"),
                 std::string("Invalid JSON Schema: $ref \"#/definitions/Nope\" does not resolve"));
        QCOMPARE(error("{\"$ref\": \"other.json#/x\"}"),
                 std::string("Invalid JSON Schema: $ref \"other.json#/x\" is not supported (only "
                             "local refs \"#/...\")"));
        QVERIFY(error("{\"pattern\": \"([\"}")
                    .starts_with(
                        "Invalid JSON Schema: pattern \"([\" is not a valid regular expression"));
        // A $ref loop that never consumes the value ends with an error, not a crash.
        auto loop = JsonSchema::parse("{\"$ref\": \"#\"}");
        QVERIFY(loop);
        auto r = (*loop)->encodeJson("1");
        QVERIFY(!r);
        QCOMPARE(r.error().message, std::string("value: the schema nests too deep ($ref loop?)"));
        // A recursive schema that does consume it is fine.
        auto tree = JsonSchema::parse(
            "{\"type\": \"object\", \"properties\": {\"kids\": {\"type\": \"array\", \"items\": "
            "{\"$ref\": \"#\"}}}}");
        QVERIFY(tree);
        QVERIFY((*tree)->encodeJson("{\"kids\": [{\"kids\": []}, {}]}"));
        QCOMPARE((*tree)->encodeJson("{\"kids\": [{\"kids\": [1]}]}").error().message,
                 std::string("field 'kids[0].kids[0]': wrong type: expected object, got integer"));
    }

    void serializerAndDeserializerThroughTheRegistry() {
        QTemporaryDir dir;
        bs::registry::RegistryServerConfig c;
        c.file = (dir.path() + "/schemas.json").toStdString();
        auto server = bs::registry::RegistryServer::start(c);
        QVERIFY(server);
        const std::string url = (*server)->url();
        std::map<std::string, std::string> props{
            {"schema.registry.url", url},
            {"value.schema", kSchema},
            {"value.subject.name.strategy", "RecordNameStrategy"}};
        auto s =
            SchemaSerializer::create(SchemaFormat::JsonSchema, props, false, "people", client(url));
        QVERIFY2(s, s ? "" : s.error().message.c_str());
        QCOMPARE((*s)->subject(), std::string("shop.Person"));  // the title
        auto registered = client(url)->schemaById((*s)->schemaId());
        QVERIFY(registered);
        QCOMPARE(registered->schemaType, std::string("JSON"));

        auto framed = (*s)->serialize("{\"name\": \"Ann\", \"age\": 30, \"tags\": [\"x\"]}");
        QVERIFY(framed);
        QCOMPARE((*framed)[0], uint8_t{0});
        const QByteArray hex =
            QByteArray(reinterpret_cast<const char*>(framed->data()), int(framed->size())).toHex();
        // Python reads the id and the JSON after the prefix.
        auto py =
            runTool("/usr/bin/python3",
                    {"-c",
                     "import sys,json,struct; d=bytes.fromhex(sys.argv[1]); "
                     "print(struct.unpack('>bI', d[:5])[1], json.loads(d[5:].decode())['age'])",
                     QString::fromLatin1(hex)});
        QCOMPARE(py.out.trimmed(), QByteArray::number((*s)->schemaId()) + " 30");
        auto bad = (*s)->serialize("{\"name\": \"Ann\"}");
        QVERIFY(!bad);
        QCOMPARE(bad.error().message, std::string("field 'age': missing required field"));

        SchemaDeserializer ours(SchemaFormat::JsonSchema, client(url));
        auto text = ours.deserialize(framed->data(), framed->size());
        QVERIFY2(text, text ? "" : text.error().message.c_str());
        QCOMPARE(*text, std::string("{\"name\":\"Ann\",\"age\":30,\"tags\":[\"x\"]}"));
        // Not validated on read, as Confluent's deserializer by default; only JSON is needed.
        const std::string loose = " {\"whatever\": [1, 2]} ";
        auto other = bs::serde::frameWithSchemaId((*s)->schemaId(),
                                                  std::vector<uint8_t>(loose.begin(), loose.end()));
        QCOMPARE(*ours.deserialize(other.data(), other.size()),
                 std::string("{\"whatever\":[1,2]}"));
        const std::string broken = "{\"a\":";
        other = bs::serde::frameWithSchemaId((*s)->schemaId(),
                                             std::vector<uint8_t>(broken.begin(), broken.end()));
        auto r = ours.deserialize(other.data(), other.size());
        QVERIFY(!r);
        QVERIFY2(r.error().message.starts_with("Error deserializing JSON Schema message for id " +
                                               std::to_string((*s)->schemaId()) +
                                               ": the payload is not JSON"),
                 r.error().message.c_str());
        auto unknown = bs::serde::frameWithSchemaId(4242, {'1'});
        QCOMPARE(ours.deserialize(unknown.data(), unknown.size()).error().message,
                 std::string("Error retrieving JSON Schema schema for id 4242: schema registry: "
                             "Schema 4242 not found; error code: 40403"));

        // An unreachable registry fails create(), before anything is sent.
        (*server)->stop();
        auto gone =
            SchemaSerializer::create(SchemaFormat::JsonSchema, props, false, "people", client(url));
        QVERIFY(!gone);
        QVERIFY2(gone.error().message.starts_with("schema registry " + url + " unreachable: "),
                 gone.error().message.c_str());
    }

    void formatNames() {
        using bs::serde::schemaFormatFromName;
        QCOMPARE(*schemaFormatFromName("json-schema"), SchemaFormat::JsonSchema);
        QCOMPARE(*schemaFormatFromName("jsonschema"), SchemaFormat::JsonSchema);
        QCOMPARE(*schemaFormatFromName("json_schema"), SchemaFormat::JsonSchema);
        QCOMPARE(
            *schemaFormatFromName("io.confluent.kafka.serializers.json.KafkaJsonSchemaSerializer"),
            SchemaFormat::JsonSchema);
        QCOMPARE(*schemaFormatFromName("KafkaJsonSchemaDeserializer"), SchemaFormat::JsonSchema);
        QCOMPARE(*schemaFormatFromName("protobuf"), SchemaFormat::Protobuf);
        QCOMPARE(*schemaFormatFromName(
                     "io.confluent.kafka.serializers.protobuf.KafkaProtobufDeserializer"),
                 SchemaFormat::Protobuf);
        QCOMPARE(*schemaFormatFromName("KafkaProtobufSerializer"), SchemaFormat::Protobuf);
        QVERIFY(!schemaFormatFromName("json"));
        QCOMPARE(bs::serde::schemaFormatName(SchemaFormat::JsonSchema),
                 std::string_view("json-schema"));
        QCOMPARE(bs::serde::schemaFormatName(SchemaFormat::Protobuf), std::string_view("protobuf"));
        QVERIFY(bs::serde::isSchemaSerdeProperty("value.schema.message.type"));
        QVERIFY(bs::serde::isSchemaSerdeProperty("key.schema.message.type"));
    }
};

QTEST_GUILESS_MAIN(JsonSchemaCodecTest)
#include "test_json_schema_codec.moc"
