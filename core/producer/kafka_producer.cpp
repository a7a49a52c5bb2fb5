#include "producer/kafka_producer.h"

#include <pthread.h>

#include <spdlog/spdlog.h>

#include <stdexcept>

#include "producer/network_client_asio.h"
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

}  // namespace

Producer::Producer(ProducerConfig config, const Clock& clock)
    : config_(std::move(config)),
      clock_(clock),
      metrics_(clock),
      metadata_(config_.retryBackoffMs, config_.metadataMaxAgeMs, clock) {}

Producer::Producer(ProducerConfig config) : Producer(std::move(config), SystemClock::instance()) {
    Status st = init(nullptr);
    if (!st.ok()) throw std::invalid_argument(st.message());
}

Result<std::unique_ptr<Producer>> Producer::create(ProducerConfig config, const Clock& clock,
                                                   std::unique_ptr<NetworkClient> client) {
    std::unique_ptr<Producer> p(new Producer(std::move(config), clock));
    Status st = p->init(std::move(client));
    if (!st.ok()) return Error{st.message()};
    return p;
}

Status Producer::init(std::unique_ptr<NetworkClient> client) {
    if (config_.clientId.empty())
        config_.clientId = "producer-" + std::to_string(++producerCounter);
    auto bootstrap = Metadata::parseBootstrapServers(config_.bootstrapServers);
    if (!bootstrap) return bootstrap.error();
    metadata_.bootstrap(std::move(*bootstrap));

    auto keySer = createSerializer(config_.keySerializer);
    if (!keySer) return Error{"key.serializer: " + keySer.error().message};
    auto valueSer = createSerializer(config_.valueSerializer);
    if (!valueSer) return Error{"value.serializer: " + valueSer.error().message};
    keySerializer_ = std::move(*keySer);
    valueSerializer_ = std::move(*valueSer);

    pool_ = std::make_unique<BufferPool>(config_.bufferMemory, config_.batchSize, clock_);
    if (config_.enableIdempotence) transactionManager_ = std::make_unique<TransactionManager>();
    accumulator_ =
        std::make_unique<RecordAccumulator>(RecordAccumulator::Config::from(config_), *pool_,
                                            clock_, transactionManager_.get(), &events_);
    auto partitioner = createPartitioner(config_, accumulator_.get());
    if (!partitioner) return Error{"partitioner.class: " + partitioner.error().message};
    partitioner_ = std::move(*partitioner);

    if (!client) {
        NetworkClientConfig nc;
        nc.clientId = config_.clientId;
        nc.reconnectBackoffMs = config_.reconnectBackoffMs;
        nc.reconnectBackoffMaxMs = config_.reconnectBackoffMaxMs;
        nc.maxInFlightRequestsPerConnection = config_.maxInFlightRequestsPerConnection;
        nc.connectionSetupTimeoutMs = config_.socketConnectionSetupTimeoutMs;
        nc.sendBufferBytes = config_.sendBufferBytes;
        nc.receiveBufferBytes = config_.receiveBufferBytes;
        client = std::make_unique<AsioNetworkClient>(nc, clock_);
    }
    client_ = std::move(client);
    sender_ =
        std::make_unique<Sender>(SenderConfig::from(config_), *client_, metadata_, *accumulator_,
                                 transactionManager_.get(), &metrics_, &events_, clock_);

    BufferPool* pool = pool_.get();
    metrics_.addGauge("buffer-available-bytes",
                      "The total amount of buffer memory that is not being used.",
                      [pool] { return static_cast<double>(pool->availableMemory()); });
    metrics_.addGauge("buffer-total-bytes",
                      "The maximum amount of buffer memory the client can use.",
                      [pool] { return static_cast<double>(pool->totalMemory()); });
    metrics_.addGauge("bufferpool-wait-time-ns-total",
                      "The total time in nanoseconds an appender waits for space allocation.",
                      [pool] { return static_cast<double>(pool->waitTimeNsTotal()); });
    metrics_.addGauge("buffer-exhausted-total",
                      "The total number of record sends that are dropped due to buffer exhaustion.",
                      [pool] { return static_cast<double>(pool->exhaustedTotal()); });
    metrics_.addGauge("waiting-threads",
                      "The number of user threads blocked waiting for buffer memory.",
                      [pool] { return static_cast<double>(pool->queued()); });

    ioThread_ = std::thread([this] {
        // Java's "kafka-producer-network-thread"; Linux keeps 15 characters (top, perf, gdb).
        pthread_setname_np(pthread_self(), "bs-sender");
        ioThreadId_.store(std::this_thread::get_id());
        sender_->run();
        std::lock_guard lock(closeMu_);
        senderFinished_ = true;
        senderDone_.notify_all();
    });
    return {};
}

