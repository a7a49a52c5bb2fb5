// Sender rules with the test NetworkClient and MockClock: no sockets, no sleeping.
#include "sender_fixture.h"

#include <QtTest/QtTest>

using namespace bs::producer;
using namespace bs::producer::test;
using bs::protocol::ErrorCode;

namespace {
using Overrides = std::map<std::string, std::string>;
const std::map<std::string, std::string> kPlain = {
    {"enable.idempotence", "false"}, {"acks", "1"}, {"linger.ms", "0"}};

std::map<std::string, std::string> with(std::map<std::string, std::string> base,
                                        const std::map<std::string, std::string>& extra) {
    for (const auto& [k, v] : extra)
        base[k] = v;
    return base;
}
}  // namespace

class TestSender : public QObject {
    Q_OBJECT
  private slots:
    void lingerDecidesWhenABatchIsSent() {
        Pipeline p(with(kPlain, {{"linger.ms", "100"}}));
        auto f = p.append(0, "a");
        p.sender->runOnce();
        QCOMPARE(p.client->pendingProduce().size(), size_t(0));
        p.clock.sleepMs(99);
        p.sender->runOnce();
        QCOMPARE(p.client->pendingProduce().size(), size_t(0));
        p.clock.sleepMs(1);
        p.sender->runOnce();
        QCOMPARE(p.client->pendingProduce().size(), size_t(1));
        QVERIFY(!f.isDone());
    }

    // Wakeups asked while the sender sleeps: the first interrupts the poll and publishes one
    // SenderWoken; the rest, asked before the sender wakes, are covered by it. The next
    // iteration starts afresh.
    void wakeupsWhileSleepingInterruptOnce() {
        Pipeline p(with(kPlain, {{"linger.ms", "100"}}));
        p.events.setEnabled(true);
        (void)p.takeEvents();
        p.client->duringPoll = [&] {
            for (int i = 0; i < 3; ++i)
                p.sender->wakeup();
        };
        p.sender->runOnce();
        QCOMPARE(p.client->wakeups, 1);
        auto woken = [&] {
            int n = 0;
            for (const Event& e : p.takeEvents())
                n += e.type == EventType::SenderWoken ? 1 : 0;
            return n;
        };
        QCOMPARE(woken(), 1);
        p.sender->runOnce();
        QCOMPARE(p.client->wakeups, 2);
        QCOMPARE(woken(), 1);
        // Asked while busy (not sleeping): no interrupt, but the iteration after does not sleep
        // through it (the flag is seen before polling).
        p.client->duringPoll = {};
        p.sender->wakeup();
        p.sender->wakeup();
        QCOMPARE(p.client->wakeups, 2);
        QCOMPARE(woken(), 0);
    }

    void oneRequestPerNodeWithOneBlobPerPartition() {
        Pipeline p(kPlain);  // p0 and p2 on node 0, p1 on node 1
        p.append(0, "a0");
        p.append(1, "b0");
        p.append(2, "c0");
        p.append(0, "a1");
        p.sender->runOnce();
        auto pending = p.client->pendingProduce();
        QCOMPARE(pending.size(), size_t(2));
        std::map<int32_t, bs::protocol::ProduceRequest> byNode;
        for (auto* r : pending)
            byNode[r->destination] = MockClient::decodeProduce(*r);
        QCOMPARE(Pipeline::partitionsOf(byNode[0]), (std::vector<int32_t>{0, 2}));
        QCOMPARE(Pipeline::partitionsOf(byNode[1]), (std::vector<int32_t>{1}));
        QCOMPARE(Pipeline::values(byNode[0], 0), (std::vector<std::string>{"a0", "a1"}));
        QCOMPARE(Pipeline::values(byNode[0], 2), (std::vector<std::string>{"c0"}));
        QCOMPARE(byNode[0].acks, int16_t(1));
    }

