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
#include <string>
#include <thread>
#include <vector>

#include "common/clock.h"
#include "common/result.h"
#include "producer/buffer_pool.h"
#include "producer/future_record_metadata.h"
#include "producer/metadata.h"
#include "producer/network_client.h"
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

// Thread-safe: send/flush/partitionsFor/metrics/snapshot from any number of threads.
class Producer {
  public:
    // Builds every part and starts the sender thread. `client` replaces the TCP client (tests).
    static Result<std::unique_ptr<Producer>> create(ProducerConfig config,
                                                    const Clock& clock = SystemClock::instance(),
                                                    std::unique_ptr<NetworkClient> client = {});
    // As create(), throwing std::invalid_argument with the error's message on bad configuration.
    explicit Producer(ProducerConfig config);
    ~Producer();
    Producer(const Producer&) = delete;
    Producer& operator=(const Producer&) = delete;

    // Java's send(record, callback). Never throws: a record that cannot be sent (serialization,
    // metadata timeout after max.block.ms, too large, closed) gets a failed future, and its
    // callback runs on the calling thread. The future is Java's FutureRecordMetadata:
    // get() -> Result<RecordMetadata>.
    FutureRecordMetadata send(const ProducerRecord& record, Callback callback = {});
    // Sends everything buffered now and waits until all of it completed.
    void flush();
    // Waits up to `timeout` for buffered records to be sent, then fails what is left. Idempotent.
    void close(std::chrono::milliseconds timeout = std::chrono::milliseconds::max());
    // Waits for the topic's metadata (up to max.block.ms).
    Result<std::vector<PartitionInfo>> partitionsFor(const std::string& topic);
    std::vector<Metric> metrics() const;

    // --- observation (what the GUI draws)
    ProducerSnapshot snapshot() const;
    EventStream& events() { return events_; }
    void pauseSender(bool paused) { sender_->pause(paused); }
    void stepSender() { sender_->step(); }
    // Where a key would go now (the explain panel).
    Result<PartitionExplanation> explain(const std::string& topic, const FieldValue& key);

    const ProducerConfig& config() const { return config_; }
    Metadata& metadata() { return metadata_; }

  private:
    Producer(ProducerConfig config, const Clock& clock);
    Status init(std::unique_ptr<NetworkClient> client);
    FutureRecordMetadata failed(const ProducerRecord& record, const Error& error,
                                Callback& callback);
    Result<std::shared_ptr<const Cluster>> waitOnMetadata(const std::string& topic,
                                                          std::optional<int32_t> partition,
                                                          int64_t maxWaitMs,
                                                          bool* waited = nullptr);

    ProducerConfig config_;
    const Clock& clock_;
    EventStream events_;
    ProducerMetrics metrics_;
    Metadata metadata_;
    std::unique_ptr<BufferPool> pool_;
    std::unique_ptr<Serializer> keySerializer_, valueSerializer_;
    std::unique_ptr<TransactionManager> transactionManager_;
    std::unique_ptr<RecordAccumulator> accumulator_;
    std::unique_ptr<Partitioner> partitioner_;
    std::unique_ptr<NetworkClient> client_;
    std::unique_ptr<Sender> sender_;
    std::thread ioThread_;                       // joined under joinMu_
    std::atomic<std::thread::id> ioThreadId_{};  // written by the sender thread as it starts
    std::mutex joinMu_;

    std::mutex closeMu_;
    std::condition_variable senderDone_;
    bool senderFinished_ = false;  // guarded by closeMu_
    std::atomic<bool> closed_{false};
};

}  // namespace bs::producer
