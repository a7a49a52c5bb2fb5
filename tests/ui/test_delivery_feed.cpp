// DeliveryFeed: the hand-off of delivery reports from producer callbacks to the GUI thread.
// Rows only for the newest `keep`, counts for every report, jobs freed once nothing can point
// at them, and exact totals with a pushing thread racing the drains.
#include <QtTest>
#include <atomic>
#include <map>
#include <thread>

#include "delivery_feed.h"

using namespace bs::ui;

namespace {

DeliveryReport ok(SendJob* job, qint64 seq, int partition, qint64 offset) {
    DeliveryReport r;
    r.job = job;
    r.seq = seq;
    r.partition = partition;
    r.offset = offset;
    r.latencyMs = 1.5f;
    return r;
}

DeliveryReport failed(SendJob* job, qint64 seq, const char* why) {
    DeliveryReport r;
    r.job = job;
    r.seq = seq;
    r.error = QString::fromUtf8(why);
    return r;
}

qint64 okFor(const DeliveryTick& t, const QString& topic, int partition) {
    for (const auto& c : t.okByPartition)
        if (c.topic == topic && c.partition == partition) return c.ok;
    return 0;
}

}  // namespace

class TestDeliveryFeed : public QObject {
    Q_OBJECT
  private Q_SLOTS:
    void rowsCarryTheJobsPreviewsInOrder() {
        DeliveryFeed feed(10);
        SendJob* job =
            feed.open(QStringLiteral("demo"), QStringLiteral("k"), QStringLiteral("v"), false);
        feed.push(ok(job, 1, 2, 40));
        feed.push(failed(job, 2, "NOT_LEADER_OR_FOLLOWER"));
        feed.push(ok(job, 3, 2, 41));
        feed.seal(job, 3);
        QCOMPARE(feed.okCount(), qint64(2));
        QCOMPARE(feed.failedCount(), qint64(1));
        const DeliveryTick t = feed.drain();
        QCOMPARE(t.ok, qint64(2));
        QCOMPARE(t.failed, qint64(1));
        QCOMPARE(t.rows.size(), 3);
        QCOMPARE(t.rows[0].seq, qint64(1));
        QCOMPARE(t.rows[0].topic, QStringLiteral("demo"));
        QCOMPARE(t.rows[0].key, QStringLiteral("k"));
        QCOMPARE(t.rows[0].value, QStringLiteral("v"));
        QCOMPARE(t.rows[0].offset, qint64(40));
        QCOMPARE(t.rows[0].latencyMs, 1.5);
        QCOMPARE(t.rows[1].error, QStringLiteral("NOT_LEADER_OR_FOLLOWER"));
        QCOMPARE(t.rows[2].seq, qint64(3));
        QCOMPARE(okFor(t, QStringLiteral("demo"), 2), qint64(2));
        QCOMPARE(t.okByPartition.size(), 1);
        QCOMPARE(feed.jobCount(), size_t{1});  // the rows just built still point at it
        const DeliveryTick empty = feed.drain();
        QCOMPARE(feed.jobCount(), size_t{0});  // sealed, all three drained: freed
        QCOMPARE(empty.ok + empty.failed, qint64(0));
        QVERIFY(empty.rows.isEmpty());
        QVERIFY(empty.okByPartition.isEmpty());
    }

    void onlyTheNewestAreKeptButAllAreCounted() {
        DeliveryFeed feed(3);
        SendJob* a = feed.open(QStringLiteral("a"), {}, {}, false);
        SendJob* b = feed.open(QStringLiteral("b"), {}, {}, false);
        for (int i = 1; i <= 5; ++i)
            feed.push(ok(a, i, i % 2, i));
        feed.push(ok(b, 6, 0, 0));
        feed.push(failed(b, 7, "boom"));
        feed.seal(a, 5);
        feed.seal(b, 2);
        const DeliveryTick t = feed.drain();
        QCOMPARE(t.ok, qint64(6));
        QCOMPARE(t.failed, qint64(1));
        QCOMPARE(t.rows.size(), 3);
        QCOMPARE(t.rows[0].seq, qint64(5));
        QCOMPARE(t.rows[2].seq, qint64(7));
        QCOMPARE(okFor(t, QStringLiteral("a"), 0), qint64(2));
        QCOMPARE(okFor(t, QStringLiteral("a"), 1), qint64(3));
        QCOMPARE(okFor(t, QStringLiteral("b"), 0), qint64(1));
        // a: 4 pushed out of the ring + 1 drained; b: 2 drained. Both freed by the next drain.
        QCOMPARE(feed.jobCount(), size_t{2});
        (void)feed.drain();
        QCOMPARE(feed.jobCount(), size_t{0});
    }

    void aJobLivesUntilSealedAndEveryRecordReported() {
        DeliveryFeed feed(100);
        SendJob* job = feed.open(QStringLiteral("t"), {}, {}, false);
        feed.push(ok(job, 1, 0, 0));
        (void)feed.drain();
        QCOMPARE(feed.jobCount(), size_t{1});  // not sealed: more sends may come
        feed.seal(job, 3);
        feed.push(ok(job, 2, 0, 1));
        (void)feed.drain();
        QCOMPARE(feed.jobCount(), size_t{1});  // one callback still to come
        feed.push(ok(job, 3, 0, 2));
        const DeliveryTick t = feed.drain();
        QCOMPARE(t.rows.size(), 1);
        (void)feed.drain();
        QCOMPARE(feed.jobCount(), size_t{0});
    }