    void completesFuturesWithOffsetsAndCallbacksInOrder() {
        Pipeline p(kPlain);
        std::vector<int64_t> seen;
        auto f0 = p.append(0, "a", [&](const RecordMetadata& md, const bs::Error* e) {
            QVERIFY(!e);
            seen.push_back(md.offset);
        });
        auto f1 = p.append(
            0, "b", [&](const RecordMetadata& md, const bs::Error*) { seen.push_back(md.offset); });
        p.sender->runOnce();
        auto* r = p.client->pendingProduce().at(0);
        p.client->respond(r->correlationId, MockClient::produceResponse(*r, ErrorCode::NONE, 40));
        p.sender->runOnce();
        QVERIFY(f0.isDone() && f1.isDone());
        QCOMPARE(f0.get()->offset, int64_t(40));
        QCOMPARE(f1.get()->offset, int64_t(41));
        QCOMPARE(f1.get()->partition, 0);
        QCOMPARE(seen, (std::vector<int64_t>{40, 41}));
        QVERIFY(f1.get()->timestamp > 0);  // create time when the broker gives none
    }

    void futuresCompleteOnlyAfterEveryCallbackOfTheBatch() {
        // Java's order (set, callbacks, done): whoever get()s or flush()es sees the callbacks.
        Pipeline p(kPlain);
        FutureRecordMetadata f1;
        std::vector<bool> doneInCallback;
        auto f0 = p.append(0, "a", [&](const RecordMetadata&, const bs::Error*) {
            doneInCallback.push_back(f1.isDone());
        });
        f1 = p.append(0, "b", [&](const RecordMetadata&, const bs::Error*) {
            doneInCallback.push_back(f1.isDone());
        });
        p.sender->runOnce();
        auto* r = p.client->pendingProduce().at(0);
        p.client->respond(r->correlationId, MockClient::produceResponse(*r, ErrorCode::NONE, 7));
        p.sender->runOnce();
        QCOMPARE(doneInCallback, (std::vector<bool>{false, false}));
        QVERIFY(f0.isDone() && f1.isDone());
    }

    void inFlightLimitPerConnection() {
        Pipeline p(with(kPlain, {{"max.in.flight.requests.per.connection", "2"}}));
        for (int i = 0; i < 3; ++i) {
            p.append(0, "r" + std::to_string(i));
            p.sender->runOnce();
        }
        auto pending = p.client->pendingProduce();
        QCOMPARE(pending.size(), size_t(2));  // the third batch waits for a free slot
        p.client->respond(pending[0]->correlationId,
                          MockClient::produceResponse(*pending[0], ErrorCode::NONE, 0));
        p.sender->runOnce();  // response handled
        p.sender->runOnce();  // third batch sent
        pending = p.client->pendingProduce();
        QCOMPARE(pending.size(), size_t(2));
        QCOMPARE(Pipeline::values(MockClient::decodeProduce(*pending[1]), 0),
                 (std::vector<std::string>{"r2"}));
    }

    void requestTimeoutDisconnectsAndRetries() {
        Pipeline p(with(kPlain, {{"request.timeout.ms", "1000"}}));
        auto f = p.append(0, "x");
        p.sender->runOnce();
        QCOMPARE(p.client->produceRequestsSent(), size_t(1));
        p.clock.sleepMs(1000);
        p.sender->runOnce();  // timed out -> re-enqueued with backoff
        QVERIFY(!f.isDone());
        QCOMPARE(p.client->pendingProduce().size(), size_t(0));
        p.clock.sleepMs(120);  // retry.backoff.ms + 20% jitter
        p.sender->runOnce();
        p.sender->runOnce();
        auto pending = p.client->pendingProduce();
        QCOMPARE(pending.size(), size_t(1));
        QCOMPARE(Pipeline::values(MockClient::decodeProduce(*pending[0]), 0),
                 (std::vector<std::string>{"x"}));
        p.client->respond(pending[0]->correlationId,
                          MockClient::produceResponse(*pending[0], ErrorCode::NONE, 7));
        p.sender->runOnce();
        QCOMPARE(f.get()->offset, int64_t(7));
        QVERIFY(p.metrics->value("record-retry-total") >= 1.0);
    }

