// The events a learner follows the send path by (docs/OBSERVATION.md): ready verdicts with
// reasons, drainIndex rotation, requests written with their size, metadata refresh causes, Step.
// MockClock and the test NetworkClient: no sockets, no sleeping.
#include <QtTest/QtTest>

#include "sender_fixture.h"

using namespace bs::producer;
using namespace bs::producer::test;
using bs::protocol::ErrorCode;

namespace {
using Overrides = std::map<std::string, std::string>;
Overrides plain(Overrides extra) {
    Overrides o = {{"enable.idempotence", "false"}, {"acks", "1"}, {"linger.ms", "0"}};
    for (const auto& [k, v] : extra)
        o[k] = v;
    return o;
}

std::vector<Event> ofType(const std::vector<Event>& events, EventType type) {
    std::vector<Event> out;
    for (const Event& e : events)
        if (e.type == type) out.push_back(e);
    return out;
}

const Event* verdictFor(const std::vector<Event>& events, int32_t node) {
    for (const Event& e : events)
        if (e.type == EventType::ReadyVerdict && e.nodeId == node) return &e;
    return nullptr;
}

ReadyReason reasonOf(const Event* e) {
    return e ? static_cast<ReadyReason>(e->reason) : ReadyReason::None;
}
}  // namespace

class TestSenderEvents : public QObject {
    Q_OBJECT
  private slots:
    // P0 and P2 on node 0, P1 on node 1, node 2 leads nothing.
    void readyVerdictsSayWhyPerNode() {
        Pipeline p(plain({{"linger.ms", "100"}}), {0, 1, 0});
        p.client->autoMetadata(metadataFor("t", {0, 1, 0}, 3));
        p.metadata->requestUpdate();
        p.clock.sleepMs(200);  // past the refresh backoff
        p.sender->runOnce();
        QCOMPARE(p.metadata->fetch()->nodes().size(), size_t{3});
        p.events.setEnabled(true);
        (void)p.takeEvents();
        p.append(0, "a");
        p.clock.sleepMs(100);
        p.append(1, "b");
        p.clock.sleepMs(30);
        p.sender->runOnce();
        auto ev = p.takeEvents();
        QCOMPARE(reasonOf(verdictFor(ev, 0)), ReadyReason::LingerExpired);
        QCOMPARE(verdictFor(ev, 0)->waitedMs, int64_t{130});
        QCOMPARE(reasonOf(verdictFor(ev, 1)), ReadyReason::Lingering);
        QCOMPARE(verdictFor(ev, 1)->delayMs, int64_t{70});
        QCOMPARE(reasonOf(verdictFor(ev, 2)), ReadyReason::NoData);
        auto checked = ofType(ev, EventType::ReadyChecked);
        QCOMPARE(checked.size(), size_t{1});
        QCOMPARE(checked[0].delayMs, int64_t{70});  // next ready check: node 1's linger
        QCOMPARE(checked[0].batchCount, 1);         // one node ready
        QVERIFY(!checked[0].step);
        // Verdicts come before the summary, all stamped with the iteration.
        const int64_t it = checked[0].iteration;
        QVERIFY(it > 0);
        for (const Event& e : ofType(ev, EventType::ReadyVerdict))
            QCOMPARE(e.iteration, it);
        QVERIFY(&*std::find_if(ev.begin(), ev.end(), [](const Event& e) {
            return e.type == EventType::ReadyVerdict;
        }) < &*std::find_if(ev.begin(), ev.end(), [](const Event& e) {
            return e.type == EventType::ReadyChecked;
        }));
        // The drain of that iteration names node 0 and carries the same iteration.
        auto drained = ofType(ev, EventType::BatchDrained);
        QCOMPARE(drained.size(), size_t{1});
        QCOMPARE(drained[0].nodeId, 0);
        QCOMPARE(drained[0].partition, 0);
        QCOMPARE(drained[0].iteration, it);

        // A full batch: node 1 becomes ready for that reason; a node whose client is not ready
        // is not ready although ready() said so.
        std::string big(20000, 'x');
        p.append(1, big);  // does not fit the open batch: a second batch, the first is full
        p.client->setNodeReady(1, false);
        p.sender->runOnce();
        ev = p.takeEvents();
        QCOMPARE(reasonOf(verdictFor(ev, 1)), ReadyReason::ConnectionFailed);
        p.client->setNodeReady(1, true);
        p.sender->runOnce();
        ev = p.takeEvents();
        QCOMPARE(reasonOf(verdictFor(ev, 1)), ReadyReason::BatchFull);
    }

