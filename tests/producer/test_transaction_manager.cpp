// TransactionManager for the idempotent producer: sequences per partition, in-flight tracking,
// Java's canRetry rules for OUT_OF_ORDER_SEQUENCE_NUMBER / UNKNOWN_PRODUCER_ID /
// DUPLICATE_SEQUENCE_NUMBER, and the epoch bump that renumbers a partition from 0.
#include <QtTest>

#include "producer/transaction_manager.h"
#include "protocol/record/record_batch.h"

using namespace bs::producer;
using bs::protocol::ErrorCode;

namespace {

const TopicPartition tp0{"t", 0};
const TopicPartition tp1{"t", 1};

bs::protocol::InitProducerIdResponse granted(int64_t pid, int16_t epoch) {
    bs::protocol::InitProducerIdResponse r;
    r.producerId = pid;
    r.producerEpoch = epoch;
    return r;
}

// An InitProducerId round trip that the broker grants.
void grant(TransactionManager& tm, int64_t pid, int16_t epoch) {
    tm.initProducerIdRequest(4);
    if (!tm.handleInitProducerIdResponse(granted(pid, epoch)).ok()) qFatal("grant refused");
}

// What RecordAccumulator::drain does for a new batch of `records` records: producer state and
// sequence assigned under the current id/epoch, the batch tracked in flight, bytes finished.
ProducerBatchPtr drain(TransactionManager& tm, const TopicPartition& tp, int records) {
    auto batch = std::make_shared<ProducerBatch>(tp, ByteBuffer(4096),
                                                 bs::protocol::CompressionType::None, 0, 0);
    const std::string v = "value";
    const std::span<const uint8_t> bytes(reinterpret_cast<const uint8_t*>(v.data()), v.size());
    for (int i = 0; i < records; ++i) {
        if (!batch->tryAppend(i, std::nullopt, bytes, {}, {}, 0)) qFatal("batch full");
    }
    const auto pid = tm.producerIdAndEpoch();
    if (!pid.isValid()) qFatal("drained without a producer id");
    tm.maybeUpdateProducerIdAndEpoch(tp);
    batch->setProducerState(pid.producerId, pid.epoch, tm.sequenceNumber(tp));
    tm.incrementSequenceNumber(tp, batch->recordCount());
    tm.addInFlightBatch(batch);
    if (!batch->close().ok()) qFatal("close failed");
    return batch;
}

// The producer state written in the batch's bytes (what the broker sees).
struct WireState {
    int64_t producerId;
    int16_t epoch;
    int32_t baseSequence;
    friend bool operator==(const WireState&, const WireState&) = default;
};
WireState onTheWire(const ProducerBatch& b) {
    bs::protocol::RecordBatchReader reader(b.records());
    if (!reader.nextBatch()) qFatal("unreadable batch: %s", reader.error().c_str());
    const auto& h = reader.batch();
    return {h.producerId, h.producerEpoch, h.baseSequence};
}

}  // namespace

class TransactionManagerTest : public QObject {
    Q_OBJECT
  private slots:
    void nothingDrainsBeforeInitProducerId() {
        TransactionManager tm;
        QVERIFY(!tm.producerIdAndEpoch().isValid());
        QVERIFY(tm.needsInitProducerId());
        auto req = tm.initProducerIdRequest(4);
        QVERIFY(tm.initInFlight());
        QVERIFY(!tm.needsInitProducerId());     // one request at a time
        QCOMPARE(req.producerId, int64_t{-1});  // a fresh id, not a bump
        QCOMPARE(req.transactionTimeoutMs, INT32_MAX);
        QVERIFY(!tm.producerIdAndEpoch().isValid());
        QVERIFY(tm.handleInitProducerIdResponse(granted(1000, 0)).ok());
        QVERIFY(!tm.initInFlight());
        QVERIFY(!tm.needsInitProducerId());
        QCOMPARE(tm.producerIdAndEpoch().producerId, int64_t{1000});
        QCOMPARE(tm.producerIdAndEpoch().epoch, int16_t{0});
    }

