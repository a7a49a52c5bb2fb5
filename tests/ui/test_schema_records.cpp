// Avro (and Protobuf, JSON Schema) records from the window, against the embedded cluster's own
// Schema Registry: the composer's value type "avro" picks a registered subject (listed off the GUI
// thread), fills the editor with a template of the schema's fields, encodes typed JSON in
// Confluent's wire format and sends it; the inspector decodes it back to JSON with the schema id,
// subject and version. A value the schema refuses names the field and nothing is sent (the topic's
// end offsets do not move); a record naming an unknown schema id is shown as undecodable with its
// hex.

#include <QComboBox>
#include <QDockWidget>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>

#include "consumer/kafka_consumer.h"
#include "models/deliveries_model.h"
#include "models/inspector_model.h"
#include "serde/schema_registry_client.h"
#include "session/send_service.h"
#include "ui_harness.h"
#include "widgets/record_composer.h"
#include "widgets/schema_picker.h"
#include "widgets/topic_inspector.h"

using namespace bs::ui;

namespace {

constexpr int kWaitMs = 30000;
const QString kTopic = QStringLiteral("orders");

const char* kOrderSchema = R"({"type": "record", "name": "Order", "namespace": "shop",
  "fields": [{"name": "id", "type": "int"},
             {"name": "name", "type": "string"},
             {"name": "note", "type": ["null", "string"], "default": null}]})";

const char* kShopProto = R"(syntax = "proto3";
package shop;
message Order {
  int32 id = 1;
  message Line {
    string sku = 1;
    int32 qty = 2;
  }
  repeated Line lines = 2;
}
message Refund { int32 order_id = 1; }
)";

const char* kPersonSchema = R"({"title": "Person", "type": "object", "required": ["name", "age"],
  "properties": {"name": {"type": "string"}, "age": {"type": "integer", "minimum": 0}}})";

// python3-avro (Debian) reads an Avro binary payload: argv[1] schema, argv[2] hex of the bytes
// after the 5-byte prefix; prints the datum as sorted JSON.
const char* kPythonDecode = R"(import avro.io, avro.schema, io, json, sys
schema = avro.schema.parse(sys.argv[1])
datum = avro.io.DatumReader(schema).read(avro.io.BinaryDecoder(io.BytesIO(bytes.fromhex(sys.argv[2]))))
print(json.dumps(datum, sort_keys=True)))";

}  // namespace

class TestSchemaRecords : public QObject {
    Q_OBJECT
  private:
    std::unique_ptr<test::Harness> h;
    TopicInspector* ti = nullptr;
    RecordComposer* composer = nullptr;
    DeliveriesModel* deliveries = nullptr;
    int32_t schemaId = 0;

    // Clicks Send once Send is on, waits for the record's delivery to `topic` and reads it in
    // the inspector: `row` is its row (left -1 when a step failed, the failure recorded).
    void sendAndInspect(const QString& topic, int& row) {
        row = -1;
        QTRY_VERIFY_WITH_TIMEOUT(child<QPushButton>(composer, "send")->isEnabled(), kWaitMs);
        const qint64 before = deliveries->totalAdded();
        child<QPushButton>(composer, "send")->click();
        QTRY_VERIFY_WITH_TIMEOUT(deliveries->totalAdded() > before, kWaitMs);
        const Delivery sent = deliveries->at(0);
        QVERIFY2(sent.ok(), qPrintable(sent.error));
        QCOMPARE(sent.topic, topic);
        row = inspect(topic, sent.partition, sent.offset);
    }

    // Reads topic-partition@offset in the inspector; its row, or -1.
    int inspect(const QString& topic, int partition, qint64 offset) {
        ti->showRecord(topic, partition, offset);
        auto* m = ti->findChild<InspectorModel*>();
        (void)QTest::qWaitFor(
            [&] { return m->query().topic == topic && m->rowOf(partition, offset) >= 0; }, kWaitMs);
        return m->query().topic == topic ? m->rowOf(partition, offset) : -1;
    }