    // max.request.size lets one batch through per drain: node 0's drainIndex rotates between
    // its partitions P0 and P2 (Java keeps it per node so none starves).
    void drainIndexRotatesPerNode() {
        Pipeline p(plain({{"max.request.size", "150"}, {"batch.size", "100"}}), {0, 1, 0});
        p.events.setEnabled(true);
        (void)p.takeEvents();
        const std::string v(80, 'v');
        for (int round = 0; round < 2; ++round) {
            p.append(0, v);
            p.append(2, v);
        }
        std::vector<std::pair<int32_t, int32_t>> rotations;  // (drainIndex, nextDrainIndex)
        std::vector<int32_t> order;
        for (int i = 0; i < 4; ++i) {
            p.sender->runOnce();
            for (auto* r : p.client->pendingProduce())
                p.client->respond(r->correlationId,
                                  MockClient::produceResponse(*r, ErrorCode::NONE));
            for (const Event& e : p.takeEvents()) {
                if (e.type == EventType::NodeDrained && e.nodeId == 0 && e.batchCount > 0) {
                    rotations.emplace_back(e.drainIndex, e.nextDrainIndex);
                    QCOMPARE(e.partitionCount, 2);
                    QCOMPARE(e.batchCount, 1);
                }
                if (e.type == EventType::BatchDrained && e.nodeId == 0)
                    order.push_back(e.partition);
            }
        }
        // Starts at 0, stops at P2 (does not fit): the next drain starts there, and so on.
        const std::vector<std::pair<int32_t, int32_t>> wantRotations = {
            {0, 1}, {1, 0}, {0, 1}, {1, 0}};
        QCOMPARE(rotations, wantRotations);
        QCOMPARE(order, (std::vector<int32_t>{0, 2, 0, 2}));
    }

    // RequestSent carries its batches' totals; RequestWritten the frame's size, and the kept
    // frame parses back to the request the client received.
    void requestSentAndWrittenCarryTheirSizes() {
        Pipeline p(plain({}), {0, 1, 0});
        p.events.setEnabled(true);
        p.sender->requestFrames().setCapacity(8);
        (void)p.takeEvents();
        p.append(0, "first");
        p.append(0, "second");
        p.append(2, "third");
        p.sender->runOnce();
        auto ev = p.takeEvents();
        auto sent = ofType(ev, EventType::RequestSent);
        QCOMPARE(sent.size(), size_t{1});
        QCOMPARE(sent[0].nodeId, 0);
        QCOMPARE(sent[0].recordCount, 3);
        QCOMPARE(sent[0].batchCount, 2);
        QCOMPARE(ofType(ev, EventType::BatchDrained).size(), size_t{2});
        auto written = ofType(ev, EventType::RequestWritten);
        QCOMPARE(written.size(), size_t{1});
        QCOMPARE(written[0].correlationId, sent[0].correlationId);
        QCOMPARE(written[0].apiKey, static_cast<int16_t>(bs::protocol::ApiKey::Produce));
        QVERIFY(written[0].bytes > sent[0].bytes);  // frame = prefix + header + body
        QCOMPARE(written[0].attempts, 1);           // a response is expected

        RequestFrame frame;
        QVERIFY(p.sender->requestFrames().find(0, sent[0].correlationId, frame));
        QCOMPARE(frame.frameSize, written[0].bytes);
        QCOMPARE(static_cast<int64_t>(frame.bytes.size()), frame.frameSize);
        auto parsed = bs::protocol::parseRequestFrame(
            std::span<const uint8_t>(frame.bytes).subspan(bs::protocol::kFrameSizeBytes));
        QVERIFY(parsed.ok());
        QCOMPARE(parsed->header.correlationId, sent[0].correlationId);
        bs::protocol::ProduceRequest req;
        QVERIFY(bs::protocol::decodeBody(req, parsed->header.apiVersion, parsed->body).ok());
        QCOMPARE(Pipeline::partitionsOf(req), (std::vector<int32_t>{0, 2}));
        QCOMPARE(Pipeline::values(req, 0), (std::vector<std::string>{"first", "second"}));
        int64_t recordsBytes = 0;
        for (const auto& t : req.topicData)
            for (const auto& pd : t.partitionData)
                recordsBytes += static_cast<int64_t>(pd.records.bytes.size());
        QCOMPARE(sent[0].bytes, recordsBytes);
        auto pending = p.client->pendingProduce();
        QCOMPARE(pending.size(), size_t{1});
        QVERIFY(std::equal(parsed->body.begin(), parsed->body.end(), pending[0]->body.begin(),
                           pending[0]->body.end()));
    }

