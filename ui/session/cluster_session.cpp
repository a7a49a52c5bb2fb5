#include "session/cluster_session.h"

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <future>
#include <thread>

#include <QStringList>

#include "broker/cluster_config.h"
#include "broker/embedded_cluster.h"
#include "protocol/api_keys.h"
#include "protocol/errors.h"
#include "security/client_security.h"
#include "security/self_signed.h"

namespace bs::ui {

namespace {

QString qs(const std::string& s) {
    return QString::fromStdString(s);
}

// The event types a producer publishes: RecordAppended only when asked (see setRecordEvents).
uint32_t eventTypes(bool perRecord) {
    using producer::EventStream;
    return perRecord
               ? EventStream::kAllTypes
               : EventStream::kAllTypes & ~EventStream::bit(producer::EventType::RecordAppended);
}

}  // namespace

ClusterSession::ClusterSession(QObject* parent)
    : QObject(parent),
      tlsDir_((std::filesystem::temp_directory_path() /
               ("batchscope-tls-" + std::to_string(::getpid())))
                  .string()),
      flushQueue_(std::make_unique<JobQueue>("bs-flush")),
      auxQueue_(std::make_unique<JobQueue>("bs-aux")),
      producerQueue_(std::make_unique<JobQueue>("bs-send")),
      connectQueue_(std::make_unique<JobQueue>("bs-connect")) {}

ClusterSession::~ClusterSession() {
    ++connectGeneration_;  // an attempt in progress gives up
    connectQueue_.reset();
    producerQueue_->clear();
    std::promise<void> done;
    producerQueue_->post([this, &done] {
        closeProducerOnWorker(false);
        stopClusterOnWorker();
        done.set_value();
    });
    done.get_future().wait();
    flushQueue_.reset();
    auxQueue_.reset();
    producerQueue_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(tlsDir_, ignored);
}

std::shared_ptr<producer::KafkaProducer> ClusterSession::producer() const {
    std::lock_guard lock(mu_);
    return producer_;
}

std::shared_ptr<broker::EmbeddedCluster> ClusterSession::cluster() const {
    std::lock_guard lock(mu_);
    return cluster_;
}

void ClusterSession::post(std::function<void()> job) {
    producerQueue_->post(std::move(job));
}

void ClusterSession::clearPending() {
    producerQueue_->clear();
}

// ------------------------------------------------------------------ lifecycle

namespace {
std::filesystem::path dataDirOf(const ConnectionSettings& settings) {
    return settings.dataDir.isEmpty() ? broker::defaultClusterDataDir()
                                      : std::filesystem::path(settings.dataDir.toStdString());
}

// The SASL users an embedded cluster started for `settings` knows.
std::map<std::string, std::string> saslUsersOf(const ConnectionSettings& settings) {
    if (!settings.usesSasl()) return {};
    return {{settings.saslUsername.toStdString(), settings.saslPassword.toStdString()}};
}

// The running embedded cluster can serve `settings` as it is.
bool sameCluster(const broker::ClusterConfig& running, const ConnectionSettings& settings) {
    return running.nodeCount == settings.nodes &&
           running.defaultPartitions == settings.partitions &&
           running.autoCreateTopics == settings.autoCreateTopics &&
           running.dataDir == dataDirOf(settings) &&
           security::securityProtocolName(running.security.protocol) ==
               settings.securityProtocol.toStdString() &&
           running.security.saslUsers == saslUsersOf(settings);
}

// The client security settings for `settings`: from the connection dialog, except that an
// external cluster left at PLAINTEXT keeps those of the producer properties (a --config file
// with ssl.* and sasl.* keys).
PropertyMap securityFor(const ConnectionSettings& settings, const PropertyMap& props,
                        const std::string& clusterCertificate) {
    if (settings.mode == ConnectionSettings::Mode::External &&
        settings.securityProtocol == QLatin1String("PLAINTEXT")) {
        PropertyMap kept;
        for (std::string_view key : security::clientSecurityKeys())
            if (auto it = props.find(std::string(key)); it != props.end()) kept.insert(*it);
        return kept;
    }
    return settings.securityProperties(clusterCertificate);
}
}  // namespace

void ClusterSession::connectTo(const ConnectionSettings& settings, PropertyMap producerProps) {
    const uint64_t generation = ++connectGeneration_;
    connecting_ = true;
    pending_ = settings;
    connectClock_.start();
    Q_EMIT connectionStarted(settings.describe(), settings.connectTimeoutMs);
    if (const QString problem = settings.securityProblem(); !problem.isEmpty()) {
        // E.g. a saved SASL connection whose password the keyring did not have.
        return reportConnectFailure(
            generation, tr("%1: %2 (File ▸ Connection…)").arg(settings.describe(), problem));
    }
    connectQueue_->post([this, settings, props = std::move(producerProps), generation] {
        attemptOnWorker(settings, props, generation);
    });
}

void ClusterSession::cancelConnect() {
    if (!connecting_) return;
    ++connectGeneration_;
    connecting_ = false;
    Q_EMIT connectionFailed(tr("%1: connection attempt abandoned").arg(pending_.describe()));
}

void ClusterSession::applyProducerProps(PropertyMap producerProps) {
    Q_EMIT replacingProducer();
    props_ = std::move(producerProps);
    producerQueue_->post([this, settings = connection_, props = props_, bootstrap = bootstrap_] {
        closeProducerOnWorker(true);
        std::string certificate;
        {
            std::lock_guard lock(mu_);
            certificate = clusterCertificate_;
        }
        auto next = createProducer(bootstrap.toStdString(), props,
                                   securityFor(settings, props, certificate));
        if (!next) {
            const QString why = qs(next.error().message);
            QMetaObject::invokeMethod(this, [this, why] { Q_EMIT connectionFailed(why); });
            return;
        }
        next->cluster = cluster();
        next->clusterCertificate = certificate;
        next->settings = settings;
        next->props = props;
        installOnWorker(std::move(*next));
    });
}

void ClusterSession::closeProducerOnWorker(bool flushFirst) {
    std::shared_ptr<producer::KafkaProducer> old;
    {
        std::lock_guard lock(mu_);
        old = std::move(producer_);
    }
    if (!old) return;
    old->pauseSender(false);
    if (flushFirst) old->flush();  // nothing queued is lost when settings change
    old->close(std::chrono::milliseconds(3000));
}

void ClusterSession::stopClusterOnWorker() {
    std::shared_ptr<broker::EmbeddedCluster> c;
    {
        std::lock_guard lock(mu_);
        c = std::move(cluster_);
    }
    if (c) (void)c->stop();
}

Result<ClusterSession::StartedCluster> ClusterSession::startCluster(
    const ConnectionSettings& settings) const {
    broker::ClusterConfig cc;
    cc.nodeCount = settings.nodes;
    cc.defaultPartitions = settings.partitions;
    cc.autoCreateTopics = settings.autoCreateTopics;
    cc.dataDir = dataDirOf(settings);
    if (!settings.topic.isEmpty())
        cc.topics.push_back({settings.topic.toStdString(), settings.partitions});
    StartedCluster out;
    if (auto protocol = security::securityProtocolFromName(settings.securityProtocol.toStdString()))
        cc.security.protocol = *protocol;
    if (settings.usesTls()) {
        // Nodes listen on 127.0.0.1 and clients may say localhost: both are in the certificate.
        auto identity =
            security::makeSelfSignedIdentity("localhost", {"localhost"}, {"127.0.0.1", "::1"}, 30);
        if (!identity) return Error{"embedded cluster: " + identity.error().message};
        auto files = security::writeIdentity(*identity, tlsDir_);
        if (!files) return Error{"embedded cluster: " + files.error().message};
        cc.security.tls.certFile = files->first;
        cc.security.tls.keyFile = files->second;
        out.certificate = identity->certificatePem;
    }
    if (settings.usesSasl()) {
        cc.security.saslMechanisms = {"PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"};
        cc.security.saslUsers = saslUsersOf(settings);
    }
    auto started = broker::EmbeddedCluster::start(cc);
    if (!started) return Error{"embedded cluster: " + started.error().message};
    out.cluster = std::shared_ptr<broker::EmbeddedCluster>(std::move(*started));
    return out;
}

PropertyMap ClusterSession::clientProperties() const {
    if (bootstrap_.isEmpty()) return {};
    PropertyMap p = security_;
    p["bootstrap.servers"] = bootstrap_.toStdString();
    return p;
}

Result<ClusterSession::Installation> ClusterSession::createProducer(
    std::string bootstrap, const PropertyMap& props, const PropertyMap& security) const {
    PropertyMap effective = props;
    for (std::string_view key : security::clientSecurityKeys())
        effective.erase(std::string(key));
    for (const auto& [k, v] : security)
        effective[k] = v;
    effective["bootstrap.servers"] = bootstrap;
    // The composer serializes each record with the serializer chosen for it; the producer passes
    // those bytes through (as a Java app with a byte[] producer would).
    effective["key.serializer"] = "bytes";
    effective["value.serializer"] = "bytes";
    if (!effective.count("client.id")) effective["client.id"] = "batchscope";
    auto config = producer::ProducerConfig::parse(effective);
    if (!config) return Error{"producer configuration: " + config.error().message};
    auto created = producer::KafkaProducer::create(*config);
    if (!created) return Error{"producer: " + created.error().message};
    Installation next;
    next.producer = std::shared_ptr<producer::KafkaProducer>(std::move(*created));
    next.producer->events().setEnabledTypes(eventTypes(recordEvents_.load()));
    if (frameCapture_.load()) next.producer->requestFrames().setCapacity(kFramesKept);
    next.producer->pauseSender(workerPaused_.load());
    next.config = *config;
    next.bootstrap = std::move(bootstrap);
    next.security = security;
    return next;
}

QString ClusterSession::awaitClusterOnWorker(producer::KafkaProducer& p,
                                             const ConnectionSettings& settings,
                                             uint64_t generation) const {
    const auto deadline =
        std::chrono::steady_clock::now() + std::chrono::milliseconds(settings.connectTimeoutMs);
    for (;;) {
        if (p.metadata().updateVersion() > 0) return {};  // a Metadata response arrived
        if (stale(generation)) return tr("abandoned");
        // Every bootstrap server failed to connect (refused, unknown host, setup timeout):
        // that is the answer; waiting on would only repeat it.
        QStringList reasons;
        const auto nodes = p.snapshot().nodes;
        for (const auto& n : nodes)
            if (!n.connectionError.empty())
                reasons << QStringLiteral("%1:%2: %3")
                               .arg(qs(n.host))
                               .arg(n.port)
                               .arg(qs(n.connectionError));
        if (!nodes.empty() && reasons.size() == static_cast<qsizetype>(nodes.size()))
            return reasons.join(QStringLiteral("; "));
        if (std::chrono::steady_clock::now() >= deadline)
            return tr("no answer from %1 within %2 s%3")
                .arg(settings.bootstrapServers)
                .arg(settings.connectTimeoutMs / 1000.0)
                .arg(reasons.isEmpty()
                         ? QString()
                         : QStringLiteral(" (%1)").arg(reasons.join(QStringLiteral("; "))));
        // The attempt's own thread: polling keeps abandon and timeout prompt.
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

void ClusterSession::reportConnectFailure(uint64_t generation, const QString& why) {
    QMetaObject::invokeMethod(this, [this, generation, why] {
        if (stale(generation)) return;  // superseded or abandoned: already reported
        connecting_ = false;
        Q_EMIT connectionFailed(why);
    });
}

void ClusterSession::postInstall(Installation next) {
    // A repeat on the old connection ends before the switch (it holds the producer worker).
    QMetaObject::invokeMethod(this, [this] { Q_EMIT replacingProducer(); });
    producerQueue_->post([this, n = std::move(next)]() mutable { installOnWorker(std::move(n)); });
}

void ClusterSession::attemptOnWorker(ConnectionSettings settings, PropertyMap props,
                                     uint64_t generation) {
    if (stale(generation)) return;
    const QString desc = settings.describe();
    std::shared_ptr<broker::EmbeddedCluster> current = cluster();
    if (settings.mode == ConnectionSettings::Mode::Embedded) {
        if (current && !sameCluster(current->config(), settings) &&
            current->config().dataDir == dataDirOf(settings)) {
            // Two clusters cannot share a data directory: this switch stops the old one first.
            QMetaObject::invokeMethod(this, [this] { Q_EMIT replacingProducer(); });
            producerQueue_->post([this, settings, props, generation] {
                if (stale(generation)) return;
                closeProducerOnWorker(false);
                stopClusterOnWorker();
                auto cl = startCluster(settings);
                if (!cl) return reportConnectFailure(generation, qs(cl.error().message));
                auto next = createProducer(cl->cluster->bootstrapServers(), props,
                                           securityFor(settings, props, cl->certificate));
                if (!next) {
                    (void)cl->cluster->stop();
                    return reportConnectFailure(generation, qs(next.error().message));
                }
                next->cluster = cl->cluster;
                next->clusterCertificate = cl->certificate;
                next->settings = settings;
                next->props = props;
                next->generation = generation;
                installOnWorker(std::move(*next));
            });
            return;
        }
        std::shared_ptr<broker::EmbeddedCluster> cl = current;
        std::string certificate;
        if (!cl || !sameCluster(cl->config(), settings)) {
            auto started = startCluster(settings);
            if (!started) return reportConnectFailure(generation, qs(started.error().message));
            cl = started->cluster;
            certificate = started->certificate;
        } else {
            std::lock_guard lock(mu_);
            certificate = clusterCertificate_;
        }
        auto next = createProducer(cl->bootstrapServers(), props,
                                   securityFor(settings, props, certificate));
        if (!next || stale(generation)) {
            if (cl != current) (void)cl->stop();
            if (next) next->producer->close(std::chrono::milliseconds(0));
            if (!next) reportConnectFailure(generation, qs(next.error().message));
            return;
        }
        // Warm the metadata of the default topic so partition counts are known at once.
        if (!settings.topic.isEmpty())
            (void)next->producer->partitionsFor(settings.topic.toStdString());
        next->cluster = cl;
        next->clusterCertificate = certificate;
        next->settings = settings;
        next->props = props;
        next->generation = generation;
        return postInstall(std::move(*next));
    }
    auto next = createProducer(settings.bootstrapServers.toStdString(), props,
                               securityFor(settings, props, {}));
    if (!next) return reportConnectFailure(generation, qs(next.error().message));
    const QString problem = awaitClusterOnWorker(*next->producer, settings, generation);
    if (!problem.isEmpty()) {
        next->producer->close(std::chrono::milliseconds(0));
        return reportConnectFailure(generation, tr("%1: %2").arg(desc, problem));
    }
    next->settings = settings;
    next->props = props;
    next->generation = generation;
    postInstall(std::move(*next));
}

void ClusterSession::installOnWorker(Installation next) {
    const bool switching = next.generation != 0;
    if (switching && stale(next.generation)) {
        // Superseded between its first answer and now.
        next.producer->close(std::chrono::milliseconds(0));
        if (next.cluster && next.cluster != cluster()) (void)next.cluster->stop();
        return;
    }
    if (switching) {
        closeProducerOnWorker(false);
        if (cluster() != next.cluster) stopClusterOnWorker();
    }
    {
        std::lock_guard lock(mu_);
        producer_ = next.producer;
        cluster_ = next.cluster;
        clusterCertificate_ = next.clusterCertificate;
    }
    next.schemaRegistryUrl = next.cluster ? next.cluster->schemaRegistryUrl()
                                          : next.settings.schemaRegistryUrl.toStdString();
    const QString desc = next.settings.describe();
    QMetaObject::invokeMethod(this, [this, n = std::move(next), desc, switching] {
        if (switching) {
            // A newer attempt may be running: it reports for itself.
            if (!stale(n.generation)) connecting_ = false;
            connection_ = n.settings;
            props_ = n.props;
        }
        config_ = n.config;
        bootstrap_ = qs(n.bootstrap);
        schemaRegistryUrl_ = qs(n.schemaRegistryUrl);
        security_ = n.security;
        connected_ = true;
        if (!switching) Q_EMIT producerRecreated();
        Q_EMIT connected(desc);
    });
}

// ------------------------------------------------------------------ control

void ClusterSession::setSenderPaused(bool paused) {
    if (paused == paused_) return;
    paused_ = paused;
    workerPaused_ = paused;
    if (auto p = producer()) p->pauseSender(paused);
    Q_EMIT senderPausedChanged(paused);
}

void ClusterSession::stepSender() {
    // Only while paused (the Step action is disabled otherwise): one sender iteration.
    if (!paused_) return;
    if (auto p = producer()) p->stepSender();
}

void ClusterSession::setRecordEvents(bool on) {
    recordEvents_ = on;
    if (auto p = producer()) p->events().setEnabledTypes(eventTypes(on));
}

void ClusterSession::setFrameCapture(bool on) {
    frameCapture_ = on;
    if (auto p = producer()) p->requestFrames().setCapacity(on ? kFramesKept : 0);
}

std::optional<producer::RequestFrame> ClusterSession::requestFrame(int node,
                                                                   int correlationId) const {
    auto p = producer();
    producer::RequestFrame f;
    if (!p || !p->requestFrames().find(node, correlationId, f)) return std::nullopt;
    return f;
}

void ClusterSession::flush() {
    setSenderPaused(false);
    flushQueue_->post([this] {
        if (auto p = producer()) p->flush();
        QMetaObject::invokeMethod(this, [this] { Q_EMIT flushFinished(); });
    });
}

void ClusterSession::requestExplain(const QString& topic, std::optional<std::vector<uint8_t>> key) {
    const uint64_t gen = ++explainGeneration_;
    auxQueue_->post([this, gen, topic = topic.toStdString(), key = std::move(key)] {
        if (gen != explainGeneration_.load()) return;  // a newer key was typed meanwhile
        auto p = producer();
        if (!p) return;
        producer::FieldValue k = nullptr;
        if (key) k = *key;
        auto r = p->explain(topic, k);
        QMetaObject::invokeMethod(this, [this, r = std::move(r)] {
            if (r)
                Q_EMIT explained(*r, QString());
            else
                Q_EMIT explained(producer::PartitionExplanation{}, qs(r.error().message));
        });
    });
}

// ------------------------------------------------------------------ cluster

ClusterInfo ClusterSession::clusterInfo() const {
    ClusterInfo info;
    info.bootstrap = bootstrap_;
    if (auto cl = cluster()) {
        info.embedded = true;
        const broker::ClusterStatus st = cl->control().status();
        info.clusterId = qs(st.clusterId);
        for (const auto& n : st.nodes) {
            info.nodes.push_back(NodeInfo{n.nodeId, qs(n.host), n.port, n.up, n.latencyMs,
                                          static_cast<int>(n.connections),
                                          static_cast<int>(n.pendingErrors.size())});
        }
        for (const auto& t : st.topics) {
            TopicInfo ti{qs(t.name), {}, {}};
            for (const auto& p : t.partitions) {
                const bool leaderUp = p.leader >= 0 &&
                                      p.leader < static_cast<int>(st.nodes.size()) &&
                                      st.nodes[static_cast<size_t>(p.leader)].up;
                ti.partitions.push_back({p.partition, leaderUp ? p.leader : -1});
                if (!leaderUp && p.leader >= 0) ti.leaderDown[p.partition] = p.leader;
            }
            info.topics.push_back(std::move(ti));
        }
        return info;
    }
    if (auto p = producer()) {
        auto c = p->metadata().fetch();
        // Bootstrap servers are addresses, not brokers: nothing to show until metadata named them.
        if (c->isBootstrap()) return info;
        info.clusterId = qs(c->clusterId().value_or(""));
        for (const auto& n : c->nodes())
            info.nodes.push_back(NodeInfo{n.id, qs(n.host), n.port});
        for (const auto& t : c->topics()) {
            TopicInfo ti{qs(t), {}, {}};
            for (const auto& pi : c->partitionsForTopic(t)) {
                ti.partitions.push_back({pi.tp.partition, pi.leader});
                // Offline: every replica is down, so no other node can take over.
                if (pi.leader < 0 && !pi.offlineReplicas.empty() &&
                    pi.offlineReplicas.size() == pi.replicas.size())
                    ti.leaderDown[pi.tp.partition] = pi.offlineReplicas.front();
            }
            info.topics.push_back(std::move(ti));
        }
    }
    return info;
}

int ClusterSession::partitionCount(const QString& topic) const {
    const std::string t = topic.toStdString();
    if (auto cl = cluster()) {
        if (auto md = cl->metadata().topic(t)) return static_cast<int>(md->partitions.size());
    }
    if (auto p = producer()) {
        const int n = p->metadata().fetch()->partitionCountForTopic(t);
        if (n > 0) return n;
    }
    return -1;
}

QString ClusterSession::topicProblem(const QString& topic) const {
    if (topic.isEmpty()) return tr("a topic is required");
    if (auto st = broker::validateTopicName(topic.toStdString()); !st) return qs(st.message());
    const std::string t = topic.toStdString();
    if (auto cl = cluster()) {
        if (!cl->config().autoCreateTopics && !cl->metadata().topic(t))
            return tr("unknown topic '%1' and auto.create.topics.enable is off").arg(topic);
        return {};
    }
    if (auto p = producer()) {
        if (p->metadata().fetch()->topicError(t) == protocol::ErrorCode::UNKNOWN_TOPIC_OR_PARTITION)
            return tr("unknown topic '%1' (the cluster does not auto-create it)").arg(topic);
    }
    return {};
}

QString ClusterSession::setNodeLatency(int node, qint64 ms) {
    auto cl = cluster();
    if (!cl) return tr("node controls need the embedded cluster");
    const Status st = cl->control().setLatency(node, ms);
    return st ? QString() : qs(st.message());
}

QString ClusterSession::setNodeUp(int node, bool up) {
    auto cl = cluster();
    if (!cl) return tr("node controls need the embedded cluster");
    const Status st = up ? cl->control().bringUp(node) : cl->control().takeDown(node);
    return st ? QString() : qs(st.message());
}

QString ClusterSession::injectErrors(int node, int apiKey, int errorCode, int count) {
    auto cl = cluster();
    if (!cl) return tr("node controls need the embedded cluster");
    const Status st =
        cl->control().injectErrors(node, static_cast<protocol::ApiKey>(apiKey),
                                   static_cast<protocol::ErrorCode>(errorCode), count);
    return st ? QString() : qs(st.message());
}

QString ClusterSession::addPartitions(const QString& topic, int more, int* now) {
    auto cl = cluster();
    if (!cl) return tr("adding partitions here needs the embedded cluster");
    const std::string t = topic.toStdString();
    auto md = cl->metadata().topic(t);
    if (!md) {
        // Not created yet (auto-creation happens at the first send): create it first.
        auto created = cl->control().createTopic(t);
        if (created.error != protocol::ErrorCode::NONE) return qs(created.message);
        md = created.topic;
    }
    const int count = static_cast<int>(md->partitions.size()) + more;
    auto grown = cl->control().createPartitions(t, count);
    if (grown.error != protocol::ErrorCode::NONE) return qs(grown.message);
    if (now) *now = count;
    return {};
}

QString ClusterSession::moveLeader(const QString& topic, int partition, int toNode) {
    auto cl = cluster();
    if (!cl) return tr("node controls need the embedded cluster");
    auto moved = cl->control().moveLeader(topic.toStdString(), partition, toNode);
    return moved ? QString() : qs(moved.error().message);
}

QStringList ClusterSession::metadataChanges() {
    QStringList out;
    auto p = producer();
    if (!p) return out;
    if (seenOf_.lock() != p) {
        // A new producer: its metadata is summarized afresh. Keyed by the producer, not reset
        // when the connection is reported: the poll can look at the new producer's metadata
        // before that report reaches this thread, and a second first look hid the next change.
        seenOf_ = p;
        seenNodes_.reset();
        seenLeaders_.clear();
    }
    auto c = p->metadata().fetch();
    if (c->isBootstrap()) return out;
    std::set<int> nodes;
    for (const auto& n : c->nodes())
        nodes.insert(n.id);
    std::map<std::pair<std::string, int>, int> leaders;
    for (const auto& t : c->topics())
        for (const auto& pi : c->partitionsForTopic(t))
            leaders[{t, pi.tp.partition}] = pi.leader;
    auto node = [](int id) { return id < 0 ? tr("none") : tr("node %1").arg(id); };
    if (!seenNodes_) {
        QStringList brokers;
        for (int id : nodes)
            brokers << QString::number(id);
        out << tr("metadata: brokers %1, %2 partitions known")
                   .arg(brokers.join(QStringLiteral(", ")))
                   .arg(leaders.size());
    } else {
        for (int id : *seenNodes_)
            if (!nodes.count(id)) out << tr("metadata: node %1 left").arg(id);
        for (int id : nodes)
            if (!seenNodes_->count(id)) out << tr("metadata: node %1 joined").arg(id);
        // Partitions grouped by change: a node going down moves many at once.
        std::map<std::pair<int, int>, QStringList> moved;
        for (const auto& [tp, leader] : leaders) {
            auto before = seenLeaders_.find(tp);
            const int was = before == seenLeaders_.end() ? -2 : before->second;
            if (was != leader)
                moved[{was, leader}] << QStringLiteral("%1-%2").arg(qs(tp.first)).arg(tp.second);
        }
        for (const auto& [change, parts] : moved) {
            const QString list = parts.size() > 8
                                     ? tr("%1 … (%2 partitions)")
                                           .arg(parts.mid(0, 8).join(QStringLiteral(", ")))
                                           .arg(parts.size())
                                     : parts.join(QStringLiteral(", "));
            out << (change.first == -2
                        ? tr("metadata: %1: leader %2 (new)").arg(list, node(change.second))
                        : tr("metadata: %1: leader %2 → %3")
                              .arg(list, node(change.first), node(change.second)));
        }
    }
    seenNodes_ = std::move(nodes);
    seenLeaders_ = std::move(leaders);
    return out;
}

QString ClusterSession::topicName(uint32_t topicId) const {
    auto p = producer();
    return p ? qs(p->events().topicName(topicId)) : QString();
}

RecordLocation ClusterSession::locateRecord(const QString& topic, int partition,
                                            qint64 offset) const {
    RecordLocation loc;
    auto cl = cluster();
    if (!cl) {
        loc.error = tr("segment files are known only for the embedded cluster");
        return loc;
    }
    auto part = cl->replicas().getPartition(topic.toStdString(), partition);
    if (!part) {
        loc.error = qs(part.error().message);
        return loc;
    }
    auto found = (*part)->log().locate(offset);
    if (!found) {
        loc.error = qs(found.error().message);
        return loc;
    }
    loc.segmentPath = qs(found->segmentPath);
    loc.segmentBaseOffset = found->segmentBaseOffset;
    loc.position = found->batch.position;
    loc.sizeInBytes = found->batch.sizeInBytes;
    loc.batchBaseOffset = found->batch.baseOffset;
    loc.batchLastOffset = found->batch.lastOffset;
    return loc;
}

void ClusterSession::requestLocate(const QString& topic, int partition, qint64 offset) {
    auxQueue_->post([this, topic, partition, offset] {
        RecordLocation loc = locateRecord(topic, partition, offset);
        QMetaObject::invokeMethod(this, [this, topic, partition, offset, loc] {
            Q_EMIT recordLocated(topic, partition, offset, loc);
        });
    });
}

}  // namespace bs::ui
