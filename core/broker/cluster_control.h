#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "broker/fault_injector.h"
#include "broker/metadata_cache.h"
#include "broker/refusal_log.h"
#include "common/result.h"
#include "protocol/api_keys.h"
#include "protocol/errors.h"

namespace bs::broker {

class ByteGauge;
class NodeServer;
class RequestMemoryPool;

struct NodeStatus {
    int32_t nodeId = 0;
    std::string host;
    uint16_t port = 0;
    bool up = true;
    int64_t latencyMs = 0;
    size_t connections = 0;
    std::vector<InjectedError> pendingErrors;
};

// What the nodes' network layer holds and what it refused, summed over the nodes.
struct NetworkStatus {
    size_t bufferedRequestBytes = 0;      // charged to queued.max.request.bytes now
    size_t peakBufferedRequestBytes = 0;  // the most ever charged
    int64_t queuedMaxRequestBytes = 0;    // -1: unbounded
    uint64_t memoryWaits = 0;             // reads held back because the pool was full
    size_t queuedResponseBytes = 0;       // responses not yet taken by their clients
    size_t peakQueuedResponseBytes = 0;
    std::array<uint64_t, kRefusalKinds> refusals{};  // indexed by Refusal
};

struct ClusterStatus {
    std::string clusterId;
    int32_t controllerId = 0;
    std::vector<NodeStatus> nodes;
    std::vector<TopicMetadata> topics;
    NetworkStatus network;
};

// The fault-injection and inspection API of the embedded cluster, for tests, the standalone
// broker's stdin commands and the GUI. Every method is thread-safe and takes effect before it
// returns (a node taken down refuses connections at once; its open connections are closed
// asynchronously right after). Obtained from EmbeddedCluster::control(); valid while the
// cluster lives.
class ClusterControl {
  public:
    ClusterControl(std::vector<std::unique_ptr<NodeServer>>& nodes, std::string advertisedHost,
                   FaultInjector& faults, MetadataCache& metadata, int32_t defaultPartitions,
                   const RequestMemoryPool& memoryPool, const RefusalLog& refusals,
                   const ByteGauge& queuedResponseBytes)
        : nodes_(nodes),
          advertisedHost_(std::move(advertisedHost)),
          faults_(faults),
          metadata_(metadata),
          defaultPartitions_(defaultPartitions),
          memoryPool_(memoryPool),
          refusals_(refusals),
          queuedResponseBytes_(queuedResponseBytes) {}

    // Adds `ms` to every response of the node (0 removes it).
    Status setLatency(int32_t node, int64_t ms);
    // Closes the node's listener and connections; Metadata then leaves it out and reports its
    // partitions offline (leader -1), as Kafka does for a dead broker with replication factor 1.
    Status takeDown(int32_t node);
    // Listens again on the same port.
    Status bringUp(int32_t node);
    // The next `count` requests of `api` on `node` are answered with `error` in every
    // topic/partition entry (top-level for ApiVersions/InitProducerId); count 0 disarms.
    Status injectErrors(int32_t node, protocol::ApiKey api, protocol::ErrorCode error, int count);
    // Moves a partition's leadership to `toNode` and bumps its leader epoch; the old leader
    // answers NOT_LEADER_OR_FOLLOWER from then on.
    Result<PartitionMetadata> moveLeader(std::string_view topic, int32_t partition, int32_t toNode);
    // partitions -1: the cluster's default.
    CreateTopicOutcome createTopic(std::string_view name, int32_t partitions = -1);

    // Grows a topic to `count` partitions (CreatePartitions without assignments).
    CreateTopicOutcome createPartitions(std::string_view name, int32_t count);
    ClusterStatus status() const;
    int32_t nodeCount() const { return static_cast<int32_t>(nodes_.size()); }

  private:
    Status checkNode(int32_t node) const;

    std::vector<std::unique_ptr<NodeServer>>& nodes_;
    const std::string advertisedHost_;
    FaultInjector& faults_;
    MetadataCache& metadata_;
    const int32_t defaultPartitions_;
    const RequestMemoryPool& memoryPool_;
    const RefusalLog& refusals_;
    const ByteGauge& queuedResponseBytes_;
};

}  // namespace bs::broker
