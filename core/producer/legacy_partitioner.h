#pragma once

#include "producer/partitioner.h"
#include "producer/topic_counters.h"

namespace bs::producer {

// Kafka <= 2.3's DefaultPartitioner: keyed -> murmur2 over all partitions; keyless -> round
// robin over AVAILABLE partitions (leader known) with a per-topic counter that starts at a
// random value, so every keyless record lands on a different partition (small batches).
class LegacyDefaultPartitioner final : public Partitioner {
  public:
    LegacyDefaultPartitioner();
    // Tests fix the counters' starting value.
    explicit LegacyDefaultPartitioner(std::function<int32_t()> initialCounter)
        : counters_(std::move(initialCounter)) {}

    Result<int32_t> partition(std::string_view topic, BytesView keyBytes, BytesView valueBytes,
                              const ClusterView& cluster) override;
    PartitionExplanation explain(std::string_view topic, BytesView keyBytes,
                                 const ClusterView& cluster) const override;
    std::string name() const override {
        return "legacy round robin (DefaultPartitioner, Kafka <= 2.3)";
    }

  private:
    TopicCounters counters_;
};

// Shared by the round-robin partitioners: the partition for counter value `next`
// (toPositive(next) % available, or % all partitions when none is available).
int32_t roundRobinPick(int32_t next, std::string_view topic, const ClusterView& cluster);
void explainRoundRobin(std::optional<int32_t> next, std::string_view topic,
                       const ClusterView& cluster, PartitionExplanation& out);

}  // namespace bs::producer
