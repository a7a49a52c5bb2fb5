// The view models on their own: what the custom views and tests rely on.

#include <QTest>
#include <cmath>

#include "models/accumulator_model.h"
#include "models/deliveries_model.h"
#include "models/distribution_model.h"
#include "models/event_log.h"
#include "models/metrics_history.h"
#include "models/sender_model.h"
#include "models/timeline_model.h"
#include "protocol/api_keys.h"
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
// Batch 7: 3 records, 300 of 16384 bytes, created at 1000 ms.
BatchSnapshot batch7() {
    BatchSnapshot b;
    b.batchId = 7;
    b.recordCount = 3;
    b.sizeBytes = 300;
    b.capacity = 16384;
    b.createdMs = 1000;
    return b;
}
// Node 1, connected, with ProduceRequest #11 in flight: demo-4, batches 5 and 6 (2 records,
// 120 bytes), sent at 100 ms.
NodeSnapshot nodeWithOneRequest() {
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
    r.batchIds = {5, 6};
    n.inFlight = {r};
    return n;
}
// One Sender.runOnce iteration as the timeline gets it: node 0's verdict, then ready()'s end.
void appendIteration(std::vector<Event>& out, int64_t iteration) {
    Event v;
    v.type = EventType::ReadyVerdict;
    v.nodeId = 0;
    v.reason = static_cast<uint8_t>(ReadyReason::BatchFull);
    v.iteration = iteration;
    out.push_back(v);
    Event c;
    c.type = EventType::ReadyChecked;
    c.iteration = iteration;
    out.push_back(c);
}
// One iteration's events handed to the timeline as one poll's batch.
void applyIteration(TimelineModel& m, int64_t iteration) {
    std::vector<Event> events;
    appendIteration(events, iteration);
    m.applyEvents(events);
}
// Node 1's answer to request #11: NOT_LEADER_OR_FOLLOWER (6).
Event notLeaderResponse() {
    Event e;
    e.type = EventType::ResponseReceived;
    e.nodeId = 1;
    e.correlationId = 11;
    e.errorCode = 6;
    return e;
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
        m.update(snapshotWith(1400, {part(2, {batch7()})}));
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
        NodeSnapshot n = nodeWithOneRequest();
        m.update(snapshotWith(350, {}, {n}));
        QCOMPARE(m.inFlightCount(), 1);
        QCOMPARE(m.node(1)->inFlight[0].elapsedMs, 250);
        QCOMPARE(m.node(1)->inFlight[0].partitions, QStringList{QStringLiteral("demo-4")});
        Event retried;
        retried.type = EventType::BatchRetried;
        m.applyEvents({notLeaderResponse(), retried});
        n.inFlight.clear();
        m.update(snapshotWith(400, {}, {n}));
        QCOMPARE(m.inFlightCount(), 0);
        QCOMPARE(m.completedRequests(), 1);
        QCOMPARE(m.retries(), 1);
        QCOMPARE(m.node(1)->recent.size(), 1);
        QCOMPARE(m.node(1)->recent[0].errorCode, 6);
        QCOMPARE(m.node(1)->errorTotal, 1);
    }

    // A Metadata request takes an in-flight slot of its node's connection until its answer
    // (MetadataUpdated); an acks=0 ProduceRequest is done once written: shown completed, no ack.
    void senderShowsMetadataRequestsAndAcksZero() {
        SenderModel m;
        m.setLimits(5, 30000);
        NodeSnapshot n = nodeWithOneRequest();
        Event written;
        written.type = EventType::RequestWritten;
        written.timeNs = 300'000'000;  // 300 ms
        written.nodeId = 1;
        written.correlationId = 12;
        written.apiKey = static_cast<int16_t>(bs::protocol::ApiKey::Metadata);
        written.apiVersion = 12;
        written.bytes = 51;
        written.attempts = 1;
        m.applyEvents({written});
        m.update(snapshotWith(350, {}, {n}));
        QCOMPARE(m.inFlightCount(), 2);
        const auto& md = m.node(1)->inFlight[1];
        QCOMPARE(md.api, QStringLiteral("Metadata"));
        QCOMPARE(md.elapsedMs, 50);
        QCOMPARE(md.bytes, 51);
        QVERIFY2(m.describeRequest(1, 12)->startsWith(
                     QStringLiteral("<b>node 1 MetadataRequest #12</b>: 51 bytes · 50 ms")),
                 qPrintable(*m.describeRequest(1, 12)));
        Event updated;
        updated.type = EventType::MetadataUpdated;
        updated.nodeId = 1;
        updated.correlationId = 12;
        Event acks0 = written;
        acks0.correlationId = 13;
        acks0.apiKey = static_cast<int16_t>(bs::protocol::ApiKey::Produce);
        acks0.attempts = 0;  // no response expected
        acks0.recordCount = 3;
        m.applyEvents({updated, acks0});
        m.update(snapshotWith(360, {}, {n}));
        QCOMPARE(m.inFlightCount(), 1);  // the ProduceRequest still waits
        const auto& recent = m.node(1)->recent;
        QCOMPARE(recent.size(), 2);
        QVERIFY(recent[0].completed && recent[1].completed);
        QSet<int> ids{recent[0].correlationId, recent[1].correlationId};
        QCOMPARE(ids, (QSet<int>{12, 13}));
        for (const auto& r : recent) {
            QCOMPARE(r.errorCode, qint16{0});
            if (r.correlationId == 13) QVERIFY(r.unacknowledged);
            if (r.correlationId == 12) QCOMPARE(r.api, QStringLiteral("Metadata"));
        }
        QVERIFY(m.describeRequest(1, 13)->contains(QStringLiteral("acks=0")));
        // A Metadata request never answered leaves its slot after request.timeout.ms.
        written.correlationId = 14;
        m.applyEvents({written});
        m.update(snapshotWith(400, {}, {n}));
        QCOMPARE(m.inFlightCount(), 2);
        m.update(snapshotWith(300 + 30001, {}, {n}));
        QCOMPARE(m.inFlightCount(), 1);
    }

    // The batch the user clicked, in words, from the model (the window only shows the text);
    // once the batch has left for good there is nothing to describe.
    void accumulatorDescribesABatchAndItsSummary() {
        AccumulatorModel m;
        m.setLimits(16384, 1000);
        BatchSnapshot b = batch7();
        b.attempts = 1;
        b.baseSequence = 42;
        ProducerSnapshot s = snapshotWith(1400, {part(2, {b})});
        s.senderState = SenderState::Running;
        m.update(s);
        const auto text = m.describeBatch(QStringLiteral("demo"), 2, 7);
        QVERIFY(text);
        QVERIFY2(text->startsWith(QStringLiteral("<b>demo-2 batch 7</b>: 3 records, 300 of 16384 "
                                                 "bytes, age 400 ms of linger.ms 1000, attempts "
                                                 "1, base sequence 42, ")),
                 qPrintable(*text));
        QVERIFY(!m.describeBatch(QStringLiteral("demo"), 2, 8));
        QCOMPARE(m.summary(),
                 QStringLiteral("3 records in 1 batches · %1")
                     .arg(QString::fromUtf8(senderStateName(SenderState::Running).data())));
        // Drained: still shown a moment, saying where it went; then gone.
        m.update(snapshotWith(1500, {part(2, {})}));
        QVERIFY(m.describeBatch(QStringLiteral("demo"), 2, 7)
                    ->endsWith(QStringLiteral("drained into a ProduceRequest")));
        m.update(snapshotWith(1500 + AccumulatorModel::kGhostMs, {part(2, {})}));
        QVERIFY(!m.describeBatch(QStringLiteral("demo"), 2, 7));
    }

    // A request in words, in flight and once completed with its error; and the view's summary.
    void senderDescribesARequestAndItsSummary() {
        SenderModel m;
        m.setLimits(5, 30000);
        NodeSnapshot n = nodeWithOneRequest();
        m.update(snapshotWith(350, {}, {n}));
        QCOMPARE(
            *m.describeRequest(1, 11),
            QStringLiteral("<b>node 1 ProduceRequest #11</b>: demo-4 · 2 records · 120 bytes · "
                           "250 ms of request.timeout.ms 30000 · carries batch ids 5, 6 (as in the "
                           "accumulator's batch details)"));
        QVERIFY(!m.describeRequest(1, 12));
        QVERIFY(!m.describeRequest(2, 11));
        QCOMPARE(m.summary(), QStringLiteral("1 in flight · 0 completed · 0 retries · 0 failed"));
        m.applyEvents({notLeaderResponse()});
        n.inFlight.clear();
        m.update(snapshotWith(400, {}, {n}));
        QVERIFY2(m.describeRequest(1, 11)->contains(
                     QStringLiteral(" · completed: NOT_LEADER_OR_FOLLOWER · ")),
                 qPrintable(*m.describeRequest(1, 11)));
    }

    // The Log dock's lines: one for retries, expiries, splits, failures and metadata updates,
    // none for the many routine events; the topic name is asked only for a line written.
    void eventLogLinesForWhatMatters() {
        int asked = 0;
        const auto topicName = [&asked](uint32_t id) {
            ++asked;
            return id == 3 ? QStringLiteral("demo") : QStringLiteral("?");
        };
        Event retried;
        retried.type = EventType::BatchRetried;
        retried.topicId = 3;
        retried.partition = 2;
        retried.batchId = 9;
        retried.recordCount = 12;
        retried.attempts = 2;
        retried.errorCode = 6;
        QCOMPARE(*eventLogLine(retried, topicName),
                 QStringLiteral("batch retried demo-2 batch 9 (12 records, attempt 2) "
                                "NOT_LEADER_OR_FOLLOWER"));
        Event failed = retried;
        failed.type = EventType::BatchCompleted;
        QCOMPARE(*eventLogLine(failed, topicName),
                 QStringLiteral("BatchCompleted demo-2 batch 9 failed: NOT_LEADER_OR_FOLLOWER"));
        QCOMPARE(asked, 2);
        Event ok = failed;
        ok.errorCode = 0;
        QVERIFY(!eventLogLine(ok, topicName));
        Event response;
        response.type = EventType::ResponseReceived;
        response.nodeId = 1;
        response.correlationId = 11;
        QVERIFY(!eventLogLine(response, topicName));
        response.errorCode = -2;
        QCOMPARE(*eventLogLine(response, topicName),
                 QStringLiteral("ResponseReceived node 1 #11: DISCONNECTED"));
        Event metadata;
        metadata.type = EventType::MetadataUpdated;
        QVERIFY(!eventLogLine(metadata, topicName));  // changes are said by the session
        retried.type = EventType::BatchRetried;
        retried.recordCount = 1;
        QVERIFY(eventLogLine(retried, topicName)->contains(QStringLiteral("(1 record, attempt")));
        Event appended;
        appended.type = EventType::RecordAppended;
        QVERIFY(!eventLogLine(appended, topicName));
        QCOMPARE(asked, 3);
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

    // At full speed the timeline turns only the newest events into lines, starting at an
    // iteration's first event, and says how many it skipped; smaller batches are all shown.
    void timelineThrottleKeepsTheNewestIterations() {
        TimelineModel m;
        m.setThrottle(51, 0);
        std::vector<Event> events;
        for (int64_t i = 0; i < 100; ++i)
            appendIteration(events, i);
        m.applyEvents(events);  // 200 events: the cut at 149 falls inside iteration 74
        QCOMPARE(m.rowCount(), 26);
        QVERIFY2(m.text(0).contains(QStringLiteral("150 events not shown")), qPrintable(m.text(0)));
        QCOMPARE(m.index(1).data(TimelineModel::IterationRole).toInt(), 75);
        QVERIFY(m.text(1).contains(QStringLiteral("ready()")));
        QCOMPARE(m.index(25).data(TimelineModel::IterationRole).toInt(), 99);

        events.clear();
        for (int64_t i = 100; i < 105; ++i)
            appendIteration(events, i);
        m.applyEvents(events);
        QCOMPARE(m.rowCount(), 31);
        QCOMPARE(m.index(26).data(TimelineModel::IterationRole).toInt(), 100);
    }

    // Lines come at most every interval: what arrives sooner waits, then follows in order.
    void timelineThrottleWaitsForTheInterval() {
        TimelineModel m;
        m.setThrottle(0, 200);
        applyIteration(m, 1);
        QCOMPARE(m.rowCount(), 1);  // the first comes at once
        applyIteration(m, 2);
        QCOMPARE(m.rowCount(), 1);
        QTRY_COMPARE(m.rowCount(), 2);
        QCOMPARE(m.index(1).data(TimelineModel::IterationRole).toInt(), 2);
    }

    // Drops are said in one line that waits for the interval with the other lines (at full
    // speed every poll reports drops), after them, and at once when nothing is throttled.
    void timelineSaysLostEventsWithTheNextLines() {
        TimelineModel m;
        m.setThrottle(0, 200);
        applyIteration(m, 1);
        applyIteration(m, 2);
        m.addLost(300, 8192);
        m.addLost(200, 8192);
        QCOMPARE(m.rowCount(), 1);
        QTRY_COMPARE(m.rowCount(), 3);
        QCOMPARE(m.index(1).data(TimelineModel::IterationRole).toInt(), 2);
        QVERIFY2(m.text(2).contains(QStringLiteral("500 events lost")), qPrintable(m.text(2)));
        QVERIFY2(m.text(2).contains(QStringLiteral("8192 events")), qPrintable(m.text(2)));

        TimelineModel unthrottled;
        unthrottled.addLost(5, 16);
        QCOMPARE(unthrottled.rowCount(), 1);
        QVERIFY(unthrottled.text(0).contains(QStringLiteral("5 events lost")));
    }

    void metricsHistoryKeepsTheWindow() {
        MetricsHistory h(nullptr, 10);
        h.add({Metric{"record-send-total", "producer-metrics", "", 100.0}}, 1000);
        QVERIFY(std::isnan(h.latest(0)));  // no interval yet
        h.add({Metric{"record-send-total", "producer-metrics", "", 650.0}}, 12000);
        QCOMPARE(h.samples().size(), 1u);  // the first fell out of the 10 s window
        QCOMPARE(h.latest(0), 50.0);       // 550 records in 11 s
        QVERIFY(std::isnan(h.latest(1)));
        h.add({Metric{"batch-size-avg", "producer-metrics", "", 7.0}}, 13000);
        QCOMPARE(h.latest(2), 7.0);  // an average is shown as it is
    }
};

QTEST_GUILESS_MAIN(TestModels)
#include "test_models.moc"
