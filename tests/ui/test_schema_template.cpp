// The composer's JSON template of a schema (schema_template.h): every field present with its
// default or a placeholder of its type, and, for Avro, a value avro-c's encoder accepts as it
// is (so Send works before the user changed anything but the placeholders).

#include <QTest>

#include "schema_template.h"
#include "serde/avro_codec.h"

using namespace bs::ui;

class TestSchemaTemplate : public QObject {
    Q_OBJECT
  private Q_SLOTS:
    void avroRecordTemplateHasEveryFieldAndEncodes() {
        const char* schema = R"({"type": "record", "name": "Order", "namespace": "shop",
          "fields": [
            {"name": "id", "type": "long"},
            {"name": "customer", "type": "string"},
            {"name": "paid", "type": "boolean"},
            {"name": "total", "type": "double", "default": 1.5},
            {"name": "status", "type": {"type": "enum", "name": "Status",
                                        "symbols": ["NEW", "SHIPPED"]}},
            {"name": "address", "type": {"type": "record", "name": "Address",
               "fields": [{"name": "zip", "type": "int"}, {"name": "city", "type": "string"}]}},
            {"name": "billing", "type": "Address"},
            {"name": "tags", "type": {"type": "array", "items": "string"}},
            {"name": "attrs", "type": {"type": "map", "values": "int"}},
            {"name": "note", "type": ["null", "string"]},
            {"name": "amount", "type": ["int", "string"]}]})";
        const QString t = schemaJsonTemplate(QStringLiteral("AVRO"), QString::fromUtf8(schema));
        for (const char* want :
             {"\"id\": 0", "\"customer\": \"\"", "\"paid\": false", "\"total\": 1.5",
              "\"status\": \"NEW\"", "\"zip\": 0", "\"city\": \"\"", "\"tags\": [", "\"attrs\": {",
              "\"note\": null", "\"int\": 0", "\"billing\": {"})
            QVERIFY2(t.contains(QLatin1String(want)), qPrintable(want + (": " + t)));
        auto parsed = bs::serde::AvroSchema::parse(schema);
        QVERIFY2(parsed, parsed ? "" : parsed.error().message.c_str());
        auto encoded = (*parsed)->encodeJson(t.toStdString());
        QVERIFY2(encoded,
                 encoded ? "" : (encoded.error().message + " in " + t.toStdString()).c_str());
    }

    void primitiveAndJsonSchemaTemplates() {
        QCOMPARE(schemaJsonTemplate(QStringLiteral("AVRO"), QStringLiteral("\"string\"")),
                 QStringLiteral("\"\""));
        QCOMPARE(schemaJsonTemplate(QStringLiteral("AVRO"), QStringLiteral("\"long\"")),
                 QStringLiteral("0"));
        const QString t = schemaJsonTemplate(
            QStringLiteral("JSON"),
            QStringLiteral(R"({"type": "object", "properties": {"n": {"type": "integer"},
                 "s": {"type": "string"}, "ok": {"type": "boolean", "default": true}}})"));
        QVERIFY2(t.contains(QLatin1String("\"n\": 0")) &&
                     t.contains(QLatin1String("\"s\": \"\"")) &&
                     t.contains(QLatin1String("\"ok\": true")),
                 qPrintable(t));
        // Not a schema: an empty object to start from, never a crash.
        QCOMPARE(schemaJsonTemplate(QStringLiteral("AVRO"), QStringLiteral("{not json")),
                 QStringLiteral("{}"));
    }
};

QTEST_MAIN(TestSchemaTemplate)
#include "test_schema_template.moc"
