// Import records… and the inspector's Export, with real widgets against the real embedded
// cluster: a 10 000-line JSON Lines file is published and read back (core consumer) in order per
// partition; a file with bad lines sends nothing until "Skip bad lines" is ticked; an export
// imported into another topic exports again identically (JSON Lines and CSV); Cancel stops a
// running import with a summary that matches what the topic holds.

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QTableWidget>
#include <QTest>
#include <map>
#include <sstream>

#include "consumer/kafka_consumer.h"
#include "dialogs/import_dialog.h"
#include "models/deliveries_model.h"
#include "models/inspector_model.h"
#include "record_file/reader.h"
#include "record_file/writer.h"
#include "ui_harness.h"
#include "widgets/topic_inspector.h"

using namespace bs;
using namespace bs::ui;
using recordfile::Bytes;
using recordfile::FileRecord;
using recordfile::Format;

namespace {

constexpr int kWaitMs = 60000;

Bytes b(std::string_view s) {
    return recordfile::bytesOf(s);
}

struct Read {
    int32_t partition;
    int64_t offset;
    FileRecord record;  // key, value, headers, timestamp
};

}  // namespace

class TestRecordImport : public QObject {
    Q_OBJECT
  private:
    std::unique_ptr<test::Harness> h;
    QTemporaryDir dir;