    // The sum of the topic's end offsets, read with the core consumer.
    int64_t endOffsetTotal(const QString& topic) {
        std::map<std::string, std::string> props{
            {"bootstrap.servers",
             h->controller->session().clientProperties().at("bootstrap.servers")}};
        auto cfg = bs::consumer::ConsumerConfig::parse(props);
        if (!cfg) qFatal("%s", cfg.error().message.c_str());
        auto c = bs::consumer::KafkaConsumer::create(*cfg);
        if (!c) qFatal("%s", c.error().message.c_str());
        auto parts = (*c)->partitionsFor(topic.toStdString(), 20000);
        if (!parts) qFatal("%s", parts.error().message.c_str());
        std::vector<bs::consumer::TopicPartition> tps;
        for (int32_t p : *parts)
            tps.push_back({topic.toStdString(), p});
        auto ends = (*c)->endOffsets(tps, 20000);
        if (!ends) qFatal("%s", ends.error().message.c_str());
        int64_t total = 0;
        for (const auto& [tp, end] : *ends)
            total += end;
        (*c)->close();
        return total;
    }

    // Registers a schema through the registry client, as another application would have.
    bs::Result<int32_t> registerSchema(const std::string& subject, const char* schema,
                                       const std::string& type = "AVRO") {
        bs::serde::SchemaRegistryClientConfig config;
        config.url = h->controller->session().schemaRegistryUrl().toStdString();
        bs::serde::SchemaRegistryClient registry(config);
        return registry.registerSchema(subject, schema, type);
    }

    QString valueError() const { return child<QLabel>(composer, "valueError")->text(); }

  private Q_SLOTS:
    void initTestCase() {
        h = std::make_unique<test::Harness>();
        QVERIFY(h->waitConnected());
        ti = h->window->findChild<TopicInspector*>();
        composer = h->window->findChild<RecordComposer*>();
        deliveries = h->window->findChild<DeliveriesModel*>();
        QVERIFY(ti && composer && deliveries);
        const QString url = h->controller->session().schemaRegistryUrl();
        QVERIFY(url.startsWith(QLatin1String("http://")));
        // The subject is registered first, through the registry client, as another
        // application would have.
        auto id = registerSchema("orders-value", kOrderSchema);
        QVERIFY2(id, id ? "" : id.error().message.c_str());
        schemaId = *id;
        // The composer learned the registry when the window connected: refresh its list.
        composer->valueSchemaPicker()->refresh();
    }
    void cleanupTestCase() { h.reset(); }

