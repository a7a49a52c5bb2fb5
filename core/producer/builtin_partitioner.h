#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "client/cluster_view.h"

namespace bs::producer {

using client::ClusterView;

// Java's BuiltInPartitioner: the per-topic uniform sticky state of KIP-794 that the accumulator
// uses for records without a partition. Stays on one partition until ~batch.size bytes were
// produced to it (up to 2x while the current batch is not full), then picks the next one at
// random among available partitions, weighted by inverse queue depth when adaptive load stats
// exist. Thread-safe: the current choice under stickyMu_ (a short lock: libstdc++ 12's
// atomic<shared_ptr> is opaque to ThreadSanitizer), load stats under statsMu_.
class BuiltInPartitioner {
  public:
    struct StickyPartitionInfo {
        explicit StickyPartitionInfo(int32_t p) : partition(p) {}
        const int32_t partition;
        std::atomic<int32_t> producedBytes{0};
    };
    using InfoPtr = std::shared_ptr<StickyPartitionInfo>;

    BuiltInPartitioner(std::string topic, int32_t stickyBatchSize);

    // The current sticky partition (choosing one the first time).
    InfoPtr peekCurrentPartitionInfo(const ClusterView& cluster);
    // True if a concurrent append switched the partition since `info` was peeked.
    bool isPartitionChanged(const InfoPtr& info) const;
    // Counts appendedBytes and switches once stickyBatchSize is reached and switching is
    // enabled (or 2x stickyBatchSize regardless). Returns the partition switched to by this call,
    // or -1.
    int32_t updatePartitionInfo(const InfoPtr& info, int32_t appendedBytes,
                                const ClusterView& cluster, bool enableSwitch);
    // Java's updatePartitionLoadStats: queueSizes[i] is the deque length of partitionIds[i];
    // only the first `length` entries are used (others excluded for latency). Empty = disable.
    void updatePartitionLoadStats(std::vector<int32_t> queueSizes,
                                  std::vector<int32_t> partitionIds, int32_t length);

    // For explain/tests: current choice (nullptr before the first record) and the cumulative
    // frequency table (empty when not adaptive).
    InfoPtr current() const;
    std::vector<int32_t> cumulativeFrequencyTable() const;
    std::vector<int32_t> loadStatsPartitionIds() const;
    int32_t stickyBatchSize() const { return stickyBatchSize_; }

    // Tests may fix the random source (returns a non-negative int); thread-safe if it is.
    void setRandomForTest(int32_t (*random)()) { random_ = random; }

  private:
    int32_t nextPartition(const ClusterView& cluster);

    const std::string topic_;
    const int32_t stickyBatchSize_;
    mutable std::mutex stickyMu_;
    InfoPtr sticky_;  // guarded by stickyMu_
    // sticky_.get(), written with sticky_ under stickyMu_: isPartitionChanged() compares with it
    // unlocked (the caller holds its InfoPtr, so that address cannot be reused meanwhile).
    std::atomic<const StickyPartitionInfo*> current_{nullptr};
    mutable std::mutex statsMu_;
    std::vector<int32_t> cft_;            // guarded by statsMu_
    std::vector<int32_t> cftPartitions_;  // guarded by statsMu_
    int32_t (*random_)() = nullptr;
};

}  // namespace bs::producer
