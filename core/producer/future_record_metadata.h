#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "client/topic_partition.h"
#include "common/result.h"
#include "producer/record_metadata.h"

namespace bs::producer {

using client::TopicPartition;

// Java's ProduceRequestResult: the one completion shared by every record of a batch (so a
// record's future costs no allocation). Set once by the sender thread; waited on by any thread.
class ProduceRequestResult {
  public:
    explicit ProduceRequestResult(TopicPartition tp) : tp_(std::move(tp)) {}

    // baseOffset -1 when unknown (acks=0). `recordErrors` (may be empty) gives a per-record
    // error by relative index when only some records failed (INVALID_RECORD); `error` is the
    // batch's error, nullopt on success. Waiters are released only by done() (Java: set, run
    // the callbacks, done), so a returned get()/flush() has seen the callbacks.
    void set(int64_t baseOffset, int64_t logAppendTime, std::optional<Error> error,
             std::function<Error(int32_t)> recordErrors = {});
    void done();
    // The records of a batch split after MESSAGE_TOO_LARGE now complete through the smaller
    // batches: record i continues as chained[i].
    struct Link {
        std::shared_ptr<ProduceRequestResult> result;
        int32_t relativeOffset = 0;
    };
    void chain(std::vector<Link> chained);

    void await() const;
    bool awaitFor(std::chrono::milliseconds timeout) const;
    bool completed() const;

    const TopicPartition& topicPartition() const { return tp_; }
    // Valid once completed():
    int64_t baseOffset() const;
    int64_t logAppendTime() const;
    // nullopt on success of record `relativeOffset`.
    std::optional<Error> errorFor(int32_t relativeOffset) const;
    // Where record `relativeOffset` really completes (itself unless split).
    Link resolve(const std::shared_ptr<ProduceRequestResult>& self, int32_t relativeOffset) const;

  private:
    const TopicPartition tp_;
    mutable std::mutex mu_;
    mutable std::condition_variable cv_;
    bool set_ = false;                            // guarded by mu_
    bool done_ = false;                           // guarded by mu_
    int64_t baseOffset_ = -1;                     // written by set(), then immutable
    int64_t logAppendTime_ = -1;                  // idem
    std::optional<Error> error_;                  // idem
    std::function<Error(int32_t)> recordErrors_;  // idem
    std::vector<Link> chained_;                   // idem (non-empty after a split)
};

// Java's FutureRecordMetadata: one record's handle into its batch's ProduceRequestResult.
// Copyable, cheap (a shared_ptr copy). get() blocks until the batch completes.
class FutureRecordMetadata {
  public:
    FutureRecordMetadata() = default;
    FutureRecordMetadata(std::shared_ptr<ProduceRequestResult> result, int32_t relativeOffset,
                         int64_t createTimestamp, int32_t serializedKeySize,
                         int32_t serializedValueSize)
        : result_(std::move(result)),
          relativeOffset_(relativeOffset),
          createTimestamp_(createTimestamp),
          keySize_(serializedKeySize),
          valueSize_(serializedValueSize) {}

    bool valid() const { return result_ != nullptr; }
    bool isDone() const;
    // Blocks until done; the metadata or the record's error.
    Result<RecordMetadata> get() const;
    // nullopt if not done within `timeout`.
    std::optional<Result<RecordMetadata>> getFor(std::chrono::milliseconds timeout) const;
    // Only when isDone(): the metadata (offset -1 on error) the callback also receives.
    RecordMetadata metadataNow() const;
    int32_t relativeOffset() const { return relativeOffset_; }

  private:
    std::shared_ptr<ProduceRequestResult> result_;
    int32_t relativeOffset_ = 0;
    int64_t createTimestamp_ = -1;
    int32_t keySize_ = -1;
    int32_t valueSize_ = -1;
};

}  // namespace bs::producer
