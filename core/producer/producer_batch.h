#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "client/topic_partition.h"
#include "common/clock.h"
#include "common/result.h"
#include "producer/buffer_pool.h"
#include "producer/future_record_metadata.h"
#include "producer/observation.h"
#include "producer/record_metadata.h"
#include "protocol/record/compression.h"

namespace bs::protocol {
class RecordBatchBuilder;
struct RecordHeader;
}  // namespace bs::protocol

namespace bs::producer {

using client::TopicPartition;

// A nullable byte string (Kafka's null key/value is nullopt).
using BytesView = std::optional<std::span<const uint8_t>>;

class ProducerBatch;
using ProducerBatchPtr = std::shared_ptr<ProducerBatch>;

// Java's ProducerBatch: the records for one partition being collected in one RecordBatch v2,
// written in place into a (usually pooled) buffer. Thread ownership: while in its partition
// deque the batch is guarded by that deque's mutex (appends from application threads, drain from
// the sender); once drained it is owned by the sender thread. Completion (done/abort) may run
// on any single thread; completion state is atomic.
class ProducerBatch {
  public:
    // `buffer` becomes the batch's storage (returned to the pool by
    // RecordAccumulator::deallocate). compressionLevel as ProducerConfig::compressionLevel().
    ProducerBatch(TopicPartition tp, ByteBuffer buffer, protocol::CompressionType compression,
                  int32_t compressionLevel, int64_t createdMs, bool isSplitBatch = false,
                  const Clock* clock = nullptr);
    ~ProducerBatch();
    ProducerBatch(const ProducerBatch&) = delete;
    ProducerBatch& operator=(const ProducerBatch&) = delete;

    // Appends a record if it fits; nullopt when full (the caller then closes it for appends).
    // `callback` is moved from only on success. No heap allocation unless the thunk vector
    // grows or the callback itself allocates. `wantFuture` false: the returned future is an
    // invalid one (valid() false), which spares the shared result's reference count per record.
    std::optional<FutureRecordMetadata> tryAppend(int64_t timestamp, BytesView key, BytesView value,
                                                  std::span<const protocol::RecordHeader> headers,
                                                  Callback&& callback, int64_t nowMs,
                                                  int64_t sendNs = -1, bool wantFuture = true);

    // --- completion (Java's done/complete/completeExceptionally/abort). Each completes every
    // record's future then runs the callbacks in record order. Returns false if the batch was
    // already completed (a late success after expiry is ignored, as Java logs and ignores).
    bool complete(int64_t baseOffset, int64_t logAppendTime);
    bool completeExceptionally(const Error& topLevel,
                               std::function<Error(int32_t)> recordErrors = {});
    bool abort(const Error& error);
    // complete() when !error, completeExceptionally() otherwise.
    bool done(int64_t baseOffset, int64_t logAppendTime, const std::optional<Error>& error);
    bool isDone() const { return finalState_.load() != FinalState::None; }

    // --- appends
    // No more records: the batch stays as it is until close() at drain.
    void closeForRecordAppends();
    bool isClosedForRecordAppends() const { return appendsClosed_; }
    // Finishes the bytes (header, compression, CRC). Idempotent.
    Status close();
    // Expired/aborted before sending: drops the builder's state, frees no memory.
    void abortRecordAppends();
    bool isClosed() const { return closed_; }
    // The finished RecordBatch bytes; empty until close().
    std::span<const uint8_t> records() const { return finished_; }
    // The batch as a viewer reads it (RecordBatchReader): the finished bytes once closed, else an
    // uncompressed copy of the records appended so far. Allocates `out`; not for the hot path.
    void copyForViewing(std::vector<uint8_t>& out) const;
    // Mutable view for the sender to rewrite producer state on an epoch bump.
    std::span<uint8_t> mutableRecords() { return mutableFinished_; }

    bool isFull() const;
    int32_t estimatedSizeInBytes() const;
    int32_t recordCount() const { return recordCount_; }
    int32_t maxRecordSize() const { return maxRecordSize_; }
    size_t initialCapacity() const { return initialCapacity_; }
    bool isSplitBatch() const { return isSplitBatch_; }
    // Ratio compressed/uncompressed once closed (1.0 without compression).
    double compressionRatio() const { return compressionRatio_; }
    // Java's MemoryRecordsBuilder.setEstimatedCompressionRatio: what appends assume until close.
    void setEstimatedCompressionRatio(float ratio);
    // Once closed: the whole batch's size over its records' uncompressed size (Java's
    // MemoryRecordsBuilder.compressionRatio, which CompressionRatioEstimator learns from).
    float observedCompressionRatio() const;

    // --- retries and timing (Java names)
    const TopicPartition& topicPartition() const { return tp_; }
    int64_t createdMs() const { return createdMs_; }
    int32_t attempts() const { return attempts_.load(); }
    int64_t lastAttemptMs() const { return lastAttemptMs_; }
    int64_t drainedMs() const { return drainedMs_; }
    int64_t waitedTimeMs(int64_t nowMs) const;
    bool hasReachedDeliveryTimeout(int64_t deliveryTimeoutMs, int64_t nowMs) const {
        return deliveryTimeoutMs <= nowMs - createdMs_;
    }
    void drained(int64_t nowMs);
    void reenqueued(int64_t nowMs);
    bool inRetry() const { return retry_; }
    // Leader-epoch tracking: a retry to a new leader skips the backoff (Java KIP-951).
    void maybeUpdateLeaderEpoch(std::optional<int32_t> latestLeaderEpoch);
    bool hasLeaderChangedForTheOngoingRetry() const;