    void initProducerIdErrorIsReportedAndAskedAgain() {
        TransactionManager tm;
        tm.initProducerIdRequest(4);
        bs::protocol::InitProducerIdResponse r;
        r.errorCode = ErrorCode::COORDINATOR_NOT_AVAILABLE;
        auto st = tm.handleInitProducerIdResponse(r);
        QVERIFY(!st.ok());
        QVERIFY2(st.message().find("COORDINATOR_NOT_AVAILABLE") != std::string::npos,
                 st.message().c_str());
        QVERIFY(tm.needsInitProducerId());
        tm.initProducerIdRequest(4);
        tm.initProducerIdFailed();  // a disconnect: ask again
        QVERIFY(tm.needsInitProducerId());
    }

    void sequencesArePerPartition() {
        TransactionManager tm;
        grant(tm, 7, 2);
        auto a = drain(tm, tp0, 3);
        auto b = drain(tm, tp1, 5);
        auto c = drain(tm, tp0, 4);
        QCOMPARE(onTheWire(*a), (WireState{7, 2, 0}));
        QCOMPARE(onTheWire(*b), (WireState{7, 2, 0}));
        QCOMPARE(onTheWire(*c), (WireState{7, 2, 3}));
        QCOMPARE(c->lastSequence(), 6);
        QCOMPARE(tm.sequenceNumber(tp0), 7);
        QCOMPARE(tm.sequenceNumber(tp1), 5);
        QCOMPARE(tm.sequenceNumber({"t", 2}), 0);
    }

    void inFlightTrackingAndAcks() {
        TransactionManager tm;
        grant(tm, 7, 0);
        QVERIFY(!tm.hasInflightBatches(tp0));
        QCOMPARE(tm.firstInFlightSequence(tp0), -1);
        auto a = drain(tm, tp0, 2);
        auto b = drain(tm, tp0, 2);
        QVERIFY(tm.hasInflightBatches(tp0));
        QVERIFY(!tm.hasInflightBatches(tp1));
        QCOMPARE(tm.firstInFlightSequence(tp0), 0);
        QCOMPARE(tm.lastAckedSequence(tp0), std::nullopt);

        tm.handleCompletedBatch(a);
        QCOMPARE(tm.firstInFlightSequence(tp0), 2);
        QCOMPARE(tm.lastAckedSequence(tp0), std::optional<int32_t>(1));
        tm.handleCompletedBatch(b);
        QVERIFY(!tm.hasInflightBatches(tp0));
        QCOMPARE(tm.lastAckedSequence(tp0), std::optional<int32_t>(3));
        // A late duplicate completion does not move the ack backwards.
        tm.handleCompletedBatch(a);
        QCOMPARE(tm.lastAckedSequence(tp0), std::optional<int32_t>(3));
    }

    void sequencesWrapAtInt32Max() {
        TransactionManager tm;
        grant(tm, 7, 0);
        tm.maybeUpdateProducerIdAndEpoch(tp0);
        tm.incrementSequenceNumber(tp0, INT32_MAX - 1);
        auto a = drain(tm, tp0, 3);
        QCOMPARE(a->baseSequence(), INT32_MAX - 1);
        QCOMPARE(a->lastSequence(), 0);
        QCOMPARE(tm.sequenceNumber(tp0), 1);
    }

