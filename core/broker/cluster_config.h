#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "broker/group_coordinator_config.h"
#include "broker/listener_security.h"
#include "broker/storage/log_config.h"
#include "common/result.h"

namespace bs::broker {

// A topic the cluster creates at start-up (`--topic NAME[:PARTITIONS]`).
struct InitialTopic {
    std::string name;
    int32_t partitions = -1;  // -1: the cluster's default partition count
};

// Everything the embedded cluster is configured with. Plain data, copied into the cluster at
// construction; the cluster never changes it afterwards.
struct ClusterConfig {
    int nodeCount = 3;
    std::string bindAddress = "127.0.0.1";
    // Host the nodes advertise in Metadata; empty means bindAddress.
    std::string advertisedHost;
    // 0: every node gets an ephemeral port; otherwise node i listens on basePort + i.
    int basePort = 0;
    std::filesystem::path dataDir;
    // Topics are auto-created on Metadata/Produce for an unknown name (auto.create.topics.enable).
    bool autoCreateTopics = true;
    int32_t defaultPartitions = 6;  // num.partitions
    std::vector<InitialTopic> topics;
    // Every partition's log settings (segment.bytes, retention.bytes, max.message.bytes,
    // flush.messages/flush.ms, message.timestamp.type).
    LogConfig log;
    // What a client may hold of the broker (docs/ARCHITECTURE.md, "The embedded broker under
    // abuse"). socket.request.max.bytes: a frame announcing more closes the connection.
    int32_t maxRequestBytes = 100 * 1024 * 1024;
    // queued.max.request.bytes: bytes of requests being read, summed over every connection of
    // every node (they share one process); past it connections stop reading until memory
    // frees. -1: unbounded (Kafka's default); ours is on, at twice socket.request.max.bytes.
    int64_t queuedMaxRequestBytes = 200 * 1024 * 1024;
    // max.connections, per node: connections past it are closed as they are accepted.
    int32_t maxConnections = 4096;
    // request.read.timeout.ms (ours, Kafka has none): a frame whose bytes have not all arrived
    // this long after its first byte closes the connection. The default is the clients'
    // request.timeout.ms, after which no client waits for the answer anyway.
    int64_t requestReadTimeoutMs = 30'000;
    // connections.max.idle.ms: a connection with nothing read or written this long is closed.
    int64_t connectionsMaxIdleMs = 600'000;
    // Threads running the one io_context every node's sockets share.
    int ioThreads = 2;
    // The embedded Schema Registry's HTTP port: 0 ephemeral, -1 no registry. Its schemas are
    // kept in dataDir/schema-registry/schemas.json.
    int schemaRegistryPort = 0;
    // TLS and SASL on every node's listener (default PLAINTEXT).
    ListenerSecurity security;
    // The group coordinator's settings (session timeout bounds, initial rebalance delay, ...).
    GroupCoordinatorConfig groups;
};

// Checks ranges and names; the error names the offending setting.
Status validateClusterConfig(const ClusterConfig& config);

// $XDG_DATA_HOME/batchscope/cluster, else ~/.local/share/batchscope/cluster.
std::filesystem::path defaultClusterDataDir();

// Kafka's topic name rule: [a-zA-Z0-9._-]{1,249}, not "." or "..". The error says why.
Status validateTopicName(std::string_view name);

}  // namespace bs::broker
