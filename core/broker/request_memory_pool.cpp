#include "broker/request_memory_pool.h"

#include <algorithm>

namespace bs::broker {

bool RequestMemoryPool::chargeLocked(size_t bytes) {
    if (capacity_ != kUnbounded && used_ + bytes > static_cast<size_t>(capacity_)) return false;
    used_ += bytes;
    peak_ = std::max(peak_, used_);
    return true;
}

bool RequestMemoryPool::tryAllocate(size_t bytes, std::function<void()> wake) {
    std::lock_guard lock(mu_);
    if (chargeLocked(bytes)) return true;
    ++refusals_;
    wake_.push_back(std::move(wake));
    return false;
}

bool RequestMemoryPool::tryAllocateIfFree(size_t bytes) {
    std::lock_guard lock(mu_);
    return chargeLocked(bytes);
}

void RequestMemoryPool::release(size_t bytes) {
    if (bytes == 0) return;
    std::vector<std::function<void()>> wake;
    {
        std::lock_guard lock(mu_);
        used_ -= std::min(used_, bytes);
        wake.swap(wake_);
    }
    // Every waiter retries; those that still do not fit wait again.
    for (auto& w : wake)
        w();
}

size_t RequestMemoryPool::used() const {
    std::lock_guard lock(mu_);
    return used_;
}

size_t RequestMemoryPool::peak() const {
    std::lock_guard lock(mu_);
    return peak_;
}

uint64_t RequestMemoryPool::refusals() const {
    std::lock_guard lock(mu_);
    return refusals_;
}

}  // namespace bs::broker
