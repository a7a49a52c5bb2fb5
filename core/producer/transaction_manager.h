#pragma once

// Idempotence bookkeeping for the idempotent (non-transactional) producer (Java:
// TransactionManager + TxnPartitionMap): the producer id and epoch from InitProducerId, per
// partition the next sequence, the last acknowledged one and the batches holding sequences, and
// the epoch bump that restarts a partition's sequences at 0 after OUT_OF_ORDER_SEQUENCE_NUMBER or
// UNKNOWN_PRODUCER_ID (KIP-360).
//
// Thread-safety: the accumulator calls the ProducerStateProvider methods from the sender thread
// while it holds a deque mutex; snapshot readers may ask producerIdAndEpoch() from any thread.
// All state is under mu_ (never held while calling out).

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>

#include "producer/producer_batch.h"
#include "producer/record_accumulator.h"
#include "protocol/errors.h"
#include "protocol/messages/init_producer_id.h"

namespace bs::producer {

class TransactionManager final : public ProducerStateProvider {
  public:
    TransactionManager() = default;

    // --- ProducerStateProvider (called by RecordAccumulator::drain)
    ProducerIdAndEpoch producerIdAndEpoch() const override;
    bool hasInflightBatches(const TopicPartition& tp) const override;
    bool hasStaleProducerIdAndEpoch(const TopicPartition& tp) const override;
    bool hasUnresolvedSequence(const TopicPartition& tp) const override;
    int32_t firstInFlightSequence(const TopicPartition& tp) const override;
    void maybeUpdateProducerIdAndEpoch(const TopicPartition& tp) override;
    int32_t sequenceNumber(const TopicPartition& tp) const override;
    void incrementSequenceNumber(const TopicPartition& tp, int32_t increment) override;
    void addInFlightBatch(const ProducerBatchPtr& batch) override;

    // --- InitProducerId (sender thread)
    // A request is needed: no producer id yet, or an epoch bump was requested.
    bool needsInitProducerId() const;
    bool initInFlight() const;
    protocol::InitProducerIdRequest initProducerIdRequest(int16_t version);
    // Applies the response; on success rewrites the sequences of the partitions that asked for
    // the bump. Errors: the response's error (retriable ones mean "ask again").
    Status handleInitProducerIdResponse(const protocol::InitProducerIdResponse& response);
    void initProducerIdFailed();

    // --- outcomes (sender thread)
    // Java's TransactionManager.canRetry for the idempotent producer: may request an epoch bump.
    bool canRetry(protocol::ErrorCode error, int64_t logStartOffset, const ProducerBatch& batch);
    void handleCompletedBatch(const ProducerBatchPtr& batch);
    // A batch that will not be retried (Java's TransactionManager.handleFailedBatch for the
    // idempotent producer): OUT_OF_ORDER_SEQUENCE_NUMBER bumps the epoch for its partition;
    // UNKNOWN_PRODUCER_ID restarts the partition's sequences (the broker has no state for us);
    // any other error bumps only with `adjustSequenceNumbers` (the Sender's "attempts <
    // retries": the broker refused it for sure). Otherwise (retries exhausted, expired) its
    // outcome is unknown and nothing changes here: later batches show whether it was written.
    // (Java adjusts later sequences down, adjustSequencesDueToFailedBatch, only when
    // transactional; the idempotent producer bumps instead.)
    void handleFailedBatch(const ProducerBatchPtr& batch, protocol::ErrorCode error,
                           bool adjustSequenceNumbers);
    // Java's markSequenceUnresolved: an expired batch that had been sent (in retry) may or may
    // not be in the log. Until the partition's in-flight batches are done no new batch is
    // drained for it; then maybeResolveSequences decides.
    void markSequenceUnresolved(const ProducerBatch& batch);
    // Java's maybeResolveSequences (each Sender iteration): an unresolved partition with nothing
    // in flight is resolved when its last acknowledged sequence is the one before its next
    // sequence (later batches succeeded, so the expired one was written), else its epoch is
    // bumped.
    void maybeResolveSequences();
    // The batch leaves sequence bookkeeping (split into new batches after MESSAGE_TOO_LARGE).
    void removeInFlightBatch(const ProducerBatchPtr& batch);
    void requestEpochBumpForPartition(const TopicPartition& tp);
    bool epochBumpRequired() const;

    // Introspection for tests and the GUI.
    std::optional<int32_t> lastAckedSequence(const TopicPartition& tp) const;

  private:
    struct BySequence {
        bool operator()(const ProducerBatchPtr& a, const ProducerBatchPtr& b) const {
            if (a->baseSequence() != b->baseSequence())
                return a->baseSequence() < b->baseSequence();
            return a.get() < b.get();
        }
    };
    struct PartitionEntry {
        ProducerIdAndEpoch producerIdAndEpoch;  // what this partition's sequences belong to
        int32_t nextSequence = 0;
        std::optional<int32_t> lastAckedSequence;
        std::set<ProducerBatchPtr, BySequence> inflight;  // sequenced batches not yet done
        // Batches of `inflight` renumbered by an epoch bump (Java:
        // ProducerBatch.sequenceHasBeenReset): an error about their old numbering is stale.
        std::set<uint64_t> resetBatchIds;
    };
    PartitionEntry& entry(const TopicPartition& tp);
    const PartitionEntry* find(const TopicPartition& tp) const;
    void startSequencesAtBeginning(PartitionEntry& e);  // needs mu_
    bool isNextSequence(const PartitionEntry& e, int32_t sequence) const;
    bool sequenceHasBeenReset(const ProducerBatch& batch) const;    // needs mu_
    bool forget(PartitionEntry& e, const ProducerBatchPtr& batch);  // needs mu_; true if tracked
    void requestEpochBumpLocked(const TopicPartition& tp);          // needs mu_

    mutable std::mutex mu_;
    ProducerIdAndEpoch current_;      // guarded by mu_
    bool initInFlight_ = false;       // guarded by mu_
    bool epochBumpRequired_ = false;  // guarded by mu_
    bool bumpRejected_ = false;       // guarded by mu_: the broker refused KIP-360 bumps
    std::set<TopicPartition> partitionsToRewrite_;  // guarded by mu_
    // Partitions with an expired, possibly written batch -> the sequence after it.
    std::map<TopicPartition, int32_t> unresolved_;         // guarded by mu_
    std::map<TopicPartition, PartitionEntry> partitions_;  // guarded by mu_
};

}  // namespace bs::producer