    // Each of these was published twice (by the accumulator and by the Sender).
    void expiredRetriedAndSplitArePublishedOnce() {
        Pipeline p(plain({{"delivery.timeout.ms", "1000"},
                          {"request.timeout.ms", "500"},
                          {"linger.ms", "400"},
                          {"retry.backoff.ms", "10"},
                          {"retry.backoff.max.ms", "10"}}),
                   {0, 1, 0});
        p.events.setEnabled(true);
        (void)p.takeEvents();
        p.append(1, "late");
        p.clock.sleepMs(1000);
        p.sender->runOnce();
        QCOMPARE(ofType(p.takeEvents(), EventType::BatchExpired).size(), size_t{1});

        p.append(0, "again");
        p.clock.sleepMs(400);
        p.sender->runOnce();
        auto* r = p.client->pendingProduce().at(0);
        p.client->respond(r->correlationId,
                          MockClient::produceResponse(*r, ErrorCode::REQUEST_TIMED_OUT));
        p.sender->runOnce();
        QCOMPARE(ofType(p.takeEvents(), EventType::BatchRetried).size(), size_t{1});
        p.clock.sleepMs(400);
        p.sender->runOnce();
        r = p.client->pendingProduce().at(0);
        p.client->respond(r->correlationId, MockClient::produceResponse(*r, ErrorCode::NONE));
        p.sender->runOnce();

        p.append(2, "one");
        p.append(2, "two");
        p.clock.sleepMs(400);
        p.sender->runOnce();
        r = p.client->pendingProduce().at(0);
        p.client->respond(r->correlationId,
                          MockClient::produceResponse(*r, ErrorCode::MESSAGE_TOO_LARGE));
        p.sender->runOnce();
        QCOMPARE(ofType(p.takeEvents(), EventType::BatchSplit).size(), size_t{1});
    }