    void avroValueIsSentAndDecodedInTheInspector() {
        child<QComboBox>(composer, "topic")->setCurrentText(kTopic);
        child<QComboBox>(composer, "valueSerializer")->setCurrentText(QStringLiteral("avro"));
        SchemaPicker* picker = composer->valueSchemaPicker();
        QVERIFY(picker->isVisible());
        picker->pick(QStringLiteral("orders-value"));
        QTRY_VERIFY_WITH_TIMEOUT(picker->serializer() != nullptr, kWaitMs);
        QCOMPARE(picker->serializer()->schemaId(), schemaId);
        QCOMPARE(child<QComboBox>(composer, "valueSubject")->currentText(),
                 QStringLiteral("orders-value"));
        QVERIFY(child<QLabel>(composer, "valueSchemaStatus")
                    ->text()
                    .contains(QStringLiteral("schema id %1").arg(schemaId)));

        // The editor holds a template of the schema's fields (placeholders, defaults).
        auto* value = child<QPlainTextEdit>(composer, "value");
        QTRY_VERIFY_WITH_TIMEOUT(value->toPlainText().contains(QLatin1String("\"name\": \"\"")),
                                 kWaitMs);
        QVERIFY(value->toPlainText().contains(QLatin1String("\"id\": 0")));
        QVERIFY(value->toPlainText().contains(QLatin1String("\"note\": null")));

        value->setPlainText(
            QStringLiteral(R"({"id": 7, "name": "widget", "note": {"string": "fragile"}})"));
        QVERIFY2(valueError().isEmpty(), qPrintable(valueError()));
        int row = -1;
        sendAndInspect(kTopic, row);
        QVERIFY(row >= 0);
        auto* m = ti->findChild<InspectorModel*>();
        // Confluent's wire format: magic byte 0, then the id big-endian.
        const auto rec = m->record(row);
        QVERIFY(rec.value && rec.value->size() > 5);
        QCOMPARE(int((*rec.value)[0]), 0);
        QCOMPARE(int32_t((*rec.value)[1]) << 24 | int32_t((*rec.value)[2]) << 16 |
                     int32_t((*rec.value)[3]) << 8 | int32_t((*rec.value)[4]),
                 schemaId);
        QTRY_VERIFY_WITH_TIMEOUT(m->schemaDecoding(row, false) != nullptr, kWaitMs);
        const SchemaDecoding* d = m->schemaDecoding(row, false);
        QVERIFY2(d->ok, qPrintable(d->error));
        QCOMPARE(d->schemaId, schemaId);
        QCOMPARE(d->subject, QStringLiteral("orders-value"));
        QCOMPARE(d->version, 1);
        QCOMPARE(d->format, QStringLiteral("avro"));
        QVERIFY2(d->json.contains(QLatin1String("\"name\": \"widget\"")), qPrintable(d->json));
        QVERIFY(d->json.contains(QLatin1String("\"id\": 7")));
        QVERIFY(d->json.contains(QLatin1String("\"fragile\"")));
        // An independent reader agrees on the payload after the prefix.
        QProcess py;
        py.start(
            QStringLiteral("/usr/bin/python3"),
            {QStringLiteral("-c"), QString::fromUtf8(kPythonDecode),
             QString::fromUtf8(kOrderSchema),
             QString::fromLatin1(QByteArray(reinterpret_cast<const char*>(rec.value->data()) + 5,
                                            static_cast<qsizetype>(rec.value->size() - 5))
                                     .toHex())});
        QVERIFY(py.waitForFinished(kWaitMs));
        QCOMPARE(QString::fromUtf8(py.readAllStandardOutput()).trimmed(),
                 QStringLiteral(R"({"id": 7, "name": "widget", "note": "fragile"})"));
        // The row and the detail pane show it.
        const QString cell =
            m->data(m->index(row, InspectorModel::Value), Qt::DisplayRole).toString();
        QVERIFY2(cell.contains(QLatin1String("widget")), qPrintable(cell));
        QTRY_VERIFY_WITH_TIMEOUT(child<QTextBrowser>(ti, "detail")
                                     ->toPlainText()
                                     .contains(QStringLiteral("id %1 · subject orders-value · "
                                                              "version 1 · avro")
                                                   .arg(schemaId)),
                                 kWaitMs);
        child<QComboBox>(ti, "payloadField")->setCurrentIndex(0);
        child<QComboBox>(ti, "payloadMode")->setCurrentIndex(0);
        QTRY_VERIFY_WITH_TIMEOUT(child<QPlainTextEdit>(ti, "payload")
                                     ->toPlainText()
                                     .contains(QLatin1String("\"name\": \"widget\"")),
                                 kWaitMs);
        // BS_SCHEMA_SCREENSHOT=FILE: a PNG of the window at this point, for the README.
        if (const QString shot = qEnvironmentVariable("BS_SCHEMA_SCREENSHOT"); !shot.isEmpty()) {
            for (QWidget* w = ti; w; w = w->parentWidget())
                if (auto* dock = qobject_cast<QDockWidget*>(w)) dock->raise();
            QTest::qWait(200);  // let the raised tab paint
            QVERIFY(h->window->grab().save(shot));
        }
    }

    void invalidValueNamesTheFieldAndSendsNothing() {
        child<QComboBox>(composer, "topic")->setCurrentText(kTopic);
        child<QComboBox>(composer, "valueSerializer")->setCurrentText(QStringLiteral("avro"));
        QTRY_VERIFY_WITH_TIMEOUT(composer->valueSchemaPicker()->serializer() != nullptr, kWaitMs);
        const int64_t endBefore = endOffsetTotal(kTopic);
        const qint64 sentBefore = h->controller->sends().sentCount();
        auto* value = child<QPlainTextEdit>(composer, "value");
        auto* send = child<QPushButton>(composer, "send");

        value->setPlainText(QStringLiteral(R"({"id": 8})"));
        QVERIFY2(valueError().contains(QLatin1String("field 'name'")) &&
                     valueError().contains(QLatin1String("missing required field")),
                 qPrintable(valueError()));
        QVERIFY(child<QLabel>(composer, "valueError")->isVisible());
        QVERIFY(!send->isEnabled());
        composer->sendOne();  // Ctrl+Return does the same: refused

        value->setPlainText(QStringLiteral(R"({"id": "eight", "name": "x"})"));
        QVERIFY2(valueError().contains(QLatin1String("field 'id'")) &&
                     valueError().contains(QLatin1String("wrong type")),
                 qPrintable(valueError()));
        QVERIFY(!send->isEnabled());
        composer->sendOne();

        // Fixed: the error goes and Send is back. The refused values went nowhere: after this
        // one record is delivered (same producer worker, in order) exactly one more is there.
        value->setPlainText(QStringLiteral(R"({"id": 8, "name": "x"})"));
        QVERIFY2(valueError().isEmpty(), qPrintable(valueError()));
        QVERIFY(send->isEnabled());
        const qint64 deliveredBefore = deliveries->totalAdded();
        send->click();
        QTRY_VERIFY_WITH_TIMEOUT(deliveries->totalAdded() > deliveredBefore, kWaitMs);
        QVERIFY2(deliveries->at(0).ok(), qPrintable(deliveries->at(0).error));
        QCOMPARE(deliveries->totalAdded(), deliveredBefore + 1);
        QCOMPARE(h->controller->sends().sentCount(), sentBefore + 1);
        QCOMPARE(endOffsetTotal(kTopic), endBefore + 1);
    }

