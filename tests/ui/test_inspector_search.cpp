// Search in the topic inspector: among 100 000 records written by the core producer, a search by
// key (exact and substring), value regular expression, header and JSON path each finds exactly
// the planted records, scanning every record and reporting its progress per partition; a scan
// limit is reported with where each partition was left; Stop ends a scan with what it has;
// an invalid regular expression or JSON path is an error naming it.

#include <QComboBox>
#include <QDateTime>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTest>
#include <QToolButton>
#include <set>

#include "models/inspector_model.h"
#include "producer/kafka_producer.h"
#include "session/inspector_reader.h"
#include "support/mock_clock.h"
#include "ui_harness.h"
#include "widgets/inspector_search_bar.h"
#include "widgets/topic_inspector.h"

using namespace bs::ui;
namespace producer = bs::producer;

namespace {

constexpr int kWaitMs = 30000;
constexpr int kRecords = 100000;
const QString kTopic = QStringLiteral("haystack");

struct Plant {
    int index;  // replaces record `index` of the 100 000
    std::string key, value;
    std::vector<producer::Header> headers;
};

std::vector<uint8_t> bytes(const std::string& s) {
    return {s.begin(), s.end()};
}

// Planted at the start, the middle and the end, on several partitions; the decoys are near
// misses each search must not return.
std::vector<Plant> plants() {
    std::vector<Plant> p;
    for (int i : {7, 50001, 99998})
        p.push_back({i, "order-needle", "v", {}});
    p.push_back({123, "order-needle-2", "v", {}});  // decoy: substring, not exact
    for (int i : {11, 60000, 99990})
        p.push_back({i, "k", "txn=AB12-ok", {}});
    p.push_back({124, "k", "txn=AB1-ok", {}});  // decoy
    for (int i : {13, 70000, 99991})
        p.push_back({i, "k", "v", {{"tenant", bytes("blue-7")}, {"x", std::nullopt}}});
    p.push_back({125, "k", "v", {{"tenant", bytes("green")}}});  // decoy
    for (int i : {17, 80000, 99992})
        p.push_back({i, "k", R"({"order": {"id": 42}})", {}});
    p.push_back({126, "k", R"({"order": {"id": 41}})", {}});    // decoy
    p.push_back({127, "k", R"({"order": {"id": "42"}})", {}});  // decoy: a string
    return p;
}

}  // namespace

class TestInspectorSearch : public QObject {
    Q_OBJECT
  private:
    std::unique_ptr<test::Harness> h;
    TopicInspector* ti = nullptr;
    InspectorSearchBar* bar = nullptr;
    InspectorModel* model = nullptr;
    InspectorReader* reader = nullptr;
    std::map<int, std::pair<int, int64_t>> where;  // plant index -> partition, offset

    void clearConditions() {
        for (const char* name : {"searchKey", "searchValue", "searchHeaderName",
                                 "searchHeaderValue", "searchJsonPath", "searchFrom", "searchTo"})
            child<QLineEdit>(bar, name)->clear();
        child<QComboBox>(bar, "searchKeyMode")->setCurrentIndex(0);
        child<QComboBox>(bar, "searchValueMode")->setCurrentIndex(0);
        child<QSpinBox>(bar, "searchLimit")->setValue(InspectorSearchBar::kDefaultScanLimit);
    }

    // Runs the search; the last progress report, checking that reports only move forward.
    SearchProgress run() {
        QSignalSpy spy(reader, &InspectorReader::searchProgress);
        child<QPushButton>(bar, "search")->click();
        const bool done = QTest::qWaitFor(
            [&] { return !spy.isEmpty() && spy.last().at(0).value<SearchProgress>().done; },
            kWaitMs);
        if (!done) return {};
        qint64 scanned = 0;
        for (const auto& args : spy) {
            const auto p = args.at(0).value<SearchProgress>();
            if (p.scanned < scanned) return {};
            scanned = p.scanned;
        }
        return spy.last().at(0).value<SearchProgress>();
    }

    // The (partition, offset) of every row shown.
    std::set<std::pair<int, int64_t>> rows() const {
        std::set<std::pair<int, int64_t>> out;
        for (int r = 0; r < model->rowCount(); ++r)
            out.insert({model->record(r).partition(), model->record(r).offset});
        return out;
    }

    std::set<std::pair<int, int64_t>> planted(std::initializer_list<int> indexes) const {
        std::set<std::pair<int, int64_t>> out;
        for (int i : indexes)
            out.insert(where.at(i));
        return out;
    }

    void checkComplete(const SearchProgress& p, qint64 matched) {
        QVERIFY(p.done);
        QVERIFY2(p.error.isEmpty(), qPrintable(p.error));
        QCOMPARE(p.scanned, qint64(kRecords));
        QCOMPARE(p.matched, matched);
        QVERIFY(!p.hitScanLimit && !p.hitMatchLimit && !p.stopped);
        QCOMPARE(p.partitions.size(), size_t(6));
        for (const auto& [partition, pos] : p.partitions)
            QCOMPARE(pos.next, pos.stop);
        QVERIFY2(bar->statusText().startsWith(QStringLiteral("done")),
                 qPrintable(bar->statusText()));
    }

