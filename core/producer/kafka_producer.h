#pragma once

// The public producer (Java: KafkaProducer). send() serializes, partitions and appends to the
// RecordAccumulator on the caller's thread; the Sender thread does all network I/O and completes
// futures and callbacks (in order per partition).

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "client/metadata.h"
#include "client/network_client.h"
#include "common/clock.h"
#include "common/result.h"
#include "producer/buffer_pool.h"
#include "producer/future_record_metadata.h"
#include "producer/observation.h"
#include "producer/partitioner.h"
#include "producer/producer_config.h"
#include "producer/producer_metrics.h"
#include "producer/producer_record.h"
#include "producer/record_accumulator.h"
#include "producer/record_metadata.h"
#include "producer/sender.h"
#include "producer/serializers.h"
#include "producer/transaction_manager.h"

namespace bs::producer {

using client::Cluster;
using client::Metadata;
using client::NetworkClient;
using client::PartitionInfo;

// Thread-safe: send/flush/partitionsFor/metrics/snapshot from any number of threads.
class KafkaProducer {
  public:
    // Builds every part and starts the sender thread. `client` replaces the TCP client (tests).
    static Result<std::unique_ptr<KafkaProducer>> create(
        ProducerConfig config, const Clock& clock = SystemClock::instance(),
        std::unique_ptr<NetworkClient> client = {});
    // As create(), throwing std::invalid_argument with the error's message on bad configuration.
    explicit KafkaProducer(ProducerConfig config);
    ~KafkaProducer();
    KafkaProducer(const KafkaProducer&) = delete;
    KafkaProducer& operator=(const KafkaProducer&) = delete;

    // Java's send(record, callback). Never throws: a record that cannot be sent (serialization,
    // metadata timeout after max.block.ms, too large, closed) gets a failed future, and its
    // callback runs on the calling thread. The future is Java's FutureRecordMetadata:
    // get() -> Result<RecordMetadata>.
    FutureRecordMetadata send(const ProducerRecord& record, Callback callback = {});
    // send() for a caller that would drop the future (Java code ignoring send()'s return): the
    // same delivery, ordering and callback, but no future is made, which spares a reference
    // count on the batch's shared result per record (an atomic increment and decrement).
    void sendWithoutFuture(const ProducerRecord& record, Callback callback = {});
    // Sends everything buffered now and waits until all of it completed.
    void flush();
    // Waits up to `timeout` for buffered records to be sent, then fails what is left. Idempotent.
    void close(std::chrono::milliseconds timeout = std::chrono::milliseconds::max());
    // Waits for the topic's metadata (up to max.block.ms).
    Result<std::vector<PartitionInfo>> partitionsFor(const std::string& topic);
    std::vector<Metric> metrics() const;

    // --- observation (what the GUI draws)
    ProducerSnapshot snapshot() const;
    // The records of a batch still in the accumulator (RecordAccumulator::batchRecords).
    std::optional<std::vector<uint8_t>> batchRecords(const TopicPartition& tp,
                                                     uint64_t batchId) const;
    EventStream& events() { return in_->events; }
    void pauseSender(bool paused) { in_->sender->pause(paused); }
    // One sender iteration while paused; false (nothing done) when the sender is not paused.
    bool stepSender() { return in_->sender->step(); }
    // Frames of the requests written (off until given a capacity: each kept frame is a copy).
    RequestFrameLog& requestFrames() { return in_->sender->requestFrames(); }
    // Where a key would go now (the explain panel).
    Result<PartitionExplanation> explain(const std::string& topic, const FieldValue& key);

    const ProducerConfig& config() const { return in_->config; }
    Metadata& metadata() { return in_->metadata; }

  private:
    // Everything the sender thread uses, owned jointly by the producer and that thread: when the
    // last owner lets go inside a send callback (on the sender thread, inside Sender::run()), the
    // thread keeps these alive until run() returns and frees them itself.
    struct Internals {
        Internals(ProducerConfig config, const Clock& clock);

        ProducerConfig config;
        const Clock& clock;
        EventStream events;
        ProducerMetrics metrics;
        Metadata metadata;
        std::unique_ptr<BufferPool> pool;
        std::unique_ptr<Serializer> keySerializer, valueSerializer;
        std::unique_ptr<TransactionManager> transactionManager;
        std::unique_ptr<RecordAccumulator> accumulator;
        std::unique_ptr<Partitioner> partitioner;
        std::unique_ptr<NetworkClient> client;
        std::unique_ptr<Sender> sender;

        std::mutex closeMu;
        std::condition_variable senderDone;
        bool senderFinished = false;  // guarded by closeMu
    };

    KafkaProducer(ProducerConfig config, const Clock& clock);
    Status init(std::unique_ptr<NetworkClient> client);
    // PartitionSwitched for KIP-480's onNewBatch re-partitioning (application thread).
    void publishOnNewBatch(const std::string& topic, int32_t from, int32_t to);
    FutureRecordMetadata sendImpl(const ProducerRecord& record, Callback callback, bool wantFuture);
    FutureRecordMetadata failed(const ProducerRecord& record, const Error& error,
                                Callback& callback);
    Result<std::shared_ptr<const Cluster>> waitOnMetadata(const std::string& topic,
                                                          std::optional<int32_t> partition,
                                                          int64_t maxWaitMs,
                                                          bool* waited = nullptr);

    const std::shared_ptr<Internals> in_;  // the pointer never changes; see Internals
    // Java's ioThread ("kafka-producer-network-thread"): runs Sender::run(). Joined under joinMu_
    // by close() or the destructor; detached only when the producer is destroyed on it.
    std::thread senderThread_;
    std::atomic<std::thread::id> senderThreadId_{};  // written by the sender thread as it starts
    std::mutex joinMu_;
    std::atomic<bool> closed_{false};
};

}  // namespace bs::producer
