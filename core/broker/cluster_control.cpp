#include "broker/cluster_control.h"

#include <spdlog/spdlog.h>

#include "broker/byte_gauge.h"
#include "broker/node_server.h"
#include "broker/request_memory_pool.h"

namespace bs::broker {

Status ClusterControl::checkNode(int32_t node) const {
    if (node < 0 || node >= nodeCount()) {
        return Error{"node " + std::to_string(node) + " does not exist (nodes 0.." +
                     std::to_string(nodeCount() - 1) + ")"};
    }
    return {};
}

Status ClusterControl::setLatency(int32_t node, int64_t ms) {
    if (auto s = checkNode(node); !s) return s;
    if (ms < 0 || ms > 3'600'000) return Error{"latency must be 0..3600000 ms"};
    faults_.setLatencyMs(node, ms);
    spdlog::info("node {}: latency {} ms", node, ms);
    return {};
}

Status ClusterControl::takeDown(int32_t node) {
    if (auto s = checkNode(node); !s) return s;
    faults_.setDown(node, true);
    nodes_[static_cast<size_t>(node)]->close();
    spdlog::info("node {}: down", node);
    return {};
}

Status ClusterControl::bringUp(int32_t node) {
    if (auto s = checkNode(node); !s) return s;
    if (auto s = nodes_[static_cast<size_t>(node)]->reopen(); !s) return s;
    faults_.setDown(node, false);
    spdlog::info("node {}: up", node);
    return {};
}

Status ClusterControl::injectErrors(int32_t node, protocol::ApiKey api, protocol::ErrorCode error,
                                    int count) {
    if (auto s = checkNode(node); !s) return s;
    if (!protocol::supportedRange(api)) {
        return Error{"api key " + std::to_string(static_cast<int16_t>(api)) + " is not served"};
    }
    if (!protocol::isKnownError(static_cast<int16_t>(error))) {
        return Error{"error code " + std::to_string(static_cast<int16_t>(error)) +
                     " is not a Kafka error code"};
    }
    if (count < 0) return Error{"count must be >= 0"};
    faults_.injectErrors(node, api, error, count);
    spdlog::info("node {}: next {} {} requests answer {}", node, count, protocol::apiName(api),
                 protocol::errorName(error));
    return {};
}

Result<PartitionMetadata> ClusterControl::moveLeader(std::string_view topic, int32_t partition,
                                                     int32_t toNode) {
    auto moved = metadata_.moveLeader(topic, partition, toNode);
    if (moved) {
        spdlog::info("{}-{}: leader now node {} (epoch {})", topic, partition, moved->leader,
                     moved->leaderEpoch);
    }
    return moved;
}

CreateTopicOutcome ClusterControl::createTopic(std::string_view name, int32_t partitions) {
    return metadata_.createTopic(name, partitions == -1 ? defaultPartitions_ : partitions, false);
}

CreateTopicOutcome ClusterControl::createPartitions(std::string_view name, int32_t count) {
    return metadata_.createPartitions(name, count, nullptr, false);
}

ClusterStatus ClusterControl::status() const {
    ClusterStatus s;
    s.clusterId = metadata_.clusterId();
    s.controllerId = metadata_.controllerId();
    for (const auto& n : nodes_) {
        NodeStatus ns;
        ns.nodeId = n->nodeId();
        ns.host = advertisedHost_;
        ns.port = n->port();
        ns.up = !faults_.isDown(ns.nodeId);
        ns.latencyMs = faults_.latencyMs(ns.nodeId);
        ns.connections = n->connectionCount();
        ns.pendingErrors = faults_.pendingErrors(ns.nodeId);
        s.nodes.push_back(std::move(ns));
    }
    s.topics = metadata_.topics();
    s.network.bufferedRequestBytes = memoryPool_.used();
    s.network.peakBufferedRequestBytes = memoryPool_.peak();
    s.network.queuedMaxRequestBytes = memoryPool_.capacity();
    s.network.memoryWaits = memoryPool_.refusals();
    s.network.queuedResponseBytes = queuedResponseBytes_.value();
    s.network.peakQueuedResponseBytes = queuedResponseBytes_.peak();
    for (size_t k = 0; k < kRefusalKinds; ++k)
        s.network.refusals[k] = refusals_.count(static_cast<Refusal>(k));
    return s;
}

}  // namespace bs::broker