  private Q_SLOTS:
    void initTestCase() {
        qRegisterMetaType<SearchProgress>();
        h = std::make_unique<test::Harness>();
        QVERIFY(h->waitConnected());
        ti = h->window->findChild<TopicInspector*>();
        bar = ti->findChild<InspectorSearchBar*>();
        model = ti->findChild<InspectorModel*>();
        reader = ti->findChild<InspectorReader*>();
        QVERIFY(bar && model && reader);
        QVERIFY(!bar->isVisibleTo(ti));  // on demand
        child<QToolButton>(ti, "showSearch")->click();
        QVERIFY(bar->isVisibleTo(ti));

        // 100 000 small records with the core producer, the planted ones among them.
        std::map<std::string, std::string> props;
        for (const auto& [k, v] : h->controller->session().clientProperties())
            props[k] = v;
        props.insert({{"linger.ms", "20"}, {"batch.size", "262144"}});
        auto cfg = producer::ProducerConfig::parse(props);
        QVERIFY2(cfg, cfg ? "" : cfg.error().message.c_str());
        auto prod = producer::KafkaProducer::create(*cfg);
        QVERIFY(prod);
        std::map<int, Plant> byIndex;
        for (auto& p : plants())
            byIndex[p.index] = p;
        std::map<int, producer::FutureRecordMetadata> futures;
        for (int i = 0; i < kRecords; ++i) {
            producer::ProducerRecord r;
            r.topic = kTopic.toStdString();
            r.partition = i % 6;
            const auto it = byIndex.find(i);
            if (it != byIndex.end()) {
                r.key = bytes(it->second.key);
                r.value = bytes(it->second.value);
                r.headers = it->second.headers;
                futures[i] = (*prod)->send(r);
            } else {
                r.key = bytes("k-" + std::to_string(i));
                r.value = bytes("v-" + std::to_string(i));
                (*prod)->send(r);
            }
        }
        (*prod)->flush();
        for (auto& [i, f] : futures) {
            auto md = f.get();
            QVERIFY2(md, md ? "" : md.error().message.c_str());
            where[i] = {md->partition, md->offset};
        }
        (*prod)->close();

        QTRY_VERIFY_WITH_TIMEOUT(h->controller->session().partitionCount(kTopic) == 6, kWaitMs);
        child<QComboBox>(ti, "topic")->setCurrentText(kTopic);
        child<QComboBox>(ti, "start")
            ->setCurrentIndex(child<QComboBox>(ti, "start")
                                  ->findData(static_cast<int>(InspectorStart::Earliest)));
    }
    void cleanupTestCase() { h.reset(); }

    void byKeyExactAndSubstring() {
        clearConditions();
        child<QComboBox>(bar, "searchKeyMode")->setCurrentIndex(1);  // key =
        child<QLineEdit>(bar, "searchKey")->setText(QStringLiteral("order-needle"));
        checkComplete(run(), 3);
        QCOMPARE(rows(), planted({7, 50001, 99998}));

        child<QComboBox>(bar, "searchKeyMode")->setCurrentIndex(0);  // contains
        child<QLineEdit>(bar, "searchKey")->setText(QStringLiteral("der-need"));
        checkComplete(run(), 4);
        QCOMPARE(rows(), planted({7, 50001, 99998, 123}));
        QVERIFY(!model->canFetchMore({}));  // matches only: nothing paged in around them
    }

    void byValueRegex() {
        clearConditions();
        child<QComboBox>(bar, "searchValueMode")->setCurrentIndex(1);
        child<QLineEdit>(bar, "searchValue")->setText(QStringLiteral(R"(^txn=[A-Z]{2}\d{2}-ok$)"));
        checkComplete(run(), 3);
        QCOMPARE(rows(), planted({11, 60000, 99990}));
    }

    void byHeader() {
        clearConditions();
        child<QLineEdit>(bar, "searchHeaderName")->setText(QStringLiteral("tenant"));
        child<QLineEdit>(bar, "searchHeaderValue")->setText(QStringLiteral("blue"));
        checkComplete(run(), 3);
        QCOMPARE(rows(), planted({13, 70000, 99991}));
    }

    void byJsonPath() {
        clearConditions();
        child<QLineEdit>(bar, "searchJsonPath")->setText(QStringLiteral("$.order.id == 42"));
        checkComplete(run(), 3);
        QCOMPARE(rows(), planted({17, 80000, 99992}));
    }