    void ackedSequenceFollowsTheWrap() {
        TransactionManager tm;
        grant(tm, 7, 0);
        tm.maybeUpdateProducerIdAndEpoch(tp0);
        tm.incrementSequenceNumber(tp0, INT32_MAX - 3);
        auto a = drain(tm, tp0, 3);  // INT32_MAX-3 .. INT32_MAX-1
        auto b = drain(tm, tp0, 3);  // INT32_MAX, 0, 1
        auto c = drain(tm, tp0, 2);  // 2, 3
        tm.handleCompletedBatch(a);
        QCOMPARE(tm.lastAckedSequence(tp0), std::optional<int32_t>(INT32_MAX - 1));
        tm.handleCompletedBatch(b);
        QCOMPARE(tm.lastAckedSequence(tp0), std::optional<int32_t>(1));
        // So c is recognised as the next batch: a gap reported for it is real.
        QVERIFY(tm.canRetry(ErrorCode::OUT_OF_ORDER_SEQUENCE_NUMBER, 0, *c));
        QVERIFY(tm.epochBumpRequired());
    }

    void outOfOrderBehindAnEarlierFailureRetriesWithoutBump() {
        TransactionManager tm;
        grant(tm, 7, 0);
        auto a = drain(tm, tp0, 2);
        auto b = drain(tm, tp0, 2);
        // b (sequence 2) is not next after "nothing acked": a is still being retried.
        QVERIFY(tm.canRetry(ErrorCode::OUT_OF_ORDER_SEQUENCE_NUMBER, 0, *b));
        QVERIFY(!tm.epochBumpRequired());
        QVERIFY(tm.producerIdAndEpoch().isValid());
        (void)a;
    }

    void outOfOrderOnTheNextBatchBumpsTheEpoch() {
        TransactionManager tm;
        grant(tm, 7, 0);
        auto a = drain(tm, tp0, 2);
        auto b = drain(tm, tp0, 3);
        auto c = drain(tm, tp1, 1);
        tm.handleCompletedBatch(a);
        // b is exactly the next sequence, yet the broker says a gap: a real gap.
        QVERIFY(tm.canRetry(ErrorCode::OUT_OF_ORDER_SEQUENCE_NUMBER, 0, *b));
        QVERIFY(tm.epochBumpRequired());
        QVERIFY(tm.needsInitProducerId());
        QVERIFY(!tm.producerIdAndEpoch().isValid());  // nothing drains until the bump

        auto req = tm.initProducerIdRequest(4);
        QCOMPARE(req.producerId, int64_t{7});  // KIP-360: bump this id's epoch
        QCOMPARE(req.producerEpoch, int16_t{0});
        QVERIFY(tm.handleInitProducerIdResponse(granted(7, 1)).ok());
        QVERIFY(!tm.epochBumpRequired());
        // The partition that asked restarts at 0 under the new epoch, bytes rewritten.
        QCOMPARE(onTheWire(*b), (WireState{7, 1, 0}));
        QCOMPARE(tm.sequenceNumber(tp0), 3);
        QCOMPARE(tm.lastAckedSequence(tp0), std::nullopt);
        QVERIFY(!tm.hasStaleProducerIdAndEpoch(tp0));
        // The other partition keeps its old numbering until its in-flight batches are done.
        QCOMPARE(onTheWire(*c), (WireState{7, 0, 0}));
        QVERIFY(tm.hasStaleProducerIdAndEpoch(tp1));
        tm.handleCompletedBatch(c);
        auto d = drain(tm, tp1, 1);
        QCOMPARE(onTheWire(*d), (WireState{7, 1, 0}));
        QVERIFY(!tm.hasStaleProducerIdAndEpoch(tp1));
    }

