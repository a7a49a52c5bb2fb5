#include "producer/sticky_partitioner.h"

#include <mutex>
#include <random>

namespace bs::producer {

namespace {

int32_t randomPositive() {
    thread_local std::mt19937 rng{std::random_device{}()};
    return static_cast<int32_t>(rng() & 0x7fffffffu);
}

}  // namespace

int32_t StickyPartitionCache::partition(std::string_view topic, const ClusterView& cluster) {
    if (auto p = current(topic)) return *p;
    return nextPartition(topic, cluster, -1);
}

std::optional<int32_t> StickyPartitionCache::current(std::string_view topic) const {
    std::shared_lock lock(mu_);
    auto it = cache_.find(topic);
    return it == cache_.end() ? std::nullopt : std::optional<int32_t>(it->second);
}

int32_t StickyPartitionCache::nextPartition(std::string_view topic, const ClusterView& cluster,
                                            int32_t prevPartition) {
    std::unique_lock lock(mu_);
    auto it = cache_.find(topic);
    // Only the thread whose batch was on the current sticky partition moves it (another may
    // have moved it already).
    if (it != cache_.end() && it->second != prevPartition) return it->second;
    const std::optional<int32_t> old =
        it == cache_.end() ? std::nullopt : std::optional<int32_t>(it->second);
    const auto available = cluster.availablePartitionsForTopic(topic);
    int32_t next;
    if (available.empty()) {
        const int32_t n = std::max(cluster.partitionCountForTopic(topic), 1);
        next = randomPositive() % n;
    } else if (available.size() == 1) {
        next = available[0];
    } else {
        do {
            next = available[static_cast<size_t>(randomPositive()) % available.size()];
        } while (old && next == *old);
    }
    cache_.insert_or_assign(std::string(topic), next);
    return next;
}

std::string StickyDefaultPartitioner::name() const {
    return ignoreKeys_ ? "uniform sticky (UniformStickyPartitioner, Kafka 2.4-3.2, KIP-480)"
                       : "sticky (DefaultPartitioner, Kafka 2.4-3.2, KIP-480)";
}

Result<int32_t> StickyDefaultPartitioner::partition(std::string_view topic, BytesView keyBytes,
                                                    BytesView, const ClusterView& cluster) {
    const int32_t n = cluster.partitionCountForTopic(topic);
    if (n <= 0) return Error{"topic '" + std::string(topic) + "' has no known partitions"};
    if (keyBytes && !ignoreKeys_) return partitionForKey(*keyBytes, n);
    return cache_.partition(topic, cluster);
}

void StickyDefaultPartitioner::onNewBatch(std::string_view topic, const ClusterView& cluster,
                                          int32_t prevPartition) {
    cache_.nextPartition(topic, cluster, prevPartition);
}

PartitionExplanation StickyDefaultPartitioner::explain(std::string_view topic, BytesView keyBytes,
                                                       const ClusterView& cluster) const {
    PartitionExplanation out = startExplanation(name(), topic, keyBytes, !ignoreKeys_, cluster);
    if (out.keyed) return out;
    const std::string why = keyBytes ? "keys ignored" : "no key";
    if (auto p = cache_.current(topic)) {
        out.partition = *p;
        out.detail = why + ": sticky partition " + std::to_string(*p) +
                     "; it changes when a new batch has to be created for it (onNewBatch)";
    } else {
        out.detail = why +
                     ": no sticky partition yet; the first record picks a random "
                     "available partition";
    }
    return out;
}

}  // namespace bs::producer
