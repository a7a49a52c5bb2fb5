#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "client/topic_partition.h"

namespace bs::client {

// The accumulator's and partitioners' view of cluster metadata (Java's Cluster /
// MetadataSnapshot). Implemented by the sender's Metadata. An instance is an IMMUTABLE snapshot:
// every span it returns stays valid and unchanged for the object's lifetime, and all methods
// are safe from any thread.
class ClusterView {
  public:
    virtual ~ClusterView() = default;

    // The leader's node id; nullopt when unknown (no leader, or unknown topic/partition).
    virtual std::optional<int32_t> leaderFor(const TopicPartition& tp) const = 0;
    // The leader epoch from metadata, when known.
    virtual std::optional<int32_t> leaderEpochFor(const TopicPartition& tp) const = 0;
    // Number of partitions of `topic`; 0 when the topic is unknown.
    virtual int32_t partitionCountForTopic(std::string_view topic) const = 0;
    // Partition ids of `topic` whose leader is known, ascending (Java's
    // availablePartitionsForTopic).
    virtual std::span<const int32_t> availablePartitionsForTopic(std::string_view topic) const = 0;
    // Partitions led by `nodeId`, in a stable order (Java's partitionsForNode).
    virtual std::span<const TopicPartition> partitionsForNode(int32_t nodeId) const = 0;
};

}  // namespace bs::client
