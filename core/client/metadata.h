#pragma once

// Cluster metadata (Java: Cluster, Metadata/ProducerMetadata): the brokers, the partitions of the
// topics in use and their leaders. Bootstrapped from bootstrap.servers, refreshed by the thread
// that owns the NetworkClient (the producer's Sender, the consumer's poll) with Metadata requests
// every metadata.max.age.ms, on leader errors and for unknown topics.

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "client/cluster_view.h"
#include "client/network_client.h"
#include "common/clock.h"
#include "common/result.h"
#include "protocol/errors.h"
#include "protocol/messages/metadata.h"

namespace bs::client {

struct PartitionInfo {
    TopicPartition tp;
    int32_t leader = -1;  // -1: no leader known
    int32_t leaderEpoch = -1;
    std::vector<int32_t> replicas;
    std::vector<int32_t> isr;
    std::vector<int32_t> offlineReplicas;
};

// An immutable snapshot of the cluster (Java: Cluster). Safe to share across threads.
class Cluster final : public ClusterView {
  public:
    static std::shared_ptr<const Cluster> empty();
    static std::shared_ptr<const Cluster> bootstrap(std::vector<Node> nodes);
    // From a Metadata response; topics answered with a retriable error keep the partitions
    // `previous` knew (their leaders may be back soon), other errors are recorded in topicError.
    static std::shared_ptr<const Cluster> fromResponse(const protocol::MetadataResponse& response,
                                                       const Cluster* previous);

    const std::vector<Node>& nodes() const { return nodes_; }
    const Node* nodeById(int32_t id) const;
    bool isBootstrap() const { return bootstrap_; }
    std::optional<std::string> clusterId() const { return clusterId_; }
    // Partitions of `topic` ordered by partition id; empty when unknown.
    std::vector<PartitionInfo> partitionsForTopic(std::string_view topic) const;
    // The error the last Metadata response gave for `topic` (NONE when fine or never asked).
    protocol::ErrorCode topicError(std::string_view topic) const;
    std::set<std::string> topics() const;

    std::optional<int32_t> leaderFor(const TopicPartition& tp) const override;
    std::optional<int32_t> leaderEpochFor(const TopicPartition& tp) const override;
    int32_t partitionCountForTopic(std::string_view topic) const override;
    std::span<const int32_t> availablePartitionsForTopic(std::string_view topic) const override;
    std::span<const TopicPartition> partitionsForNode(int32_t nodeId) const override;

  private:
    struct TopicInfo {
        protocol::ErrorCode error = protocol::ErrorCode::NONE;
        std::vector<PartitionInfo> partitions;  // index = partition id
        std::vector<int32_t> available;
    };
    void index();
    const TopicInfo* topic(std::string_view name) const;

    bool bootstrap_ = false;
    std::optional<std::string> clusterId_;
    std::vector<Node> nodes_;
    std::map<std::string, TopicInfo, std::less<>> topics_;
    std::unordered_map<int32_t, std::vector<TopicPartition>> byNode_;
};

// What a client believes about the cluster at one instant (Metadata::snapshot): the window
// shows it beside what the cluster really has, so a stale leader is visible.
struct MetadataSnapshot {
    int64_t version = 0;             // successful updates so far
    int64_t ageMs = -1;              // since the last successful update; -1: none yet
    bool bootstrap = true;           // only bootstrap.servers known so far
    bool updateRequested = false;    // a refresh is wanted (requestUpdate, new topic, error)
    bool requestInFlight = false;    // a Metadata request is out
    int64_t timeToNextUpdateMs = 0;  // 0: a request is due now (backoff and max age)
    std::string connectionProblem;   // the last failed connection, until an update succeeds
    std::vector<Node> nodes;
    struct Topic {
        std::string name;
        protocol::ErrorCode error = protocol::ErrorCode::NONE;
        std::vector<PartitionInfo> partitions;  // by partition id
        std::vector<int32_t> available;         // partitions with a leader (legacy partitioner)
    };
    std::vector<Topic> topics;  // the topics this client keeps, by name
};

// A client's metadata: which topics it needs and when to refresh. Thread-safe (all state under
// mu_): application threads add topics and wait for them; the thread that owns the NetworkClient
// (the producer's sender thread, the consumer's poll) builds requests and applies responses.
class Metadata {
  public:
    // refreshBackoffMaxMs above refreshBackoffMs: failed updates back off exponentially (x2,
    // +-20% jitter) up to it, as Java does with retry.backoff.max.ms (KIP-580); otherwise the
    // backoff is a fixed refreshBackoffMs.
    Metadata(int64_t refreshBackoffMs, int64_t metadataMaxAgeMs, const Clock& clock,
             int64_t refreshBackoffMaxMs = 0);

