#include "producer/builtin_partitioner.h"

#include <algorithm>
#include <random>

namespace bs::producer {

namespace {

int32_t threadLocalRandom() {
    thread_local std::mt19937 rng{std::random_device{}()};
    return static_cast<int32_t>(rng() & 0x7fffffffu);
}

}  // namespace

BuiltInPartitioner::BuiltInPartitioner(std::string topic, int32_t stickyBatchSize)
    : topic_(std::move(topic)), stickyBatchSize_(std::max(stickyBatchSize, 1)) {}

int32_t BuiltInPartitioner::nextPartition(const ClusterView& cluster) {
    const int32_t random = random_ ? random_() : threadLocalRandom();
    {
        std::lock_guard lock(statsMu_);
        if (!cft_.empty()) {
            // Weighted choice: first cumulative frequency strictly greater than the draw.
            const int32_t weighted = random % cft_.back();
            const auto it = std::upper_bound(cft_.begin(), cft_.end(), weighted);
            return cftPartitions_[static_cast<size_t>(it - cft_.begin())];
        }
    }
    const auto available = cluster.availablePartitionsForTopic(topic_);
    if (!available.empty()) return available[static_cast<size_t>(random) % available.size()];
    const int32_t count = cluster.partitionCountForTopic(topic_);
    return count > 0 ? random % count : 0;
}

BuiltInPartitioner::InfoPtr BuiltInPartitioner::peekCurrentPartitionInfo(
    const ClusterView& cluster) {
    {
        std::lock_guard lock(stickyMu_);
        if (sticky_) return sticky_;
    }
    auto fresh = std::make_shared<StickyPartitionInfo>(nextPartition(cluster));
    std::lock_guard lock(stickyMu_);
    if (!sticky_) {  // else someone raced us: use theirs
        sticky_ = std::move(fresh);
        current_.store(sticky_.get(), std::memory_order_release);
    }
    return sticky_;
}

bool BuiltInPartitioner::isPartitionChanged(const InfoPtr& info) const {
    if (!info) return false;
    return current_.load(std::memory_order_acquire) != info.get();
}

int32_t BuiltInPartitioner::updatePartitionInfo(const InfoPtr& info, int32_t appendedBytes,
                                                const ClusterView& cluster, bool enableSwitch) {
    if (!info) return -1;
    const int64_t produced =
        static_cast<int64_t>(info->producedBytes.fetch_add(appendedBytes)) + appendedBytes;
    // Switching only when the current batch is full avoids a fractional batch left behind when
    // linger is long; the 2x cap bounds how long a disabled switch can be deferred.
    if ((produced >= stickyBatchSize_ && enableSwitch) ||
        produced >= int64_t{stickyBatchSize_} * 2) {
        auto next = std::make_shared<StickyPartitionInfo>(nextPartition(cluster));
        const int32_t to = next->partition;
        std::lock_guard lock(stickyMu_);
        if (sticky_ != info) return -1;  // another append switched first
        sticky_ = std::move(next);
        current_.store(sticky_.get(), std::memory_order_release);
        return to;
    }
    return -1;
}

void BuiltInPartitioner::updatePartitionLoadStats(std::vector<int32_t> queueSizes,
                                                  std::vector<int32_t> partitionIds,
                                                  int32_t length) {
    std::lock_guard lock(statsMu_);
    const auto n = static_cast<size_t>(std::max(length, 0));
    // Fewer than 2 partitions, or nothing usable: plain uniform choice.
    if (queueSizes.empty() || n < 1 || queueSizes.size() < 2 || n > queueSizes.size() ||
        partitionIds.size() < n) {
        cft_.clear();
        cftPartitions_.clear();
        return;
    }
    int32_t maxSizePlus1 = queueSizes[0];
    bool allEqual = true;
    for (size_t i = 1; i < n; ++i) {
        if (queueSizes[i] != maxSizePlus1) allEqual = false;
        maxSizePlus1 = std::max(maxSizePlus1, queueSizes[i]);
    }
    ++maxSizePlus1;
    if (allEqual && n == queueSizes.size()) {
        cft_.clear();
        cftPartitions_.clear();
        return;
    }
    // Invert (shorter queue = higher weight) and make a running sum: the cumulative frequency
    // table a uniform draw in [0, last) is mapped through.
    cft_.assign(n, 0);
    cft_[0] = maxSizePlus1 - queueSizes[0];
    for (size_t i = 1; i < n; ++i)
        cft_[i] = maxSizePlus1 - queueSizes[i] + cft_[i - 1];
    cftPartitions_.assign(partitionIds.begin(), partitionIds.begin() + static_cast<ptrdiff_t>(n));
}

BuiltInPartitioner::InfoPtr BuiltInPartitioner::current() const {
    std::lock_guard lock(stickyMu_);
    return sticky_;
}

std::vector<int32_t> BuiltInPartitioner::cumulativeFrequencyTable() const {
    std::lock_guard lock(statsMu_);
    return cft_;
}

std::vector<int32_t> BuiltInPartitioner::loadStatsPartitionIds() const {
    std::lock_guard lock(statsMu_);
    return cftPartitions_;
}

}  // namespace bs::producer
