// The Topic inspector against the real embedded cluster: records sent through the controller
// are read back by the core consumer on the inspector's worker, with their batch header and the
// segment file + byte position that hold the batch; Follow appends new records; a delivery row
// jumps to its record; the deserializer choice changes what is shown; ranges and older pages.

#include <QComboBox>
#include <QDockWidget>
#include <QFile>
#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTest>
#include <QTextBrowser>
#include <QToolButton>

#include "models/deliveries_model.h"
#include "models/inspector_format.h"
#include "models/inspector_model.h"
#include "protocol/record/record_batch.h"
#include "ui_harness.h"
#include "widgets/deliveries_panel.h"
#include "widgets/topic_inspector.h"

using namespace bs::ui;

namespace {

constexpr int kWaitMs = 30000;

RecordDraft draft(int partition, const QString& key, const QString& value,
                  const QString& valueSerializer = QStringLiteral("string")) {
    RecordDraft d;
    d.topic = QStringLiteral("demo");
    d.partition = partition;
    d.keyText = key;
    d.valueText = value;
    d.valueSerializer = valueSerializer;
    return d;
}

QString cell(InspectorModel* m, int row, int column) {
    return m->data(m->index(row, column), Qt::DisplayRole).toString();
}

}  // namespace

class TestTopicInspector : public QObject {
    Q_OBJECT
  private:
    std::unique_ptr<test::Harness> h;
    TopicInspector* ti = nullptr;
    qint64 delivered = 0;

    // Sends and waits until the deliveries table has the record; returns its delivery.
    Delivery sendOne(const RecordDraft& d) {
        DeliveriesModel* m = h->window->findChild<DeliveriesModel*>();
        h->controller->sends().send(d);
        ++delivered;
        const bool ok = QTest::qWaitFor([&] { return m->totalAdded() >= delivered; }, kWaitMs);
        if (!ok) return Delivery{};
        return m->at(0);
    }

    // Opens the inspector on demo-<partition> from `start`.
    void open(int partition, InspectorStart start, const QString& value = {},
              const QString& until = {}) {
        child<QComboBox>(ti, "topic")->setCurrentText(QStringLiteral("demo"));
        child<QComboBox>(ti, "partition")
            ->setCurrentIndex(child<QComboBox>(ti, "partition")->findData(partition));
        child<QComboBox>(ti, "start")
            ->setCurrentIndex(child<QComboBox>(ti, "start")->findData(static_cast<int>(start)));
        child<QLineEdit>(ti, "startValue")->setText(value);
        child<QLineEdit>(ti, "until")->setText(until);
        ti->read();
    }

  private Q_SLOTS:
    void initTestCase() {
        h = std::make_unique<test::Harness>();
        QVERIFY(h->waitConnected());
        ti = h->window->findChild<TopicInspector*>();
        QVERIFY(ti);
        QVERIFY(child<QDockWidget>(h->window.get(), "inspector"));
        // A View menu toggle, like every dock.
        QAction* toggle = child<QDockWidget>(h->window.get(), "inspector")->toggleViewAction();
        bool inViewMenu = false;
        for (QAction* menu : h->window->menuBar()->actions())
            if (menu->menu() && menu->menu()->actions().contains(toggle)) inViewMenu = true;
        QVERIFY(inViewMenu);
        QTRY_VERIFY_WITH_TIMEOUT(child<QComboBox>(ti, "partition")->findData(5) >= 0, kWaitMs);
    }

    void cleanupTestCase() { h.reset(); }

