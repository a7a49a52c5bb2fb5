#pragma once

// The Sender (Java: Sender): the background loop that turns accumulated batches into one
// ProduceRequest per broker node and completes batches from the responses. runOnce() is one
// iteration (Java's Sender.runOnce) so tests can step it with a MockClock and a test
// NetworkClient; run() loops it on the sender thread until close.

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "client/metadata.h"
#include "client/network_client.h"
#include "common/clock.h"
#include "producer/observation.h"
#include "producer/producer_batch.h"
#include "producer/producer_config.h"
#include "producer/producer_metrics.h"
#include "producer/record_accumulator.h"
#include "producer/request_frames.h"
#include "producer/transaction_manager.h"
#include "protocol/errors.h"

namespace bs::producer {

using client::ClientRequest;
using client::ClientResponse;
using client::Cluster;
using client::Metadata;
using client::NetworkClient;
using client::Node;
using client::TopicPartition;

// The producer keys the sender reads; defaults are the keys' (defaultProducerConfig()).
struct SenderConfig {
    int16_t acks = defaultProducerConfig().acks;
    int32_t maxRequestSize = defaultProducerConfig().maxRequestSize;
    int32_t requestTimeoutMs = defaultProducerConfig().requestTimeoutMs;
    int32_t retries = defaultProducerConfig().retries;
    int64_t retryBackoffMs = defaultProducerConfig().retryBackoffMs;
    int64_t reconnectBackoffMs = defaultProducerConfig().reconnectBackoffMs;
    // max.in.flight.requests.per.connection == 1: mute a partition while a batch is in flight.
    bool guaranteeMessageOrder = defaultProducerConfig().maxInFlightRequestsPerConnection == 1;
    int32_t maxInFlightRequestsPerConnection =
        defaultProducerConfig().maxInFlightRequestsPerConnection;
    static SenderConfig from(const ProducerConfig& config);
};

class Sender {
  public:
    // `transactionManager` is null without idempotence; `metrics` and `events` may be null.
    Sender(SenderConfig config, NetworkClient& client, Metadata& metadata,
           RecordAccumulator& accumulator, TransactionManager* transactionManager,
           ProducerMetrics* metrics, EventStream* events, const Clock& clock);

    // The sender thread's body: runOnce() until initiateClose(), then until everything sent was
    // answered (or forceClose()), then closes the client.
    void run();
    // One iteration: metadata and producer-id housekeeping, sendProducerData, client poll.
    void runOnce();

    // --- any thread
    void initiateClose();
    void forceClose();
    void wakeup();
    bool isRunning() const { return running_.load(); }
    // Pause: nothing new is drained (in-flight requests still complete). step(): while paused,
    // the next runOnce drains once; false (and nothing remembered) when not paused.
    void pause(bool paused);
    bool step();
    // The frames of requests written, for the request frame view (off until given a capacity).
    RequestFrameLog& requestFrames() { return frames_; }
    SenderState state() const { return state_.load(); }
    // runOnce iterations begun so far.
    int64_t iterations() const { return iterations_.load(std::memory_order_relaxed); }
    // Per node, the in-flight ProduceRequests (oldest first).
    std::vector<NodeSnapshot> snapshotNodes() const;

  private:
    struct PartitionResult {
        protocol::ErrorCode error = protocol::ErrorCode::NONE;
        int64_t baseOffset = -1;
        int64_t logAppendTimeMs = -1;
        int64_t logStartOffset = -1;
        std::string message;
    };