    // --- idempotence (assigned at drain; kept across retries)
    void setProducerState(int64_t producerId, int16_t producerEpoch, int32_t baseSequence);
    // After an epoch bump: new pid/epoch/sequence, rewriting finished bytes if already closed.
    void resetProducerState(int64_t producerId, int16_t producerEpoch, int32_t baseSequence);
    bool hasSequence() const { return baseSequence_ != -1; }
    int32_t baseSequence() const { return baseSequence_; }
    int32_t lastSequence() const;  // baseSequence + recordCount - 1, -1 without sequence
    int64_t producerId() const { return producerId_; }
    int16_t producerEpoch() const { return producerEpoch_; }

    // Java's split(splitBatchSize) for MESSAGE_TOO_LARGE: re-reads this batch's records into new
    // heap-allocated batches of about splitBatchSize bytes; every record's future and callback
    // moves to its new batch (futures already handed out follow through ProduceRequestResult
    // chaining). Keeps the producer state (sequences re-based per new batch). This batch is
    // left without records and must only be deallocated.
    Result<std::deque<ProducerBatchPtr>> split(int32_t splitBatchSize);

    // The completion shared by this batch's record futures (flush waits on it).
    const std::shared_ptr<ProduceRequestResult>& produceResult() const { return produceFuture_; }

    // --- observation
    uint64_t batchId() const { return batchId_; }
    BatchState state() const { return state_.load(std::memory_order_relaxed); }
    void setState(BatchState s) { state_.store(s, std::memory_order_relaxed); }
    BatchSnapshot snapshot() const;
    // The buffer for the pool; empty for split batches (their memory is not pooled).
    ByteBuffer releaseBuffer();

    // --- write holds: a Produce request is written straight from the batch's bytes, so while
    // one is queued on a socket the buffer must not go back to the pool (an in-flight batch can
    // expire or be aborted before its bytes left). The buffer is free once the batch was
    // deallocated and every hold was released; whichever comes last returns true and the caller
    // (RecordAccumulator) hands the buffer to the pool. Any thread.
    void acquireWriteHold() { bufferRefs_.fetch_add(1, std::memory_order_relaxed); }
    bool releaseWriteHold() { return bufferRefs_.fetch_sub(1, std::memory_order_acq_rel) == 1; }
    // For deallocate(): only the first call counts.
    bool releaseForDeallocation() {
        if (deallocated_.exchange(true)) return false;
        return bufferRefs_.fetch_sub(1, std::memory_order_acq_rel) == 1;
    }

    // A record's callback and what its RecordMetadata needs, one per record in append order.
    struct Thunk {
        Callback callback;
        int64_t timestamp;
        int32_t keySize;
        int32_t valueSize;
        int64_t sendNs;  // clock_'s nowNs() at send(); -1 unknown (RecordMetadata::latencyUs)
    };
    using Thunks = std::vector<Thunk>;
    // Recycling of the per-batch thunk storage (RecordAccumulator): a new batch may start with an
    // empty vector whose capacity a completed batch left; a batch whose callbacks all ran gives
    // its storage back (empty; nullopt before its callbacks ran or when it has none).
    void adoptThunks(Thunks&& storage);
    std::optional<Thunks> takeThunks();

  private:
    enum class FinalState : uint8_t { None, Aborted, Failed, Succeeded };
    bool finish(FinalState state, int64_t baseOffset, int64_t logAppendTime,
                const std::optional<Error>& error, std::function<Error(int32_t)> recordErrors);
    void ensureBuilder();

    const TopicPartition tp_;
    const int64_t createdMs_;
    const Clock* clock_;  // read once at completion for the records' latencyUs; may be null
    const bool isSplitBatch_;
    const uint64_t batchId_;
    const protocol::CompressionType compression_;
    const int32_t compressionLevel_;
    const size_t initialCapacity_;
    ByteBuffer buffer_;
    std::unique_ptr<protocol::RecordBatchBuilder> builder_;
    std::shared_ptr<ProduceRequestResult> produceFuture_;
    std::vector<Thunk> thunks_;
    std::atomic<bool> callbacksRan_{false};  // set by finish() once every callback returned
    std::atomic<FinalState> finalState_{FinalState::None};
    std::atomic<BatchState> state_{BatchState::Open};
    std::atomic<int32_t> attempts_{0};
    std::atomic<int32_t> bufferRefs_{1};  // 1 until deallocated, +1 per write hold
    std::atomic<bool> deallocated_{false};
    int32_t recordCount_ = 0;
    int32_t maxRecordSize_ = 0;
    int64_t lastAttemptMs_;
    int64_t lastAppendTime_;
    int64_t drainedMs_ = 0;
    bool retry_ = false;
    bool appendsClosed_ = false;
    bool closed_ = false;
    std::span<const uint8_t> finished_;
    std::span<uint8_t> mutableFinished_;
    double compressionRatio_ = 1.0;
    std::optional<int32_t> currentLeaderEpoch_;
    int32_t attemptsWhenLeaderLastChanged_ = 0;
    int64_t producerId_ = -1;
    int16_t producerEpoch_ = -1;
    int32_t baseSequence_ = -1;
};

}  // namespace bs::producer
