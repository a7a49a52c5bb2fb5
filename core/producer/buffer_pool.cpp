#include "producer/buffer_pool.h"

#include <algorithm>
#include <chrono>
#include <optional>
#include <string>

namespace bs::producer {

BufferPool::BufferPool(int64_t totalMemory, int32_t poolableSize, const Clock& clock)
    : totalMemory_(totalMemory),
      poolableSize_(poolableSize),
      clock_(clock),
      nonPooledAvailableMemory_(totalMemory) {}

BufferPool::~BufferPool() {
    close();
}

Result<ByteBuffer> BufferPool::allocate(size_t size, int64_t maxTimeToBlockMs) {
    if (static_cast<int64_t>(size) > totalMemory_)
        return Error{"cannot allocate " + std::to_string(size) +
                     " bytes: larger than buffer.memory (" + std::to_string(totalMemory_) +
                     " bytes)"};
    const auto isPoolable = [&] { return size == static_cast<size_t>(poolableSize_); };

    std::unique_lock lock(mu_);
    if (closed_) return Error{"producer closed while allocating memory"};

    ByteBuffer buffer;
    bool reserved = false;  // memory counted out of nonPooledAvailableMemory_, buffer still to make
    if (isPoolable() && !free_.empty()) {
        buffer = std::move(free_.front());
        free_.pop_front();
    } else if (nonPooledAvailableMemory_ + static_cast<int64_t>(free_.size()) * poolableSize_ >=
               static_cast<int64_t>(size)) {
        freeUp(size);
        nonPooledAvailableMemory_ -= static_cast<int64_t>(size);
        reserved = true;
    } else {
        // Out of memory: wait in FIFO order, gathering memory piecewise as it is returned.
        std::condition_variable moreMemory;
        waiters_.push_back({&moreMemory, {clock_.nowNs(), static_cast<int64_t>(size)}});
        int64_t accumulated = 0;
        // Saturated (max.block.ms=Long.MAX_VALUE means "forever") and waited in slices of at
        // most an hour, so neither this product nor the cv's now + timeout overflows.
        constexpr int64_t kMaxSliceNs = 3'600'000'000'000;
        int64_t remainingNs = maxTimeToBlockMs > INT64_MAX / 1'000'000
                                  ? INT64_MAX
                                  : std::max<int64_t>(0, maxTimeToBlockMs) * 1'000'000;
        std::optional<Error> failure;
        while (accumulated < static_cast<int64_t>(size)) {
            const int64_t startNs = clock_.nowNs();
            const int64_t sliceNs = std::min(remainingNs, kMaxSliceNs);
            const bool sliceTimedOut =
                moreMemory.wait_for(lock, std::chrono::nanoseconds(sliceNs)) ==
                std::cv_status::timeout;
            const bool timedOut = sliceTimedOut && remainingNs <= kMaxSliceNs;
            int64_t waitedNs = std::max<int64_t>(0, clock_.nowNs() - startNs);
            waitTimeNsTotal_ += waitedNs;
            if (closed_) {
                failure = Error{"producer closed while allocating memory"};
                break;
            }
            if (timedOut) {
                ++exhaustedTotal_;
                failure = Error{"failed to allocate " + std::to_string(size) +
                                " bytes within max.block.ms (" + std::to_string(maxTimeToBlockMs) +
                                " ms): buffer.memory (" + std::to_string(totalMemory_) +
                                " bytes) is exhausted, " +
                                std::to_string(nonPooledAvailableMemory_ +
                                               static_cast<int64_t>(free_.size()) * poolableSize_) +
                                " bytes available"};
                break;
            }
            if (sliceTimedOut) waitedNs = std::max(waitedNs, sliceNs);
            remainingNs = std::max<int64_t>(0, remainingNs - waitedNs);
            if (accumulated == 0 && isPoolable() && !free_.empty()) {
                buffer = std::move(free_.front());
                free_.pop_front();
                accumulated = static_cast<int64_t>(size);
            } else {
                freeUp(size - static_cast<size_t>(accumulated));
                const int64_t got = std::min<int64_t>(static_cast<int64_t>(size) - accumulated,
                                                      nonPooledAvailableMemory_);
                nonPooledAvailableMemory_ -= got;
                accumulated += got;
            }
        }
        waiters_.remove_if([&](const Queued& q) { return q.cv == &moreMemory; });
        if (failure) {
            // Give back what was gathered so far; others may use it.
            nonPooledAvailableMemory_ += buffer ? 0 : accumulated;
            if (buffer) free_.push_front(std::move(buffer));
            if ((nonPooledAvailableMemory_ > 0 || !free_.empty()) && !waiters_.empty())
                waiters_.front().cv->notify_one();
            return *failure;
        }
        reserved = !buffer;
    }
    // Memory left over for the next waiter in line.
    if ((nonPooledAvailableMemory_ > 0 || !free_.empty()) && !waiters_.empty())
        waiters_.front().cv->notify_one();
    lock.unlock();
    if (reserved) buffer = ByteBuffer(size);  // allocate outside the lock
    return buffer;
}

void BufferPool::freeUp(size_t size) {
    while (!free_.empty() && nonPooledAvailableMemory_ < static_cast<int64_t>(size)) {
        free_.pop_back();
        nonPooledAvailableMemory_ += poolableSize_;
    }
}

void BufferPool::deallocate(ByteBuffer buffer, size_t size) {
    std::lock_guard lock(mu_);
    if (size == static_cast<size_t>(poolableSize_) && buffer &&
        buffer.capacity() == static_cast<size_t>(poolableSize_)) {
        free_.push_back(std::move(buffer));
    } else {
        nonPooledAvailableMemory_ += static_cast<int64_t>(size);
    }
    if (!waiters_.empty()) waiters_.front().cv->notify_one();
}

int64_t BufferPool::availableMemory() const {
    std::lock_guard lock(mu_);
    return nonPooledAvailableMemory_ + static_cast<int64_t>(free_.size()) * poolableSize_;
}

int64_t BufferPool::unallocatedMemory() const {
    std::lock_guard lock(mu_);
    return nonPooledAvailableMemory_;
}

int32_t BufferPool::queued() const {
    std::lock_guard lock(mu_);
    return static_cast<int32_t>(waiters_.size());
}

int32_t BufferPool::freeBuffers() const {
    std::lock_guard lock(mu_);
    return static_cast<int32_t>(free_.size());
}

BufferPool::State BufferPool::state() const {
    std::lock_guard lock(mu_);
    State s;
    s.unallocatedMemory = nonPooledAvailableMemory_;
    s.freeBuffers = static_cast<int32_t>(free_.size());
    s.availableMemory = nonPooledAvailableMemory_ + int64_t{s.freeBuffers} * poolableSize_;
    s.waiters.reserve(waiters_.size());
    for (const auto& q : waiters_)
        s.waiters.push_back(q.waiter);
    s.waitTimeNsTotal = waitTimeNsTotal_;
    s.exhaustedTotal = exhaustedTotal_;
    return s;
}

int64_t BufferPool::waitTimeNsTotal() const {
    std::lock_guard lock(mu_);
    return waitTimeNsTotal_;
}

int64_t BufferPool::exhaustedTotal() const {
    std::lock_guard lock(mu_);
    return exhaustedTotal_;
}

void BufferPool::close() {
    std::lock_guard lock(mu_);
    closed_ = true;
    for (auto& waiter : waiters_)
        waiter.cv->notify_all();
}

}  // namespace bs::producer
