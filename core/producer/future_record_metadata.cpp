#include "producer/future_record_metadata.h"

namespace bs::producer {

void ProduceRequestResult::set(int64_t baseOffset, int64_t logAppendTime,
                               std::optional<Error> error,
                               std::function<Error(int32_t)> recordErrors) {
    std::lock_guard lock(mu_);
    if (set_ || !chained_.empty()) return;
    baseOffset_ = baseOffset;
    logAppendTime_ = logAppendTime;
    error_ = std::move(error);
    recordErrors_ = std::move(recordErrors);
    set_ = true;
}

void ProduceRequestResult::done() {
    {
        std::lock_guard lock(mu_);
        if (!set_ || done_) return;
        done_ = true;
    }
    cv_.notify_all();
}

void ProduceRequestResult::chain(std::vector<Link> chained) {
    {
        std::lock_guard lock(mu_);
        if (set_) return;
        chained_ = std::move(chained);
    }
    cv_.notify_all();
}

void ProduceRequestResult::await() const {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return done_ || !chained_.empty(); });
}

bool ProduceRequestResult::awaitFor(std::chrono::milliseconds timeout) const {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, timeout, [&] { return done_ || !chained_.empty(); });
}

bool ProduceRequestResult::completed() const {
    std::lock_guard lock(mu_);
    return done_;
}

int64_t ProduceRequestResult::baseOffset() const {
    std::lock_guard lock(mu_);
    return baseOffset_;
}

int64_t ProduceRequestResult::logAppendTime() const {
    std::lock_guard lock(mu_);
    return logAppendTime_;
}

std::optional<Error> ProduceRequestResult::errorFor(int32_t relativeOffset) const {
    std::lock_guard lock(mu_);
    if (!error_) return std::nullopt;
    if (recordErrors_) return recordErrors_(relativeOffset);
    return error_;
}

ProduceRequestResult::Link ProduceRequestResult::resolve(
    const std::shared_ptr<ProduceRequestResult>& self, int32_t relativeOffset) const {
    Link link{self, relativeOffset};
    for (;;) {
        std::lock_guard lock(link.result->mu_);
        const auto& chained = link.result->chained_;
        if (chained.empty() || link.relativeOffset < 0 ||
            static_cast<size_t>(link.relativeOffset) >= chained.size())
            return link;
        link = chained[static_cast<size_t>(link.relativeOffset)];
    }
}

bool FutureRecordMetadata::isDone() const {
    if (!result_) return false;
    auto link = result_->resolve(result_, relativeOffset_);
    return link.result->completed();
}

RecordMetadata FutureRecordMetadata::metadataNow() const {
    RecordMetadata md;
    md.serializedKeySize = keySize_;
    md.serializedValueSize = valueSize_;
    if (!result_) return md;
    auto link = result_->resolve(result_, relativeOffset_);
    const auto& r = *link.result;
    md.topic = r.topicPartition().topic;
    md.partition = r.topicPartition().partition;
    if (r.errorFor(link.relativeOffset)) {
        md.timestamp = createTimestamp_;
        return md;
    }
    const int64_t base = r.baseOffset();
    md.offset = base < 0 ? -1 : base + link.relativeOffset;
    const int64_t appendTime = r.logAppendTime();
    md.timestamp = appendTime >= 0 ? appendTime : createTimestamp_;
    return md;
}

Result<RecordMetadata> FutureRecordMetadata::get() const {
    if (!result_) return Error{"no record: the future is empty"};
    for (;;) {
        auto link = result_->resolve(result_, relativeOffset_);
        link.result->await();
        if (!link.result->completed()) continue;  // it was split meanwhile: follow the chain
        if (auto error = link.result->errorFor(link.relativeOffset)) return *error;
        return metadataNow();
    }
}

std::optional<Result<RecordMetadata>> FutureRecordMetadata::getFor(
    std::chrono::milliseconds timeout) const {
    if (!result_) return Result<RecordMetadata>(Error{"no record: the future is empty"});
    // A timeout of years (milliseconds::max() included) is "forever": now + timeout overflows.
    if (timeout >= std::chrono::hours(24 * 365)) return get();
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        auto link = result_->resolve(result_, relativeOffset_);
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (!link.result->awaitFor(std::max(left, std::chrono::milliseconds(0))))
            return std::nullopt;
        if (!link.result->completed()) continue;
        if (auto error = link.result->errorFor(link.relativeOffset))
            return Result<RecordMetadata>(*error);
        return Result<RecordMetadata>(metadataNow());
    }
}

}  // namespace bs::producer