    void staleErrorsOfARenumberedBatchDoNotBumpAgain() {
        // Java: ProducerBatch.sequenceHasBeenReset() -> retry without another bump.
        TransactionManager tm;
        grant(tm, 7, 0);
        auto a = drain(tm, tp0, 2);
        auto b = drain(tm, tp0, 2);
        QVERIFY(tm.canRetry(ErrorCode::OUT_OF_ORDER_SEQUENCE_NUMBER, 0, *a));
        grant(tm, 7, 1);
        QCOMPARE(a->baseSequence(), 0);
        // Answers to the old numbering arrive after the bump.
        QVERIFY(tm.canRetry(ErrorCode::OUT_OF_ORDER_SEQUENCE_NUMBER, 0, *a));
        QVERIFY(!tm.epochBumpRequired());
        QVERIFY(tm.canRetry(ErrorCode::UNKNOWN_PRODUCER_ID, 0, *a));
        QVERIFY(!tm.epochBumpRequired());
        QVERIFY(tm.canRetry(ErrorCode::UNKNOWN_PRODUCER_ID, 0, *b));
        QVERIFY(!tm.epochBumpRequired());
        // Once acked under the new epoch, a is no longer a renumbered batch in flight.
        tm.handleCompletedBatch(a);
        QCOMPARE(tm.lastAckedSequence(tp0), std::optional<int32_t>(1));
    }

    void unknownProducerIdRules() {
        TransactionManager tm;
        grant(tm, 7, 0);
        auto a = drain(tm, tp0, 2);
        // Without a log start offset: just retry (Java: wait for one).
        QVERIFY(tm.canRetry(ErrorCode::UNKNOWN_PRODUCER_ID, -1, *a));
        QVERIFY(!tm.epochBumpRequired());
        // With one: the broker lost our state; retry under a bumped epoch.
        QVERIFY(tm.canRetry(ErrorCode::UNKNOWN_PRODUCER_ID, 0, *a));
        QVERIFY(tm.epochBumpRequired());
        grant(tm, 7, 1);
        QCOMPARE(onTheWire(*a), (WireState{7, 1, 0}));
    }

    void duplicateSequenceIsNotRetried() {
        // The Sender completes such a batch as written (Java: DuplicateSequenceException is not
        // retriable); canRetry must neither retry it nor disturb the sequences.
        TransactionManager tm;
        grant(tm, 7, 0);
        auto a = drain(tm, tp0, 2);
        QVERIFY(!tm.canRetry(ErrorCode::DUPLICATE_SEQUENCE_NUMBER, 0, *a));
        QVERIFY(!tm.epochBumpRequired());
        QCOMPARE(tm.sequenceNumber(tp0), 2);
    }

    void otherErrorsFollowRetriability() {
        TransactionManager tm;
        grant(tm, 7, 0);
        auto a = drain(tm, tp0, 1);
        QVERIFY(tm.canRetry(ErrorCode::NOT_LEADER_OR_FOLLOWER, 0, *a));
        QVERIFY(tm.canRetry(ErrorCode::REQUEST_TIMED_OUT, 0, *a));
        QVERIFY(!tm.canRetry(ErrorCode::MESSAGE_TOO_LARGE, 0, *a));
        QVERIFY(!tm.canRetry(ErrorCode::TOPIC_AUTHORIZATION_FAILED, 0, *a));
        QVERIFY(!tm.epochBumpRequired());
    }

    void invalidEpochOfAnOldBatchRetriesUnderTheNewOne() {
        TransactionManager tm;
        grant(tm, 7, 0);
        auto a = drain(tm, tp0, 2);
        // Current epoch: fenced for real, not retried.
        QVERIFY(!tm.canRetry(ErrorCode::INVALID_PRODUCER_EPOCH, 0, *a));
        // After a bump triggered elsewhere, the old-epoch batch is renumbered and retried.
        auto b = drain(tm, tp1, 1);
        QVERIFY(tm.canRetry(ErrorCode::OUT_OF_ORDER_SEQUENCE_NUMBER, 0, *b));
        grant(tm, 7, 1);
        QVERIFY(tm.canRetry(ErrorCode::INVALID_PRODUCER_EPOCH, 0, *a));
        QCOMPARE(onTheWire(*a), (WireState{7, 1, 0}));
    }