    void unknownSchemaIdIsUndecodable() {
        // Raw bytes: magic byte 0, schema id 0x7ffffff0 (never registered), an Avro-ish tail.
        RecordDraft d;
        d.topic = kTopic;
        d.partition = 0;
        d.keySerializer = QStringLiteral("null");
        d.valueSerializer = QStringLiteral("bytes");
        d.valueText = QStringLiteral("00 7f ff ff f0 02 41");
        const qint64 before = deliveries->totalAdded();
        h->controller->sends().send(d);
        QTRY_VERIFY_WITH_TIMEOUT(deliveries->totalAdded() > before, kWaitMs);
        const Delivery sent = deliveries->at(0);
        QVERIFY2(sent.ok(), qPrintable(sent.error));

        const int row = inspect(kTopic, 0, sent.offset);
        QVERIFY(row >= 0);
        auto* m = ti->findChild<InspectorModel*>();
        const SchemaDecoding* dec = m->schemaDecoding(row, false);
        QVERIFY(dec);
        QVERIFY(!dec->ok);
        QCOMPARE(dec->schemaId, 0x7ffffff0);
        QVERIFY2(dec->error.contains(QLatin1String("2147483632")), qPrintable(dec->error));
        const QString cell =
            m->data(m->index(row, InspectorModel::Value), Qt::DisplayRole).toString();
        QVERIFY2(cell.contains(QLatin1String("undecodable: ")), qPrintable(cell));
        // The payload pane says why and shows the bytes as hex.
        child<QComboBox>(ti, "payloadField")->setCurrentIndex(0);
        child<QComboBox>(ti, "payloadMode")->setCurrentIndex(0);
        QTRY_VERIFY_WITH_TIMEOUT(child<QPlainTextEdit>(ti, "payload")
                                     ->toPlainText()
                                     .contains(QLatin1String("undecodable: ")),
                                 kWaitMs);
        QVERIFY(child<QPlainTextEdit>(ti, "payload")
                    ->toPlainText()
                    .contains(QLatin1String("00 7f ff ff f0 02 41")));
        // The detail pane names the id without a subject.
        QTRY_VERIFY_WITH_TIMEOUT(child<QTextBrowser>(ti, "detail")
                                     ->toPlainText()
                                     .contains(QLatin1String("id 2147483632")),
                                 kWaitMs);
    }

    void unreachableRegistrySaysSo() {
        // A registry nobody listens on (port 9, discard, has no listener on a test machine).
        const QString real = h->controller->session().schemaRegistryUrl();
        child<QComboBox>(composer, "valueSerializer")->setCurrentText(QStringLiteral("avro"));
        composer->setSchemaRegistryUrl(QStringLiteral("http://127.0.0.1:9"));
        QTRY_VERIFY_WITH_TIMEOUT(valueError().contains(QLatin1String("unreachable")), kWaitMs);
        QVERIFY(valueError().contains(QLatin1String("127.0.0.1:9")));
        QVERIFY(composer->valueSchemaPicker()->serializer() == nullptr);
        QVERIFY(!child<QPushButton>(composer, "send")->isEnabled());
        // Back to the cluster's registry: the schema resolves again.
        composer->setSchemaRegistryUrl(real);
        QTRY_VERIFY_WITH_TIMEOUT(composer->valueSchemaPicker()->serializer() != nullptr, kWaitMs);
    }

