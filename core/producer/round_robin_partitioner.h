#pragma once

#include "producer/partitioner.h"
#include "producer/topic_counters.h"

namespace bs::producer {

// Java's RoundRobinPartitioner (Kafka 2.4+): every record, keyed or not, goes to the next
// available partition; the per-topic counter starts at 0.
class RoundRobinPartitioner final : public Partitioner {
  public:
    RoundRobinPartitioner() : counters_([] { return 0; }) {}

    Result<int32_t> partition(std::string_view topic, BytesView keyBytes, BytesView valueBytes,
                              const ClusterView& cluster) override;
    PartitionExplanation explain(std::string_view topic, BytesView keyBytes,
                                 const ClusterView& cluster) const override;
    std::string name() const override { return "round robin (RoundRobinPartitioner, Kafka 2.4+)"; }

  private:
    TopicCounters counters_;
};

}  // namespace bs::producer
