// The view models on their own: what the custom views and tests rely on.

#include <QTest>
#include <cmath>

#include "models/accumulator_model.h"
#include "models/deliveries_model.h"
#include "models/distribution_model.h"
#include "models/metrics_history.h"
#include "models/sender_model.h"
#include "record_draft.h"

using namespace bs::ui;
using namespace bs::producer;

namespace {
ProducerSnapshot snapshotWith(int64_t timeMs, std::vector<PartitionSnapshot> parts,
                              std::vector<NodeSnapshot> nodes = {}) {
    ProducerSnapshot s;
    s.timeMs = timeMs;
    s.partitions = std::move(parts);
    s.nodes = std::move(nodes);
    return s;
}
PartitionSnapshot part(int p, std::vector<BatchSnapshot> batches) {
    return PartitionSnapshot{TopicPartition{"demo", p}, std::move(batches), false};
}
}  // namespace

class TestModels : public QObject {
    Q_OBJECT
  private Q_SLOTS:
    // The deliveries table's preview: whitespace runs become one space, long text is cut
    // with an ellipsis at exactly maxChars.
    void previewCollapsesWhitespaceAndCuts() {
        QCOMPARE(previewField("string", "a \t\n b"), QString("a b"));
        QCOMPARE(previewField("string", "  x  "), QString(" x "));
        QCOMPARE(previewField("null", "ignored"), QString("null"));
        QCOMPARE(previewField("string", "abcdef", 6), QString("abcdef"));
        QCOMPARE(previewField("string", "abcdefg", 6), QString("abcde") + QChar(0x2026));
        QCOMPARE(previewField("string", "abc   def", 6), QString("abc d") + QChar(0x2026));
        QCOMPARE(previewField("string", QString(100000, 'x')).size(), 60);
    }

    void accumulatorLanesAgeAndDrainedGhosts() {
        AccumulatorModel m;
        m.setLimits(16384, 1000);
        m.setTopicPartitions(QStringLiteral("demo"), 6);
        BatchSnapshot b;
        b.batchId = 7;
        b.recordCount = 3;
        b.sizeBytes = 300;
        b.capacity = 16384;
        b.createdMs = 1000;
        m.update(snapshotWith(1400, {part(2, {b})}));
        QCOMPARE(m.lanes().size(), 6);  // empty partitions keep their lane
        const auto* lane = m.lane(QStringLiteral("demo"), 2);
        QVERIFY(lane);
        QCOMPARE(lane->batches.size(), 1);
        QCOMPARE(lane->batches[0].ageMs, 400);
        QCOMPARE(m.queuedRecords(), 3);
        // The batch leaves the deque: a drained ghost for a moment, then gone.
        m.update(snapshotWith(1500, {part(2, {})}));
        lane = m.lane(QStringLiteral("demo"), 2);
        QCOMPARE(lane->batches.size(), 1);
        QVERIFY(lane->batches[0].drained);
        QCOMPARE(m.queuedRecords(), 0);
        m.update(snapshotWith(1500 + AccumulatorModel::kGhostMs, {part(2, {})}));
        QCOMPARE(m.lane(QStringLiteral("demo"), 2)->batches.size(), 0);
    }

    void senderCompletionTakesTheResponseError() {
        SenderModel m;
        m.setLimits(5, 30000);
        NodeSnapshot n;
        n.nodeId = 1;
        n.host = "127.0.0.1";
        n.port = 9092;
        n.connected = true;
        InFlightRequestSnapshot r;
        r.correlationId = 11;
        r.partitions = {TopicPartition{"demo", 4}};
        r.recordCount = 2;
        r.bytes = 120;
        r.sentMs = 100;
        n.inFlight = {r};
        m.update(snapshotWith(350, {}, {n}));
        QCOMPARE(m.inFlightCount(), 1);
        QCOMPARE(m.node(1)->inFlight[0].elapsedMs, 250);
        QCOMPARE(m.node(1)->inFlight[0].partitions, QStringList{QStringLiteral("demo-4")});
        Event e;
        e.type = EventType::ResponseReceived;
        e.nodeId = 1;
        e.correlationId = 11;
        e.errorCode = 6;  // NOT_LEADER_OR_FOLLOWER
        Event retried;
        retried.type = EventType::BatchRetried;
        m.applyEvents({e, retried});
        n.inFlight.clear();
        m.update(snapshotWith(400, {}, {n}));
        QCOMPARE(m.inFlightCount(), 0);
        QCOMPARE(m.completedRequests(), 1);
        QCOMPARE(m.retries(), 1);
        QCOMPARE(m.node(1)->recent.size(), 1);
        QCOMPARE(m.node(1)->recent[0].errorCode, 6);
        QCOMPARE(m.node(1)->errorTotal, 1);
    }

    void deliveriesNewestFirstAndCapped() {
        DeliveriesModel m(nullptr, 3);
        QVector<Delivery> batch;
        for (int i = 1; i <= 5; ++i) {
            Delivery d;
            d.seq = i;
            d.partition = i % 2;
            d.offset = i;
            if (i == 4) d.error = QStringLiteral("boom");
            batch.push_back(d);
        }
        m.add(batch);
        QCOMPARE(m.rowCount(), 3);
        QCOMPARE(m.at(0).seq, 5);
        QCOMPARE(m.at(2).seq, 3);
        QCOMPARE(m.totalAdded(), 5);
        QCOMPARE(m.totalErrors(), 1);
        Delivery d6;
        d6.seq = 6;
        m.add({d6});
        QCOMPARE(m.rowCount(), 3);
        QCOMPARE(m.at(0).seq, 6);
        QCOMPARE(m.at(2).seq, 4);
        QCOMPARE(m.data(m.index(1, DeliveriesModel::Error), Qt::DisplayRole).toString(), QString());
        QCOMPARE(m.data(m.index(2, DeliveriesModel::Error), Qt::DisplayRole).toString(),
                 QStringLiteral("boom"));
    }

    void distributionCountsOnlySuccesses() {
        DistributionModel m;
        m.setTopicPartitions(QStringLiteral("demo"), 4);
        Delivery ok;
        ok.topic = QStringLiteral("demo");
        ok.partition = 3;
        Delivery bad = ok;
        bad.error = QStringLiteral("x");
        m.add({ok, ok, bad});
        QCOMPARE(m.counts(QStringLiteral("demo")), (QVector<qint64>{0, 0, 0, 2}));
        QCOMPARE(m.total(QStringLiteral("demo")), 2);
    }

    void metricsHistoryKeepsTheWindow() {
        MetricsHistory h(nullptr, 10);
        h.add({Metric{"record-send-rate", "producer-metrics", "", 42.0}}, 1000);
        h.add({Metric{"record-send-rate", "producer-metrics", "", 43.0}}, 12001);
        QCOMPARE(h.samples().size(), 1u);  // the first fell out of the 10 s window
        QCOMPARE(h.latest(0), 43.0);
        QVERIFY(std::isnan(h.latest(1)));
    }
};

QTEST_GUILESS_MAIN(TestModels)
#include "test_models.moc"
