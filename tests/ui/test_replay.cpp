// "Send again…": a record read by the topic inspector opens in the composer with its key, value
// and headers byte for byte (binary as hex, text with template-like "${...}" kept literal), is
// sent to another topic and read back there with the same bytes; a delivery row's "Send again…"
// reads the stored record first and opens the same draft.

#include <QComboBox>
#include <QPushButton>
#include <QTest>

#include "models/deliveries_model.h"
#include "models/inspector_model.h"
#include "models/replay_draft.h"
#include "ui_harness.h"
#include "widgets/deliveries_panel.h"
#include "widgets/record_composer.h"
#include "widgets/topic_inspector.h"

using namespace bs::ui;

namespace {

constexpr int kWaitMs = 30000;

// A record's bytes, copied out of the inspector's page.
struct Stored {
    std::optional<std::string> key, value;
    std::vector<std::pair<std::string, std::optional<std::string>>> headers;
    bool operator==(const Stored&) const = default;
};

std::optional<std::string> copy(const std::optional<bs::consumer::Bytes>& b) {
    if (!b) return std::nullopt;
    return std::string(b->begin(), b->end());
}

Stored stored(const bs::consumer::ConsumerRecord& r) {
    Stored s{copy(r.key), copy(r.value), {}};
    for (const auto& h : r.headers)
        s.headers.push_back({std::string(h.key), copy(h.value)});
    return s;
}

QString hexOf(const std::string& s) {
    return QString::fromLatin1(QByteArray::fromStdString(s).toHex(' '));
}

}  // namespace

class TestReplay : public QObject {
    Q_OBJECT
  private:
    std::unique_ptr<test::Harness> h;
    TopicInspector* ti = nullptr;
    RecordComposer* composer = nullptr;
    DeliveriesModel* deliveries = nullptr;

    Delivery send(const RecordDraft& d) {
        const qint64 before = deliveries->totalAdded();
        h->controller->sends().send(d);
        if (!QTest::qWaitFor([&] { return deliveries->totalAdded() > before; }, kWaitMs)) return {};
        return deliveries->at(0);
    }

    // Reads topic-partition@offset in the inspector; its row, or -1.
    int inspect(const QString& topic, int partition, qint64 offset) {
        ti->showRecord(topic, partition, offset);
        auto* m = ti->findChild<InspectorModel*>();
        (void)QTest::qWaitFor(
            [&] { return m->query().topic == topic && m->rowOf(partition, offset) >= 0; }, kWaitMs);
        return m->query().topic == topic ? m->rowOf(partition, offset) : -1;
    }

  private Q_SLOTS:
    void initTestCase() {
        h = std::make_unique<test::Harness>();
        QVERIFY(h->waitConnected());
        ti = h->window->findChild<TopicInspector*>();
        composer = h->window->findChild<RecordComposer*>();
        deliveries = h->window->findChild<DeliveriesModel*>();
        QVERIFY(ti && composer && deliveries);
    }
    void cleanupTestCase() { h.reset(); }

