// `produce` and `consume` with Avro in the Schema Registry's wire format, end to end on the
// embedded cluster and its embedded registry (`batchscope-cli broker`), as
// kafka-avro-console-producer / -consumer are used: records typed as JSON go out as magic byte,
// schema id and Avro binary and come back as one line of JSON each. Bad input (a missing
// required field, an incompatible schema, an unreachable registry, an unknown schema id on
// read) is a clear error: nothing produced, or the row reported undecodable, never a crash.
#include <QTemporaryDir>
#include <QtTest>

#include <nlohmann/json.hpp>

#include "broker/broker_process.h"

using bs::test::BrokerProcess;
using bs::test::ToolResult;
using nlohmann::json;

namespace {

const char* kSchema =
    R"({"type":"record","name":"Order","namespace":"shop","fields":[)"
    R"({"name":"id","type":"long"},{"name":"customer","type":"string"},)"
    R"({"name":"total","type":["null","double"],"default":null},)"
    R"({"name":"status","type":{"type":"enum","name":"Status","symbols":["NEW","PAID"]}}]})";

ToolResult cli(const QStringList& args, const QByteArray& input = {}) {
    return bs::test::runTool(BS_BINARY_DIR "/app/batchscope-cli", args, input);
}

}  // namespace

class AvroCliTest : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    BrokerProcess broker_;
    QString url_;

    ToolResult produce(const QString& topic, const QByteArray& lines, QStringList extra = {}) {
        return cli(QStringList{"produce", "--bootstrap-server", broker_.bootstrap(), "--topic",
                               topic, "--producer-property", "value.serializer=avro", "--property",
                               "schema.registry.url=" + url_} +
                       extra,
                   lines);
    }
    ToolResult consume(const QString& topic, QStringList extra = {},
                       const QString& deserializer = "avro") {
        return cli(QStringList{"consume", "--bootstrap-server", broker_.bootstrap(), "--topic",
                               topic, "--from-beginning", "--timeout-ms", "3000",
                               "--value-deserializer", deserializer, "--property",
                               "schema.registry.url=" + url_} +
                   extra);
    }

  private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        QVERIFY(broker_.start(dir_.path(), {"--topic", "orders:1", "--topic", "bad:1", "--topic",
                                            "keyed:1", "--topic", "mixed:1"}));
        url_ = broker_.schemaRegistryUrl();
        QVERIFY(!url_.isEmpty());
    }
    void cleanupTestCase() { QCOMPARE(broker_.terminate(), 0); }

    void produceAndConsumeAvro() {
        auto r =
            produce("orders",
                    R"({"id": 1, "customer": "ann", "total": {"double": 12.5}, "status": "NEW"})"
                    "\n"
                    R"({"id": 2, "customer": "bo", "total": 3.25, "status": "PAID"})"
                    "\n"
                    R"({"id": 3, "customer": "cy", "status": "PAID"})"
                    "\n",
                    {"--property", QString("value.schema=") + kSchema, "--report"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(r.out, QByteArray("0 0\n0 1\n0 2\n"));
        // The schema was registered under orders-value (TopicNameStrategy).
        auto c = consume("orders");
        QVERIFY2(c.exitCode == 0, c.err.constData());
        const QList<QByteArray> lines = c.out.trimmed().split('\n');
        QCOMPARE(lines.size(), 3);
        QCOMPARE(
            json::parse(lines[0].toStdString()),
            json::parse(R"({"id":1,"customer":"ann","total":{"double":12.5},"status":"NEW"})"));
        QCOMPARE(
            json::parse(lines[1].toStdString()),
            json::parse(R"({"id":2,"customer":"bo","total":{"double":3.25},"status":"PAID"})"));
        QCOMPARE(json::parse(lines[2].toStdString()),
                 json::parse(R"({"id":3,"customer":"cy","total":null,"status":"PAID"})"));
        // The Confluent class name works as the short name does; value.schema.id=1 reuses it.
        r = produce("orders",
                    R"({"id": 4, "customer": "di", "status": "NEW"})"
                    "\n",
                    {"--producer-property",
                     "value.serializer=io.confluent.kafka.serializers.KafkaAvroSerializer",
                     "--property", "value.schema.id=1"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        c = consume("orders", {}, "io.confluent.kafka.serializers.KafkaAvroDeserializer");
        QVERIFY2(c.out.trimmed().split('\n').size() == 4, (c.out + c.err).constData());
        QCOMPARE(json::parse(c.out.trimmed().split('\n')[3].toStdString()),
                 json::parse(R"({"id":4,"customer":"di","total":null,"status":"NEW"})"));
    }

    void keysWithParseKey() {
        const QString keySchema =
            R"({"type":"record","name":"OrderKey","fields":[{"name":"id","type":"long"}]})";
        auto r =
            produce("keyed", "{\"id\": 9}|{\"id\": 9, \"customer\": \"k\", \"status\": \"NEW\"}\n",
                    {"--producer-property", "key.serializer=avro", "--property",
                     "key.schema=" + keySchema, "--property", QString("value.schema=") + kSchema,
                     "--property", "parse.key=true", "--property", "key.separator=|"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        auto c = consume("keyed", {"--key-deserializer", "avro", "--property", "print.key=true"});
        QVERIFY2(c.exitCode == 0, c.err.constData());
        QVERIFY2(c.out.startsWith("{\"id\": 9}\t") || c.out.startsWith("{\"id\":9}\t"),
                 c.out.constData());
    }

    void badRecordIsRefusedAndNothingSent() {
        auto r = produce("bad",
                         R"({"id": 1, "status": "NEW"})"
                         "\n",
                         {"--property", QString("value.schema=") + kSchema});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("line 1: value: field 'customer': missing required field"),
                 r.err.constData());
        r = produce("bad",
                    R"({"id": 1, "customer": "x", "status": "LOST"})"
                    "\n",
                    {"--property", QString("value.schema=") + kSchema});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("field 'status': unknown enum symbol 'LOST'"), r.err.constData());
        r = produce("bad",
                    R"({"id": "x", "customer": "x", "status": "NEW"})"
                    "\n",
                    {"--property", QString("value.schema=") + kSchema});
        QVERIFY2(r.err.contains("field 'id': wrong type: expected long, got string"),
                 r.err.constData());
        // A schema the registry refuses as incompatible (BACKWARD): nothing sent either.
        const QString incompatible =
            R"({"type":"record","name":"Order","namespace":"shop","fields":[{"name":"id","type":"string"}]})";
        r = produce("orders",
                    R"({"id": "1"})"
                    "\n",
                    {"--property", "value.schema=" + incompatible});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("Schema being registered is incompatible with an earlier schema "
                                "for subject \"orders-value\""),
                 r.err.constData());
        // An unreachable registry.
        r = cli({"produce", "--bootstrap-server", broker_.bootstrap(), "--topic", "bad",
                 "--producer-property", "value.serializer=avro", "--property",
                 "schema.registry.url=http://127.0.0.1:1", "--property",
                 QString("value.schema=") + kSchema},
                R"({"id": 1, "customer": "x", "status": "NEW"})"
                "\n");
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("schema registry http://127.0.0.1:1 unreachable"),
                 r.err.constData());
        auto c = consume("bad");
        QVERIFY2(c.out.isEmpty(), c.out.constData());
        QVERIFY2(c.err.contains("Processed a total of 0 messages"), c.err.constData());
    }

    void unknownSchemaIdOnReadIsReported() {
        // A good record, then one framed with an id the registry never gave (raw bytes sent
        // by kcat), then a good one.
        auto r = produce("mixed",
                         R"({"id": 1, "customer": "a", "status": "NEW"})"
                         "\n",
                         {"--property", QString("value.schema=") + kSchema});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        r = bs::test::runTool("kcat", {"-P", "-b", broker_.bootstrap(), "-t", "mixed"},
                              QByteArray::fromHex("00000003e70202") + "\n");
        QVERIFY2(r.exitCode == 0, r.err.constData());
        r = produce("mixed",
                    R"({"id": 2, "customer": "b", "status": "PAID"})"
                    "\n",
                    {"--property", QString("value.schema=") + kSchema});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        auto c = consume("mixed");
        QVERIFY(c.exitCode != 0);
        QVERIFY2(c.err.contains("Error retrieving Avro schema for id 999: schema registry: "
                                "Schema 999 not found; error code: 40403"),
                 c.err.constData());
        QCOMPARE(c.out.trimmed().split('\n').size(), 1);
        c = consume("mixed", {"--skip-message-on-error"});
        QVERIFY2(c.exitCode == 0, c.err.constData());
        QCOMPARE(c.out.trimmed().split('\n').size(), 2);
        QVERIFY(c.err.contains("skipping this message"));
    }
};

QTEST_GUILESS_MAIN(AvroCliTest)
#include "test_avro_cli.moc"
