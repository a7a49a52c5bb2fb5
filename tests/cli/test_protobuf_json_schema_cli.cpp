// `produce` and `consume` with Protobuf and JSON Schema in the Schema Registry's wire format, end
// to end on the embedded cluster and its embedded registry (`batchscope-cli broker`): a .proto
// file with value.schema.message.type picking a nested message, a JSON Schema given inline; each
// JSON line goes out encoded and comes back as one line of JSON. An invalid record stops the
// input with an error naming the line, the field and the reason: it and what follows are not
// sent (as kafka-avro-console-producer stops).
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <nlohmann/json.hpp>

#include "broker/broker_process.h"

using bs::test::BrokerProcess;
using bs::test::ToolResult;
using nlohmann::json;

namespace {

const char* kProto =
    "syntax = \"proto3\";\n"
    "package shop;\n"
    "message Order {\n"
    "  int64 id = 1;\n"
    "  string customer = 2;\n"
    "  message Line {\n"
    "    string sku = 1;\n"
    "    int32 qty = 2;\n"
    "  }\n"
    "}\n";

const char* kJsonSchema =
    "{\"type\": \"object\", \"properties\": {\"name\": {\"type\": \"string\"}, \"age\": "
    "{\"type\": \"integer\"}}, \"required\": [\"name\"]}";

ToolResult cli(const QStringList& args, const QByteArray& input = {}) {
    return bs::test::runTool(BS_BINARY_DIR "/app/batchscope-cli", args, input);
}

}  // namespace

class ProtobufJsonSchemaCliTest : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    BrokerProcess broker_;
    QString url_;

    ToolResult produce(const QString& topic, const QString& serializer, const QByteArray& lines,
                       QStringList extra = {}) {
        return cli(QStringList{"produce", "--bootstrap-server", broker_.bootstrap(), "--topic",
                               topic, "--producer-property", "value.serializer=" + serializer,
                               "--property", "schema.registry.url=" + url_} +
                       extra,
                   lines);
    }
    ToolResult consume(const QString& topic, const QString& deserializer) {
        return cli({"consume", "--bootstrap-server", broker_.bootstrap(), "--topic", topic,
                    "--from-beginning", "--timeout-ms", "3000", "--value-deserializer",
                    deserializer, "--property", "schema.registry.url=" + url_});
    }

  private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        QVERIFY(broker_.start(dir_.path(), {"--topic", "lines:1", "--topic", "people:1"}));
        url_ = broker_.schemaRegistryUrl();
        QVERIFY(!url_.isEmpty());
    }
    void cleanupTestCase() { QCOMPARE(broker_.terminate(), 0); }

    void protobufNestedMessageType() {
        QFile f(dir_.path() + "/shop.proto");
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(kProto);
        f.close();
        const QStringList schema{"--property", "value.schema.file=" + f.fileName(), "--property",
                                 "value.schema.message.type=shop.Order.Line"};
        auto r =
            produce("lines", "protobuf", "{\"sku\": \"A-1\", \"qty\": 2}\n{\"sku\": \"B-2\"}\n",
                    schema + QStringList{"--report"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(r.out, QByteArray("0 0\n0 1\n"));
        // A bad record: the line, the field and the reason; it and what follows are not sent.
        r = produce("lines", "io.confluent.kafka.serializers.protobuf.KafkaProtobufSerializer",
                    "{\"sku\": \"C\"}\n{\"qty\": \"many\"}\n{\"sku\": \"D\"}\n", schema);
        QVERIFY(r.exitCode != 0);
        QVERIFY2(r.err.contains("line 2") && r.err.contains("field 'qty'"), r.err.constData());
        // An unknown message type: refused before anything is read.
        r = produce("lines", "protobuf", "{}\n",
                    {"--property", "value.schema.file=" + f.fileName(), "--property",
                     "value.schema.message.type=shop.Nope"});
        QVERIFY(r.exitCode != 0);
        QVERIFY2(r.err.contains("no message type 'shop.Nope'"), r.err.constData());

        auto c = consume("lines", "protobuf");
        QVERIFY2(c.exitCode == 0, c.err.constData());
        const QList<QByteArray> lines = c.out.trimmed().split('\n');
        QCOMPARE(lines.size(), 3);
        QCOMPARE(json::parse(lines[0].toStdString()), json::parse(R"({"sku":"A-1","qty":2})"));
        QCOMPARE(json::parse(lines[1].toStdString()), json::parse(R"({"sku":"B-2","qty":0})"));
        QCOMPARE(json::parse(lines[2].toStdString()), json::parse(R"({"sku":"C","qty":0})"));
    }

    void jsonSchemaInline() {
        auto r = produce("people", "json-schema",
                         "{\"name\": \"Ann\", \"age\": 30}\n{\"name\": \"Bo\"}\n",
                         {"--property", QString("value.schema=") + kJsonSchema});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        r = produce("people", "json-schema",
                    "{\"name\": \"Cy\"}\n{\"age\": \"x\"}\n{\"name\": \"Dee\"}\n",
                    {"--property", QString("value.schema=") + kJsonSchema});
        QVERIFY(r.exitCode != 0);
        QVERIFY2(r.err.contains("line 2") && r.err.contains("field 'name': missing required field"),
                 r.err.constData());
        auto c =
            consume("people", "io.confluent.kafka.serializers.json.KafkaJsonSchemaDeserializer");
        QVERIFY2(c.exitCode == 0, c.err.constData());
        QCOMPARE(c.out, QByteArray("{\"name\":\"Ann\",\"age\":30}\n{\"name\":\"Bo\"}\n{\"name\":"
                                   "\"Cy\"}\n"));
    }
};

QTEST_GUILESS_MAIN(ProtobufJsonSchemaCliTest)
#include "test_protobuf_json_schema_cli.moc"