    void templatedRecordsCarryTheirOwnPreviews() {
        DeliveryFeed feed(10);
        SendJob* job = feed.open(QStringLiteral("t"), {}, {}, true);
        DeliveryReport r = ok(job, 1, 0, 0);
        r.key = QStringLiteral("user-1");
        r.value = QStringLiteral("{\"n\":1}");
        feed.push(std::move(r));
        feed.seal(job, 1);
        const DeliveryTick t = feed.drain();
        QCOMPARE(t.rows.size(), 1);
        QCOMPARE(t.rows[0].key, QStringLiteral("user-1"));
        QCOMPARE(t.rows[0].value, QStringLiteral("{\"n\":1}"));
    }

    // Strings live beside the ring's slots: a report without them that takes the slot of one
    // with them (in this drain's ring or the next's) shows none of the old ones.
    void aSlotsOldStringsNeverShowOnTheNextReport() {
        DeliveryFeed feed(2);
        SendJob* plain =
            feed.open(QStringLiteral("t"), QStringLiteral("k"), QStringLiteral("v"), false);
        SendJob* templated = feed.open(QStringLiteral("t"), {}, {}, true);
        feed.push(failed(plain, 1, "boom"));
        DeliveryReport r = ok(templated, 2, 0, 0);
        r.key = QStringLiteral("user-2");
        r.value = QStringLiteral("v-2");
        feed.push(std::move(r));
        feed.push(ok(plain, 3, 0, 1));  // takes seq 1's slot
        DeliveryTick t = feed.drain();
        QCOMPARE(t.rows.size(), 2);
        QCOMPARE(t.rows[0].key, QStringLiteral("user-2"));
        QCOMPARE(t.rows[0].value, QStringLiteral("v-2"));
        QVERIFY(t.rows[1].ok());
        QCOMPARE(t.rows[1].key, QStringLiteral("k"));
        for (int round = 0; round < 3; ++round) {  // both of the feed's rings, twice
            feed.push(ok(plain, 10 + 2 * round, 0, 2));
            feed.push(ok(plain, 11 + 2 * round, 0, 3));
            t = feed.drain();
            QCOMPARE(t.rows.size(), 2);
            for (const Delivery& d : t.rows) {
                QVERIFY2(d.ok(), qPrintable(d.error));
                QCOMPARE(d.key, QStringLiteral("k"));
                QCOMPARE(d.value, QStringLiteral("v"));
            }
        }
    }

    void fromRowsCountsWhatTheRowsSay() {
        Delivery a;
        a.topic = QStringLiteral("demo");
        a.partition = 1;
        Delivery bad = a;
        bad.error = QStringLiteral("x");
        const DeliveryTick t = DeliveryTick::fromRows({a, a, bad});
        QCOMPARE(t.ok, qint64(2));
        QCOMPARE(t.failed, qint64(1));
        QCOMPARE(okFor(t, QStringLiteral("demo"), 1), qint64(2));
        QCOMPARE(t.rows.size(), 3);
    }

    // A callback thread pushing while the GUI thread drains, with the jobs sealed before their
    // callbacks run (as a repeat seals its job once every record is handed to send()) and a
    // ring far smaller than a drain's worth: nothing lost, nothing counted twice, rows in push
    // order, every job freed, and only once its counts were handed over.
    void concurrentPushesAndDrains() {
        DeliveryFeed feed(1);
        constexpr qint64 kRecords = 200000;
        SendJob* a = feed.open(QStringLiteral("a"), {}, {}, false);
        SendJob* b = feed.open(QStringLiteral("b"), {}, {}, false);
        feed.seal(a, kRecords / 4);
        feed.seal(b, kRecords - kRecords / 4);
        std::atomic<bool> done{false};
        std::thread pusher([&] {
            // a's records are the odd ones of the first half: b goes on long after a ended.
            for (qint64 i = 1; i <= kRecords; ++i) {
                SendJob* job = i % 2 && i <= kRecords / 2 ? a : b;
                feed.push(i % 1000 == 0 ? failed(job, i, "e") : ok(job, i, int(i % 3), i));
            }
            done = true;
        });
        qint64 okSeen = 0, failedSeen = 0, lastSeq = 0;
        std::map<std::pair<QString, int>, qint64> perPartition;
        bool ordered = true;
        auto take = [&] {
            const DeliveryTick t = feed.drain();
            okSeen += t.ok;
            failedSeen += t.failed;
            for (const auto& c : t.okByPartition)
                perPartition[{c.topic, c.partition}] += c.ok;
            for (const auto& d : t.rows) {
                ordered = ordered && d.seq > lastSeq;
                lastSeq = d.seq;
            }
        };
        while (!done.load())
            take();
        pusher.join();
        for (int i = 0; i < 3 && feed.jobCount() > 0; ++i)
            take();
        QVERIFY(ordered);
        QCOMPARE(lastSeq, kRecords);
        QCOMPARE(okSeen, kRecords - kRecords / 1000);
        QCOMPARE(failedSeen, kRecords / 1000);
        QCOMPARE(feed.okCount(), okSeen);
        qint64 sum = 0;
        for (const auto& [key, n] : perPartition)
            sum += n;
        QCOMPARE(sum, okSeen);
        // partition = seq % 3; every 1000th failed (even: b's).
        qint64 a0 = 0;
        for (qint64 i = 1; i <= kRecords / 2; i += 2)
            a0 += i % 3 == 0 ? 1 : 0;
        QCOMPARE((perPartition[{QStringLiteral("a"), 0}]), a0);
        QCOMPARE(feed.jobCount(), size_t{0});
    }
};

QTEST_GUILESS_MAIN(TestDeliveryFeed)
#include "test_delivery_feed.moc"
