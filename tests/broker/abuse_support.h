#pragma once

// What the abuse tests share: a one-node embedded cluster in this process, its network status,
// and the log lines it wrote.
#include <spdlog/sinks/ringbuffer_sink.h>
#include <spdlog/spdlog.h>

#include <memory>
#include <string>
#include <string_view>

#include "broker/embedded_cluster.h"

namespace bs::test {

// `config` with one node and `dataDir`; null when the cluster did not start.
inline std::unique_ptr<broker::EmbeddedCluster> startOneNode(broker::ClusterConfig config,
                                                             const std::string& dataDir) {
    config.nodeCount = 1;
    config.dataDir = dataDir;
    auto started = broker::EmbeddedCluster::start(config);
    if (!started) return nullptr;
    return std::move(*started);
}

inline uint16_t portOf(broker::EmbeddedCluster& cluster) {
    return cluster.endpoints().front().port;
}

inline broker::NetworkStatus network(broker::EmbeddedCluster& cluster) {
    return cluster.control().status().network;
}

inline uint64_t refused(broker::EmbeddedCluster& cluster, broker::Refusal kind) {
    return network(cluster).refusals[static_cast<size_t>(kind)];
}

inline size_t connections(broker::EmbeddedCluster& cluster) {
    return cluster.control().status().nodes.front().connections;
}

// Sends spdlog's default logger into a ring while it lives (then restores the previous one).
class LogCapture {
  public:
    LogCapture()
        : sink_(std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(100000)),
          previous_(spdlog::default_logger()) {
        auto logger = std::make_shared<spdlog::logger>("capture", sink_);
        logger->set_level(spdlog::level::debug);
        spdlog::set_default_logger(logger);
    }
    ~LogCapture() { spdlog::set_default_logger(previous_); }
    LogCapture(const LogCapture&) = delete;
    LogCapture& operator=(const LogCapture&) = delete;

    // Lines logged at warn or above containing `text`.
    int warnings(std::string_view text) const {
        int n = 0;
        for (const auto& line : sink_->last_formatted()) {
            if (line.find(text) != std::string::npos &&
                (line.find("[warning]") != std::string::npos ||
                 line.find("[error]") != std::string::npos)) {
                ++n;
            }
        }
        return n;
    }
    // Lines at any level containing `text`.
    int lines(std::string_view text) const {
        int n = 0;
        for (const auto& line : sink_->last_formatted())
            n += line.find(text) != std::string::npos ? 1 : 0;
        return n;
    }

  private:
    std::shared_ptr<spdlog::sinks::ringbuffer_sink_mt> sink_;
    std::shared_ptr<spdlog::logger> previous_;
};

}  // namespace bs::test