    // Parses "host:port" entries; errors name the bad entry.
    static Result<std::vector<Node>> parseBootstrapServers(const std::vector<std::string>& servers);
    void bootstrap(std::vector<Node> nodes);

    // The current snapshot (never null).
    std::shared_ptr<const Cluster> fetch() const;
    // Changes whenever the snapshot fetch() returns does (a plain load, no lock): a thread that
    // keeps a fetched snapshot with the epoch it read before fetching may use it until this
    // differs (KafkaProducer::send's per-thread cache). Unique in the process: no two Metadata
    // objects ever show the same epoch, so a cache needs no other key.
    uint64_t epoch() const { return epoch_.load(std::memory_order_acquire); }
    // Increases on every successful update.
    int64_t updateVersion() const;
    MetadataSnapshot snapshot(int64_t nowMs) const;

    // Adds a topic to those kept in metadata; a new topic requests an update.
    void add(const std::string& topic, int64_t nowMs);
    std::set<std::string> topics() const;
    void requestUpdate();
    bool updateRequested() const;
    // 0 when a request should be sent now (Java: timeToNextUpdate).
    int64_t timeToNextUpdate(int64_t nowMs) const;
    protocol::MetadataRequest newMetadataRequest() const;
    // A request was sent (no second one until it completes or fails).
    void onRequestSent(int64_t nowMs);
    bool requestInFlight() const;
    void update(const protocol::MetadataResponse& response, int64_t nowMs);
    void failedUpdate(int64_t nowMs);
    // A broker refused us (TLS or SASL; Java: Metadata.fatalError): waits for metadata fail
    // with `why` at once until an update succeeds.
    void fatalError(std::string why);
    std::optional<std::string> fatalErrorMessage() const;
    // Before a metadata request to `node`: a TLS or SASL refusal becomes the fatal error, and a
    // failed connection is remembered ("127.0.0.1:9093 (node -1): cannot connect: Connection
    // refused") until an update succeeds, so a wait that times out names the broker it could
    // not reach and why.
    void checkConnection(const NetworkClient& client, int32_t node);
    std::string connectionProblem() const;

    // Blocks until `topic` has partitions in metadata (Java: KafkaProducer.waitOnMetadata), the
    // topic is known to be invalid, or maxWaitMs passes. `wakeSender` is called each round so the
    // Sender sends the request. Errors name the topic and the wait.
    // With `partition`, also until the topic has that partition (a topic grown since the last
    // refresh), as Java's waitOnMetadata.
    Result<std::shared_ptr<const Cluster>> awaitTopic(const std::string& topic, int64_t maxWaitMs,
                                                      const std::function<void()>& wakeSender,
                                                      std::optional<int32_t> partition = {});
    // Fails waiters (close()).
    void close();

  private:
    int64_t backoffLocked(int attempts);                  // needs mu_
    int64_t timeToNextUpdateLocked(int64_t nowMs) const;  // needs mu_

    const int64_t refreshBackoffMs_;
    const int64_t refreshBackoffMaxMs_;
    const int64_t metadataMaxAgeMs_;
    const Clock& clock_;

    mutable std::mutex mu_;
    std::condition_variable updated_;
    std::shared_ptr<const Cluster> cluster_;  // guarded by mu_
    std::set<std::string> topics_;            // guarded by mu_
    std::string fatalError_;                  // guarded by mu_; empty: none
    std::string connectionProblem_;           // guarded by mu_; empty: none
    bool needUpdate_ = true;                  // guarded by mu_
    bool inFlight_ = false;                   // guarded by mu_
    bool closed_ = false;                     // guarded by mu_
    std::optional<int64_t> lastRefreshMs_;    // guarded by mu_ (last attempt; none yet)
    int attempts_ = 0;                        // guarded by mu_: failures since the last update
    int64_t backoffMs_;                       // guarded by mu_: wait after the last attempt
    std::minstd_rand rng_{std::random_device{}()};  // guarded by mu_ (backoff jitter)
    int64_t lastSuccessfulRefreshMs_ = 0;           // guarded by mu_
    int64_t version_ = 0;                           // guarded by mu_
    // Stored (under mu_) after cluster_ changes, from a process-wide counter; read by any
    // thread without the lock.
    std::atomic<uint64_t> epoch_{nextEpoch()};
    static uint64_t nextEpoch();
};

}  // namespace bs::client