    void sentRecordIsFoundWithItsBatchAndSegment() {
        RecordDraft d = draft(2, QStringLiteral("order-7"), QStringLiteral("hello inspector"));
        d.headers = {{QStringLiteral("trace"), QStringLiteral("abc-1")},
                     {QStringLiteral("src"), QStringLiteral("test")}};
        const Delivery sent = sendOne(d);
        QVERIFY2(sent.ok() && sent.offset >= 0, qPrintable(sent.error));
        QCOMPARE(sent.partition, 2);

        // All partitions from the earliest offset: the record is among them.
        open(-1, InspectorStart::Earliest);
        InspectorModel* m = ti->findChild<InspectorModel*>();
        QTRY_VERIFY_WITH_TIMEOUT(m->rowOf(2, sent.offset) >= 0, kWaitMs);
        const int row = m->rowOf(2, sent.offset);
        QCOMPARE(cell(m, row, InspectorModel::Key), QStringLiteral("order-7"));
        QCOMPARE(cell(m, row, InspectorModel::Value), QStringLiteral("hello inspector"));
        QCOMPARE(cell(m, row, InspectorModel::Partition), QStringLiteral("2"));
        QCOMPARE(cell(m, row, InspectorModel::Offset), QString::number(sent.offset));
        QCOMPARE(cell(m, row, InspectorModel::Headers), QStringLiteral("trace=abc-1, src=test"));
        QCOMPARE(cell(m, row, InspectorModel::Size).toInt(),
                 7 + 15 + 5 + 5 + 3 + 4);  // key, value, header keys and values

        const auto rec = m->record(row);
        QCOMPARE(rec.timestamp, sent.timestampMs);
        const bs::consumer::BatchInfo& b = *rec.batch;
        QVERIFY(b.baseOffset <= sent.offset && sent.offset <= b.lastOffset());
        QCOMPARE(b.recordCount, b.lastOffsetDelta + 1);
        QCOMPARE(b.compression, bs::protocol::CompressionType::None);  // compression.type=none
        QCOMPARE(b.timestampType, bs::protocol::TimestampType::CreateTime);
        QVERIFY(b.producerId >= 0);  // enable.idempotence defaults to true
        QVERIFY(b.producerEpoch >= 0);
        QVERIFY(b.baseSequence >= 0);
        QVERIFY(b.maxTimestamp >= rec.timestamp);
        QVERIFY(cell(m, row, InspectorModel::Batch)
                    .startsWith(QStringLiteral("base %1 · ").arg(b.baseOffset)));

        // The detail pane: batch header fields and where the embedded broker stored the batch.
        child<QTableView>(ti, "records")->selectRow(row);
        // The session locates it as the inspector asked it to; the detail pane shows that.
        const RecordLocation loc =
            h->controller->session().locateRecord(QStringLiteral("demo"), 2, sent.offset);
        QVERIFY2(loc.ok(), qPrintable(loc.error));
        QTRY_VERIFY_WITH_TIMEOUT(
            child<QTextBrowser>(ti, "detail")->toPlainText().contains(loc.segmentPath), kWaitMs);
        QVERIFY(loc.segmentPath.endsWith(QStringLiteral(".log")));
        QVERIFY(QFileInfo::exists(loc.segmentPath));
        QVERIFY(loc.segmentPath.contains(QStringLiteral("demo-2")));
        QCOMPARE(loc.batchBaseOffset, b.baseOffset);
        QCOMPARE(loc.sizeInBytes, b.sizeInBytes);
        const QString detail = child<QTextBrowser>(ti, "detail")->toPlainText();
        QVERIFY2(detail.contains(loc.segmentPath), qPrintable(detail));
        QVERIFY(detail.contains(QStringLiteral("byte %1").arg(loc.position)));
        QVERIFY(detail.contains(QStringLiteral("producer id")));
        QVERIFY(detail.contains(QStringLiteral("abc-1")));

        // The file really holds that batch at that position (read with core's batch parser).
        QFile f(loc.segmentPath);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QVERIFY(f.seek(loc.position));
        const QByteArray bytes = f.read(loc.sizeInBytes);
        QCOMPARE(bytes.size(), loc.sizeInBytes);
        const bs::protocol::Bytes span(reinterpret_cast<const uint8_t*>(bytes.data()),
                                       static_cast<size_t>(bytes.size()));
        auto header = bs::protocol::parseBatchHeader(span);
        QVERIFY2(header.ok(), header ? "" : header.error().message.c_str());
        QCOMPARE(header->baseOffset, b.baseOffset);
        QCOMPARE(header->recordCount, b.recordCount);
        QCOMPARE(header->producerId, b.producerId);
        QCOMPARE(header->crc, b.crc);
        QVERIFY(bs::protocol::validateBatch(span).ok());

        // Hex view of the value.
        child<QComboBox>(ti, "payloadField")->setCurrentIndex(0);
        child<QComboBox>(ti, "payloadMode")->setCurrentIndex(1);
        QVERIFY2(child<QPlainTextEdit>(ti, "payload")
                     ->toPlainText()
                     .contains(QStringLiteral("68 65 6c 6c 6f")),
                 qPrintable(child<QPlainTextEdit>(ti, "payload")->toPlainText()));
    }