    // Java rule (NetworkClient.handleTimedOutRequests -> processTimeoutDisconnection, and
    // Sender.handleProduceResponse): a request past request.timeout.ms closes the connection and
    // every request on it completes with wasTimedOut(); their batches get REQUEST_TIMED_OUT
    // ("Disconnected from node N due to timeout"), a retriable TimeoutException, not
    // NETWORK_EXCEPTION, which stays for plain disconnects.
    void requestTimeoutIsReportedAsRequestTimedOut() {
        Pipeline p(with(kPlain, {{"request.timeout.ms", "1000"}, {"retries", "1"}}));
        p.events.setEnabled(true);
        auto f = p.append(0, "x");
        p.sender->runOnce();
        (void)p.takeEvents();
        p.clock.sleepMs(1000);
        p.sender->runOnce();
        auto errorOf = [](const std::vector<Event>& events, EventType type) {
            for (const Event& e : events)
                if (e.type == type) return ErrorCode(e.errorCode);
            return ErrorCode::UNKNOWN_SERVER_ERROR;
        };
        auto events = p.takeEvents();
        QCOMPARE(errorOf(events, EventType::ResponseReceived), ErrorCode::REQUEST_TIMED_OUT);
        // Retriable: the batch goes back to its deque.
        QCOMPARE(errorOf(events, EventType::BatchRetried), ErrorCode::REQUEST_TIMED_OUT);
        QVERIFY(!f.isDone());
        p.clock.sleepMs(120);
        p.sender->runOnce();  // the refresh the disconnect asked for goes first
        p.sender->runOnce();
        QCOMPARE(p.client->pendingProduce().size(), size_t(1));
        // Out of retries, the error the application sees names the timeout as Java's does.
        p.clock.sleepMs(1000);
        p.sender->runOnce();
        QVERIFY(f.isDone());
        QCOMPARE(f.get().error().message,
                 std::string("REQUEST_TIMED_OUT: Disconnected from node 0 due to timeout"));

        // A disconnect that is not a timeout stays NETWORK_EXCEPTION.
        auto g = p.append(0, "y");
        p.sender->runOnce();  // metadata first again
        p.sender->runOnce();
        QCOMPARE(p.client->pendingProduce().size(), size_t(1));
        (void)p.takeEvents();
        p.client->disconnect(0);
        p.sender->runOnce();
        QCOMPARE(errorOf(p.takeEvents(), EventType::ResponseReceived),
                 ErrorCode::NETWORK_EXCEPTION);
    }

    // Java rule (NetworkClient.isReady = !metadataUpdater.isUpdateDue(now) && canSendRequest):
    // while a metadata refresh is due and none is in flight no node is ready, so the Metadata
    // request (sent with canSendRequest only) goes before more produce data.
    void metadataUpdateDueHoldsProduceForOneIteration() {
        Pipeline p(kPlain);
        p.events.setEnabled(true);
        p.clock.sleepMs(1000);  // past the refresh backoff
        p.metadata->requestUpdate();
        QVERIFY(p.client->canSendRequest(0, p.clock.nowMs()));
        QVERIFY(!p.client->isReady(0, p.clock.nowMs()));
        (void)p.takeEvents();
        p.append(0, "after the refresh");
        p.sender->runOnce();
        QCOMPARE(p.client->produceRequestsSent(), size_t(0));
        bool sawDue = false, metadataSent = false;
        for (const Event& e : p.takeEvents()) {
            sawDue |= e.type == EventType::ReadyVerdict && e.nodeId == 0 &&
                      ReadyReason(e.reason) == ReadyReason::MetadataUpdateDue;
            metadataSent |= e.type == EventType::MetadataUpdated;
        }
        QVERIFY(sawDue);
        QVERIFY(metadataSent);
        p.sender->runOnce();
        QCOMPARE(p.client->produceRequestsSent(), size_t(1));
    }

    // Java rule (InFlightRequests.canSendMore): a node with fewer than
    // max.in.flight.requests.per.connection requests in flight is still not ready while the
    // newest request to it is being written.
    void nodeWaitsForThePreviousRequestToBeWritten() {
        Pipeline p(kPlain);
        p.events.setEnabled(true);
        p.client->stallWrites(0, true);
        p.append(0, "first");
        p.sender->runOnce();
        QCOMPARE(p.client->produceRequestsSent(), size_t(1));
        (void)p.takeEvents();
        p.append(0, "second");
        p.sender->runOnce();
        QCOMPARE(p.client->produceRequestsSent(), size_t(1));
        bool sawInProgress = false;
        for (const Event& e : p.takeEvents())
            sawInProgress |= e.type == EventType::ReadyVerdict && e.nodeId == 0 &&
                             ReadyReason(e.reason) == ReadyReason::SendInProgress;
        QVERIFY(sawInProgress);
        p.client->stallWrites(0, false);  // written
        p.sender->runOnce();
        QCOMPARE(p.client->produceRequestsSent(), size_t(2));
        QCOMPARE(p.client->pendingProduce().size(), size_t(2));
    }

