#include "app_controller.h"

#include <QDateTime>
#include <QStringList>
#include <chrono>
#include <future>
#include <thread>

#include "broker/cluster_config.h"
#include "broker/embedded_cluster.h"
#include "protocol/api_keys.h"
#include "protocol/errors.h"

namespace bs::ui {

namespace {

QString qs(const std::string& s) {
    return QString::fromStdString(s);
}

// Previews cost one short copy per record: no regex, no full-value copies.
QString cheapPreview(const RecordDraft& d, bool key, qint64 n, qint64 nowMs) {
    const QString& ser = key ? d.keySerializer : d.valueSerializer;
    const QString& text = key ? d.keyText : d.valueText;
    if (ser == QLatin1String("null")) return QStringLiteral("null");
    return previewField(ser, hasTemplate(text) ? expandTemplate(text, n, nowMs) : text);
}

}  // namespace

AppController::AppController(QObject* parent)
    : QObject(parent),
      flushQueue_(std::make_unique<JobQueue>("bs-flush")),
      auxQueue_(std::make_unique<JobQueue>("bs-aux")),
      sendQueue_(std::make_unique<JobQueue>("bs-send")) {
    pollTimer_.setInterval(kPollMs);
    connect(&pollTimer_, &QTimer::timeout, this, &AppController::poll);
    pollTimer_.start();
}

AppController::~AppController() {
    pollTimer_.stop();
    cancelRepeat_ = true;
    sendQueue_->clear();
    std::promise<void> done;
    sendQueue_->post([this, &done] {
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
    sendQueue_.reset();
}

std::shared_ptr<producer::KafkaProducer> AppController::producer() const {
    std::lock_guard lock(mu_);
    return producer_;
}

std::shared_ptr<broker::EmbeddedCluster> AppController::cluster() const {
    std::lock_guard lock(mu_);
    return cluster_;
}

// ------------------------------------------------------------------ lifecycle

void AppController::connectTo(const ConnectionSettings& settings, PropertyMap producerProps) {
    cancelRepeat();
    connected_ = false;
    connection_ = settings;
    props_ = std::move(producerProps);
    sendQueue_->post([this, settings, props = props_] { startOnWorker(settings, props, false); });
}

void AppController::applyProducerProps(PropertyMap producerProps) {
    cancelRepeat();
    props_ = std::move(producerProps);
    sendQueue_->post(
        [this, settings = connection_, props = props_] { startOnWorker(settings, props, true); });
}

void AppController::closeProducerOnWorker(bool flushFirst) {
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

void AppController::startOnWorker(ConnectionSettings settings, PropertyMap props,
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

// ------------------------------------------------------------------ sending

AppController::PreparedDraft::PreparedDraft(RecordDraft d) : draft(std::move(d)) {
    bool templated = hasTemplate(draft.keyText) || hasTemplate(draft.valueText);
    for (const auto& h : draft.headers)
        templated = templated || hasTemplate(h.second);
    if (!templated) {
        // The same bytes every time: serialize once, preview once (a repeat of a fixed record
        // then costs what a headless send costs).
        fixed = toRecord(draft, 1, 0);
        keyPreview = cheapPreview(draft, true, 1, 0);
        valuePreview = cheapPreview(draft, false, 1, 0);
    }
}

SendJob* AppController::openJob(const PreparedDraft& prepared) {
    return feed_.open(prepared.draft.topic, prepared.keyPreview, prepared.valuePreview,
                      !prepared.fixed.has_value());
}

bool AppController::sendOnWorker(const PreparedDraft& prepared, producer::KafkaProducer* p,
                                 SendJob* job, qint64 n) {
    const RecordDraft& draft = prepared.draft;
    const qint64 nowMs = prepared.fixed ? 0 : QDateTime::currentMSecsSinceEpoch();
    std::optional<Result<producer::ProducerRecord>> expanded;
    if (!prepared.fixed) expanded = toRecord(draft, n, nowMs);
    const Result<producer::ProducerRecord>& record = prepared.fixed ? *prepared.fixed : *expanded;
    if (!record) {
        QMetaObject::invokeMethod(this,
                                  [this, e = qs(record.error().message)] { Q_EMIT sendFailed(e); });
        return false;
    }
    if (!p) {
        QMetaObject::invokeMethod(this, [this] { Q_EMIT sendFailed(tr("not connected")); });
        return false;
    }
    const qint64 seq = ++seq_;
    // One writer (this thread): a plain store, not a locked increment, per record.
    sent_.store(sent_.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
    if (!job->perRecordPreviews) {
        // {job, seq}: 16 trivially copyable bytes, which std::function keeps inline. This is
        // the path of a repeat at full speed: no allocation and no clock reading per record
        // (the producer measures the latency).
        p->send(*record, [job, seq](const producer::RecordMetadata& md, const Error* error) {
            report(job, seq, md, error, {}, {});
        });
        return true;
    }
    p->send(*record, [job, seq, key = cheapPreview(draft, true, n, nowMs),
                      value = cheapPreview(draft, false, n, nowMs)](
                         const producer::RecordMetadata& md, const Error* error) mutable {
        report(job, seq, md, error, std::move(key), std::move(value));
    });
    return true;
}

void AppController::report(SendJob* job, qint64 seq, const producer::RecordMetadata& md,
                           const Error* error, QString key, QString value) {
    // Any thread (the sender's, or the sending thread's for records failed at send()).
    DeliveryReport r;
    r.job = job;
    r.seq = seq;
    r.partition = md.partition;
    r.offset = md.offset;
    r.timestampMs = md.timestamp;
    r.latencyMs = md.latencyUs >= 0 ? static_cast<float>(md.latencyUs) / 1000.0f : -1.0f;
    r.key = std::move(key);
    r.value = std::move(value);
    if (error) r.error = qs(error->message);
    job->feed->push(std::move(r));
}

bool AppController::drainDeliveries() {
    // Every tick while deliveries trickle in; while they pour in, every kBusyDrainMs: each
    // hand-off rebuilds up to 10 000 table rows and redraws the table, the histogram and the
    // progress, and a table scrolling 20 times a second is unreadable anyway.
    const qint64 sinceMs = lastDrain_.isValid() ? lastDrain_.elapsed() : kPollMs;
    // Timers run a little late or early: half a tick of slack.
    if (busy_ && sinceMs + kBusyPollMs / 2 < kBusyDrainMs) return false;
    lastDrain_.start();
    DeliveryTick tick = feed_.drain();
    const qint64 n = tick.ok + tick.failed;
    const qint64 threshold = busy_ ? kBusyRecordsPerSec / 2 : kBusyRecordsPerSec;
    busy_ = n * 1000 >= threshold * std::max<qint64>(sinceMs, 1);
    // The views' refresh: 20 Hz; 10 Hz while busy, the low end of smooth: on a small machine
    // the GUI thread's drawing is CPU the pipeline does not get (bench_gui_overhead).
    const int interval = busy_ ? kBusyPollMs : kPollMs;
    if (pollTimer_.interval() != interval) pollTimer_.setInterval(interval);
    if (n > 0) Q_EMIT delivered(tick);
    return true;
}

void AppController::send(const RecordDraft& draft) {
    sendQueue_->post([this, draft] {
        const PreparedDraft prepared(draft);
        SendJob* job = openJob(prepared);
        feed_.seal(job, sendOnWorker(prepared, producer().get(), job, 1) ? 1 : 0);
    });
}

void AppController::sendRepeated(const RecordDraft& draft, qint64 count, double ratePerSec) {
    if (repeating_ || count <= 0) return;
    repeating_ = true;
    repeatTotal_ = count;
    repeatDone_ = 0;
    cancelRepeat_ = false;
    Q_EMIT repeatProgress(0, count);
    sendQueue_->post([this, draft, count, ratePerSec] {
        const PreparedDraft prepared(draft);
        SendJob* job = openJob(prepared);
        qint64 jobSent = 0;
        // Fetched once: the producer is replaced only by jobs of this same queue.
        const std::shared_ptr<producer::KafkaProducer> p = producer();
        // Without a producer, or with a fixed record that cannot be built, every send fails
        // alike: the first failure is reported and the repeat stops.
        const bool hopeless = !p || (prepared.fixed && !*prepared.fixed);
        const auto start = std::chrono::steady_clock::now();
        qint64 i = 0;
        for (; i < count && !cancelRepeat_.load(); ++i) {
            if (ratePerSec > 0) {
                const auto due = start + std::chrono::duration_cast<std::chrono::nanoseconds>(
                                             std::chrono::duration<double>(i / ratePerSec));
                // Short naps so cancel takes effect quickly even at 1 record/s.
                while (!cancelRepeat_.load() && std::chrono::steady_clock::now() < due)
                    std::this_thread::sleep_until(std::min(
                        due, std::chrono::steady_clock::now() + std::chrono::milliseconds(20)));
                if (cancelRepeat_.load()) break;
            }
            if (sendOnWorker(prepared, p.get(), job, i + 1))
                ++jobSent;
            else if (hopeless)
                break;
            repeatDone_.store(i + 1, std::memory_order_relaxed);
        }
        feed_.seal(job, jobSent);
        const bool cancelled = i < count;
        QMetaObject::invokeMethod(this, [this, i, cancelled] {
            repeating_ = false;
            Q_EMIT repeatProgress(i, repeatTotal_);
            Q_EMIT repeatFinished(i, cancelled);
        });
    });
}

void AppController::cancelRepeat() {
    cancelRepeat_ = true;
}

// ------------------------------------------------------------------ control

void AppController::setSenderPaused(bool paused) {
    if (paused == paused_) return;
    paused_ = paused;
    workerPaused_ = paused;
    if (auto p = producer()) p->pauseSender(paused);
    Q_EMIT senderPausedChanged(paused);
}

void AppController::stepSender() {
    if (auto p = producer()) p->stepSender();
}

void AppController::flush() {
    setSenderPaused(false);
    flushQueue_->post([this] {
        if (auto p = producer()) p->flush();
        QMetaObject::invokeMethod(this, [this] { Q_EMIT flushFinished(); });
    });
}

void AppController::requestExplain(const QString& topic, std::optional<std::vector<uint8_t>> key) {
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

ClusterInfo AppController::clusterInfo() const {
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
            TopicInfo ti{qs(t.name), {}};
            for (const auto& p : t.partitions) {
                const bool leaderUp = p.leader >= 0 &&
                                      p.leader < static_cast<int>(st.nodes.size()) &&
                                      st.nodes[static_cast<size_t>(p.leader)].up;
                ti.partitions.push_back({p.partition, leaderUp ? p.leader : -1});
            }
            info.topics.push_back(std::move(ti));
        }
        return info;
    }
    if (auto p = producer()) {
        auto c = p->metadata().fetch();
        info.clusterId = qs(c->clusterId().value_or(""));
        for (const auto& n : c->nodes())
            info.nodes.push_back(NodeInfo{n.id, qs(n.host), n.port});
        for (const auto& t : c->topics()) {
            TopicInfo ti{qs(t), {}};
            for (const auto& pi : c->partitionsForTopic(t))
                ti.partitions.push_back({pi.tp.partition, pi.leader});
            info.topics.push_back(std::move(ti));
        }
    }
    return info;
}

int AppController::partitionCount(const QString& topic) const {
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

QString AppController::topicProblem(const QString& topic) const {
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

QString AppController::setNodeLatency(int node, qint64 ms) {
    auto cl = cluster();
    if (!cl) return tr("node controls need the embedded cluster");
    const Status st = cl->control().setLatency(node, ms);
    return st ? QString() : qs(st.message());
}

QString AppController::setNodeUp(int node, bool up) {
    auto cl = cluster();
    if (!cl) return tr("node controls need the embedded cluster");
    const Status st = up ? cl->control().bringUp(node) : cl->control().takeDown(node);
    return st ? QString() : qs(st.message());
}

QString AppController::injectErrors(int node, int apiKey, int errorCode, int count) {
    auto cl = cluster();
    if (!cl) return tr("node controls need the embedded cluster");
    const Status st =
        cl->control().injectErrors(node, static_cast<protocol::ApiKey>(apiKey),
                                   static_cast<protocol::ErrorCode>(errorCode), count);
    return st ? QString() : qs(st.message());
}

QString AppController::topicName(uint32_t topicId) const {
    auto p = producer();
    return p ? qs(p->events().topicName(topicId)) : QString();
}

RecordLocation AppController::locateRecord(const QString& topic, int partition,
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

void AppController::requestLocate(const QString& topic, int partition, qint64 offset) {
    auxQueue_->post([this, topic, partition, offset] {
        RecordLocation loc = locateRecord(topic, partition, offset);
        QMetaObject::invokeMethod(this, [this, topic, partition, offset, loc] {
            Q_EMIT recordLocated(topic, partition, offset, loc);
        });
    });
}

// ------------------------------------------------------------------ polling (GUI thread)

void AppController::poll() {
    if (drainDeliveries() && repeating_) Q_EMIT repeatProgress(repeatDone_.load(), repeatTotal_);
    auto p = producer();
    if (!p) return;
    // Events first: a response's error must be known when the snapshot shows it gone.
    std::vector<producer::Event> events;
    p->events().poll(events, 20000);
    if (!events.empty()) Q_EMIT eventsReady(events);
    Q_EMIT snapshotReady(std::make_shared<const producer::ProducerSnapshot>(p->snapshot()));
    if (!clusterClock_.isValid() || clusterClock_.elapsed() >= 500) {
        clusterClock_.start();
        Q_EMIT clusterChanged(clusterInfo());
    }
    // Charts take a point a second, every two while busy (six charts redraw for each).
    if (!metricsClock_.isValid() || metricsClock_.elapsed() >= (busy_ ? 2000 : 1000)) {
        metricsClock_.start();
        Q_EMIT metricsReady(p->metrics(), QDateTime::currentMSecsSinceEpoch());
    }
}

}  // namespace bs::ui