Producer::~Producer() {
    close();
    if (ioThread_.joinable()) {
        // Only when the last owner let go inside a send callback: nothing can join the thread.
        spdlog::error("Producer destroyed from its own sender thread (a send callback)");
        ioThread_.detach();
    }
}

FutureRecordMetadata Producer::failed(const ProducerRecord& record, const Error& error,
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

Result<std::shared_ptr<const Cluster>> Producer::waitOnMetadata(const std::string& topic,
                                                                std::optional<int32_t> partition,
                                                                int64_t maxWaitMs, bool* waited) {
    auto cluster = metadata_.fetch();
    const int32_t known = cluster->partitionCountForTopic(topic);
    if (known == 0 || (partition && *partition >= known)) {
        if (waited) *waited = true;
        auto awaited = metadata_.awaitTopic(
            topic, maxWaitMs, [this] { sender_->wakeup(); }, partition);
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

FutureRecordMetadata Producer::send(const ProducerRecord& record, Callback callback) {
    if (closed_.load() || accumulator_->isClosed())
        return failed(record, Error{"Cannot perform operation after producer has been closed"},
                      callback);
    // The clock is read as few times as possible: on a busy VM it costs more than the append.
    // This one reading also starts the record's latency (RecordMetadata::latencyUs).
    const int64_t sendNs = clock_.nowNs();
    int64_t nowMs = sendNs / 1'000'000;
    const int64_t start = nowMs;
    bool waited = false;
    auto cluster = waitOnMetadata(record.topic, record.partition, config_.maxBlockMs, &waited);
    if (!cluster) return failed(record, cluster.error(), callback);
    if (waited) nowMs = clock_.nowMs();
    const int64_t remainingMs = std::max<int64_t>(0, config_.maxBlockMs - (nowMs - start));

    SendScratch& s = scratch();
    BytesView key, value;
    if (Status st = serialize(*keySerializer_, record.topic, record.key, s.key, key); !st.ok())
        return failed(record, Error{"Can't serialize key: " + st.message()}, callback);
    if (Status st = serialize(*valueSerializer_, record.topic, record.value, s.value, value);
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
    if (size > static_cast<size_t>(config_.maxRequestSize))
        return failed(record,
                      Error{"The message is " + std::to_string(size) +
                            " bytes when serialized which is larger than " +
                            std::to_string(config_.maxRequestSize) +
                            ", which is the value of the max.request.size configuration."},
                      callback);
    if (size > static_cast<size_t>(config_.bufferMemory))
        return failed(record,
                      Error{"The message is " + std::to_string(size) +
                            " bytes when serialized which is larger than the total memory buffer "
                            "you have configured with the buffer.memory configuration."},
                      callback);
    metrics_.recordRecordSize(static_cast<int64_t>(size), nowMs);

    int32_t partition = kUnknownPartition;
    if (record.partition) {
        partition = *record.partition;
    } else {
        auto p = partitioner_->partition(record.topic, key, value, **cluster);
        if (!p) return failed(record, p.error(), callback);
        partition = *p;
        int32_t count = (*cluster)->partitionCountForTopic(record.topic);
        if (partition != kUnknownPartition && (partition < 0 || partition >= count))
            return failed(record,
                          Error{"partitioner " + partitioner_->name() + " returned partition " +
                                std::to_string(partition) + " for topic " + record.topic +
                                " with " + std::to_string(count) + " partitions"},
                          callback);
    }
    const int64_t timestamp = record.timestamp.value_or(clock_.wallMs());
    const bool abortOnNewBatch = partitioner_->wantsOnNewBatch();
    auto appended = accumulator_->append(record.topic, partition, timestamp, key, value, s.headers,
                                         std::move(callback), remainingMs, abortOnNewBatch, nowMs,
                                         **cluster, sendNs);
    if (appended && appended->abortForNewBatch) {
        // KIP-480: the partitioner may pick another partition for the record starting a batch.
        partitioner_->onNewBatch(record.topic, **cluster, appended->partition);
        auto p = record.partition ? Result<int32_t>(*record.partition)
                                  : partitioner_->partition(record.topic, key, value, **cluster);
        if (!p) return failed(record, p.error(), callback);
        appended =
            accumulator_->append(record.topic, *p, timestamp, key, value, s.headers,
                                 std::move(callback), remainingMs, false, nowMs, **cluster, sendNs);
    }
    if (!appended) return failed(record, appended.error(), callback);
    if (appended->batchIsFull || appended->newBatchCreated) sender_->wakeup();
    return appended->future ? *appended->future
                            : failed(record, Error{"record was not appended"}, callback);
}

void Producer::flush() {
    accumulator_->beginFlush();
    sender_->wakeup();
    // Futures complete after their callbacks ran, so this also waits for the callbacks (Java).
    accumulator_->awaitFlushCompletion();
}

void Producer::close(std::chrono::milliseconds timeout) {
    // From a callback (the sender thread) Java closes with timeout 0 and does not join itself.
    const bool fromSender = ioThreadId_.load() == std::this_thread::get_id();
    if (fromSender) timeout = std::chrono::milliseconds(0);
    if (!closed_.exchange(true) && sender_) {
        if (timeout.count() > 0) {
            sender_->initiateClose();
            std::unique_lock lock(closeMu_);
            bool done;
            if (timeout == std::chrono::milliseconds::max())
                done = (senderDone_.wait(lock, [this] { return senderFinished_; }), true);
            else
                done = senderDone_.wait_for(lock, timeout, [this] { return senderFinished_; });
            if (!done)
                spdlog::info("producer close timed out after {} ms: failing what is left",
                             timeout.count());
        }
        sender_->forceClose();
        metadata_.close();
        pool_->close();
    }
    // The sender thread ends on its own; a later close() or the destructor on another thread
    // joins it.
    if (fromSender) return;
    std::lock_guard lock(joinMu_);
    if (ioThread_.joinable()) ioThread_.join();
}

Result<std::vector<PartitionInfo>> Producer::partitionsFor(const std::string& topic) {
    auto cluster = waitOnMetadata(topic, std::nullopt, config_.maxBlockMs);
    if (!cluster) return cluster.error();
    return (*cluster)->partitionsForTopic(topic);
}

std::vector<Metric> Producer::metrics() const {
    return metrics_.metrics();
}

ProducerSnapshot Producer::snapshot() const {
    ProducerSnapshot s;
    s.timeMs = clock_.nowMs();
    s.partitions = accumulator_->snapshotPartitions();
    s.nodes = sender_->snapshotNodes();
    s.bufferPool = accumulator_->snapshotBufferPool();
    s.senderState = sender_->state();
    return s;
}

Result<PartitionExplanation> Producer::explain(const std::string& topic, const FieldValue& key) {
    auto cluster = waitOnMetadata(topic, std::nullopt, config_.maxBlockMs);
    if (!cluster) return cluster.error();
    std::vector<uint8_t> bytes;
    bool isNull = false;
    if (Status st = keySerializer_->serialize(topic, key, bytes, isNull); !st.ok())
        return Error{"Can't serialize key: " + st.message()};
    BytesView k = isNull ? BytesView{} : BytesView{std::span<const uint8_t>(bytes)};
    return partitioner_->explain(topic, k, **cluster);
}

}  // namespace bs::producer
