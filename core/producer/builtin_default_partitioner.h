#pragma once

#include "producer/partitioner.h"

namespace bs::producer {

// The built-in partitioner of Kafka 3.3+ (KIP-794, partitioner.class unset): keyed records go
// to toPositive(murmur2(key)) % partitions; keyless ones (or all, with partitioner.ignore.keys)
// get kUnknownPartition so the accumulator's uniform sticky BuiltInPartitioner picks at append.
// Stateless here; thread-safe.
class BuiltInDefaultPartitioner final : public Partitioner {
  public:
    // `accumulator` (may be null) is only read to explain the current sticky partition.
    BuiltInDefaultPartitioner(bool ignoreKeys, int32_t batchSize,
                              const RecordAccumulator* accumulator)
        : ignoreKeys_(ignoreKeys), batchSize_(batchSize), accumulator_(accumulator) {}

    Result<int32_t> partition(std::string_view topic, BytesView keyBytes, BytesView valueBytes,
                              const ClusterView& cluster) override;
    PartitionExplanation explain(std::string_view topic, BytesView keyBytes,
                                 const ClusterView& cluster) const override;
    std::string name() const override;

  private:
    const bool ignoreKeys_;
    const int32_t batchSize_;
    const RecordAccumulator* const accumulator_;
};

}  // namespace bs::producer
