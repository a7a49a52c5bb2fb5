#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>

#include "protocol/errors.h"
#include "protocol/record/record_batch.h"

namespace bs::broker {

// One appended batch of an idempotent producer (Kafka: BatchMetadata).
struct BatchMetadata {
    int32_t firstSeq = protocol::kNoSequence;
    int32_t lastSeq = protocol::kNoSequence;
    int64_t firstOffset = -1;
    int64_t lastOffset = -1;
    int64_t timestamp = protocol::kNoTimestamp;  // the batch's maxTimestamp
};

// What a partition knows about one producer id (Kafka: ProducerStateEntry): its epoch and its
// last 5 batches, oldest first, in a fixed ring (no allocation per append).
class ProducerStateEntry {
  public:
    static constexpr size_t kNumBatchesToRetain = 5;

    explicit ProducerStateEntry(int64_t producerId = protocol::kNoProducerId)
        : producerId_(producerId) {}

    int64_t producerId() const { return producerId_; }
    int16_t producerEpoch() const { return producerEpoch_; }
    int64_t lastTimestamp() const { return lastTimestamp_; }
    size_t batchCount() const { return count_; }
    bool isEmpty() const { return count_ == 0; }
    // i = 0 is the oldest retained batch.
    const BatchMetadata& batch(size_t i) const { return ring_[(head_ + i) % kNumBatchesToRetain]; }
    int32_t lastSeq() const {
        return isEmpty() ? protocol::kNoSequence : batch(count_ - 1).lastSeq;
    }
    // The retained batch with exactly this epoch and sequence range (Kafka: findDuplicateBatch).
    std::optional<BatchMetadata> findDuplicate(int16_t epoch, int32_t firstSeq,
                                               int32_t lastSeq) const;
    // A new epoch clears the retained batches (Kafka: maybeUpdateProducerEpoch).
    void addBatch(int16_t epoch, const BatchMetadata& batch);

  private:
    int64_t producerId_;
    int16_t producerEpoch_ = protocol::kNoProducerEpoch;
    int64_t lastTimestamp_ = protocol::kNoTimestamp;
    std::array<BatchMetadata, kNumBatchesToRetain> ring_{};
    size_t head_ = 0;
    size_t count_ = 0;
};

// How a producer id the partition has never seen is treated when its first batch does not
// start at sequence 0 (e.g. its batches were deleted by retention, or lived in a segment
// recovery did not scan).
enum class UnknownProducerIdPolicy {
    // Kafka 0.11-2.4: UNKNOWN_PRODUCER_ID (the issue asks for it; the producer resets).
    Reject,
    // Kafka >= 2.5 (KIP-360): accept any sequence from a producer with no state.
    Accept,
};

// The verdict on one incoming batch.
struct ProducerAppendCheck {
    protocol::ErrorCode error = protocol::ErrorCode::NONE;
    std::string message;  // names producer, epoch and sequences when error != NONE
    // Set when the batch repeats one of the producer's last 5 (same epoch and sequence range):
    // the log must not be appended, the producer gets this batch's original offsets.
    std::optional<BatchMetadata> duplicateOf;

    bool ok() const { return error == protocol::ErrorCode::NONE; }
};

// Per-partition idempotence bookkeeping (Kafka: ProducerStateManager + ProducerAppendInfo):
// producerId -> epoch and last 5 batches. Rules, as Kafka's ProducerAppendInfo (Kafka >= 2.7
// error names): duplicate first (same epoch, same range among the last 5) -> duplicateOf;
// epoch below the current -> INVALID_PRODUCER_EPOCH; a newer epoch must start at sequence 0
// (else OUT_OF_ORDER_SEQUENCE_NUMBER); same epoch must continue at lastSeq+1 (wrapping from
// INT32_MAX to 0) else OUT_OF_ORDER_SEQUENCE_NUMBER; unknown producer per the policy.
// Batches without a producer id (-1) are not tracked.
// Thread ownership: guarded by the owning Log's mutex.
class ProducerStateManager {
  public:
    explicit ProducerStateManager(UnknownProducerIdPolicy policy = UnknownProducerIdPolicy::Reject)
        : policy_(policy) {}

    // Validates a batch header (producerId, producerEpoch, baseSequence, lastOffsetDelta).
    ProducerAppendCheck check(const protocol::RecordBatchHeader& batch) const;
    // Records an appended batch (its baseOffset already assigned). Also used by recovery,
    // which replays stored batches without checking them.
    void update(const protocol::RecordBatchHeader& batch);

    const ProducerStateEntry* find(int64_t producerId) const;
    size_t producerCount() const { return producers_.size(); }
    // Forgets producers whose last batch is older than `nowMs - expirationMs` (Kafka:
    // producer.id.expiration.ms, default 1 day).
    size_t removeExpiredProducers(int64_t nowMs, int64_t expirationMs);
    void clear() { producers_.clear(); }
    UnknownProducerIdPolicy policy() const { return policy_; }

  private:
    UnknownProducerIdPolicy policy_;
    std::unordered_map<int64_t, ProducerStateEntry> producers_;
};

}  // namespace bs::broker