    void retriableErrorRetriesInOrderAfterBackoff() {
        // One in flight: the second batch must not overtake the retried first one.
        Pipeline p(with(
            kPlain, {{"max.in.flight.requests.per.connection", "1"}, {"retry.backoff.ms", "100"}}));
        auto f0 = p.append(0, "first");
        p.sender->runOnce();
        auto* r = p.client->pendingProduce().at(0);
        auto f1 = p.append(0, "second");
        p.events.setEnabled(true);
        p.client->respond(r->correlationId,
                          MockClient::produceResponse(*r, ErrorCode::NOT_LEADER_OR_FOLLOWER));
        p.sender->runOnce();
        // One retry, one event (accumulator and sender share the stream, as in the producer),
        // naming the broker's error (the GUI shows it on the request).
        auto events = p.takeEvents();
        const auto isRetry = [](const Event& e) { return e.type == EventType::BatchRetried; };
        QCOMPARE(std::count_if(events.begin(), events.end(), isRetry), std::ptrdiff_t{1});
        auto retried = std::find_if(events.begin(), events.end(), isRetry);
        QCOMPARE(retried->errorCode, int16_t(ErrorCode::NOT_LEADER_OR_FOLLOWER));
        p.events.setEnabled(false);
        p.clock.sleepMs(79);  // backoff is 100 ms with +-20% jitter (KIP-580)
        p.sender->runOnce();
        QCOMPARE(p.client->pendingProduce().size(), size_t(0));  // still backing off
        p.clock.sleepMs(41);
        p.sender->runOnce();  // the refresh NOT_LEADER_OR_FOLLOWER asked for goes first
        p.sender->runOnce();
        auto pending = p.client->pendingProduce();
        QCOMPARE(pending.size(), size_t(1));
        QCOMPARE(Pipeline::values(MockClient::decodeProduce(*pending[0]), 0),
                 (std::vector<std::string>{"first"}));
        p.client->respond(pending[0]->correlationId,
                          MockClient::produceResponse(*pending[0], ErrorCode::NONE, 10));
        p.sender->runOnce();
        p.sender->runOnce();
        pending = p.client->pendingProduce();
        QCOMPARE(pending.size(), size_t(1));
        QCOMPARE(Pipeline::values(MockClient::decodeProduce(*pending[0]), 0),
                 (std::vector<std::string>{"second"}));
        p.client->respond(pending[0]->correlationId,
                          MockClient::produceResponse(*pending[0], ErrorCode::NONE, 11));
        p.sender->runOnce();
        QCOMPARE(f0.get()->offset, int64_t(10));
        QCOMPARE(f1.get()->offset, int64_t(11));
    }

    void nonRetriableErrorFailsOnlyThatPartition() {
        Pipeline p(kPlain);
        auto bad = p.append(0, "a");
        auto good = p.append(2, "c");
        bool callbackSawError = false;
        p.append(0, "a2", [&](const RecordMetadata& md, const bs::Error* e) {
            callbackSawError = e && md.partition == 0 && md.offset == -1;
        });
        p.sender->runOnce();
        auto* r = p.client->pendingProduce().at(0);
        p.client->respond(r->correlationId,
                          MockClient::produceResponse(*r, ErrorCode::NONE, 5,
                                                      {{{"t", 0}, ErrorCode::INVALID_TIMESTAMP}}));
        p.sender->runOnce();
        auto badResult = bad.get();
        QVERIFY(!badResult.ok());
        QVERIFY(badResult.error().message.find("INVALID_TIMESTAMP") != std::string::npos);
        QVERIFY(callbackSawError);
        QCOMPARE(good.get()->offset, int64_t(5));
        QCOMPARE(p.client->pendingProduce().size(), size_t(0));  // not retried
        QCOMPARE(p.metrics->value("record-error-total"), 2.0);
    }