    QString write(const QString& name, const std::string& text) {
        const QString path = dir.filePath(name);
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly)) qFatal("cannot write %s", qPrintable(path));
        f.write(text.data(), static_cast<qint64>(text.size()));
        return path;
    }
    static std::string jsonl(const std::vector<FileRecord>& rs) {
        std::string s;
        for (const auto& r : rs)
            s += recordfile::encodeRecord(Format::JsonLines, r);
        return s;
    }

    ImportDialog* dialog() {
        child<QAction>(h->window.get(), "importRecords")->trigger();
        return h->window->findChild<ImportDialog*>();
    }
    // Chooses the file and waits for its check.
    bool choose(ImportDialog* d, const QString& path) {
        d->setFile(path);
        return QTest::qWaitFor([&] { return d->lastCheck() && d->lastCheck()->path == path; },
                               kWaitMs);
    }
    // Imports the chosen file to `topic` and waits for the summary.
    std::optional<ImportSummary> runImport(ImportDialog* d, const QString& topic) {
        child<QComboBox>(d, "topic")->setCurrentText(topic);
        auto* button = child<QPushButton>(d, "import");
        if (!button->isEnabled()) return std::nullopt;
        button->click();
        if (!QTest::qWaitFor([&] { return d->lastSummary().has_value(); }, kWaitMs)) {
            qWarning("no summary; progress: %s",
                     qPrintable(child<QProgressBar>(d, "progress")->text()));
            return std::nullopt;
        }
        return d->lastSummary();
    }

    // Every record of `topic`, per partition in offset order, with the core consumer: read up to
    // the end offsets, so the count is exactly what the topic holds.
    std::map<int32_t, std::vector<Read>> readBack(const QString& topic) {
        std::map<std::string, std::string> props{
            {"bootstrap.servers",
             h->controller->session().clientProperties().at("bootstrap.servers")}};
        auto cfg = consumer::ConsumerConfig::parse(props);
        if (!cfg) qFatal("%s", cfg.error().message.c_str());
        auto c = consumer::KafkaConsumer::create(*cfg);
        if (!c) qFatal("%s", c.error().message.c_str());
        auto parts = (*c)->partitionsFor(topic.toStdString(), 20000);
        if (!parts) qFatal("%s", parts.error().message.c_str());
        std::vector<consumer::TopicPartition> tps;
        for (int32_t p : *parts)
            tps.push_back({topic.toStdString(), p});
        auto ends = (*c)->endOffsets(tps, 20000);
        if (!ends) qFatal("%s", ends.error().message.c_str());
        int64_t total = 0;
        for (const auto& [tp, end] : *ends)
            total += end;
        (*c)->assign(tps);
        (*c)->seekToBeginning(tps);
        std::map<int32_t, std::vector<Read>> out;
        int64_t got = 0;
        QElapsedTimer t;
        t.start();
        while (got < total && t.elapsed() < kWaitMs) {
            auto rs = (*c)->poll(200);
            if (!rs) qFatal("poll: %s", rs.error().message.c_str());
            for (const auto& r : *rs) {
                auto bytes = [](const std::optional<consumer::Bytes>& x) {
                    return x ? std::optional<Bytes>(Bytes(x->begin(), x->end())) : std::nullopt;
                };
                FileRecord f;
                f.key = bytes(r.key);
                f.value = bytes(r.value);
                f.timestamp = r.timestamp;
                for (const auto& hd : r.headers)
                    f.headers.push_back({std::string(hd.key), bytes(hd.value)});
                out[r.partition()].push_back({r.partition(), r.offset, std::move(f)});
                ++got;
            }
        }
        (*c)->close();
        return out;
    }

    // The inspector on all partitions of `topic` from the earliest offset, until `n` rows.
    bool inspect(const QString& topic, int n) {
        auto* ti = h->window->findChild<TopicInspector*>();
        child<QComboBox>(ti, "topic")->setCurrentText(topic);
        child<QComboBox>(ti, "partition")
            ->setCurrentIndex(child<QComboBox>(ti, "partition")->findData(-1));
        child<QComboBox>(ti, "start")
            ->setCurrentIndex(child<QComboBox>(ti, "start")
                                  ->findData(static_cast<int>(InspectorStart::Earliest)));
        ti->read();
        auto* m = ti->findChild<InspectorModel*>();
        return QTest::qWaitFor([&] { return m->rowCount() == n && !m->loading(); }, kWaitMs);
    }
    QByteArray exported(const QString& name, Format f) {
        auto* ti = h->window->findChild<TopicInspector*>();
        const QString path = dir.filePath(name);
        const QString err = ti->exportLoaded(path, f);
        if (!err.isEmpty()) qFatal("export: %s", qPrintable(err));
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly)) qFatal("cannot read %s", qPrintable(path));
        return file.readAll();
    }

  private Q_SLOTS:
    void initTestCase() {
        QVERIFY(dir.isValid());
        h = std::make_unique<test::Harness>();
        QVERIFY(h->waitConnected());
    }
    void cleanupTestCase() { h.reset(); }

    void tenThousandLinesReadBackInOrderPerPartition() {
        std::vector<FileRecord> recs;
        for (int i = 0; i < 10000; ++i) {
            FileRecord r;
            r.value = b("value-" + std::to_string(i));
            if (i % 2 == 0)
                r.partition = i % 6;  // explicit
            else
                r.key = b("key-" + std::to_string(i % 97));  // the partitioner's choice
            if (i % 3 == 0) r.headers = {{"n", b(std::to_string(i))}, {"n", std::nullopt}};
            r.timestamp = 1700000000000 + i;
            recs.push_back(r);
        }
        ImportDialog* d = dialog();
        QVERIFY(d && d->isVisible());
        QVERIFY(choose(d, write("bulk.jsonl", jsonl(recs))));
        QCOMPARE(d->lastCheck()->records, qint64(10000));
        QCOMPARE(d->lastCheck()->bad, qint64(0));
        QCOMPARE(child<QTableWidget>(d, "preview")->rowCount(), RecordImporter::kPreviewRows);
        QCOMPARE(child<QTableWidget>(d, "preview")->item(0, 3)->text(), QStringLiteral("value-0"));
        QVERIFY(child<QLabel>(d, "count")->text().startsWith(QStringLiteral("10000 record")));

        auto* deliveries = h->window->findChild<DeliveriesModel*>();
        const qint64 shownBefore = deliveries->totalAdded();
        auto s = runImport(d, QStringLiteral("bulk"));
        QVERIFY(s);
        // Each record's delivery reaches the Deliveries, as the composer's do.
        QTRY_COMPARE_WITH_TIMEOUT(deliveries->totalAdded(), shownBefore + 10000, kWaitMs);
        QVERIFY2(s->refused.isEmpty(), qPrintable(s->refused));
        QCOMPARE(s->sent, qint64(10000));
        QCOMPARE(s->delivered, qint64(10000));
        QCOMPARE(s->failed, qint64(0));
        QVERIFY(!s->cancelled);
        QCOMPARE(child<QProgressBar>(d, "progress")->value(), 10000);
        QVERIFY(child<QPlainTextEdit>(d, "summary")
                    ->toPlainText()
                    .startsWith(QStringLiteral("Done: 10000 sent, 10000 delivered, 0 failed")));

        // Every record back, once, unchanged; in each partition in file order; explicit
        // partitions kept.
        const auto got = readBack(QStringLiteral("bulk"));
        std::vector<bool> seen(recs.size());
        size_t total = 0;
        for (const auto& [p, rs] : got) {
            long last = -1;
            for (const Read& r : rs) {
                const std::string v(recordfile::textOf(*r.record.value));
                const long i = std::stol(v.substr(6));
                QVERIFY2(i > last,
                         qPrintable(
                             QStringLiteral("partition %1: %2 after %3").arg(p).arg(i).arg(last)));
                last = i;
                QVERIFY(!seen[static_cast<size_t>(i)]);
                seen[static_cast<size_t>(i)] = true;
                const FileRecord& want = recs[static_cast<size_t>(i)];
                if (want.partition) QCOMPARE(p, *want.partition);
                QVERIFY(r.record.key == want.key);
                QVERIFY(r.record.headers == want.headers);
                QCOMPARE(*r.record.timestamp, *want.timestamp);
                ++total;
            }
        }
        QCOMPARE(total, recs.size());
        d->close();
    }

    void badLinesSendNothingUnlessSkipped() {
        ImportDialog* d = dialog();
        const QString path = write("bad.jsonl",
                                   "{\"value\":\"a\"}\n"
                                   "{\"key\":\"%%\",\"keyEncoding\":\"base64\",\"value\":\"b\"}\n"
                                   "{\"value\":\"c\"}\n"
                                   "{\"value\": \"d\"\n"
                                   "{\"value\":\"e\"}\n");
        QVERIFY(choose(d, path));
        QCOMPARE(d->lastCheck()->records, qint64(3));
        QCOMPARE(d->lastCheck()->bad, qint64(2));
        auto* preview = child<QTableWidget>(d, "preview");
        QCOMPARE(preview->rowCount(), 5);
        QCOMPARE(preview->item(1, 5)->text(),
                 QStringLiteral("line 2, field 'key': not base64: character 1 is '%'"));
        QVERIFY(preview->item(3, 5)->text().startsWith(
            QStringLiteral("line 4, column 14: malformed JSON")));
        QVERIFY(child<QLabel>(d, "count")->text().contains(QStringLiteral("2 bad lines")));
        QVERIFY(!child<QPushButton>(d, "import")->isEnabled());

        // A CSV row with a missing column is named too.
        QVERIFY(choose(d, write("bad.csv", "key,value,partition\nk,v,0\nk2,v2\n")));
        QCOMPARE(d->lastCheck()->bad, qint64(1));
        QCOMPARE(preview->item(1, 5)->text(),
                 QStringLiteral("line 3: 2 fields, the header row has 3 (missing column "
                                "'partition')"));
        QVERIFY(!child<QPushButton>(d, "import")->isEnabled());

        QVERIFY(choose(d, path));
        child<QCheckBox>(d, "skipBadLines")->setChecked(true);
        QVERIFY(child<QPushButton>(d, "import")->isEnabled());
        auto s = runImport(d, QStringLiteral("skipped"));
        QVERIFY(s);
        QCOMPARE(s->sent, qint64(3));
        QCOMPARE(s->delivered, qint64(3));
        QCOMPARE(s->skipped, qint64(2));
        QCOMPARE(s->failures.size(), 2);
        QVERIFY(s->failures[0].contains(QStringLiteral("line 2, field 'key'")));
        size_t n = 0;
        for (const auto& [p, rs] : readBack(QStringLiteral("skipped")))
            n += rs.size();
        QCOMPARE(n, size_t(3));
        child<QCheckBox>(d, "skipBadLines")->setChecked(false);
        d->close();
    }

    void exportThenImportIsIdentical() {
        // Binary and text bytes, null and empty fields, repeated and null headers, explicit
        // partitions and timestamps.
        std::vector<FileRecord> recs;
        for (int i = 0; i < 60; ++i) {
            FileRecord r;
            r.partition = i % 6;
            r.timestamp = 1600000000000 + i * 1000;
            if (i % 5 != 0) r.key = b("k" + std::to_string(i));
            if (i % 4 == 0)
                r.value = Bytes{0x00, 0xff, static_cast<uint8_t>(i)};
            else if (i % 7 != 0)
                r.value = b("v, \"" + std::to_string(i) + "\"\nnext");
            if (i % 3 == 0) r.headers = {{"h", b("1")}, {"h", std::nullopt}, {"x", Bytes{0x80}}};
            recs.push_back(r);
        }
        ImportDialog* d = dialog();
        QVERIFY(choose(d, write("rt.jsonl", jsonl(recs))));
        auto s = runImport(d, QStringLiteral("rt-src"));
        QVERIFY(s && s->delivered == 60);

        QVERIFY(inspect(QStringLiteral("rt-src"), 60));
        const QByteArray a = exported("a.jsonl", Format::JsonLines);
        const QByteArray csv = exported("a.csv", Format::Csv);
        // The export holds exactly the records imported.
        {
            std::istringstream in(a.toStdString());
            recordfile::RecordFileReader reader(in, {Format::JsonLines, {}});
            recordfile::ReadEntry e;
            std::map<int32_t, std::vector<FileRecord>> byP;
            while (reader.next(e)) {
                QVERIFY2(e.ok(), e.error.c_str());
                FileRecord f = *e.record;
                QCOMPARE(*f.topic, std::string("rt-src"));
                f.topic.reset();
                f.offset.reset();
                byP[*f.partition].push_back(f);
            }
            for (const auto& r : recs) {
                QVERIFY(!byP[*r.partition].empty());
                QVERIFY(byP[*r.partition].front() == r);
                byP[*r.partition].erase(byP[*r.partition].begin());
            }
        }

        QVERIFY(choose(d, dir.filePath("a.jsonl")));
        s = runImport(d, QStringLiteral("rt-dst"));
        QVERIFY(s && s->delivered == 60);
        QVERIFY(inspect(QStringLiteral("rt-dst"), 60));
        QByteArray again = exported("b.jsonl", Format::JsonLines);
        QCOMPARE(again.replace("\"topic\":\"rt-dst\"", "\"topic\":\"rt-src\""), a);

        // Through CSV the same.
        QVERIFY(choose(d, dir.filePath("a.csv")));
        QCOMPARE(d->lastCheck()->records, qint64(60));
        s = runImport(d, QStringLiteral("rt-csv"));
        QVERIFY(s && s->delivered == 60);
        QVERIFY(inspect(QStringLiteral("rt-csv"), 60));
        again = exported("c.jsonl", Format::JsonLines);
        QCOMPARE(again.replace("\"topic\":\"rt-csv\"", "\"topic\":\"rt-src\""), a);
        d->close();
    }

    // Pause holds the import before its next record: started paused and cancelled, nothing is
    // sent; started paused and resumed, everything is.
    void pauseHoldsTheImport() {
        std::vector<FileRecord> recs;
        for (int i = 0; i < 500; ++i) {
            FileRecord r;
            r.value = b("p" + std::to_string(i));
            recs.push_back(r);
        }
        ImportDialog* d = dialog();
        QVERIFY(choose(d, write("pause.jsonl", jsonl(recs))));
        auto* pause = child<QPushButton>(d, "pause");
        pause->setChecked(true);
        QCOMPARE(pause->text(), QStringLiteral("Resume"));
        child<QComboBox>(d, "topic")->setCurrentText(QStringLiteral("paused"));
        child<QPushButton>(d, "import")->click();
        QVERIFY(d->importing());
        child<QPushButton>(d, "cancel")->click();
        QVERIFY(QTest::qWaitFor([&] { return d->lastSummary().has_value(); }, kWaitMs));
        QVERIFY(d->lastSummary()->cancelled);
        QCOMPARE(d->lastSummary()->sent, qint64(0));
        QVERIFY(child<QPlainTextEdit>(d, "summary")
                    ->toPlainText()
                    .contains(QStringLiteral("500 records of the file not sent")));

        child<QPushButton>(d, "import")->click();
        QVERIFY(d->importing());
        pause->setChecked(false);
        QVERIFY(QTest::qWaitFor([&] { return d->lastSummary().has_value(); }, kWaitMs));
        QVERIFY(!d->lastSummary()->cancelled);
        QCOMPARE(d->lastSummary()->delivered, qint64(500));
        size_t n = 0;
        for (const auto& [p, rs] : readBack(QStringLiteral("paused")))
            n += rs.size();
        QCOMPARE(n, size_t(500));
        d->close();
    }

    void cancelStopsARunningImport() {
        std::vector<FileRecord> recs;
        for (int i = 0; i < 10000; ++i) {
            FileRecord r;
            r.partition = 0;
            r.value = b("c" + std::to_string(i));
            recs.push_back(r);
        }
        ImportDialog* d = dialog();
        QVERIFY(choose(d, write("cancel.jsonl", jsonl(recs))));
        child<QDoubleSpinBox>(d, "rate")->setValue(500);
        child<QComboBox>(d, "topic")->setCurrentText(QStringLiteral("cancelled"));
        child<QPushButton>(d, "import")->click();
        QVERIFY(d->importing());
        QVERIFY(child<QPushButton>(d, "cancel")->isEnabled());
        auto* progress = child<QProgressBar>(d, "progress");
        QVERIFY(QTest::qWaitFor([&] { return progress->value() >= 50; }, kWaitMs));
        child<QPushButton>(d, "cancel")->click();
        QVERIFY(QTest::qWaitFor([&] { return d->lastSummary().has_value(); }, kWaitMs));
        const ImportSummary s = *d->lastSummary();
        QVERIFY(s.cancelled);
        QVERIFY2(s.sent >= 50 && s.sent < 10000, qPrintable(QString::number(s.sent)));
        QCOMPARE(s.delivered, s.sent);
        QCOMPARE(s.failed, qint64(0));
        QCOMPARE(s.pending, qint64(0));
        QVERIFY(!d->importing());
        const QString text = child<QPlainTextEdit>(d, "summary")->toPlainText();
        QVERIFY2(text.startsWith(QStringLiteral("Cancelled: %1 sent").arg(s.sent)),
                 qPrintable(text));
        QVERIFY2(
            text.contains(QStringLiteral("%1 records of the file not sent").arg(10000 - s.sent)),
            qPrintable(text));
        // The topic holds exactly the records sent: the file's first ones, in order.
        const auto got = readBack(QStringLiteral("cancelled"));
        QCOMPARE(qint64(got.count(0) ? got.at(0).size() : 0), s.sent);
        for (size_t i = 0; i < got.at(0).size(); ++i)
            QVERIFY(got.at(0)[i].record.value == recs[i].value);
        d->close();
    }
};

QTEST_MAIN(TestRecordImport)
#include "test_record_import.moc"
