#include "broker/cluster_config.h"

#include <cstdlib>

namespace bs::broker {

namespace {
constexpr size_t kMaxTopicNameLength = 249;
constexpr int64_t kMaxTimeoutMs = 86'400'000;  // a day

bool isLegalTopicChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
}
}  // namespace

Status validateTopicName(std::string_view name) {
    if (name.empty()) return Error{"topic name is empty"};
    if (name == "." || name == "..") return Error{"topic name cannot be '.' or '..'"};
    if (name.size() > kMaxTopicNameLength) {
        return Error{"topic name '" + std::string(name.substr(0, 32)) + "...' is longer than " +
                     std::to_string(kMaxTopicNameLength) + " characters"};
    }
    for (char c : name) {
        if (!isLegalTopicChar(c)) {
            return Error{"topic name '" + std::string(name) +
                         "' contains an illegal character (legal: a-z A-Z 0-9 . _ -)"};
        }
    }
    return {};
}

Status validateClusterConfig(const ClusterConfig& c) {
    if (c.nodeCount < 1 || c.nodeCount > 64) return Error{"nodes must be 1..64"};
    if (c.schemaRegistryPort < -1 || c.schemaRegistryPort > 65535) {
        return Error{"schema registry port must be -1 (off), 0 (ephemeral) or a port number"};
    }
    if (c.basePort < 0 || c.basePort + c.nodeCount - 1 > 65535) {
        return Error{"port must be 0 (ephemeral) or a base port such that base+nodes-1 <= 65535"};
    }
    if (c.defaultPartitions < 1 || c.defaultPartitions > 10000) {
        return Error{"partitions must be 1..10000"};
    }
    if (c.dataDir.empty()) return Error{"data-dir must not be empty"};
    if (auto s = c.log.validate(); !s) return s;
    if (c.maxRequestBytes < 1024) return Error{"max request bytes must be at least 1024"};
    if (c.queuedMaxRequestBytes != -1 && c.queuedMaxRequestBytes < c.maxRequestBytes) {
        return Error{
            "queued.max.request.bytes must be -1 (unbounded) or at least "
            "socket.request.max.bytes (" +
            std::to_string(c.maxRequestBytes) + "), else the largest request could not be read"};
    }
    if (c.maxConnections < 1) return Error{"max.connections must be at least 1"};
    if (c.requestReadTimeoutMs < 1 || c.requestReadTimeoutMs > kMaxTimeoutMs) {
        return Error{"request.read.timeout.ms must be 1..86400000"};
    }
    if (c.connectionsMaxIdleMs < 1 || c.connectionsMaxIdleMs > kMaxTimeoutMs) {
        return Error{"connections.max.idle.ms must be 1..86400000"};
    }
    if (c.ioThreads < 1 || c.ioThreads > 64) return Error{"io threads must be 1..64"};
    for (const auto& t : c.topics) {
        if (auto s = validateTopicName(t.name); !s) return Error{"--topic: " + s.message()};
        if (t.partitions != -1 && (t.partitions < 1 || t.partitions > 10000)) {
            return Error{"--topic " + t.name + ": partitions must be 1..10000"};
        }
    }
    return validateListenerSecurity(c.security);
}

std::filesystem::path defaultClusterDataDir() {
    if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg != nullptr && xdg[0] == '/') {
        return std::filesystem::path(xdg) / "batchscope" / "cluster";
    }
    if (const char* home = std::getenv("HOME"); home != nullptr && home[0] != '\0') {
        return std::filesystem::path(home) / ".local" / "share" / "batchscope" / "cluster";
    }
    return std::filesystem::temp_directory_path() / "batchscope-cluster";
}

}  // namespace bs::broker