    void failedSentBatchBumpsAndRenumbersTheRest() {
        TransactionManager tm;
        grant(tm, 7, 0);
        auto a = drain(tm, tp0, 2);
        auto b = drain(tm, tp0, 3);
        // a was refused for good before its retries ran out (adjustSequenceNumbers): b would
        // leave a gap, and the idempotent producer bumps (Java: handleFailedBatch).
        tm.handleFailedBatch(a, ErrorCode::INVALID_RECORD, true);
        QVERIFY(tm.epochBumpRequired());
        QCOMPARE(tm.firstInFlightSequence(tp0), 2);
        grant(tm, 7, 1);
        QCOMPARE(onTheWire(*b), (WireState{7, 1, 0}));
        QCOMPARE(tm.firstInFlightSequence(tp0), 0);
        QCOMPARE(tm.sequenceNumber(tp0), 3);
        // An untracked batch (never sequenced) failing changes nothing.
        TransactionManager other;
        other.handleFailedBatch(a, ErrorCode::INVALID_RECORD, true);
        QVERIFY(!other.epochBumpRequired());
    }

    // Java rule (TransactionManager.handleFailedBatch, 3.x idempotent producer): a batch failed
    // for good changes the sequences only when the broker refused it for sure
    // (adjustSequenceNumbers = attempts < retries: epoch bump; Java's
    // adjustSequencesDueToFailedBatch is for transactional producers only). With its retries
    // exhausted its outcome is unknown: nothing is renumbered, later batches keep theirs.
    void batchFailedAfterItsRetriesLeavesSequencesAlone() {
        TransactionManager tm;
        grant(tm, 7, 0);
        auto a = drain(tm, tp0, 2);
        auto b = drain(tm, tp0, 3);
        tm.handleFailedBatch(a, ErrorCode::NOT_ENOUGH_REPLICAS, false);
        QVERIFY(!tm.epochBumpRequired());
        QCOMPARE(onTheWire(*b), (WireState{7, 0, 2}));
        QCOMPARE(tm.firstInFlightSequence(tp0), 2);
        QCOMPARE(tm.sequenceNumber(tp0), 5);
        // OUT_OF_ORDER_SEQUENCE_NUMBER proves a gap: bump even with retries exhausted.
        tm.handleFailedBatch(b, ErrorCode::OUT_OF_ORDER_SEQUENCE_NUMBER, false);
        QVERIFY(tm.epochBumpRequired());
    }

    // Java rule (handleFailedBatch -> resetSequenceForPartition): UNKNOWN_PRODUCER_ID failing a
    // batch for good means the broker has no state for us; the partition restarts at sequence 0
    // under the same epoch, without a bump.
    void unknownProducerIdFailureRestartsThePartition() {
        TransactionManager tm;
        grant(tm, 7, 0);
        auto a = drain(tm, tp0, 2);
        tm.handleFailedBatch(a, ErrorCode::UNKNOWN_PRODUCER_ID, false);
        QVERIFY(!tm.epochBumpRequired());
        QCOMPARE(tm.sequenceNumber(tp0), 0);
        QCOMPARE(onTheWire(*drain(tm, tp0, 1)), (WireState{7, 0, 0}));
    }

