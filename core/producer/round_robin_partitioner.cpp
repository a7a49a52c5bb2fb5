#include "producer/round_robin_partitioner.h"

#include "producer/legacy_partitioner.h"

namespace bs::producer {

Result<int32_t> RoundRobinPartitioner::partition(std::string_view topic, BytesView, BytesView,
                                                 const ClusterView& cluster) {
    if (cluster.partitionCountForTopic(topic) <= 0)
        return Error{"topic '" + std::string(topic) + "' has no known partitions"};
    return roundRobinPick(counters_.getAndIncrement(topic), topic, cluster);
}

PartitionExplanation RoundRobinPartitioner::explain(std::string_view topic, BytesView keyBytes,
                                                    const ClusterView& cluster) const {
    PartitionExplanation out;
    out.partitioner = name();
    if (keyBytes) out.keyBytes.assign(keyBytes->begin(), keyBytes->end());
    explainRoundRobin(counters_.peek(topic).value_or(0), topic, cluster, out);
    if (keyBytes) out.detail = "key ignored; " + out.detail;
    return out;
}

}  // namespace bs::producer
