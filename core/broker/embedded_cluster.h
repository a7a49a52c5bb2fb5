#pragma once

#include <atomic>
#include <boost/asio/steady_timer.hpp>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "broker/byte_gauge.h"
#include "broker/cluster_config.h"
#include "broker/cluster_control.h"
#include "broker/fault_injector.h"
#include "broker/group_coordinator.h"
#include "broker/kafka_apis.h"
#include "broker/listener_security.h"
#include "broker/metadata_cache.h"
#include "broker/node_server.h"
#include "broker/processor_pool.h"
#include "broker/refusal_log.h"
#include "broker/replica_manager.h"
#include "broker/request_memory_pool.h"
#include "common/clock.h"
#include "common/result.h"
#include "registry/registry_server.h"

namespace bs::broker {

// The embedded Kafka-compatible cluster: N nodes in this process, each its own TCP listener,
// sharing one metadata table and one data dir of partition logs. Networking runs on
// config.ioThreads threads, each with an io_context of its own (ProcessorPool); a connection
// stays on the thread it was given, so the threads only bound how many requests are handled at
// once.
// Lifecycle: start() -> serving; stop() (or the destructor) closes every listener and
// connection, waits for the I/O threads, then flushes and closes every log. Thread-safe.
class EmbeddedCluster {
  public:
    static Result<std::unique_ptr<EmbeddedCluster>> start(
        const ClusterConfig& config, const Clock& clock = SystemClock::instance());
    ~EmbeddedCluster();
    EmbeddedCluster(const EmbeddedCluster&) = delete;
    EmbeddedCluster& operator=(const EmbeddedCluster&) = delete;

    // Idempotent; returns the first error flushing/closing the logs.
    Status stop();

    // "host:port,host:port,..." of every node, in node id order.
    std::string bootstrapServers() const;
    std::vector<BrokerEndpoint> endpoints() const { return apis_->endpoints(); }
    // schema.registry.url of the embedded Schema Registry; empty when it is off.
    std::string schemaRegistryUrl() const { return registry_ ? registry_->url() : ""; }

    ClusterControl& control() { return *control_; }
    MetadataCache& metadata() { return *metadata_; }
    ReplicaManager& replicas() { return *replicas_; }
    KafkaApis& apis() { return *apis_; }
    GroupCoordinator& groups() { return *groups_; }
    const ClusterConfig& config() const { return config_; }

  private:
    EmbeddedCluster(const ClusterConfig& config, const Clock& clock);
    Status init();
    void scheduleFlush();
    void scheduleGroupTick();

    const ClusterConfig config_;
    const Clock& clock_;
    std::unique_ptr<MetadataCache> metadata_;
    std::unique_ptr<ReplicaManager> replicas_;
    std::unique_ptr<FaultInjector> faults_;
    std::unique_ptr<GroupCoordinator> groups_;
    std::unique_ptr<KafkaApis> apis_;
    security::TlsContext tls_;                   // null unless SSL / SASL_SSL
    std::unique_ptr<SaslCredentialStore> sasl_;  // null unless SASL_*
    // Shared by every node's connections (thread-safe); declared before io_ so they outlive
    // the connections io_'s handlers keep.
    RequestMemoryPool memoryPool_;
    RefusalLog refusals_;
    ByteGauge queuedResponseBytes_;
    // Outlives the nodes (their acceptors) and the connections, which stop() drains.
    ProcessorPool processors_;
    std::vector<std::unique_ptr<NodeServer>> nodes_;
    std::unique_ptr<registry::RegistryServer> registry_;  // own thread; stopped by stop()
    std::unique_ptr<ClusterControl> control_;
    boost::asio::steady_timer flushTimer_;  // touched on io threads only (one chain)
    boost::asio::steady_timer groupTimer_;  // likewise: applies the groups' deadlines
    std::atomic<bool> stopping_{false};
    std::mutex stopMu_;     // serializes stop()
    bool stopped_ = false;  // guarded by stopMu_
    Status stopStatus_;     // guarded by stopMu_
};

}  // namespace bs::broker