    // Java rule (Sender.sendProducerData marks an expired batch that was in retry unresolved;
    // TransactionManager.maybeResolveSequences): while unresolved, no new batch is drained for
    // the partition; once nothing is in flight, it is resolved without a bump if the acked
    // sequences reach the next sequence (a later batch succeeded, so the expired one was
    // written), and bumped otherwise.
    void unresolvedSequenceResolvesWhenALaterBatchSucceeds() {
        TransactionManager tm;
        grant(tm, 7, 0);
        auto a = drain(tm, tp0, 2);
        auto b = drain(tm, tp0, 3);
        tm.handleFailedBatch(a, ErrorCode::REQUEST_TIMED_OUT, false);  // expired
        tm.markSequenceUnresolved(*a);
        QVERIFY(tm.hasUnresolvedSequence(tp0));
        tm.maybeResolveSequences();  // b still in flight: wait
        QVERIFY(tm.hasUnresolvedSequence(tp0));
        tm.handleCompletedBatch(b);  // acked up to 4 = next sequence - 1
        tm.maybeResolveSequences();
        QVERIFY(!tm.hasUnresolvedSequence(tp0));
        QVERIFY(!tm.epochBumpRequired());
        QCOMPARE(tm.sequenceNumber(tp0), 5);
    }
    void unresolvedSequenceBumpsWhenNothingLaterWasAcked() {
        TransactionManager tm;
        grant(tm, 7, 0);
        auto a = drain(tm, tp0, 2);
        auto b = drain(tm, tp0, 3);
        tm.handleFailedBatch(a, ErrorCode::REQUEST_TIMED_OUT, false);
        tm.markSequenceUnresolved(*a);
        // b fails with OUT_OF_ORDER_SEQUENCE_NUMBER while a is unresolved: b follows a
        // directly, so the gap is real and the epoch is bumped (canRetry); a batch that does
        // not follow the unresolved one would only be retried.
        auto c = drain(tm, tp0, 1);
        QVERIFY(tm.canRetry(ErrorCode::OUT_OF_ORDER_SEQUENCE_NUMBER, 0, *c));
        QVERIFY(!tm.epochBumpRequired());
        QVERIFY(tm.canRetry(ErrorCode::OUT_OF_ORDER_SEQUENCE_NUMBER, 0, *b));
        QVERIFY(tm.epochBumpRequired());
        // Without that, once nothing is in flight and nothing was acked: bump.
        TransactionManager other;
        grant(other, 8, 0);
        auto x = drain(other, tp0, 2);
        other.handleFailedBatch(x, ErrorCode::REQUEST_TIMED_OUT, false);
        other.markSequenceUnresolved(*x);
        other.maybeResolveSequences();
        QVERIFY(!other.hasUnresolvedSequence(tp0));
        QVERIFY(other.epochBumpRequired());
        grant(other, 8, 1);
        QCOMPARE(onTheWire(*drain(other, tp0, 1)), (WireState{8, 1, 0}));
    }

    void refusedBumpFallsBackToAFreshProducerId() {
        // librdkafka's mock refuses KIP-360 bumps of idempotent ids: the next request asks for a
        // new id instead, which restarts the sequences just the same.
        TransactionManager tm;
        grant(tm, 7, 0);
        auto a = drain(tm, tp0, 2);
        tm.requestEpochBumpForPartition(tp0);
        auto req = tm.initProducerIdRequest(4);
        QCOMPARE(req.producerId, int64_t{7});
        bs::protocol::InitProducerIdResponse refused;
        refused.errorCode = ErrorCode::INVALID_PRODUCER_EPOCH;
        QVERIFY(!tm.handleInitProducerIdResponse(refused).ok());
        QVERIFY(tm.needsInitProducerId());
        req = tm.initProducerIdRequest(4);
        QCOMPARE(req.producerId, int64_t{-1});
        QVERIFY(tm.handleInitProducerIdResponse(granted(8, 0)).ok());
        QCOMPARE(onTheWire(*a), (WireState{8, 0, 0}));
        // Before v3 no bump can be asked for at all.
        TransactionManager old;
        old.initProducerIdRequest(2);
        QVERIFY(old.handleInitProducerIdResponse(granted(9, 0)).ok());
        old.requestEpochBumpForPartition(tp0);
        QCOMPARE(old.initProducerIdRequest(2).producerId, int64_t{-1});
    }

    void splitBatchLeavesTheBookkeeping() {
        TransactionManager tm;
        grant(tm, 7, 0);
        auto a = drain(tm, tp0, 4);
        tm.removeInFlightBatch(a);
        QVERIFY(!tm.hasInflightBatches(tp0));
        QVERIFY(!tm.epochBumpRequired());
    }
};

QTEST_GUILESS_MAIN(TransactionManagerTest)
#include "test_transaction_manager.moc"
