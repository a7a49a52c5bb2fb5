#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "client/metadata.h"
#include "client/network_client.h"
#include "common/clock.h"
#include "common/result.h"
#include "consumer/consumer_config.h"
#include "consumer/consumer_record.h"
#include "consumer/deserializers.h"
#include "consumer/fetcher.h"
#include "consumer/offset_fetcher.h"
#include "consumer/subscription_state.h"

namespace bs::consumer {

// A consumer without groups (Java: KafkaConsumer used with assign()). Reads assigned
// partitions with Fetch (long polling), positions them with ListOffsets, follows leader
// changes through metadata refreshes. Like Java's, NOT thread-safe: one thread calls
// everything except wakeup(). Blocking calls are bounded by the timeouts they take and are
// driven by the injected Clock.
class KafkaConsumer {
  public:
    // Connects over TCP (AsioNetworkClient).
    static Result<std::unique_ptr<KafkaConsumer>> create(
        const ConsumerConfig& config, const Clock& clock = SystemClock::instance());
    // Over a caller-provided client (it must outlive the consumer).
    static Result<std::unique_ptr<KafkaConsumer>> create(const ConsumerConfig& config,
                                                         client::NetworkClient& client,
                                                         const Clock& clock);
    ~KafkaConsumer();
    KafkaConsumer(const KafkaConsumer&) = delete;
    KafkaConsumer& operator=(const KafkaConsumer&) = delete;

    void assign(const std::vector<TopicPartition>& partitions);
    std::vector<TopicPartition> assignment() const { return subscriptions_.assignment(); }
    // Lazily evaluated like Java: the next poll()/position() does the ListOffsets lookups.
    void seek(const TopicPartition& tp, int64_t offset);
    void seekToBeginning(const std::vector<TopicPartition>& partitions);
    void seekToEnd(const std::vector<TopicPartition>& partitions);
    // Start at the first record whose timestamp is >= timestampMs (the end if none).
    void seekToTimestamp(const std::vector<TopicPartition>& partitions, int64_t timestampMs);

    // Records fetched within timeoutMs (possibly none). Errors: auto.offset.reset=none without a
    // position or out of range, corrupt records, unassigned partitions, closed/woken up.
    Result<ConsumerRecords> poll(int64_t timeoutMs);
    // Blocks until the partition has a position (resets done) or the timeout passes.
    Result<int64_t> position(const TopicPartition& tp, int64_t timeoutMs);

    // Metadata lookups (Java: partitionsFor); an unknown topic is an error after the timeout.
    Result<std::vector<int32_t>> partitionsFor(const std::string& topic, int64_t timeoutMs);
    Result<std::map<TopicPartition, std::optional<OffsetAndTimestamp>>> offsetsForTimes(
        const std::map<TopicPartition, int64_t>& timestamps, int64_t timeoutMs);
    Result<std::map<TopicPartition, int64_t>> beginningOffsets(
        const std::vector<TopicPartition>& partitions, int64_t timeoutMs);
    Result<std::map<TopicPartition, int64_t>> endOffsets(
        const std::vector<TopicPartition>& partitions, int64_t timeoutMs);
    // The high watermark the last fetch reported (Java: currentLag's source), or nullopt.
    std::optional<int64_t> highWatermark(const TopicPartition& tp) const;
    std::optional<int64_t> logStartOffset(const TopicPartition& tp) const;

    // Makes a blocking call return early with an error "wakeup". Thread-safe.
    void wakeup();
    void close();

    const ConsumerConfig& config() const { return config_; }
    const Deserializer& keyDeserializer() const { return *keyDeserializer_; }
    const Deserializer& valueDeserializer() const { return *valueDeserializer_; }
    std::shared_ptr<const client::Cluster> cluster() const { return metadata_.fetch(); }

  private:
    KafkaConsumer(const ConsumerConfig& config, const Clock& clock);
    // One round of I/O: metadata, resets, fetches, then network poll up to pollMs.
    void runOnce(int64_t pollMs);
    void maybeUpdateMetadata(int64_t nowMs);
    void sendResets(int64_t nowMs);
    void sendFetches(int64_t nowMs);
    Result<std::map<TopicPartition, ListOffsetsResult>> listOffsets(
        const std::map<TopicPartition, int64_t>& timestamps, int64_t timeoutMs);
    Status checkUsable();

    const ConsumerConfig config_;
    const Clock& clock_;
    std::unique_ptr<client::NetworkClient> ownedClient_;
    client::NetworkClient* client_ = nullptr;
    client::Metadata metadata_;
    int64_t nodesVersionSent_ = -1;
    SubscriptionState subscriptions_;
    Fetcher fetcher_;
    OffsetFetcher offsetFetcher_;
    std::unique_ptr<Deserializer> keyDeserializer_;
    std::unique_ptr<Deserializer> valueDeserializer_;
    std::atomic<bool> wakeup_{false};
    bool closed_ = false;
};

}  // namespace bs::consumer