    void scanLimitIsReportedNotSilent() {
        clearConditions();
        child<QLineEdit>(bar, "searchKey")->setText(QStringLiteral("order-needle"));
        child<QSpinBox>(bar, "searchLimit")->setValue(1200);
        const SearchProgress p = run();
        QVERIFY(p.done);
        QVERIFY(p.hitScanLimit);
        QCOMPARE(p.scanned, qint64(1200));
        qint64 left = 0;
        for (const auto& [partition, pos] : p.partitions)
            left += pos.stop - pos.next;
        QCOMPARE(left, qint64(kRecords - 1200));
        QVERIFY2(bar->statusText().startsWith(QStringLiteral("scan limit reached")),
                 qPrintable(bar->statusText()));
        QVERIFY(bar->statusText().contains(QStringLiteral("not scanned to the end")));
    }

    void stopEndsTheScan() {
        clearConditions();
        child<QLineEdit>(bar, "searchKey")->setText(QStringLiteral("order-needle"));
        QSignalSpy spy(reader, &InspectorReader::searchProgress);
        ti->search();
        child<QPushButton>(bar, "stopSearch")->click();  // before the worker's first poll
        QTRY_VERIFY_WITH_TIMEOUT(!spy.isEmpty() && spy.last().at(0).value<SearchProgress>().done,
                                 kWaitMs);
        const auto p = spy.last().at(0).value<SearchProgress>();
        QVERIFY(p.stopped);
        QVERIFY(p.scanned < kRecords);
        QVERIFY2(bar->statusText().startsWith(QStringLiteral("stopped")),
                 qPrintable(bar->statusText()));
    }

    void timeShownAsUtcLocalOrRelative() {
        clearConditions();
        child<QComboBox>(bar, "searchKeyMode")->setCurrentIndex(1);
        child<QLineEdit>(bar, "searchKey")->setText(QStringLiteral("order-needle"));
        checkComplete(run(), 3);
        const qint64 ts = model->record(0).timestamp;
        const auto cell = [&] {
            return model->data(model->index(0, InspectorModel::Timestamp), Qt::DisplayRole)
                .toString();
        };
        const auto title = [&] {
            return model->headerData(InspectorModel::Timestamp, Qt::Horizontal, Qt::DisplayRole)
                .toString();
        };
        const QString format = QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz");
        QCOMPARE(title(), QStringLiteral("Timestamp (UTC)"));
        QCOMPARE(cell(), QDateTime::fromMSecsSinceEpoch(ts, Qt::UTC).toString(format));
        ti->setTimeDisplay(TimeDisplay::Local);
        QCOMPARE(title(), QStringLiteral("Timestamp (local)"));
        QCOMPARE(cell(), QDateTime::fromMSecsSinceEpoch(ts, Qt::LocalTime).toString(format));
        bs::MockClock clock(ts + 3 * 60 * 1000 + 500);  // 3.5 minutes later
        model->setTimeDisplay(TimeDisplay::Relative, clock);
        QCOMPARE(title(), QStringLiteral("Timestamp (age)"));
        QCOMPARE(cell(), QStringLiteral("3 min ago"));
        ti->setTimeDisplay(TimeDisplay::Utc);
        QCOMPARE(formatTime(ts, TimeDisplay::Relative, ts + 42'999), QStringLiteral("42 s ago"));
        QCOMPARE(formatTime(ts, TimeDisplay::Relative, ts + 2 * 86'400'000),
                 QStringLiteral("2 d ago"));
        QCOMPARE(formatTime(ts, TimeDisplay::Relative, ts - 7'000), QStringLiteral("in 7 s"));
        QCOMPARE(formatTime(ts, TimeDisplay::Relative, ts + 999), QStringLiteral("now"));
        QCOMPARE(formatTime(-1, TimeDisplay::Local, ts), QStringLiteral("-"));
    }

    void invalidExpressionsNameThemselves() {
        clearConditions();
        child<QComboBox>(bar, "searchValueMode")->setCurrentIndex(1);
        child<QLineEdit>(bar, "searchValue")->setText(QStringLiteral("(unclosed"));
        child<QPushButton>(bar, "search")->click();
        QVERIFY2(bar->statusText().startsWith(QStringLiteral("regular expression '(unclosed'")),
                 qPrintable(bar->statusText()));
        clearConditions();
        child<QLineEdit>(bar, "searchJsonPath")->setText(QStringLiteral("$.order.id = 42"));
        child<QPushButton>(bar, "search")->click();
        QVERIFY2(bar->statusText().startsWith(QStringLiteral("JSON path '$.order.id = 42'")),
                 qPrintable(bar->statusText()));
        clearConditions();
        child<QLineEdit>(bar, "searchFrom")->setText(QStringLiteral("yesterday"));
        child<QPushButton>(bar, "search")->click();
        QVERIFY2(bar->statusText().startsWith(QStringLiteral("time from: 'yesterday'")),
                 qPrintable(bar->statusText()));
    }
};

QTEST_MAIN(TestInspectorSearch)
#include "test_inspector_search.moc"
