#include "producer/builtin_default_partitioner.h"

#include "producer/record_accumulator.h"

namespace bs::producer {

std::string BuiltInDefaultPartitioner::name() const {
    return std::string("built-in uniform sticky (Kafka 3.3+, KIP-794)") +
           (ignoreKeys_ ? ", ignoring keys" : "");
}

Result<int32_t> BuiltInDefaultPartitioner::partition(std::string_view topic, BytesView keyBytes,
                                                     BytesView, const ClusterView& cluster) {
    if (!keyBytes || ignoreKeys_) return kUnknownPartition;
    const int32_t n = cluster.partitionCountForTopic(topic);
    if (n <= 0) return Error{"topic '" + std::string(topic) + "' has no known partitions"};
    return partitionForKey(*keyBytes, n);
}

PartitionExplanation BuiltInDefaultPartitioner::explain(std::string_view topic, BytesView keyBytes,
                                                        const ClusterView& cluster) const {
    PartitionExplanation out = startExplanation(name(), topic, keyBytes, !ignoreKeys_, cluster);
    if (out.keyed) return out;
    out.partition = kUnknownPartition;
    std::string why = keyBytes ? "keys ignored (partitioner.ignore.keys=true)" : "no key";
    auto info = accumulator_ ? accumulator_->stickyPartitionInfo(topic) : nullptr;
    if (info) {
        out.partition = info->partition;
        out.detail =
            why + ": uniform sticky, current partition " + std::to_string(info->partition) + ", " +
            std::to_string(info->producedBytes.load()) + " of " + std::to_string(batchSize_) +
            " bytes produced to it; switches to another available partition after "
            "batch.size bytes (weighted by queue depth when adaptive partitioning is on)";
    } else {
        out.detail = why +
                     ": uniform sticky, no partition chosen yet; the first record picks a "
                     "random available partition and stays there for ~batch.size bytes";
    }
    return out;
}

}  // namespace bs::producer