    void inspectedRecordIsReplayedByteForByteToAnotherTopic() {
        // Not UTF-8 anywhere it can be avoided, and text that looks like a template.
        const std::string key("\x00\xff\x10\x80", 4);
        const std::string value("\xc3\x28 binary \xfe", 10);
        const std::string bin("\xff\xfe\x00\x80\xc0", 5);
        const std::string templ = "${n} and ${uuid}";
        RecordDraft d;
        d.topic = QStringLiteral("demo");
        d.partition = 2;
        d.keySerializer = QStringLiteral("bytes");
        d.keyText = hexOf(key);
        d.valueSerializer = QStringLiteral("bytes");
        d.valueText = hexOf(value);
        d.headers = {{QStringLiteral("bin"), hexOf(bin), true},
                     {QStringLiteral("templ"), hexOf(templ), true},
                     {QStringLiteral("empty"), QString(), false},
                     {QStringLiteral("bin"), QStringLiteral("01"), true}};  // repeated key
        const Delivery sent = send(d);
        QVERIFY2(sent.ok(), qPrintable(sent.error));

        int row = inspect(QStringLiteral("demo"), 2, sent.offset);
        QVERIFY(row >= 0);
        auto* m = ti->findChild<InspectorModel*>();
        const Stored original = stored(m->record(row));
        QCOMPARE(original.key, std::optional(key));
        QCOMPARE(original.headers.size(), size_t(4));

        // Send again…: the composer holds the record.
        QVERIFY(ti->sendAgain(row));
        const RecordDraft replay = composer->draft();
        QCOMPARE(replay.topic, QStringLiteral("demo"));
        QCOMPARE(replay.partition, std::optional(2));
        QCOMPARE(replay.keySerializer, QStringLiteral("bytes"));
        QCOMPARE(replay.valueSerializer, QStringLiteral("bytes"));
        QCOMPARE(replay.headers.size(), 4);
        QVERIFY(replay.headers[0].hex);
        QCOMPARE(replay.headers[1].value, QStringLiteral("$${n} and $${uuid}"));  // literal
        QVERIFY(!replay.headers[1].hex);

        // To another topic (auto-created, 6 partitions like demo).
        child<QComboBox>(composer, "topic")->setCurrentText(QStringLiteral("replayed"));
        QTRY_VERIFY_WITH_TIMEOUT(child<QPushButton>(composer, "send")->isEnabled(), kWaitMs);
        const qint64 before = deliveries->totalAdded();
        child<QPushButton>(composer, "send")->click();
        QTRY_VERIFY_WITH_TIMEOUT(deliveries->totalAdded() > before, kWaitMs);
        const Delivery again = deliveries->at(0);
        QVERIFY2(again.ok(), qPrintable(again.error));
        QCOMPARE(again.topic, QStringLiteral("replayed"));
        QCOMPARE(again.partition, 2);

        row = inspect(QStringLiteral("replayed"), 2, again.offset);
        QVERIFY(row >= 0);
        QCOMPARE(stored(m->record(row)), original);
    }

    void jsonAndNullKeyReplayAsTheSameBytes() {
        const std::string json = R"({"order": {"id": 42, "note": "${n} is not a template"}})";
        RecordDraft d;
        d.topic = QStringLiteral("demo");
        d.partition = 4;
        d.keySerializer = QStringLiteral("null");
        d.valueSerializer = QStringLiteral("bytes");
        d.valueText = hexOf(json);
        const Delivery sent = send(d);
        QVERIFY2(sent.ok(), qPrintable(sent.error));
        const int row = inspect(QStringLiteral("demo"), 4, sent.offset);
        QVERIFY(row >= 0);
        auto* m = ti->findChild<InspectorModel*>();
        const Stored original = stored(m->record(row));

        // From the delivery row: the stored record is read, then opened in the composer.
        auto* panel = h->window->findChild<DeliveriesPanel*>();
        composer->setDraft(RecordDraft{});
        QVERIFY(panel->sendAgain(0));
        QTRY_COMPARE_WITH_TIMEOUT(composer->draft().valueSerializer, QStringLiteral("json"),
                                  kWaitMs);
        const RecordDraft replay = composer->draft();
        QCOMPARE(replay.keySerializer, QStringLiteral("null"));
        QCOMPARE(replay, replayDraft(QStringLiteral("demo"), m->record(m->rowOf(4, sent.offset))));

        QTRY_VERIFY_WITH_TIMEOUT(child<QPushButton>(composer, "send")->isEnabled(), kWaitMs);
        const qint64 before = deliveries->totalAdded();
        child<QPushButton>(composer, "send")->click();
        QTRY_VERIFY_WITH_TIMEOUT(deliveries->totalAdded() > before, kWaitMs);
        const Delivery again = deliveries->at(0);
        QVERIFY2(again.ok(), qPrintable(again.error));
        const int r2 = inspect(QStringLiteral("demo"), 4, again.offset);
        QVERIFY(r2 >= 0);
        QCOMPARE(stored(m->record(r2)), original);
    }
};

QTEST_MAIN(TestReplay)
#include "test_replay.moc"