    // NOT_LEADER_OR_FOLLOWER: the refresh is asked for with its cause, the Metadata request is
    // written, the update arrives and the retried batch goes to the new leader, in that order.
    void leaderMoveShowsTheRefreshAndItsCause() {
        Pipeline p(plain({{"retry.backoff.ms", "100"}, {"retry.backoff.max.ms", "100"}}),
                   {0, 1, 0});
        p.events.setEnabled(true);
        (void)p.takeEvents();
        p.append(1, "moved");
        p.sender->runOnce();
        auto* r = p.client->pendingProduce().at(0);
        QCOMPARE(r->destination, 1);
        p.client->autoMetadata(metadataFor("t", {0, 0, 0}));
        p.client->respond(r->correlationId,
                          MockClient::produceResponse(*r, ErrorCode::NOT_LEADER_OR_FOLLOWER));
        std::vector<Event> ev;
        // A retry may go to the old leader before the refresh lands (the refresh is sent after
        // the drain of an iteration, as Java's poll does); it is refused again.
        auto toNewLeader = [&] {
            for (auto* q : p.client->pendingProduce())
                if (q->destination == 0) return true;
            // Every pending one goes to node 1 (answering one invalidates the others' pointers).
            while (!p.client->pendingProduce().empty()) {
                auto* q = p.client->pendingProduce().front();
                p.client->respond(q->correlationId, MockClient::produceResponse(
                                                        *q, ErrorCode::NOT_LEADER_OR_FOLLOWER));
            }
            return false;
        };
        for (int i = 0; i < 8 && !toNewLeader(); ++i) {
            p.sender->runOnce();
            p.clock.sleepMs(100);
        }
        ev = p.takeEvents();
        auto at = [&](auto pred) { return std::find_if(ev.begin(), ev.end(), pred) - ev.begin(); };
        const auto requested = at([](const Event& e) {
            return e.type == EventType::MetadataRequested &&
                   static_cast<MetadataCause>(e.reason) == MetadataCause::ErrorResponse;
        });
        QVERIFY(requested < static_cast<ptrdiff_t>(ev.size()));
        QCOMPARE(ev[static_cast<size_t>(requested)].partition, 1);
        QCOMPARE(ev[static_cast<size_t>(requested)].errorCode,
                 static_cast<int16_t>(ErrorCode::NOT_LEADER_OR_FOLLOWER));
        const auto metadataWritten = at([](const Event& e) {
            return e.type == EventType::RequestWritten &&
                   e.apiKey == static_cast<int16_t>(bs::protocol::ApiKey::Metadata);
        });
        const auto updated =
            at([](const Event& e) { return e.type == EventType::MetadataUpdated; });
        const auto redrained = at([](const Event& e) {
            return e.type == EventType::BatchDrained && e.partition == 1 && e.nodeId == 0;
        });
        QVERIFY(requested < metadataWritten);
        QVERIFY(metadataWritten < updated);
        QVERIFY(updated < redrained);
        QVERIFY(redrained < static_cast<ptrdiff_t>(ev.size()));
    }

    // A partition without a leader: the refresh names it.
    void unknownLeaderNamesThePartition() {
        Pipeline p(plain({}), {0, 1, 0});
        p.events.setEnabled(true);
        p.client->autoMetadata(metadataFor("t", {0, -1, 0}));
        p.metadata->requestUpdate();
        p.clock.sleepMs(200);  // past the refresh backoff
        p.sender->runOnce();
        QVERIFY(!p.metadata->fetch()->leaderFor(TopicPartition{"t", 1}));
        (void)p.takeEvents();
        p.append(1, "nowhere");
        p.sender->runOnce();
        auto req = ofType(p.takeEvents(), EventType::MetadataRequested);
        QVERIFY(!req.empty());
        QCOMPARE(static_cast<MetadataCause>(req[0].reason), MetadataCause::UnknownLeader);
        QCOMPARE(req[0].partition, 1);
        QCOMPARE(p.events.topicName(req[0].topicId), std::string("t"));
    }

    // Step only while paused, exactly one drain per Step; a Step asked while running is not
    // remembered (it used to be replayed as a drain after a later pause).
    void stepRunsOneIterationOnlyWhilePaused() {
        Pipeline p(plain({}), {0, 1, 0});
        p.events.setEnabled(true);
        QVERIFY(!p.sender->step());  // running: refused
        QVERIFY(!p.sender->step());
        p.sender->pause(true);
        p.sender->runOnce();
        (void)p.takeEvents();
        p.append(0, "a");
        p.sender->runOnce();
        p.sender->runOnce();
        QCOMPARE(p.client->produceRequestsSent(), size_t{0});  // the refused steps did nothing
        QVERIFY(ofType(p.takeEvents(), EventType::ReadyChecked).empty());
        QVERIFY(p.sender->step());
        p.sender->runOnce();
        QCOMPARE(p.client->produceRequestsSent(), size_t{1});
        auto checked = ofType(p.takeEvents(), EventType::ReadyChecked);
        QCOMPARE(checked.size(), size_t{1});
        QVERIFY(checked[0].step);
        p.append(2, "b");
        p.sender->runOnce();
        p.sender->runOnce();
        QCOMPARE(p.client->produceRequestsSent(), size_t{1});  // one step, one drain
        p.sender->pause(false);
        p.sender->runOnce();
        QCOMPARE(p.client->produceRequestsSent(), size_t{2});
    }
};

QTEST_GUILESS_MAIN(TestSenderEvents)
#include "test_sender_events.moc"