    void localSchemaFileIsRegisteredUnderTheTopicsSubject() {
        // A key schema from a file: registered as files-key (TopicNameStrategy) and picked.
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("key.avsc"));
        {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(
                R"({"type": "record", "name": "OrderKey", "fields": [{"name": "sku", "type": "string"}]})");
        }
        child<QComboBox>(composer, "topic")->setCurrentText(QStringLiteral("files"));
        child<QComboBox>(composer, "keySerializer")->setCurrentText(QStringLiteral("avro"));
        SchemaPicker* picker = composer->keySchemaPicker();
        QVERIFY(picker->isVisible());
        picker->registerFile(path);
        QTRY_COMPARE_WITH_TIMEOUT(child<QComboBox>(composer, "keySubject")->currentText(),
                                  QStringLiteral("files-key"), kWaitMs);
        QTRY_VERIFY_WITH_TIMEOUT(picker->serializer() != nullptr, kWaitMs);
        // The key editor got the one-line template; a typed key is encoded with the schema.
        auto* key = child<QLineEdit>(composer, "key");
        QTRY_COMPARE_WITH_TIMEOUT(key->text(), QStringLiteral(R"({ "sku": "" })"), kWaitMs);
        key->setText(QStringLiteral(R"({"sku": 5})"));
        QVERIFY2(child<QLabel>(composer, "keyError")->text().contains(QLatin1String("field 'sku'")),
                 qPrintable(child<QLabel>(composer, "keyError")->text()));
        key->setText(QStringLiteral(R"({"sku": "A-1"})"));
        QVERIFY(child<QLabel>(composer, "keyError")->text().isEmpty());
        child<QComboBox>(composer, "keySerializer")->setCurrentText(QStringLiteral("string"));
        QVERIFY(!picker->isVisible());
    }

    // Protobuf: every message of the .proto is offered; a nested one is picked, sent and decoded.
    void protobufMessageTypeIsPickedSentAndDecoded() {
        auto id = registerSchema("lines-value", kShopProto, "PROTOBUF");
        QVERIFY2(id, id ? "" : id.error().message.c_str());
        child<QComboBox>(composer, "topic")->setCurrentText(QStringLiteral("lines"));
        child<QComboBox>(composer, "valueSerializer")->setCurrentText(QStringLiteral("protobuf"));
        SchemaPicker* picker = composer->valueSchemaPicker();
        picker->refresh();
        picker->pick(QStringLiteral("lines-value"));
        QTRY_VERIFY_WITH_TIMEOUT(
            picker->serializer() != nullptr && picker->serializer()->schemaId() == *id, kWaitMs);
        auto* types = child<QComboBox>(composer, "valueMessageType");
        QVERIFY(types->isVisible());
        QStringList offered;
        for (int i = 0; i < types->count(); ++i)
            offered << types->itemText(i);
        QCOMPARE(offered, (QStringList{"shop.Order", "shop.Order.Line", "shop.Refund"}));
        types->setCurrentText(QStringLiteral("shop.Order.Line"));
        QTRY_VERIFY_WITH_TIMEOUT(picker->serializer() != nullptr &&
                                     picker->serializer()->messageType() == "shop.Order.Line",
                                 kWaitMs);
        auto* value = child<QPlainTextEdit>(composer, "value");
        value->setPlainText(QStringLiteral(R"({"sku": "A-7", "qty": "many"})"));
        QTRY_VERIFY_WITH_TIMEOUT(valueError().contains(QLatin1String("qty")), kWaitMs);
        QVERIFY(!child<QPushButton>(composer, "send")->isEnabled());
        value->setPlainText(QStringLiteral(R"({"sku": "A-7", "qty": 3})"));
        int row = -1;
        sendAndInspect(QStringLiteral("lines"), row);
        QVERIFY(row >= 0);
        auto* m = ti->findChild<InspectorModel*>();
        // Prefix, then Confluent's message indexes [0, 0] (Order, then its first nested type).
        const auto rec = m->record(row);
        QVERIFY(rec.value && rec.value->size() > 7);
        QCOMPARE(int((*rec.value)[5]), 4);  // zigzag(2): two indexes
        QCOMPARE(int((*rec.value)[6]), 0);
        QCOMPARE(int((*rec.value)[7]), 0);
        QTRY_VERIFY_WITH_TIMEOUT(m->schemaDecoding(row, false) != nullptr, kWaitMs);
        const SchemaDecoding* d = m->schemaDecoding(row, false);
        QVERIFY2(d->ok, qPrintable(d->error));
        QCOMPARE(d->format, QStringLiteral("protobuf"));
        QCOMPARE(d->subject, QStringLiteral("lines-value"));
        QVERIFY2(d->json.contains(QLatin1String("\"sku\": \"A-7\"")), qPrintable(d->json));
        QVERIFY2(d->json.contains(QLatin1String("\"qty\": 3")), qPrintable(d->json));
    }

    // JSON Schema: a value the schema refuses names the field; a valid one is sent and decoded.
    void jsonSchemaValueIsValidatedSentAndDecoded() {
        auto id = registerSchema("people-value", kPersonSchema, "JSON");
        QVERIFY2(id, id ? "" : id.error().message.c_str());
        child<QComboBox>(composer, "topic")->setCurrentText(QStringLiteral("people"));
        child<QComboBox>(composer, "valueSerializer")
            ->setCurrentText(QStringLiteral("json-schema"));
        SchemaPicker* picker = composer->valueSchemaPicker();
        picker->refresh();
        picker->pick(QStringLiteral("people-value"));
        QTRY_VERIFY_WITH_TIMEOUT(
            picker->serializer() != nullptr && picker->serializer()->schemaId() == *id, kWaitMs);
        QVERIFY(!child<QComboBox>(composer, "valueMessageType")->isVisible());
        auto* value = child<QPlainTextEdit>(composer, "value");
        value->setPlainText(QStringLiteral(R"({"name": "Ada"})"));
        QTRY_VERIFY_WITH_TIMEOUT(valueError().contains(QLatin1String("age")) &&
                                     valueError().contains(QLatin1String("missing required")),
                                 kWaitMs);
        QVERIFY(!child<QPushButton>(composer, "send")->isEnabled());
        value->setPlainText(QStringLiteral(R"({"name": "Ada", "age": 36})"));
        int row = -1;
        sendAndInspect(QStringLiteral("people"), row);
        QVERIFY(row >= 0);
        auto* m = ti->findChild<InspectorModel*>();
        QTRY_VERIFY_WITH_TIMEOUT(m->schemaDecoding(row, false) != nullptr, kWaitMs);
        const SchemaDecoding* d = m->schemaDecoding(row, false);
        QVERIFY2(d->ok, qPrintable(d->error));
        QCOMPARE(d->format, QStringLiteral("json-schema"));
        QVERIFY2(d->json.contains(QLatin1String("\"age\": 36")), qPrintable(d->json));
    }

    // The subject follows the topic (TopicNameStrategy) until one is chosen for itself.
    void subjectFollowsTheTopicUntilChosenByHand() {
        auto a = registerSchema("follow-a-value", kOrderSchema);
        auto b = registerSchema("follow-b-value", kOrderSchema);
        QVERIFY(a && b);
        auto* topic = child<QComboBox>(composer, "topic");
        auto* subject = child<QComboBox>(composer, "valueSubject");
        child<QComboBox>(composer, "valueSerializer")->setCurrentText(QStringLiteral("avro"));
        SchemaPicker* picker = composer->valueSchemaPicker();
        topic->setCurrentText(QStringLiteral("follow-a"));
        picker->refresh();
        QTRY_COMPARE_WITH_TIMEOUT(subject->currentText(), QStringLiteral("follow-a-value"),
                                  kWaitMs);
        topic->setCurrentText(QStringLiteral("follow-b"));
        QCOMPARE(subject->currentText(), QStringLiteral("follow-b-value"));
        QTRY_VERIFY_WITH_TIMEOUT(picker->serializer() != nullptr, kWaitMs);
        // A topic without a subject of its own keeps the last one, and the next topic that has
        // one is followed again.
        topic->setCurrentText(QStringLiteral("follow-none"));
        QCOMPARE(subject->currentText(), QStringLiteral("follow-b-value"));
        topic->setCurrentText(QStringLiteral("follow-a"));
        QCOMPARE(subject->currentText(), QStringLiteral("follow-a-value"));
        // Chosen by hand (another topic's subject): it stays when the topic changes.
        subject->setCurrentText(QStringLiteral("orders-value"));
        topic->setCurrentText(QStringLiteral("follow-b"));
        QCOMPARE(subject->currentText(), QStringLiteral("orders-value"));
        picker->refresh();
        QTRY_VERIFY_WITH_TIMEOUT(picker->serializer() != nullptr, kWaitMs);
        QCOMPARE(subject->currentText(), QStringLiteral("orders-value"));
    }

    void externalRegistryUrlIsSavedWithTheConnection() {
        QTemporaryDir dir;
        QSettings s(dir.filePath(QStringLiteral("c.ini")), QSettings::IniFormat);
        ConnectionSettings c;
        c.mode = ConnectionSettings::Mode::External;
        c.bootstrapServers = QStringLiteral("kafka:9092");
        c.schemaRegistryUrl = QStringLiteral("http://registry:8081");
        c.save(s);
        QCOMPARE(ConnectionSettings::load(s).schemaRegistryUrl,
                 QStringLiteral("http://registry:8081"));
    }
};

QTEST_MAIN(TestSchemaRecords)
#include "test_schema_records.moc"
