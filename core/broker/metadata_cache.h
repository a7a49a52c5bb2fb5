#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "protocol/errors.h"
#include "protocol/types.h"

namespace bs::broker {

struct PartitionMetadata {
    int32_t partition = 0;
    int32_t leader = 0;       // node id; replicas = isr = [leader] (no replication)
    int32_t leaderEpoch = 0;  // bumped whenever leadership moves
};

struct TopicMetadata {
    std::string name;
    protocol::Uuid id;
    std::vector<PartitionMetadata> partitions;
};

// Outcome of a topic creation, in Kafka's terms (CreateTopics answers with it).
struct CreateTopicOutcome {
    protocol::ErrorCode error = protocol::ErrorCode::NONE;
    std::string message;  // empty on success
    TopicMetadata topic;  // the created (or, for TOPIC_ALREADY_EXISTS, the existing) topic
};

// The cluster's topic/partition/leader table, cluster id and producer-id counter: what the
// controller owns in Kafka. One instance shared by every node (a single process, so every node's
// metadata is always current). Every change is persisted to `<dataDir>/cluster.meta` (written to
// a temporary file, fsynced, renamed) before it becomes visible, so a restart restores it.
// Thread-safe: all state is guarded by mu_.
class MetadataCache {
  public:
    // Loads `<dataDir>/cluster.meta` or starts empty (a new cluster id). Leaders that name a node
    // >= nodeCount (the cluster was restarted with fewer nodes) are moved round-robin, with the
    // leader epoch bumped.
    static Result<std::unique_ptr<MetadataCache>> open(const std::filesystem::path& dataDir,
                                                       int nodeCount);

    const std::string& clusterId() const { return clusterId_; }
    int32_t controllerId() const { return 0; }
    int nodeCount() const { return nodeCount_; }

    std::optional<TopicMetadata> topic(std::string_view name) const;
    std::vector<TopicMetadata> topics() const;
    std::optional<PartitionMetadata> partition(std::string_view topic, int32_t partition) const;

    // Validates the name and count like Kafka's controller; leaders round-robin over the nodes,
    // starting after the previous topic's first leader so topics spread too. validateOnly checks
    // without creating.
    CreateTopicOutcome createTopic(std::string_view name, int32_t partitions, bool validateOnly);

    // Grows a topic to `count` partitions, as Kafka's controller does for CreatePartitions:
    // INVALID_PARTITIONS for no increase, UNKNOWN_TOPIC_OR_PARTITION for an unknown topic.
    // `leaders` (optional) names the node of each new partition (replication factor 1), else
    // the topic's round robin continues. Persisted before visible; validateOnly only checks.
    CreateTopicOutcome createPartitions(std::string_view name, int32_t count,
                                        const std::vector<int32_t>* leaders, bool validateOnly);

    // Moves a partition's leadership (fault injection); bumps its leader epoch.
    Result<PartitionMetadata> moveLeader(std::string_view topic, int32_t partition, int32_t toNode);

    // A fresh producer id (InitProducerId); persisted so ids never repeat across restarts.
    Result<int64_t> allocateProducerId();
    // Whether allocateProducerId() ever returned `id` (on this data dir).
    bool isAllocatedProducerId(int64_t id) const;

    static constexpr int64_t kFirstProducerId = 1000;

  private:
    MetadataCache(std::filesystem::path file, int nodeCount)
        : file_(std::move(file)), nodeCount_(nodeCount) {}
    Status load();
    Status persistLocked() const;  // requires mu_

    const std::filesystem::path file_;
    const int nodeCount_;
    std::string clusterId_;  // set once in open(), immutable afterwards

    mutable std::mutex mu_;
    std::map<std::string, TopicMetadata, std::less<>> topics_;  // guarded by mu_
    int64_t nextProducerId_ = kFirstProducerId;                 // guarded by mu_
    int32_t nextLeaderStart_ = 0;                               // guarded by mu_
};

// Random (v4) UUID, never all-zero; and Kafka's URL-safe base64 text form (22 chars).
protocol::Uuid randomUuid();
std::string uuidToBase64(const protocol::Uuid& id);

}  // namespace bs::broker