    void deserializerSwitchChangesTheValue() {
        RecordDraft d =
            draft(1, QStringLiteral("k-int"), QStringLiteral("123456"), QStringLiteral("int"));
        const Delivery sent = sendOne(d);
        QVERIFY2(sent.ok(), qPrintable(sent.error));
        open(1, InspectorStart::Offset, QString::number(sent.offset));
        InspectorModel* m = ti->findChild<InspectorModel*>();
        QTRY_VERIFY_WITH_TIMEOUT(m->rowOf(1, sent.offset) >= 0, kWaitMs);
        const int row = m->rowOf(1, sent.offset);
        QCOMPARE(row, 0);  // the read started at that offset

        child<QComboBox>(ti, "valueDeserializer")->setCurrentText(QStringLiteral("int"));
        QCOMPARE(cell(m, row, InspectorModel::Value), QStringLiteral("123456"));
        child<QComboBox>(ti, "valueDeserializer")->setCurrentText(QStringLiteral("bytes"));
        QCOMPARE(cell(m, row, InspectorModel::Value), QStringLiteral("0001e240"));
        // Four bytes are not a long: shown as an error, not a crash or garbage.
        child<QComboBox>(ti, "valueDeserializer")->setCurrentText(QStringLiteral("long"));
        QVERIFY(cell(m, row, InspectorModel::Value).startsWith(QStringLiteral("⚠")));
        child<QComboBox>(ti, "valueDeserializer")->setCurrentText(QStringLiteral("string"));

        // Pretty JSON in the detail pane.
        const Delivery json =
            sendOne(draft(1, QStringLiteral("k-json"),
                          QStringLiteral("{\"a\":1,\"b\":[true,null]}"), QStringLiteral("json")));
        QVERIFY2(json.ok(), qPrintable(json.error));
        open(1, InspectorStart::Offset, QString::number(json.offset));
        QTRY_VERIFY_WITH_TIMEOUT(m->rowOf(1, json.offset) >= 0, kWaitMs);
        child<QTableView>(ti, "records")->selectRow(m->rowOf(1, json.offset));
        child<QComboBox>(ti, "payloadField")->setCurrentIndex(0);
        child<QComboBox>(ti, "payloadMode")->setCurrentIndex(2);
        const QString pretty = child<QPlainTextEdit>(ti, "payload")->toPlainText();
        QVERIFY2(pretty.contains(QStringLiteral("\n    \"a\": 1,\n")), qPrintable(pretty));
        child<QComboBox>(ti, "payloadMode")->setCurrentIndex(0);
    }

    void followAppendsNewRecords() {
        open(3, InspectorStart::Latest);
        InspectorModel* m = ti->findChild<InspectorModel*>();
        QTRY_VERIFY_WITH_TIMEOUT(!m->loaded().empty() && !m->loading(), kWaitMs);
        const int before = m->rowCount();
        QCOMPARE(before, 0);  // from the end: nothing yet
        child<QToolButton>(ti, "follow")->click();
        QVERIFY(ti->following());
        QVector<Delivery> sent;
        for (int i = 1; i <= 3; ++i) {
            sent << sendOne(draft(3, QStringLiteral("f"), QStringLiteral("follow-%1").arg(i)));
            QVERIFY2(sent.back().ok(), qPrintable(sent.back().error));
        }
        QTRY_COMPARE_WITH_TIMEOUT(m->rowCount(), 3, kWaitMs);
        for (int i = 0; i < 3; ++i) {
            QCOMPARE(cell(m, i, InspectorModel::Value), QStringLiteral("follow-%1").arg(i + 1));
            QCOMPARE(m->record(i).offset, sent[i].offset);
        }
        // Still following: one more arrives.
        const Delivery more = sendOne(draft(3, QStringLiteral("f"), QStringLiteral("follow-4")));
        QTRY_COMPARE_WITH_TIMEOUT(m->rowCount(), 4, kWaitMs);
        QCOMPARE(m->record(3).offset, more.offset);
        child<QToolButton>(ti, "follow")->click();
        QVERIFY(!ti->following());
    }

    void deliveryRowJumpsToItsRecord() {
        QVector<Delivery> sent;
        for (int i = 0; i < 12; ++i)
            sent << sendOne(draft(4, QStringLiteral("j"), QStringLiteral("jump-%1").arg(i)));
        const Delivery& target = sent[8];
        QVERIFY2(target.ok(), qPrintable(target.error));

        DeliveriesPanel* panel = h->window->findChild<DeliveriesPanel*>();
        QTableView* table = panel->findChild<QTableView*>();
        QModelIndex idx;
        for (int r = 0; r < panel->proxy()->rowCount() && !idx.isValid(); ++r) {
            const QModelIndex src = panel->proxy()->mapToSource(panel->proxy()->index(r, 0));
            const Delivery& d = h->window->findChild<DeliveriesModel*>()->at(src.row());
            if (d.partition == target.partition && d.offset == target.offset)
                idx = panel->proxy()->index(r, DeliveriesModel::Value);
        }
        QVERIFY(idx.isValid());
        table->scrollTo(idx);
        const QPoint at = table->visualRect(idx).center();
        QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, at);
        QTest::mouseDClick(table->viewport(), Qt::LeftButton, {}, at);

