#include "session/cluster_session.h"

#include <chrono>
#include <future>

#include "broker/cluster_config.h"
#include "broker/embedded_cluster.h"
#include "protocol/api_keys.h"
#include "protocol/errors.h"

namespace bs::ui {

namespace {

QString qs(const std::string& s) {
    return QString::fromStdString(s);
}

}  // namespace

ClusterSession::ClusterSession(QObject* parent)
    : QObject(parent),
      flushQueue_(std::make_unique<JobQueue>("bs-flush")),
      auxQueue_(std::make_unique<JobQueue>("bs-aux")),
      producerQueue_(std::make_unique<JobQueue>("bs-send")) {}

ClusterSession::~ClusterSession() {
    producerQueue_->clear();
    std::promise<void> done;
    producerQueue_->post([this, &done] {
        closeProducerOnWorker(false);
        std::shared_ptr<broker::EmbeddedCluster> c;
        {
            std::lock_guard lock(mu_);
            c = std::move(cluster_);
        }
        if (c) (void)c->stop();
        done.set_value();
    });
    done.get_future().wait();
    flushQueue_.reset();
    auxQueue_.reset();
    producerQueue_.reset();
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

void ClusterSession::connectTo(const ConnectionSettings& settings, PropertyMap producerProps) {
    Q_EMIT replacingProducer();
    connected_ = false;
    connection_ = settings;
    props_ = std::move(producerProps);
    producerQueue_->post(
        [this, settings, props = props_] { startOnWorker(settings, props, false); });
}

void ClusterSession::applyProducerProps(PropertyMap producerProps) {
    Q_EMIT replacingProducer();
    props_ = std::move(producerProps);
    producerQueue_->post(
        [this, settings = connection_, props = props_] { startOnWorker(settings, props, true); });
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

void ClusterSession::startOnWorker(ConnectionSettings settings, PropertyMap props,
                                   bool keepCluster) {
    auto fail = [this](const QString& why) {
        QMetaObject::invokeMethod(this, [this, why] { Q_EMIT connectionFailed(why); });
    };
    closeProducerOnWorker(keepCluster);

    std::shared_ptr<broker::EmbeddedCluster> cl = cluster();
    if (!keepCluster || settings.mode == ConnectionSettings::Mode::External) {
        {
            std::lock_guard lock(mu_);
            cluster_.reset();
        }
        if (cl) (void)cl->stop();
        cl.reset();
    }
    std::string bootstrap = settings.bootstrapServers.toStdString();
    if (settings.mode == ConnectionSettings::Mode::Embedded) {
        if (!cl) {
            broker::ClusterConfig cc;
            cc.nodeCount = settings.nodes;
            cc.defaultPartitions = settings.partitions;
            cc.autoCreateTopics = settings.autoCreateTopics;
            cc.dataDir = settings.dataDir.isEmpty()
                             ? broker::defaultClusterDataDir()
                             : std::filesystem::path(settings.dataDir.toStdString());
            if (!settings.topic.isEmpty())
                cc.topics.push_back({settings.topic.toStdString(), settings.partitions});
            auto started = broker::EmbeddedCluster::start(cc);
            if (!started) return fail(qs("embedded cluster: " + started.error().message));
            cl = std::shared_ptr<broker::EmbeddedCluster>(std::move(*started));
            std::lock_guard lock(mu_);
            cluster_ = cl;
        }
        bootstrap = cl->bootstrapServers();
    }

    PropertyMap effective = props;
    effective["bootstrap.servers"] = bootstrap;
    // The composer serializes each record with the serializer chosen for it; the producer passes
    // those bytes through (as a Java app with a byte[] producer would).
    effective["key.serializer"] = "bytes";
    effective["value.serializer"] = "bytes";
    if (!effective.count("client.id")) effective["client.id"] = "batchscope";
    auto config = producer::ProducerConfig::parse(effective);
    if (!config) return fail(qs("producer configuration: " + config.error().message));
    auto created = producer::KafkaProducer::create(*config);
    if (!created) return fail(qs("producer: " + created.error().message));
    std::shared_ptr<producer::KafkaProducer> p(std::move(*created));
    // Every type but RecordAppended: the views work from batches, and one event per record
    // would cost a lock per record and, at full speed, crowd the per-batch events out of the
    // stream's buffer.
    p->events().setEnabledTypes(producer::EventStream::kAllTypes &
                                ~producer::EventStream::bit(producer::EventType::RecordAppended));
    p->pauseSender(workerPaused_.load());
    {
        std::lock_guard lock(mu_);
        producer_ = p;
    }
    // Warm the metadata of the default topic so partition counts are known at once.
    if (!settings.topic.isEmpty()) (void)p->partitionsFor(settings.topic.toStdString());

    const QString desc = settings.describe();
    QMetaObject::invokeMethod(this, [this, cfg = *config, desc, bootstrap, keepCluster] {
        config_ = cfg;
        bootstrap_ = qs(bootstrap);
        connected_ = true;
        if (keepCluster) Q_EMIT producerRecreated();
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
    if (auto p = producer()) p->stepSender();
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
