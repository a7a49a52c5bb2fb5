#pragma once

#include <map>
#include <shared_mutex>
#include <string>

#include "producer/partitioner.h"

namespace bs::producer {

// Java's StickyPartitionCache (Kafka 2.4-3.2): the per-topic sticky partition of KIP-480 that
// changes only when a new batch is created on it. Thread-safe (shared_mutex).
class StickyPartitionCache {
  public:
    int32_t partition(std::string_view topic, const ClusterView& cluster);
    // Picks a new partition (different from prevPartition when possible) if the current one is
    // unset or still prevPartition; returns the current one.
    int32_t nextPartition(std::string_view topic, const ClusterView& cluster,
                          int32_t prevPartition);
    std::optional<int32_t> current(std::string_view topic) const;

  private:
    mutable std::shared_mutex mu_;
    std::map<std::string, int32_t, std::less<>> cache_;  // guarded by mu_
};

// Kafka 2.4-3.2's DefaultPartitioner (KIP-480): keyed -> murmur2 over all partitions; keyless
// -> the sticky partition, switched on onNewBatch. With ignoreKeys it is Java's
// UniformStickyPartitioner (every record sticky).
class StickyDefaultPartitioner final : public Partitioner {
  public:
    explicit StickyDefaultPartitioner(bool ignoreKeys) : ignoreKeys_(ignoreKeys) {}

    Result<int32_t> partition(std::string_view topic, BytesView keyBytes, BytesView valueBytes,
                              const ClusterView& cluster) override;
    void onNewBatch(std::string_view topic, const ClusterView& cluster,
                    int32_t prevPartition) override;
    bool wantsOnNewBatch() const override { return true; }
    PartitionExplanation explain(std::string_view topic, BytesView keyBytes,
                                 const ClusterView& cluster) const override;
    std::string name() const override;

  private:
    const bool ignoreKeys_;
    StickyPartitionCache cache_;
};

}  // namespace bs::producer
