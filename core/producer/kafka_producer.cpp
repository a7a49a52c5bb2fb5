#include "producer/kafka_producer.h"

#include <pthread.h>

#include <spdlog/spdlog.h>

#include <stdexcept>

#include "client/network_client_asio.h"
#include "protocol/record/record_batch.h"

namespace bs::producer {

namespace {

std::atomic<int> producerCounter{0};

// Per-thread scratch for serialization and headers: send() allocates nothing per record once
// these have grown to the records' sizes.
struct SendScratch {
    std::vector<uint8_t> key, value;
    std::vector<protocol::RecordHeader> headers;
};
SendScratch& scratch() {
    thread_local SendScratch s;
    return s;
}

// The record's own bytes when the serializer passes them through, else serialized into `buf`.
Status serialize(const Serializer& serializer, const std::string& topic, const FieldValue& in,
                 std::vector<uint8_t>& buf, BytesView& out) {
    if (auto view = serializer.serializedView(in)) {
        out = *view;
        return {};
    }
    bool isNull = false;
    if (Status st = serializer.serialize(topic, in, buf, isNull); !st.ok()) return st;
    out = isNull ? BytesView{} : BytesView{std::span<const uint8_t>(buf)};
    return {};
}

// The wall clock at a monotonic reading, so send() reads the clock once: an offset (whole ms,
// exact for a clock whose wall and monotonic time move together, as MockClock's) taken per
// thread and clock again every 100 ms of monotonic time, so a wall-clock step shows within it.
int64_t wallMsAt(const Clock& clock, int64_t nowNs) {
    struct Offset {
        const Clock* clock = nullptr;
        int64_t offsetMs = 0;
        int64_t validFromNs = 0, validUntilNs = 0;
    };
    thread_local Offset o;  // owned by the calling thread
    if (o.clock != &clock || nowNs < o.validFromNs || nowNs >= o.validUntilNs) {
        // A monotonic reading between two equal wall readings: the offset of one instant
        // (another thread may move a MockClock meanwhile).
        int64_t mono = 0;
        for (int tries = 0; tries < 3; ++tries) {
            const int64_t before = clock.wallMs();
            mono = clock.nowNs();
            const int64_t after = clock.wallMs();
            o.offsetMs = after - mono / 1'000'000;
            if (before == after) break;
        }
        o.clock = &clock;
        o.validFromNs = std::min(mono, nowNs);
        o.validUntilNs = mono + 100'000'000;
    }
    return nowNs / 1'000'000 + o.offsetMs;
}

// send()'s metadata without the lock: the Cluster this thread fetched last with
// Metadata::epoch() as it was before that fetch (epochs are unique across producers). Owned by the
// thread; `inUse` keeps a send() made inside another (from a partitioner, say) from replacing it
// under the outer one.
struct ClusterCache {
    uint64_t epoch = 0;  // Metadata epochs start at 1
    std::shared_ptr<const Cluster> cluster;
    bool inUse = false;
};
ClusterCache& clusterCache() {
    thread_local ClusterCache c;
    return c;
}

}  // namespace

KafkaProducer::Internals::Internals(ProducerConfig cfg, const Clock& clk)
    : config(std::move(cfg)),
      clock(clk),
      metrics(clk),
      metadata(config.retryBackoffMs, config.metadataMaxAgeMs, clk) {}

KafkaProducer::KafkaProducer(ProducerConfig config, const Clock& clock)
    : in_(std::make_shared<Internals>(std::move(config), clock)) {}

KafkaProducer::KafkaProducer(ProducerConfig config)
    : KafkaProducer(std::move(config), SystemClock::instance()) {
    Status st = init(nullptr);
    if (!st.ok()) throw std::invalid_argument(st.message());
}

Result<std::unique_ptr<KafkaProducer>> KafkaProducer::create(
    ProducerConfig config, const Clock& clock, std::unique_ptr<NetworkClient> client) {
    std::unique_ptr<KafkaProducer> p(new KafkaProducer(std::move(config), clock));
    Status st = p->init(std::move(client));
    if (!st.ok()) return Error{st.message()};
    return p;
}

Status KafkaProducer::init(std::unique_ptr<NetworkClient> client) {
    Internals& in = *in_;
    if (in.config.clientId.empty())
        in.config.clientId = "producer-" + std::to_string(++producerCounter);
    auto bootstrap = Metadata::parseBootstrapServers(in.config.bootstrapServers);
    if (!bootstrap) return bootstrap.error();
    in.metadata.bootstrap(std::move(*bootstrap));

    auto keySer = createSerializer(in.config.keySerializer);
    if (!keySer) return Error{"key.serializer: " + keySer.error().message};
    auto valueSer = createSerializer(in.config.valueSerializer);
    if (!valueSer) return Error{"value.serializer: " + valueSer.error().message};
    in.keySerializer = std::move(*keySer);
    in.valueSerializer = std::move(*valueSer);

    in.pool = std::make_unique<BufferPool>(in.config.bufferMemory, in.config.batchSize, in.clock);
    if (in.config.enableIdempotence) in.transactionManager = std::make_unique<TransactionManager>();
    in.accumulator =
        std::make_unique<RecordAccumulator>(RecordAccumulator::Config::from(in.config), *in.pool,
                                            in.clock, in.transactionManager.get(), &in.events);
    auto partitioner = createPartitioner(in.config, in.accumulator.get());
    if (!partitioner) return Error{"partitioner.class: " + partitioner.error().message};
    in.partitioner = std::move(*partitioner);

    if (!client) {
        client::NetworkClientConfig nc;
        nc.clientId = in.config.clientId;
        nc.reconnectBackoffMs = in.config.reconnectBackoffMs;
        nc.reconnectBackoffMaxMs = in.config.reconnectBackoffMaxMs;
        nc.maxInFlightRequestsPerConnection = in.config.maxInFlightRequestsPerConnection;
        nc.connectionSetupTimeoutMs = in.config.socketConnectionSetupTimeoutMs;
        nc.sendBufferBytes = in.config.sendBufferBytes;
        nc.receiveBufferBytes = in.config.receiveBufferBytes;
        nc.security = in.config.security;
        client = std::make_unique<client::AsioNetworkClient>(nc, in.clock);
    }
    in.client = std::move(client);
    in.sender = std::make_unique<Sender>(SenderConfig::from(in.config), *in.client, in.metadata,
                                         *in.accumulator, in.transactionManager.get(), &in.metrics,
                                         &in.events, in.clock);

    BufferPool* pool = in.pool.get();
    in.metrics.addGauge("buffer-available-bytes",
                        "The total amount of buffer memory that is not being used.",
                        [pool] { return static_cast<double>(pool->availableMemory()); });
    in.metrics.addGauge("buffer-total-bytes",
                        "The maximum amount of buffer memory the client can use.",
                        [pool] { return static_cast<double>(pool->totalMemory()); });
    in.metrics.addGauge("bufferpool-wait-time-ns-total",
                        "The total time in nanoseconds an appender waits for space allocation.",
                        [pool] { return static_cast<double>(pool->waitTimeNsTotal()); });
    in.metrics.addGauge(
        "buffer-exhausted-total",
        "The total number of record sends that are dropped due to buffer exhaustion.",
        [pool] { return static_cast<double>(pool->exhaustedTotal()); });
    in.metrics.addGauge("waiting-threads",
                        "The number of user threads blocked waiting for buffer memory.",
                        [pool] { return static_cast<double>(pool->queued()); });

    senderThread_ = std::thread([this, internals = in_] {
        // Java's "kafka-producer-network-thread"; Linux keeps 15 characters (top, perf, gdb).
        pthread_setname_np(pthread_self(), "bs-sender");
        senderThreadId_.store(std::this_thread::get_id());
        // Nothing of `this` is touched from here on: the producer may be destroyed inside run().
        internals->sender->run();
        std::lock_guard lock(internals->closeMu);
        internals->senderFinished = true;
        internals->senderDone.notify_all();
    });
    return {};
}

KafkaProducer::~KafkaProducer() {
    close();
    // Only when the last owner let go inside a send callback: nothing can join the thread, which
    // still holds the Internals and frees them once Sender::run() returns.
    if (senderThread_.joinable()) senderThread_.detach();
}

FutureRecordMetadata KafkaProducer::failed(const ProducerRecord& record, const Error& error,
                                           Callback& callback) {
    TopicPartition tp{record.topic, record.partition.value_or(kUnknownPartition)};
    auto result = std::make_shared<ProduceRequestResult>(tp);
    result->set(-1, -1, error);
    result->done();
    FutureRecordMetadata future(result, 0, record.timestamp.value_or(-1), -1, -1);
    if (callback) {
        RecordMetadata md;
        md.topic = record.topic;
        md.partition = tp.partition;
        try {
            callback(md, &error);
        } catch (const std::exception& e) {
            spdlog::error("send callback threw: {}", e.what());
        } catch (...) {
            spdlog::error("send callback threw a non-standard exception");
        }
    }
    return future;
}

Result<std::shared_ptr<const Cluster>> KafkaProducer::waitOnMetadata(
    const std::string& topic, std::optional<int32_t> partition, int64_t maxWaitMs, bool* waited) {
    auto cluster = in_->metadata.fetch();
    const int32_t known = cluster->partitionCountForTopic(topic);
    if (known == 0 || (partition && *partition >= known)) {
        if (waited) *waited = true;
        auto awaited = in_->metadata.awaitTopic(
            topic, maxWaitMs, [this] { in_->sender->wakeup(); }, partition);
        if (!awaited) return awaited.error();
        cluster = std::move(*awaited);
    }
    int32_t count = cluster->partitionCountForTopic(topic);
    if (partition && (*partition < 0 || *partition >= count)) {
        return Error{"Invalid partition given with record: " + std::to_string(*partition) +
                     " is not in the range [0..." + std::to_string(count) + ") of topic " + topic};
    }
    return cluster;
}

FutureRecordMetadata KafkaProducer::send(const ProducerRecord& record, Callback callback) {
    return sendImpl(record, std::move(callback), true);
}

void KafkaProducer::sendWithoutFuture(const ProducerRecord& record, Callback callback) {
    sendImpl(record, std::move(callback), false);
}

FutureRecordMetadata KafkaProducer::sendImpl(const ProducerRecord& record, Callback callback,
                                             bool wantFuture) {
    if (closed_.load() || in_->accumulator->isClosed())
        return failed(record, Error{"Cannot perform operation after producer has been closed"},
                      callback);
    // The clock is read as few times as possible: on a busy VM it costs more than the append.
    // This one reading also starts the record's latency (RecordMetadata::latencyUs).
    const int64_t sendNs = in_->clock.nowNs();
    int64_t nowMs = sendNs / 1'000'000;
    const int64_t start = nowMs;
    // Metadata: the thread's cached snapshot while Metadata::epoch() is unchanged (no lock, no
    // shared_ptr copy); the locked path when it changed, for a topic or partition not in it
    // yet, or inside a send() made from this thread's outer one.
    ClusterCache& cache = clusterCache();
    std::shared_ptr<const Cluster> held;  // the slow path's snapshot
    const Cluster* clusterPtr = nullptr;
    int32_t partitionCount = 0;  // looked up once: each look-up is a map search by name
    if (!cache.inUse) {
        const uint64_t epoch = in_->metadata.epoch();
        if (cache.epoch != epoch || !cache.cluster) {
            cache.cluster = in_->metadata.fetch();
            cache.epoch = epoch;
        }
        const int32_t known = cache.cluster->partitionCountForTopic(record.topic);
        if (known > 0 &&
            (!record.partition || (*record.partition >= 0 && *record.partition < known))) {
            clusterPtr = cache.cluster.get();
            partitionCount = known;
        }
    }
    bool waited = false;
    if (!clusterPtr) {
        auto awaited =
            waitOnMetadata(record.topic, record.partition, in_->config.maxBlockMs, &waited);
        if (!awaited) return failed(record, awaited.error(), callback);
        held = std::move(*awaited);
        clusterPtr = held.get();
        partitionCount = clusterPtr->partitionCountForTopic(record.topic);
    }
    struct InUse {
        ClusterCache& c;
        bool was;
        ~InUse() { c.inUse = was; }
    } inUse{cache, cache.inUse};
    cache.inUse = true;
    const Cluster& cluster = *clusterPtr;
    if (waited) nowMs = in_->clock.nowMs();
    const int64_t remainingMs = std::max<int64_t>(0, in_->config.maxBlockMs - (nowMs - start));

    SendScratch& s = scratch();
    BytesView key, value;
    if (Status st = serialize(*in_->keySerializer, record.topic, record.key, s.key, key); !st.ok())
        return failed(record, Error{"Can't serialize key: " + st.message()}, callback);
    if (Status st = serialize(*in_->valueSerializer, record.topic, record.value, s.value, value);
        !st.ok())
        return failed(record, Error{"Can't serialize value: " + st.message()}, callback);
    s.headers.clear();
    for (const auto& h : record.headers) {
        protocol::RecordHeader rh;
        rh.key = h.key;
        rh.valueNull = !h.value.has_value();
        if (h.value) rh.value = *h.value;
        s.headers.push_back(rh);
    }

    // Java's ensureValidRecordSize.
    size_t size = protocol::RecordBatchBuilder::estimateBatchSize(key, value, s.headers);
    if (size > static_cast<size_t>(in_->config.maxRequestSize))
        return failed(record,
                      Error{"The message is " + std::to_string(size) +
                            " bytes when serialized which is larger than " +
                            std::to_string(in_->config.maxRequestSize) +
                            ", which is the value of the max.request.size configuration."},
                      callback);
    if (size > static_cast<size_t>(in_->config.bufferMemory))
        return failed(record,
                      Error{"The message is " + std::to_string(size) +
                            " bytes when serialized which is larger than the total memory buffer "
                            "you have configured with the buffer.memory configuration."},
                      callback);

    int32_t partition = kUnknownPartition;
    if (record.partition) {
        partition = *record.partition;
    } else {
        auto p = in_->partitioner->partition(record.topic, key, value, cluster);
        if (!p) return failed(record, p.error(), callback);
        partition = *p;
        if (partition != kUnknownPartition && (partition < 0 || partition >= partitionCount))
            return failed(record,
                          Error{"partitioner " + in_->partitioner->name() + " returned partition " +
                                std::to_string(partition) + " for topic " + record.topic +
                                " with " + std::to_string(partitionCount) + " partitions"},
                          callback);
    }
    const int64_t timestamp = record.timestamp
                                  ? *record.timestamp
                                  : wallMsAt(in_->clock, waited ? in_->clock.nowNs() : sendNs);
    const bool abortOnNewBatch = in_->partitioner->wantsOnNewBatch();
    const PartitionChoice choice = record.partition                 ? PartitionChoice::Explicit
                                   : partition == kUnknownPartition ? PartitionChoice::Accumulator
                                                                    : PartitionChoice::Partitioner;
    auto appended = in_->accumulator->append(
        record.topic, partition, timestamp, key, value, s.headers, std::move(callback), remainingMs,
        abortOnNewBatch, nowMs, cluster, sendNs, choice, wantFuture, partitionCount);
    if (appended && appended->abortForNewBatch) {
        // KIP-480: the partitioner may pick another partition for the record starting a batch.
        in_->partitioner->onNewBatch(record.topic, cluster, appended->partition);
        auto p = record.partition ? Result<int32_t>(*record.partition)
                                  : in_->partitioner->partition(record.topic, key, value, cluster);
        if (!p) return failed(record, p.error(), callback);
        publishOnNewBatch(record.topic, appended->partition, *p);
        appended = in_->accumulator->append(record.topic, *p, timestamp, key, value, s.headers,
                                            std::move(callback), remainingMs, false, nowMs, cluster,
                                            sendNs, choice, wantFuture, partitionCount);
    }
    if (!appended) return failed(record, appended.error(), callback);
    if (appended->batchIsFull || appended->newBatchCreated) in_->sender->wakeup();
    return appended->future ? *appended->future
                            : failed(record, Error{"record was not appended"}, callback);
}

void KafkaProducer::publishOnNewBatch(const std::string& topic, int32_t from, int32_t to) {
    EventStream& events = in_->events;
    if (!events.enabled(EventType::PartitionSwitched)) return;
    Event e;
    e.timeNs = in_->clock.nowNs();
    e.type = EventType::PartitionSwitched;
    e.reason = static_cast<uint8_t>(SwitchCause::OnNewBatch);
    e.topicId = events.topicId(topic);
    e.fromPartition = from;
    e.partition = to;
    events.publish(e);
}

void KafkaProducer::flush() {
    in_->accumulator->beginFlush();
    in_->sender->wakeup();
    // Futures complete after their callbacks ran, so this also waits for the callbacks (Java).
    in_->accumulator->awaitFlushCompletion();
}

void KafkaProducer::close(std::chrono::milliseconds timeout) {
    // From a callback (the sender thread) Java closes with timeout 0 and does not join itself.
    const bool fromSender = senderThreadId_.load() == std::this_thread::get_id();
    if (fromSender) timeout = std::chrono::milliseconds(0);
    if (!closed_.exchange(true) && in_->sender) {
        if (timeout.count() > 0) {
            in_->sender->initiateClose();
            std::unique_lock lock(in_->closeMu);
            bool done;
            if (timeout == std::chrono::milliseconds::max())
                done = (in_->senderDone.wait(lock, [this] { return in_->senderFinished; }), true);
            else
                done =
                    in_->senderDone.wait_for(lock, timeout, [this] { return in_->senderFinished; });
            if (!done)
                spdlog::info("producer close timed out after {} ms: failing what is left",
                             timeout.count());
        }
        in_->sender->forceClose();
        in_->metadata.close();
        in_->pool->close();
    }
    // The sender thread ends on its own; a later close() or the destructor on another thread
    // joins it.
    if (fromSender) return;
    std::lock_guard lock(joinMu_);
    if (senderThread_.joinable()) senderThread_.join();
}

Result<std::vector<PartitionInfo>> KafkaProducer::partitionsFor(const std::string& topic) {
    auto cluster = waitOnMetadata(topic, std::nullopt, in_->config.maxBlockMs);
    if (!cluster) return cluster.error();
    return (*cluster)->partitionsForTopic(topic);
}

std::vector<Metric> KafkaProducer::metrics() const {
    return in_->metrics.metrics();
}

std::optional<std::vector<uint8_t>> KafkaProducer::batchRecords(const TopicPartition& tp,
                                                                uint64_t batchId) const {
    return in_->accumulator->batchRecords(tp, batchId);
}

ProducerSnapshot KafkaProducer::snapshot() const {
    ProducerSnapshot s;
    s.timeMs = in_->clock.nowMs();
    s.partitions = in_->accumulator->snapshotPartitions();
    s.nodes = in_->sender->snapshotNodes();
    s.bufferPool = in_->accumulator->snapshotBufferPool();
    s.metadata = in_->metadata.snapshot(s.timeMs);
    s.senderState = in_->sender->state();
    s.senderIterations = in_->sender->iterations();
    return s;
}

Result<PartitionExplanation> KafkaProducer::explain(const std::string& topic,
                                                    const FieldValue& key) {
    auto cluster = waitOnMetadata(topic, std::nullopt, in_->config.maxBlockMs);
    if (!cluster) return cluster.error();
    std::vector<uint8_t> bytes;
    bool isNull = false;
    if (Status st = in_->keySerializer->serialize(topic, key, bytes, isNull); !st.ok())
        return Error{"Can't serialize key: " + st.message()};
    BytesView k = isNull ? BytesView{} : BytesView{std::span<const uint8_t>(bytes)};
    return in_->partitioner->explain(topic, k, **cluster);
}

}  // namespace bs::producer