        QVERIFY(child<QDockWidget>(h->window.get(), "inspector")->isVisible());
        QCOMPARE(child<QComboBox>(ti, "topic")->currentText(), QStringLiteral("demo"));
        QCOMPARE(child<QComboBox>(ti, "partition")->currentData().toInt(), 4);
        QTRY_VERIFY_WITH_TIMEOUT(
            child<QTableView>(ti, "records")->selectionModel()->currentIndex().isValid(), kWaitMs);
        const int row = child<QTableView>(ti, "records")->selectionModel()->currentIndex().row();
        QCOMPARE(ti->findChild<InspectorModel*>()->record(row).partition(), 4);
        QCOMPARE(ti->findChild<InspectorModel*>()->record(row).offset, target.offset);
        QCOMPARE(cell(ti->findChild<InspectorModel*>(), row, InspectorModel::Value),
                 QStringLiteral("jump-8"));
        QCOMPARE(row, TopicInspector::kJumpContext);  // a few records of context above it
    }

    void rangeNewestAndOlderPages() {
        // Partition 4 holds jump-0..jump-11 (the previous test), nothing else.
        InspectorModel* m = ti->findChild<InspectorModel*>();
        open(4, InspectorStart::NewestN, QStringLiteral("3"));
        QTRY_VERIFY_WITH_TIMEOUT(!m->loaded().empty() && !m->loading(), kWaitMs);
        QCOMPARE(m->rowCount(), 3);
        QCOMPARE(cell(m, 2, InspectorModel::Value), QStringLiteral("jump-11"));
        QVERIFY(!m->canFetchMore({}));
        QVERIFY(m->canFetchOlder());
        QVERIFY(child<QPushButton>(ti, "older")->isEnabled());
        // Scrolling to the top loads the page before.
        child<QTableView>(ti, "records")
            ->verticalScrollBar()
            ->triggerAction(QAbstractSlider::SliderToMinimum);
        QTRY_VERIFY_WITH_TIMEOUT(m->rowCount() == 12 && !m->loading(), kWaitMs);
        QVERIFY(!child<QPushButton>(ti, "older")->isEnabled());
        QVERIFY(!m->canFetchOlder());
        for (int r = 0; r < 12; ++r)
            QCOMPARE(cell(m, r, InspectorModel::Value), QStringLiteral("jump-%1").arg(r));

        // A range: the 3rd to 5th record.
        const qint64 o = m->record(0).offset;
        open(4, InspectorStart::Offset, QString::number(o + 2), QString::number(o + 4));
        QTRY_VERIFY_WITH_TIMEOUT(!m->loaded().empty() && !m->loading(), kWaitMs);
        QCOMPARE(m->rowCount(), 3);
        QCOMPARE(m->record(0).offset, o + 2);
        QCOMPARE(m->record(2).offset, o + 4);
        QVERIFY(!m->canFetchMore({}));
    }

    void rowsOfOneBatchShareABand() {
        // With the sender paused, three records wait in one batch; two more go one by one.
        DeliveriesModel* dm = h->window->findChild<DeliveriesModel*>();
        h->controller->session().setSenderPaused(true);
        for (int i = 0; i < 3; ++i)
            h->controller->sends().send(
                draft(0, QStringLiteral("b"), QStringLiteral("batched-%1").arg(i)));
        QTRY_VERIFY_WITH_TIMEOUT(h->controller->sends().sentCount() >= delivered + 3, kWaitMs);
        h->controller->session().setSenderPaused(false);
        delivered += 3;
        QTRY_VERIFY_WITH_TIMEOUT(dm->totalAdded() >= delivered, kWaitMs);
        for (int i = 0; i < 2; ++i)
            QVERIFY(
                sendOne(draft(0, QStringLiteral("b"), QStringLiteral("single-%1").arg(i))).ok());

        InspectorModel* m = ti->findChild<InspectorModel*>();
        open(0, InspectorStart::Earliest);
        QTRY_VERIFY_WITH_TIMEOUT(m->rowCount() == 5 && !m->loading(), kWaitMs);
        QCOMPARE(m->record(0).batch->recordCount, 3);
        QCOMPARE(m->record(2).batch->baseOffset, m->record(0).batch->baseOffset);
        QCOMPARE(m->record(3).batch->recordCount, 1);
        QCOMPARE(m->band(0), m->band(1));
        QCOMPARE(m->band(1), m->band(2));
        QVERIFY(m->band(3) != m->band(2));
        QVERIFY(m->band(4) != m->band(3));
        // Bands are backgrounds: the two differ.
        QVERIFY(m->data(m->index(0, 0), Qt::BackgroundRole) !=
                m->data(m->index(3, 0), Qt::BackgroundRole));

        // From a timestamp: the first record at or after it (ListOffsets by time).
        const qint64 t = m->record(3).timestamp;
        const qint64 single0 = m->record(3).offset;
        open(0, InspectorStart::Timestamp, QString::number(t));
        QTRY_VERIFY_WITH_TIMEOUT(!m->loaded().empty() && !m->loading(), kWaitMs);
        QVERIFY(m->rowCount() >= 2);
        QVERIFY(m->record(0).offset <= single0);
        for (int r = 0; r < m->rowCount(); ++r)
            QVERIFY(m->record(r).timestamp >= t);
    }

    void lazyPagesAndTheRowCap() {
        constexpr int kCount = 700;
        const RecordDraft d = draft(5, QStringLiteral("lazy"), QStringLiteral("lazy-${n}"));
        h->controller->sends().sendRepeated(d, kCount, 0);
        delivered += kCount;
        QTRY_VERIFY_WITH_TIMEOUT(
            h->window->findChild<DeliveriesModel*>()->totalAdded() >= delivered, 60000);

        // The view asks for the next page when scrolled to the bottom (canFetchMore/fetchMore).
        child<QDockWidget>(h->window.get(), "inspector")->show();
        child<QDockWidget>(h->window.get(), "inspector")->raise();
        InspectorModel* m = ti->findChild<InspectorModel*>();
        open(5, InspectorStart::Earliest);
        QTRY_VERIFY_WITH_TIMEOUT(m->rowCount() == InspectorModel::kPageSize && !m->loading(),
                                 kWaitMs);
        QVERIFY(m->canFetchMore({}));
        child<QTableView>(ti, "records")->scrollToBottom();
        QTRY_COMPARE_WITH_TIMEOUT(m->rowCount(), kCount, kWaitMs);
        QVERIFY(!m->canFetchMore({}));
        QCOMPARE(cell(m, kCount - 1, InspectorModel::Value), QStringLiteral("lazy-%1").arg(kCount));

        // A model capped at one page drops the far end and can load it again.
        InspectorReader reader;
        reader.setConnection(h->controller->session().clientProperties());
        InspectorModel capped(nullptr, InspectorModel::kPageSize);
        connect(&reader, &InspectorReader::pageReady, &capped,
                [&](const std::shared_ptr<const InspectorPage>& p) { capped.applyPage(*p); });
        InspectorQuery q{QStringLiteral("demo"), 5, InspectorStart::Earliest, 0, -1};
        capped.start(q);
        reader.open(q, InspectorModel::kPageSize);
        QTRY_COMPARE_WITH_TIMEOUT(capped.rowCount(), InspectorModel::kPageSize, kWaitMs);
        const qint64 first = capped.record(0).offset;
        QVERIFY(!capped.canFetchOlder());
        reader.read(PageKind::Newer, capped.newerSpans(), InspectorModel::kPageSize);
        QTRY_VERIFY_WITH_TIMEOUT(capped.newerSpans().empty(), kWaitMs);
        QCOMPARE(capped.rowCount(), InspectorModel::kPageSize);
        QCOMPARE(capped.record(0).offset, first + kCount - InspectorModel::kPageSize);
        QVERIFY(capped.canFetchOlder());
        reader.read(PageKind::Older, capped.olderSpans(), InspectorModel::kPageSize);
        QTRY_COMPARE_WITH_TIMEOUT(capped.record(0).offset, first, kWaitMs);
        QCOMPARE(capped.rowCount(), InspectorModel::kPageSize);
        QCOMPARE(capped.record(InspectorModel::kPageSize - 1).offset,
                 first + InspectorModel::kPageSize - 1);
        QVERIFY(!capped.newerSpans().empty());  // the dropped tail can be read again
    }

    void nullKeyAndFormatting() {
        RecordDraft d = draft(1, QString(), QStringLiteral("no key"));
        d.keySerializer = QStringLiteral("null");
        const Delivery sent = sendOne(d);
        QVERIFY2(sent.ok(), qPrintable(sent.error));
        open(1, InspectorStart::Offset, QString::number(sent.offset));
        InspectorModel* m = ti->findChild<InspectorModel*>();
        QTRY_VERIFY_WITH_TIMEOUT(m->rowOf(1, sent.offset) == 0, kWaitMs);
        QVERIFY(!m->record(0).key.has_value());
        QCOMPARE(cell(m, 0, InspectorModel::Key), QStringLiteral("null"));
        QVERIFY(m->data(m->index(0, InspectorModel::Key), Qt::FontRole).value<QFont>().italic());
        QCOMPARE(cell(m, 0, InspectorModel::Headers), QString());

        const std::string raw("hello\0\x01", 7);
        const bs::consumer::Bytes bytes(reinterpret_cast<const uint8_t*>(raw.data()), raw.size());
        QCOMPARE(hexDump(bytes),
                 QStringLiteral("00000000  68 65 6c 6c 6f 00 01                              "
                                "|hello..|\n"));
        QCOMPARE(headerValueText(bytes.subspan(0, 5)), QStringLiteral("hello"));
        const uint8_t bad[] = {0xff, 0xfe};
        QCOMPARE(headerValueText(bs::consumer::Bytes(bad, 2)), QStringLiteral("0xfffe"));
        const std::string scalar = "42";
        QCOMPARE(prettyJson({reinterpret_cast<const uint8_t*>(scalar.data()), scalar.size()}),
                 std::optional<QString>(QStringLiteral("42")));
        QString error;
        QVERIFY(!prettyJson(bytes, &error));
        QVERIFY(error.startsWith(QStringLiteral("not JSON")));
    }

    void aNewBrowseCancelsABlockedRead() {
        // Metadata for a topic that does not exist is retried until default.api.timeout.ms; a
        // new browse wakes that read up, and the wakeup does not leak into the new one.
        InspectorReader reader;
        reader.setConnection(h->controller->session().clientProperties());
        std::vector<std::shared_ptr<const InspectorPage>> pages;
        connect(&reader, &InspectorReader::pageReady, &reader,
                [&](const std::shared_ptr<const InspectorPage>& p) { pages.push_back(p); });
        reader.open(
            InspectorQuery{QStringLiteral("no-such-topic-y"), -1, InspectorStart::Earliest, 0, -1},
            InspectorModel::kPageSize);
        QTRY_VERIFY_WITH_TIMEOUT(reader.readInProgress(), kWaitMs);  // blocked in partitionsFor
        QVERIFY(reader.busy());
        reader.open(InspectorQuery{QStringLiteral("demo"), 4, InspectorStart::Earliest, 0, -1},
                    InspectorModel::kPageSize);
        QTRY_VERIFY_WITH_TIMEOUT(!reader.busy(), kWaitMs);
        QCOMPARE(pages.size(), size_t{1});  // the cancelled read delivered nothing
        QVERIFY2(pages[0]->error.isEmpty(), qPrintable(pages[0]->error));
        QCOMPARE(pages[0]->topic, QStringLiteral("demo"));
        QCOMPARE(pages[0]->records.size(), size_t{12});  // jump-0..jump-11
    }

    void badInputIsReported() {
        open(4, InspectorStart::Offset, QStringLiteral("not-a-number"));
        QVERIFY(child<QLabel>(ti, "status")->text().contains(QStringLiteral("not-a-number")));
        child<QComboBox>(ti, "topic")->setCurrentText(QStringLiteral("no-such-topic-x"));
        child<QComboBox>(ti, "partition")->setCurrentIndex(0);
        child<QComboBox>(ti, "start")->setCurrentIndex(0);
        ti->read();
        QTRY_VERIFY_WITH_TIMEOUT(!ti->findChild<InspectorModel*>()->loading(), kWaitMs);
        QCOMPARE(ti->findChild<InspectorModel*>()->rowCount(), 0);
        QVERIFY2(!child<QLabel>(ti, "status")->text().contains(QStringLiteral("records of")),
                 qPrintable(child<QLabel>(ti, "status")->text()));
    }
};

QTEST_MAIN(TestTopicInspector)
#include "test_topic_inspector.moc"
