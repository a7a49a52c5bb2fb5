#pragma once

#include <climits>
#include <cstdint>

namespace bs::broker {

// Kafka's group coordinator settings (broker keys in the comments).
struct GroupCoordinatorConfig {
    int32_t offsetsTopicPartitions = 50;      // offsets.topic.num.partitions
    int32_t minSessionTimeoutMs = 6'000;      // group.min.session.timeout.ms
    int32_t maxSessionTimeoutMs = 1'800'000;  // group.max.session.timeout.ms
    int32_t initialRebalanceDelayMs = 3'000;  // group.initial.rebalance.delay.ms
    int32_t offsetMetadataMaxBytes = 4'096;   // offset.metadata.max.bytes
    int32_t groupMaxSize = INT32_MAX;         // group.max.size
    // Ours: the journal is rewritten compacted once this much was appended to it.
    int64_t journalCompactBytes = 16 << 20;
};

}  // namespace bs::broker