    // `step`: this drain is a Step of the paused sender.
    int64_t sendProducerData(int64_t nowMs, bool drain, bool step);
    void sendProduceRequest(int32_t node, std::vector<ProducerBatchPtr> batches, int64_t nowMs);
    // `sentNs`: Clock::nowNs() when the request was handed to the client.
    void handleProduceResponse(const ClientResponse& response,
                               const std::vector<ProducerBatchPtr>& batches, int64_t sentNs);
    void completeBatch(const ProducerBatchPtr& batch, const PartitionResult& result,
                       int32_t correlationId, int64_t nowMs);
    void completeBatchSuccess(const ProducerBatchPtr& batch, const PartitionResult& result);
    // `adjustSequenceNumbers`: the broker refused the batch for sure (Java: attempts < retries;
    // false for expired batches), see TransactionManager::handleFailedBatch.
    void failBatch(const ProducerBatchPtr& batch, const Error& error, protocol::ErrorCode code,
                   bool adjustSequenceNumbers);
    bool canRetry(const ProducerBatch& batch, const PartitionResult& result, int64_t nowMs);
    // `why` is the broker's error, carried by the BatchRetried event.
    void reenqueueBatch(const ProducerBatchPtr& batch, int64_t nowMs, protocol::ErrorCode why);
    void removeFromInflight(const ProducerBatchPtr& batch);
    void deallocate(const ProducerBatchPtr& batch);
    std::vector<ProducerBatchPtr> expiredInflightBatches(int64_t nowMs);
    // Returns the poll timeout the metadata refresh needs.
    int64_t maybeUpdateMetadata(int64_t nowMs);
    // True while producer-id work blocks producing (no id yet, epoch bump pending).
    bool maybeInitProducerId(int64_t nowMs);
    void emitEvent(EventType type, const ProducerBatch* batch, int32_t node, int32_t correlationId,
                   int16_t errorCode = 0, int64_t offset = -1);
    // ReadyVerdict per node (the accumulator's verdict, then NetworkClient.ready's) and
    // ReadyChecked; nodes the cluster names without data get NoData.
    void publishReadiness(const Cluster& cluster, const RecordAccumulator::ReadyCheckResult& r,
                          const std::set<int32_t>& readyNodes, bool step);
    // metadata_.requestUpdate(), publishing why.
    void requestMetadataUpdate(MetadataCause cause, int32_t node = -1,
                               const TopicPartition* tp = nullptr, int16_t errorCode = 0);
    // The ClientRequest hook publishing RequestWritten (and keeping the frame when asked).
    void observeWrite(ClientRequest& request);
    bool observing(EventType type) const { return events_ && events_->enabled(type); }
    // An event of this iteration, stamped now (sender thread).
    Event newEvent(EventType type) const;
    void closeSnapshotRequest(int32_t node, int32_t correlationId);
    void updateConnectedSnapshot();

    const SenderConfig config_;
    NetworkClient& client_;
    Metadata& metadata_;
    RecordAccumulator& accumulator_;
    TransactionManager* const transactionManager_;
    ProducerMetrics* const metrics_;
    EventStream* const events_;
    const Clock& clock_;

    std::atomic<bool> running_{true};
    std::atomic<bool> forceClose_{false};
    std::atomic<bool> paused_{false};
    std::atomic<int> steps_{0};  // Steps asked for while paused, not yet run
    std::atomic<SenderState> state_{SenderState::NotStarted};
    std::atomic<bool> wakeupRequested_{false};  // set by wakeup(), cleared by the sender thread
    std::atomic<bool> sleeping_{false};         // sender thread: true around client_.poll
    std::atomic<int64_t> iterations_{0};        // written by the sender thread (= iteration_)

    // Sender thread only.
    std::map<TopicPartition, std::vector<ProducerBatchPtr>> inFlightBatches_;
    int64_t clusterVersionSent_ = -1;      // metadata version last pushed to the client
    int64_t nextInitAttemptMs_ = 0;        // InitProducerId retry backoff
    int64_t iteration_ = 0;                // runOnce count
    bool metadataCausePublished_ = false;  // a MetadataRequested since the last Metadata request

    RequestFrameLog frames_;

    mutable std::mutex snapshotMu_;
    std::map<int32_t, std::vector<InFlightRequestSnapshot>> inFlightRequests_;  // snapshotMu_
    std::map<int32_t, bool> connected_;                                         // snapshotMu_
    std::map<int32_t, std::string> connectionErrors_;                           // snapshotMu_
};

}  // namespace bs::producer