    void messageTooLargeSplitsTheBatch() {
        Pipeline p(with(kPlain, {{"linger.ms", "10"}}));
        std::vector<FutureRecordMetadata> futures;
        for (int i = 0; i < 8; ++i)
            futures.push_back(p.append(0, "v" + std::to_string(i)));
        p.clock.sleepMs(10);
        p.sender->runOnce();
        auto* r = p.client->pendingProduce().at(0);
        QCOMPARE(Pipeline::values(MockClient::decodeProduce(*r), 0).size(), size_t(8));
        p.client->respond(r->correlationId,
                          MockClient::produceResponse(*r, ErrorCode::MESSAGE_TOO_LARGE));
        std::vector<std::string> resent;
        int64_t offset = 100;
        for (int round = 0; round < 20 && resent.size() < 8; ++round) {
            p.sender->runOnce();
            for (auto* q : p.client->pendingProduce()) {
                auto req = MockClient::decodeProduce(*q);
                auto vals = Pipeline::values(req, 0);
                resent.insert(resent.end(), vals.begin(), vals.end());
                p.client->respond(q->correlationId,
                                  MockClient::produceResponse(*q, ErrorCode::NONE, offset));
                offset += static_cast<int64_t>(vals.size());
            }
        }
        p.sender->runOnce();
        // Split (Java splits by batch.size) and resent without losing or reordering a record.
        QCOMPARE(p.metrics->value("batch-split-total"), 1.0);
        QCOMPARE(p.metrics->value("record-retry-total"), 0.0);
        QCOMPARE(resent.size(), size_t(8));
        for (int i = 0; i < 8; ++i) {
            QCOMPARE(resent[static_cast<size_t>(i)], "v" + std::to_string(i));
            QVERIFY(futures[static_cast<size_t>(i)].isDone());
            QCOMPARE(futures[static_cast<size_t>(i)].get()->offset, int64_t(100 + i));
        }
    }

    void acksZeroCompletesWithoutResponse() {
        Pipeline p(with(kPlain, {{"acks", "0"}}));
        auto f = p.append(1, "fire");
        p.sender->runOnce();
        p.sender->runOnce();
        QVERIFY(f.isDone());
        QVERIFY(f.get().ok());
        QCOMPARE(f.get()->offset, int64_t(-1));
        QCOMPARE(f.get()->partition, 1);
        QCOMPARE(p.client->produceRequestsSent(), size_t(1));
    }

    void deliveryTimeoutExpiresQueuedBatches() {
        Pipeline p(with(kPlain, {{"request.timeout.ms", "1000"}, {"delivery.timeout.ms", "1500"}}));
        p.client->setNodeReady(0, false);
        auto f = p.append(0, "stuck");
        p.sender->runOnce();
        p.clock.sleepMs(1499);
        p.sender->runOnce();
        QVERIFY(!f.isDone());
        p.clock.sleepMs(1);
        p.sender->runOnce();
        QVERIFY(f.isDone());
        QVERIFY(f.get().error().message.find("Expiring 1 record(s)") != std::string::npos);
    }

    // A batch that becomes drainable in the iteration its delivery timeout passes (here: the
    // node comes back just then) expires and is NOT sent: its buffer is already back in the
    // pool (Java drains first and can send the freed buffer).
    void batchExpiringWhenDrainableIsNotSent() {
        Pipeline p(with(kPlain, {{"request.timeout.ms", "1000"}, {"delivery.timeout.ms", "1500"}}));
        p.client->setNodeReady(0, false);
        auto f = p.append(0, "late");
        p.sender->runOnce();
        p.clock.sleepMs(1500);
        p.client->setNodeReady(0, true);
        p.sender->runOnce();
        QVERIFY(f.isDone());
        QVERIFY(f.get().error().message.find("Expiring 1 record(s)") != std::string::npos);
        QCOMPARE(p.client->pendingProduce().size(), size_t(0));
        QCOMPARE(p.client->produceRequestsSent(), size_t(0));
    }

    // A leader whose connection failed may no longer lead: the sender asks for metadata even
    // with nothing in flight (Java: DefaultMetadataUpdater.handleServerDisconnect).
    void failedConnectionToALeaderRefreshesMetadata() {
        Pipeline p(kPlain);
        const int64_t before = p.metadata->updateVersion();
        p.clock.sleepMs(1000);  // past retry.backoff.ms
        p.client->setNodeReady(0, false);
        auto f = p.append(0, "x");
        for (int i = 0; i < 3; ++i)
            p.sender->runOnce();
        QVERIFY(p.metadata->updateVersion() > before);
        QVERIFY(!f.isDone());
    }

    void deliveryTimeoutExpiresInFlightBatches() {
        Pipeline p(with(kPlain, {{"request.timeout.ms", "1000"}, {"delivery.timeout.ms", "1000"}}));
        auto f = p.append(0, "slow");
        p.sender->runOnce();
        QCOMPARE(p.client->pendingProduce().size(), size_t(1));
        p.clock.sleepMs(1000);
        p.sender->runOnce();
        QVERIFY(f.isDone());
        QVERIFY(!f.get().ok());
    }

