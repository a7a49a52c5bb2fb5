#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

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
    // socket.request.max.bytes: a frame larger than this closes the connection.
    int32_t maxRequestBytes = 100 * 1024 * 1024;
    // Threads running the one io_context every node's sockets share.
    int ioThreads = 2;
    // TLS and SASL on every node's listener (default PLAINTEXT).
    ListenerSecurity security;
};

// Checks ranges and names; the error names the offending setting.
Status validateClusterConfig(const ClusterConfig& config);

// $XDG_DATA_HOME/batchscope/cluster, else ~/.local/share/batchscope/cluster.
std::filesystem::path defaultClusterDataDir();

// Kafka's topic name rule: [a-zA-Z0-9._-]{1,249}, not "." or "..". The error says why.
Status validateTopicName(std::string_view name);

}  // namespace bs::broker
