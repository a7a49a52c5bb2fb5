#include "producer/legacy_partitioner.h"

#include <random>

#include "common/murmur2.h"

namespace bs::producer {

LegacyDefaultPartitioner::LegacyDefaultPartitioner()
    : counters_([] {
          thread_local std::mt19937 rng{std::random_device{}()};
          return static_cast<int32_t>(rng());
      }) {}

int32_t roundRobinPick(int32_t next, std::string_view topic, const ClusterView& cluster) {
    const auto available = cluster.availablePartitionsForTopic(topic);
    if (!available.empty())
        return available[static_cast<size_t>(toPositive(next)) % available.size()];
    return toPositive(next) % cluster.partitionCountForTopic(topic);
}

void explainRoundRobin(std::optional<int32_t> next, std::string_view topic,
                       const ClusterView& cluster, PartitionExplanation& out) {
    out.numPartitions = cluster.partitionCountForTopic(topic);
    const auto available = cluster.availablePartitionsForTopic(topic);
    std::string list;
    for (int32_t p : available)
        list += (list.empty() ? "" : ",") + std::to_string(p);
    if (!next) {
        out.detail = "round robin: the topic's counter starts with the first record";
        return;
    }
    if (out.numPartitions <= 0) return;
    out.partition = roundRobinPick(*next, topic, cluster);
    out.detail = "round robin: counter " + std::to_string(*next) + ", toPositive % " +
                 std::to_string(available.empty() ? out.numPartitions
                                                  : static_cast<int32_t>(available.size())) +
                 (available.empty() ? " (no partition has a known leader: all partitions)"
                                    : " over available partitions [" + list + "]") +
                 " -> partition " + std::to_string(out.partition);
}

Result<int32_t> LegacyDefaultPartitioner::partition(std::string_view topic, BytesView keyBytes,
                                                    BytesView, const ClusterView& cluster) {
    const int32_t n = cluster.partitionCountForTopic(topic);
    if (n <= 0) return Error{"topic '" + std::string(topic) + "' has no known partitions"};
    if (keyBytes) return partitionForKey(*keyBytes, n);
    return roundRobinPick(counters_.getAndIncrement(topic), topic, cluster);
}

PartitionExplanation LegacyDefaultPartitioner::explain(std::string_view topic, BytesView keyBytes,
                                                       const ClusterView& cluster) const {
    PartitionExplanation out = startExplanation(name(), topic, keyBytes, true, cluster);
    if (out.keyed) return out;
    explainRoundRobin(counters_.peek(topic), topic, cluster, out);
    if (!counters_.peek(topic)) out.detail += " at a random value";
    return out;
}

}  // namespace bs::producer