    void garbageResponseIsRetried() {
        Pipeline p(kPlain);
        auto f = p.append(0, "g");
        p.sender->runOnce();
        auto* r = p.client->pendingProduce().at(0);
        p.client->respondRaw(r->correlationId, {0xde, 0xad});
        p.sender->runOnce();
        QVERIFY(!f.isDone());
        p.clock.sleepMs(120);
        p.sender->runOnce();
        p.sender->runOnce();
        auto pending = p.client->pendingProduce();
        QCOMPARE(pending.size(), size_t(1));
        p.client->respond(pending[0]->correlationId,
                          MockClient::produceResponse(*pending[0], ErrorCode::NONE, 3));
        p.sender->runOnce();
        QCOMPARE(f.get()->offset, int64_t(3));
    }

    void throwingCallbackDoesNotStopTheSender() {
        Pipeline p(kPlain);
        auto f0 = p.append(0, "a", [](const RecordMetadata&, const bs::Error*) {
            throw std::runtime_error("user bug");
        });
        auto f1 = p.append(0, "b");
        p.sender->runOnce();
        auto* r = p.client->pendingProduce().at(0);
        p.client->respond(r->correlationId, MockClient::produceResponse(*r, ErrorCode::NONE, 1));
        p.sender->runOnce();
        QCOMPARE(f0.get()->offset, int64_t(1));
        QCOMPARE(f1.get()->offset, int64_t(2));
        auto f2 = p.append(0, "c");
        p.sender->runOnce();
        QCOMPARE(p.client->pendingProduce().size(), size_t(1));
        QVERIFY(!f2.isDone());
    }

    void idempotenceAssignsSequencesPerPartition() {
        Pipeline p(Overrides{{"linger.ms", "0"}});  // idempotence and acks=all are the defaults
        QCOMPARE(p.client->initProducerIdRequests(), 1);
        std::vector<int32_t> sequences;
        for (int i = 0; i < 3; ++i) {
            p.append(0, "a" + std::to_string(i));
            if (i == 1) p.append(0, "a1b");
            p.sender->runOnce();
        }
        for (auto* r : p.client->pendingProduce()) {
            bs::protocol::RecordBatchHeader h;
            Pipeline::values(MockClient::decodeProduce(*r), 0, &h);
            QCOMPARE(h.producerId, int64_t(1000));
            QCOMPARE(h.producerEpoch, int16_t(0));
            sequences.push_back(h.baseSequence);
        }
        QCOMPARE(sequences, (std::vector<int32_t>{0, 1, 3}));
        QCOMPARE(MockClient::decodeProduce(*p.client->pendingProduce()[0]).acks, int16_t(-1));
    }

    void outOfOrderSequenceBumpsTheEpoch() { epochBumpOn(ErrorCode::OUT_OF_ORDER_SEQUENCE_NUMBER); }
    void unknownProducerIdBumpsTheEpoch() { epochBumpOn(ErrorCode::UNKNOWN_PRODUCER_ID); }

    void duplicateSequenceCountsAsSuccess() {
        Pipeline p(Overrides{{"linger.ms", "0"}});
        auto f = p.append(0, "dup");
        p.sender->runOnce();
        auto* r = p.client->pendingProduce().at(0);
        p.client->respond(r->correlationId,
                          MockClient::produceResponse(*r, ErrorCode::DUPLICATE_SEQUENCE_NUMBER));
        p.sender->runOnce();
        QVERIFY(f.get().ok());
    }

