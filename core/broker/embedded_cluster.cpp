#include "broker/embedded_cluster.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/post.hpp>

namespace bs::broker {

EmbeddedCluster::EmbeddedCluster(const ClusterConfig& config, const Clock& clock)
    : config_(config),
      clock_(clock),
      memoryPool_(config.queuedMaxRequestBytes),
      processors_(config_.ioThreads),
      flushTimer_(processors_.control()),
      groupTimer_(processors_.control()) {}

Result<std::unique_ptr<EmbeddedCluster>> EmbeddedCluster::start(const ClusterConfig& config,
                                                                const Clock& clock) {
    if (auto s = validateClusterConfig(config); !s) return Error{s.message()};
    std::unique_ptr<EmbeddedCluster> cluster(new EmbeddedCluster(config, clock));
    if (auto s = cluster->init(); !s) {
        (void)cluster->stop();
        return Error{s.message()};
    }
    return cluster;
}

Status EmbeddedCluster::init() {
    auto metadata = MetadataCache::open(config_.dataDir, config_.nodeCount);
    if (!metadata) return Error{metadata.error().message};
    metadata_ = std::move(*metadata);
    for (const auto& t : config_.topics) {
        const int32_t partitions = t.partitions == -1 ? config_.defaultPartitions : t.partitions;
        auto created = metadata_->createTopic(t.name, partitions, false);
        if (created.error == protocol::ErrorCode::TOPIC_ALREADY_EXISTS) {
            if (static_cast<int32_t>(created.topic.partitions.size()) != partitions) {
                spdlog::warn("topic {} already exists with {} partitions (asked for {})", t.name,
                             created.topic.partitions.size(), partitions);
            }
        } else if (created.error != protocol::ErrorCode::NONE) {
            return Error{"--topic " + t.name + ": " + created.message};
        }
    }
    replicas_ = std::make_unique<ReplicaManager>(config_.dataDir, config_.log, *metadata_, clock_);
    if (auto s = replicas_->loadLogs(); !s) return s;
    faults_ = std::make_unique<FaultInjector>(config_.nodeCount);
    auto groups = GroupCoordinator::open(config_.dataDir, config_.groups, clock_);
    if (!groups) return Error{groups.error().message};
    groups_ = std::move(*groups);
    if (security::usesTls(config_.security.protocol)) {
        auto tls = security::makeServerTlsContext(config_.security.tls);
        if (!tls) return Error{tls.error().message};
        tls_ = std::move(*tls);
    }
    if (security::usesSasl(config_.security.protocol)) {
        sasl_ = std::make_unique<SaslCredentialStore>(config_.security);
    }

    const std::string host =
        config_.advertisedHost.empty() ? config_.bindAddress : config_.advertisedHost;
    std::vector<BrokerEndpoint> endpoints;
    for (int32_t id = 0; id < config_.nodeCount; ++id) {
        const auto port = static_cast<uint16_t>(config_.basePort == 0 ? 0 : config_.basePort + id);
        auto node = std::make_unique<NodeServer>(processors_, id, config_.bindAddress, port);
        if (auto s = node->open(); !s) return s;
        endpoints.push_back({id, host, node->port()});
        nodes_.push_back(std::move(node));
    }
    apis_ = std::make_unique<KafkaApis>(config_, std::move(endpoints), *metadata_, *replicas_,
                                        *faults_, clock_, groups_.get());
    control_ = std::make_unique<ClusterControl>(nodes_, host, *faults_, *metadata_,
                                                config_.defaultPartitions, memoryPool_, refusals_,
                                                queuedResponseBytes_);
    ConnectionContext context;
    context.apis = apis_.get();
    context.faults = faults_.get();
    context.maxRequestBytes = config_.maxRequestBytes;
    context.requestReadTimeout = std::chrono::milliseconds(config_.requestReadTimeoutMs);
    context.connectionsMaxIdle = std::chrono::milliseconds(config_.connectionsMaxIdleMs);
    context.memoryPool = &memoryPool_;
    context.refusals = &refusals_;
    context.queuedResponseBytes = &queuedResponseBytes_;
    context.tls = tls_;
    context.sasl = sasl_.get();
    for (auto& node : nodes_)
        node->startAccepting(context, config_.maxConnections);

    if (config_.schemaRegistryPort >= 0) {
        registry::RegistryServerConfig rc;
        rc.bindAddress = config_.bindAddress;
        rc.port = static_cast<uint16_t>(config_.schemaRegistryPort);
        rc.advertisedHost = host;
        if (!config_.dataDir.empty())
            rc.file = config_.dataDir / "schema-registry" / "schemas.json";
        auto registry = registry::RegistryServer::start(rc);
        if (!registry) return Error{registry.error().message};
        registry_ = std::move(*registry);
    }

    if (config_.log.flushMs != LogConfig::kNever) scheduleFlush();
    scheduleGroupTick();
    processors_.start();
    spdlog::info(
        "cluster {} started: {} nodes, bootstrap.servers={}, security.protocol={}, "
        "schema.registry.url={}, data dir {}",
        metadata_->clusterId(), config_.nodeCount, bootstrapServers(),
        security::securityProtocolName(config_.security.protocol), schemaRegistryUrl(),
        config_.dataDir.string());
    return {};
}

void EmbeddedCluster::scheduleFlush() {
    const int64_t period = std::clamp<int64_t>(config_.log.flushMs, 10, 1000);
    flushTimer_.expires_after(std::chrono::milliseconds(period));
    flushTimer_.async_wait([this](const boost::system::error_code& ec) {
        if (ec || stopping_) return;
        replicas_->maybeFlushAll();
        scheduleFlush();
    });
}

// The deadlines live in the coordinator, on the injected clock; this only looks at them often.
void EmbeddedCluster::scheduleGroupTick() {
    groupTimer_.expires_after(std::chrono::milliseconds(100));
    groupTimer_.async_wait([this](const boost::system::error_code& ec) {
        if (ec || stopping_) return;
        groups_->tick();
        scheduleGroupTick();
    });
}

std::string EmbeddedCluster::bootstrapServers() const {
    std::string out;
    for (const auto& e : apis_->endpoints()) {
        if (!out.empty()) out += ',';
        out += e.host + ":" + std::to_string(e.port);
    }
    return out;
}

Status EmbeddedCluster::stop() {
    std::lock_guard lock(stopMu_);
    if (stopped_) return stopStatus_;
    stopped_ = true;
    stopping_ = true;
    for (auto& node : nodes_)
        node->close();
    if (registry_) registry_->stop();
    // The timer is only touched on io threads; cancel it there.
    boost::asio::post(processors_.control(), [this] {
        flushTimer_.cancel();
        groupTimer_.cancel();
    });
    // Whatever the closes left (aborted handlers) runs too, so every connection is released
    // before the nodes and the logs go away.
    processors_.stop();
    if (replicas_) stopStatus_ = replicas_->shutdown();
    spdlog::info("cluster stopped{}", stopStatus_.ok() ? "" : ": " + stopStatus_.message());
    return stopStatus_;
}

EmbeddedCluster::~EmbeddedCluster() {
    (void)stop();
}

}  // namespace bs::broker