    // The first Metadata and InitProducerId both go to the bootstrap node; the metadata names
    // the brokers and the bootstrap connection closes, cutting InitProducerId. Nothing failed on
    // a broker: the next iteration asks a listed node without waiting retry.backoff.ms (the
    // first records used to wait those 100 ms).
    void initProducerIdCutByTheBootstrapNodeLeavingIsRetriedAtOnce() {
        Pipeline p({{"enable.idempotence", "true"}, {"acks", "all"}, {"linger.ms", "0"}}, {0, 1, 0},
                   false);
        p.sender->runOnce();  // Metadata to the bootstrap node (InitProducerId waits for it)
        p.sender->runOnce();  // InitProducerId to the bootstrap node
        QCOMPARE(p.client->inFlightRequestCount(-1), 2);
        p.client->respond(0, metadataFor("t", {0, 1, 0}));
        p.client->autoInitProducerId(1000);
        p.sender->runOnce();  // the metadata arrives
        p.sender->runOnce();  // brokers 0 and 1 replace node -1: InitProducerId is cut
        QCOMPARE(p.client->inFlightRequestCount(-1), 0);
        QVERIFY(!p.tm->producerIdAndEpoch().isValid());
        p.sender->runOnce();  // same instant: asked again, of a listed broker
        QCOMPARE(p.client->initProducerIdRequests(), 1);
        p.sender->runOnce();
        QVERIFY(p.tm->producerIdAndEpoch().isValid());
    }

    // A listed broker dropping the connection is a broker problem: InitProducerId backs off.
    void initProducerIdCutByAListedBrokerBacksOff() {
        Pipeline p({{"enable.idempotence", "true"}, {"acks", "all"}, {"linger.ms", "0"}}, {0, 1, 0},
                   false);
        p.client->autoMetadata(metadataFor("t", {0, 1, 0}));
        for (int i = 0; i < 3; ++i)
            p.sender->runOnce();  // metadata, then InitProducerId to broker 0 or 1
        QCOMPARE(p.client->inFlightRequestCount(), 1);
        p.client->autoInitProducerId(1000);
        p.client->disconnect(0);
        p.client->disconnect(1);
        p.sender->runOnce();  // the cut InitProducerId is seen
        p.sender->runOnce();
        QCOMPARE(p.client->initProducerIdRequests(), 0);
        p.clock.sleepMs(p.config.retryBackoffMs);
        p.sender->runOnce();
        QCOMPARE(p.client->initProducerIdRequests(), 1);
    }

    // Java rule (Sender.sendProducerData + NetworkClient.poll): a node that is not ready adds
    // client.pollDelayMs(node) = ClusterConnectionStates.connectionDelay to the poll timeout,
    // and DefaultMetadataUpdater.maybeUpdate returns reconnect.backoff.ms when no node can take
    // the metadata request (leastLoadedNode null), so with every broker down or backing off the
    // sender sleeps until the earliest reconnect/metadata/linger/expiry deadline instead of
    // spinning. The mock client advances the mock clock by each poll's timeout.
    void idleSenderSleepsWhileNoBrokerIsReachable() {
        Pipeline p(
            with(kPlain, {{"reconnect.backoff.ms", "1000"}, {"reconnect.backoff.max.ms", "1000"}}));
        p.client->setReconnectBackoff(1000);
        p.client->advanceClockOnPoll(&p.clock);
        p.client->setNodeReady(0, false);
        p.client->setNodeReady(1, false);
        auto f0 = p.append(0, "waits for node 0");
        auto f1 = p.append(1, "waits for node 1");
        const int64_t start = p.clock.nowMs();
        const auto before = p.client->pollTimeouts.size();
        int iterations = 0;
        while (p.clock.nowMs() - start < 4000 && iterations < 10'000) {
            p.sender->runOnce();
            ++iterations;
        }
        // Both nodes are tried once per reconnect.backoff.ms, and metadata is wanted once
        // the leaders are unreachable: about 2 wakeups per simulated second, not thousands.
        QVERIFY2(iterations <= 12, qPrintable(QString("%1 iterations in 4 s").arg(iterations)));
        int zeroTimeouts = 0;
        for (size_t i = before; i < p.client->pollTimeouts.size(); ++i)
            zeroTimeouts += p.client->pollTimeouts[i] == 0 ? 1 : 0;
        QCOMPARE(zeroTimeouts, 0);
        QCOMPARE(p.client->produceRequestsSent(), size_t(0));
        QVERIFY(!f0.isDone() && !f1.isDone());

        // The nodes back: the metadata refresh asked for during the outage goes first (no node
        // is ready while it is due), then the batches.
        p.client->setNodeReady(0, true);
        p.client->setNodeReady(1, true);
        p.sender->runOnce();
        QCOMPARE(p.client->produceRequestsSent(), size_t(0));
        p.sender->runOnce();
        QCOMPARE(p.client->pendingProduce().size(), size_t(2));
    }

    // Java rule (Sender.sendProducerData + TransactionManager.markSequenceUnresolved /
    // maybeResolveSequences, idempotent producer): a batch that expires while in retry leaves
    // its partition unresolved instead of bumping the epoch at once; when a later batch of the
    // partition is acknowledged (so the expired one was written) the sequences resolve with no
    // epoch bump, and the partition continues with the next sequence.
    void expiredBatchResolvedByALaterSuccessKeepsTheEpoch() {
        Pipeline p(Overrides{
            {"linger.ms", "0"}, {"request.timeout.ms", "1000"}, {"delivery.timeout.ms", "1500"}});
        auto fa = p.append(0, "a");
        p.sender->runOnce();
        p.clock.sleepMs(400);
        auto fb = p.append(0, "b");
        p.sender->runOnce();
        auto pending = p.client->pendingProduce();
        QCOMPARE(pending.size(), size_t(2));
        const int32_t reqA = pending[0]->correlationId;
        const int32_t reqB = pending[1]->correlationId;
        p.client->setNodeReady(0, false);  // a cannot be resent
        p.client->respond(reqA, MockClient::produceResponse(
                                    *pending[0], ErrorCode::NOT_ENOUGH_REPLICAS_AFTER_APPEND));
        p.sender->runOnce();
        QVERIFY(!fa.isDone());  // re-enqueued, in retry
        p.clock.sleepMs(900);   // b's request is still within request.timeout.ms
        auto* b = p.client->pendingProduce().at(0);
        QCOMPARE(b->correlationId, reqB);
        p.client->respond(reqB, MockClient::produceResponse(*b, ErrorCode::NONE, 1));
        p.sender->runOnce();
        QVERIFY(fb.get().ok());
        p.clock.sleepMs(200);  // a's delivery.timeout.ms has passed
        p.sender->runOnce();
        QVERIFY(fa.isDone() && !fa.get().ok());
        p.sender->runOnce();
        QVERIFY(!p.tm->hasUnresolvedSequence({"t", 0}));
        QVERIFY(!p.tm->epochBumpRequired());
        QCOMPARE(p.client->initProducerIdRequests(), 1);
        p.client->setNodeReady(0, true);
        auto fc = p.append(0, "c");
        for (int i = 0; i < 3 && p.client->pendingProduce().empty(); ++i)
            p.sender->runOnce();
        auto* c = p.client->pendingProduce().at(0);
        bs::protocol::RecordBatchHeader h;
        Pipeline::values(MockClient::decodeProduce(*c), 0, &h);
        QCOMPARE(h.producerEpoch, int16_t(0));
        QCOMPARE(h.baseSequence, 2);
    }

  private:
    void epochBumpOn(ErrorCode error) {
        Pipeline p(Overrides{{"linger.ms", "0"}});
        auto f0 = p.append(0, "acked");
        p.sender->runOnce();
        auto* r = p.client->pendingProduce().at(0);
        p.client->respond(r->correlationId, MockClient::produceResponse(*r, ErrorCode::NONE, 0));
        p.sender->runOnce();
        QVERIFY(f0.get().ok());

        auto f1 = p.append(0, "gap");
        p.sender->runOnce();
        r = p.client->pendingProduce().at(0);
        bs::protocol::RecordBatchHeader h;
        Pipeline::values(MockClient::decodeProduce(*r), 0, &h);
        QCOMPARE(h.baseSequence, 1);
        p.client->respond(r->correlationId, MockClient::produceResponse(*r, error));
        for (int i = 0; i < 4 && p.client->pendingProduce().empty(); ++i) {
            p.clock.sleepMs(100);
            p.sender->runOnce();
        }
        QCOMPARE(p.client->initProducerIdRequests(), 2);
        auto pending = p.client->pendingProduce();
        QCOMPARE(pending.size(), size_t(1));
        Pipeline::values(MockClient::decodeProduce(*pending[0]), 0, &h);
        QCOMPARE(h.producerEpoch, int16_t(1));
        QCOMPARE(h.baseSequence, 0);  // the partition restarts under the new epoch
        p.client->respond(pending[0]->correlationId,
                          MockClient::produceResponse(*pending[0], ErrorCode::NONE, 1));
        p.sender->runOnce();
        QCOMPARE(f1.get()->offset, int64_t(1));
        QCOMPARE(p.tm->lastAckedSequence({"t", 0}), std::optional<int32_t>(0));
    }
};

QTEST_GUILESS_MAIN(TestSender)
#include "test_sender.moc"
