#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <shared_mutex>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "client/cluster_view.h"
#include "client/topic_partition.h"
#include "common/adaptive_mutex.h"
#include "common/clock.h"
#include "common/result.h"
#include "common/spin_lock.h"
#include "producer/buffer_pool.h"
#include "producer/builtin_partitioner.h"
#include "producer/compression_ratio_estimator.h"
#include "producer/observation.h"
#include "producer/producer_batch.h"
#include "producer/producer_config.h"

namespace bs::producer {

using client::ClusterView;
using client::kUnknownPartition;
using client::TopicPartition;

// Idempotence hooks the accumulator calls while draining (Java's TransactionManager methods that
// RecordAccumulator uses). Implemented by the sender's TransactionManager. Called with a
// partition's deque mutex held: implementations must not call back into the accumulator.
class ProducerStateProvider {
  public:
    virtual ~ProducerStateProvider() = default;
    struct ProducerIdAndEpoch {
        int64_t producerId = -1;
        int16_t epoch = -1;
        bool isValid() const { return producerId >= 0; }
    };
    virtual ProducerIdAndEpoch producerIdAndEpoch() const = 0;
    // The partition has batches in flight.
    virtual bool hasInflightBatches(const TopicPartition& tp) const = 0;
    // In-flight batches of tp carry an older producer id/epoch than the current one.
    virtual bool hasStaleProducerIdAndEpoch(const TopicPartition& tp) const = 0;
    // Earlier sequences of tp have an unknown outcome (aborted after being sent).
    virtual bool hasUnresolvedSequence(const TopicPartition& tp) const = 0;
    // Base sequence of the oldest in-flight batch of tp, -1 if none.
    virtual int32_t firstInFlightSequence(const TopicPartition& tp) const = 0;
    // Reset tp's sequence if the producer id/epoch changed since tp last sent.
    virtual void maybeUpdateProducerIdAndEpoch(const TopicPartition& tp) = 0;
    virtual int32_t sequenceNumber(const TopicPartition& tp) const = 0;
    virtual void incrementSequenceNumber(const TopicPartition& tp, int32_t increment) = 0;
    virtual void addInFlightBatch(const ProducerBatchPtr& batch) = 0;
};

// Java's RecordAccumulator: per-partition deques of ProducerBatch fed by application threads
// (append) and drained by the sender thread (ready/drain). Locks: topicsMu_ (shared) guards the
// topic/partition tables, each partition's deque has its own mutex (never held across I/O or
// buffer allocation); state marked "sender thread" is touched only by the sender.
class RecordAccumulator {
  public:
    // The producer keys it reads; defaults are the keys' (defaultProducerConfig()).
    struct Config {
        int32_t batchSize = defaultProducerConfig().batchSize;
        protocol::CompressionType compression = defaultProducerConfig().compressionType;
        int32_t compressionLevel = defaultProducerConfig().compressionLevel();
        int64_t lingerMs = defaultProducerConfig().lingerMs;
        int64_t retryBackoffMs = defaultProducerConfig().retryBackoffMs;
        int64_t retryBackoffMaxMs = defaultProducerConfig().retryBackoffMaxMs;
        // Java's CommonClientConfigs.RETRY_BACKOFF_JITTER (not a key); tests set 0 for exact
        // backoffs.
        double retryBackoffJitter = 0.2;
        int32_t deliveryTimeoutMs = defaultProducerConfig().deliveryTimeoutMs;
        bool enableAdaptivePartitioning =
            defaultProducerConfig().partitionerAdaptivePartitioningEnable;
        int64_t partitionAvailabilityTimeoutMs =
            defaultProducerConfig().partitionerAvailabilityTimeoutMs;
        static Config from(const ProducerConfig& config);
    };

    struct RecordAppendResult {
        std::optional<FutureRecordMetadata> future;  // empty when abortForNewBatch
        bool batchIsFull = false;                    // wake the sender: a batch is ready by size
        bool newBatchCreated = false;                // wake the sender: a new linger timer started
        bool abortForNewBatch = false;               // KIP-480: call onNewBatch and append again
        int32_t appendedBytes = 0;
        int32_t partition = kUnknownPartition;  // the effective partition
    };

    // Why a node is or is not ready (ready(..., explain)): the most telling partition's reason.
    struct NodeVerdict {
        ReadyReason reason = ReadyReason::NoData;
        int64_t waitedMs = -1;  // the deciding batch's wait
        int64_t delayMs = -1;   // Lingering / BackingOff: ms left
    };
    struct ReadyCheckResult {
        std::set<int32_t> readyNodes;
        int64_t nextReadyCheckDelayMs = INT64_MAX;
        std::set<std::string> unknownLeaderTopics;
        // Filled only when ready() is asked to explain: per leader node with batches, and the
        // partitions whose leader is unknown.
        std::map<int32_t, NodeVerdict> verdicts;
        std::vector<TopicPartition> unknownLeaders;
    };

    // `stateProvider` is null without idempotence; `events` may be null.
    RecordAccumulator(Config config, BufferPool& pool, const Clock& clock,
                      ProducerStateProvider* stateProvider = nullptr,
                      EventStream* events = nullptr);
    ~RecordAccumulator();
    RecordAccumulator(const RecordAccumulator&) = delete;
    RecordAccumulator& operator=(const RecordAccumulator&) = delete;

    // Appends one serialized record. partition kUnknownPartition = built-in uniform sticky
    // choice. May block up to maxTimeToBlockMs for buffer memory. `callback` is moved from only
    // when the record was appended. `wantFuture` false: the result's future is engaged but
    // invalid (the record completes through its callback only). Errors: closed, buffer exhausted
    // (names buffer.memory and max.block.ms), unknown topic when choosing a sticky partition.
    // `partitionCount`: the topic's count in `cluster` when the caller already looked it up (0:
    // look it up here).
    Result<RecordAppendResult> append(std::string_view topic, int32_t partition, int64_t timestamp,
                                      BytesView key, BytesView value,
                                      std::span<const protocol::RecordHeader> headers,
                                      Callback&& callback, int64_t maxTimeToBlockMs,
                                      bool abortOnNewBatch, int64_t nowMs,
                                      const ClusterView& cluster, int64_t sendNs = -1,
                                      PartitionChoice choice = PartitionChoice::Partitioner,
                                      bool wantFuture = true, int32_t partitionCount = 0);

    // --- sender thread
    // `explain`: also say per node why (verdicts; costs a map insert per partition).
    ReadyCheckResult ready(const ClusterView& cluster, int64_t nowMs, bool explain = false);
    // Per node, batches whose total estimated size stays within maxSize (the first batch is
    // always taken), starting at a rotating partition per node. Batches come out closed
    // (finished bytes), in state InFlight, with producer state assigned when idempotent.
    std::map<int32_t, std::vector<ProducerBatchPtr>> drain(const ClusterView& cluster,
                                                           const std::set<int32_t>& nodes,
                                                           int32_t maxSize, int64_t nowMs);
    // Puts a batch back at the front of its deque (in sequence order with idempotence).
    void reenqueue(const ProducerBatchPtr& batch, int64_t nowMs);
    // MESSAGE_TOO_LARGE: splits and re-enqueues; returns how many batches resulted.
    Result<int32_t> splitAndReenqueue(const ProducerBatchPtr& bigBatch);
    // Removes and returns batches past delivery.timeout.ms from the deque fronts (aborted for
    // appends, not completed: the caller fails them).
    std::vector<ProducerBatchPtr> expiredBatches(int64_t nowMs);
    int64_t nextExpiryTimeMs() const;
    void resetNextBatchExpiryTime();
    void maybeUpdateNextBatchExpiryTime(const ProducerBatch& batch);
    // Returns a completed batch's buffer to the pool and forgets it; the buffer waits for the
    // batch's write holds (a request still being written from it), if any.
    void deallocate(const ProducerBatchPtr& batch);
    // Ends a write hold taken with ProducerBatch::acquireWriteHold (any thread).
    void releaseWriteHold(ProducerBatch& batch);
    void mutePartition(const TopicPartition& tp);
    void unmutePartition(const TopicPartition& tp);
    bool isMuted(const TopicPartition& tp) const;
    // Java's updateNodeLatencyStats (partitioner.availability.timeout.ms).
    void updateNodeLatencyStats(int32_t nodeId, int64_t nowMs, bool canDrain);

    // --- any thread
    void beginFlush();
    bool flushInProgress() const { return flushesInProgress_.load() > 0; }
    // Waits until every batch incomplete at the call is done, then ends this flush.
    void awaitFlushCompletion();
    bool hasIncomplete() const;
    bool hasUndrained() const;
    // Closes the accumulator, waits out appends in progress, then fails every incomplete batch
    // (in deques and in flight) with `error` and deallocates it (Java's abortIncompleteBatches
    // on forced close; call it from the sender thread once it stopped sending).
    void abortIncompleteBatches(const Error& error);
    // Fails only batches still in deques (Java's abortUndrainedBatches).
    void abortUndrainedBatches(const Error& error);
    void close();
    bool isClosed() const { return closed_.load(); }
    int64_t deliveryTimeoutMs() const { return config_.deliveryTimeoutMs; }
    int64_t bufferPoolAvailableMemory() const { return pool_.availableMemory(); }
    const Config& config() const { return config_; }
    // The compression ratio new batches of `topic` assume (Java's CompressionRatioEstimator).
    float compressionRatioEstimate(std::string_view topic) {
        return ratioEstimator_.estimation(topic, config_.compression);
    }

    // --- observation
    // Per partition deques (oldest batch first), topics then partitions in order.
    std::vector<PartitionSnapshot> snapshotPartitions() const;
    BufferPoolSnapshot snapshotBufferPool() const;
    // The records of batch `batchId` while it waits in tp's deque, as a RecordBatch v2 a
    // RecordBatchReader reads (see ProducerBatch::copyForViewing); nullopt once it has left.
    std::optional<std::vector<uint8_t>> batchRecords(const TopicPartition& tp,
                                                     uint64_t batchId) const;
    // The built-in sticky state of a topic (nullptr before its first keyless record).
    std::shared_ptr<const BuiltInPartitioner::StickyPartitionInfo> stickyPartitionInfo(
        std::string_view topic) const;
    // Visible for tests: the built-in partitioner of a topic (created on demand).
    BuiltInPartitioner& builtInPartitioner(std::string_view topic);
    // Number of batches currently queued for tp.
    size_t queuedBatches(const TopicPartition& tp) const;

  private:
    void returnBuffer(ProducerBatch& batch);
    struct PartitionQueue {
        explicit PartitionQueue(TopicPartition t) : tp(std::move(t)) {}
        const TopicPartition tp;
        // Not a SpinLock: the sender's ready/drain/expiry passes take every deque's lock each
        // iteration, and with acks=0 it spun and yielded against the appending thread.
        mutable AdaptiveMutex mu;
        std::deque<ProducerBatchPtr> batches;  // guarded by mu
    };
    struct TopicInfo {
        TopicInfo(std::string name, int32_t batchSize, uint32_t eventTopicId)
            : topic(name), builtIn(std::move(name), batchSize), topicId(eventTopicId) {}
        const std::string topic;
        BuiltInPartitioner builtIn;
        const uint32_t topicId;
        // Indexed by partition id; grows under topicsMu_ (unique), entries never removed.
        std::vector<std::unique_ptr<PartitionQueue>> partitions;
        // append()'s lock-free view of `partitions`: an immutable copy, replaced (never freed
        // while the accumulator lives, so a reader's pointer stays valid) when a queue is added.
        std::atomic<const std::vector<PartitionQueue*>*> table{nullptr};
        std::vector<std::unique_ptr<const std::vector<PartitionQueue*>>> tables;  // topicsMu_
    };
    struct NodeLatencyStats {
        int64_t readyTimeMs = 0;
        int64_t drainTimeMs = 0;
    };

    TopicInfo& topicInfo(std::string_view topic);  // per-thread cache, then topicInfoLocked
    TopicInfo& topicInfoLocked(std::string_view topic);
    PartitionQueue& queueFor(TopicInfo& info, int32_t partition);
    PartitionQueue* findQueue(const TopicPartition& tp) const;
    std::vector<TopicInfo*> topicsSnapshot() const;
    std::vector<PartitionQueue*> queuesOf(TopicInfo& info) const;

    std::optional<RecordAppendResult> tryAppend(PartitionQueue& q, uint32_t topicId,
                                                int64_t timestamp, BytesView key, BytesView value,
                                                std::span<const protocol::RecordHeader> headers,
                                                Callback& callback, int64_t nowMs, int64_t sendNs,
                                                bool wantFuture);
    RecordAppendResult appendNewBatch(TopicInfo& info, PartitionQueue& q, int64_t timestamp,
                                      BytesView key, BytesView value,
                                      std::span<const protocol::RecordHeader> headers,
                                      Callback& callback, ByteBuffer& buffer, int64_t nowMs,
                                      int64_t sendNs, bool wantFuture);
    bool partitionChanged(TopicInfo& info, const BuiltInPartitioner::InfoPtr& partitionInfo,
                          PartitionQueue& q, const ClusterView& cluster);
    static bool allBatchesFull(const PartitionQueue& q);
    int64_t retryBackoff(int32_t attempts) const;
    bool shouldBackoff(bool hasLeaderChanged, const ProducerBatch& batch,
                       int64_t waitedTimeMs) const;
    bool shouldStopDrainBatchesForPartition(const ProducerBatch& first,
                                            const TopicPartition& tp) const;
    std::vector<ProducerBatchPtr> drainBatchesForOneNode(const ClusterView& cluster, int32_t node,
                                                         int32_t maxSize, int64_t nowMs);
    void insertInSequenceOrder(std::deque<ProducerBatchPtr>& dq, const ProducerBatchPtr& batch);
    void addIncomplete(const ProducerBatchPtr& batch);
    // `nodeId` for BatchDrained; events of the sender thread carry the runOnce iteration.
    void publish(EventType type, const ProducerBatch& batch, uint32_t topicId, int32_t nodeId = -1);
    // RecordAppended for the last batch of q (call with q.mu held).
    void publishAppend(const TopicInfo& info, const PartitionQueue& q, int32_t appendedBytes,
                       int64_t sendNs, BytesView key, BytesView value, PartitionChoice choice);
    // PartitionSwitched (KIP-794): the sticky partition `from` took `produced` bytes.
    void publishStickySwitch(const TopicInfo& info, int32_t from, int32_t to, int64_t produced);
    // Counts the appended bytes against the sticky partition; publishes a switch if it made one.
    void updateSticky(TopicInfo& info, const BuiltInPartitioner::InfoPtr& partitionInfo,
                      int32_t appendedBytes, const ClusterView& cluster, bool enableSwitch);

    const Config config_;
    // Unique per accumulator ever made: keys append()'s per-thread topic cache.
    const uint64_t instanceId_;
    BufferPool& pool_;
    const Clock& clock_;
    ProducerStateProvider* const stateProvider_;
    EventStream* const events_;
    CompressionRatioEstimator ratioEstimator_;  // thread-safe

    std::atomic<bool> closed_{false};
    std::atomic<int32_t> flushesInProgress_{0};

    mutable std::shared_mutex topicsMu_;
    std::map<std::string, std::unique_ptr<TopicInfo>, std::less<>> topics_;  // guarded by topicsMu_

    mutable std::mutex incompleteMu_;
    std::condition_variable incompleteCv_;
    std::unordered_set<ProducerBatchPtr> incomplete_;  // guarded by incompleteMu_

    // Thunk storage of completed batches, reused by new ones (a batch's callbacks would
    // otherwise cost a large allocation per batch on the appending thread, freed on the sender).
    static constexpr size_t kPooledThunks = 16;
    SpinLock thunkPoolMu_;
    std::vector<ProducerBatch::Thunks> thunkPool_;  // guarded by thunkPoolMu_

    mutable std::mutex mutedMu_;  // ready/drain run on the sender; snapshot() reads from the GUI
    std::set<TopicPartition> muted_;                 // guarded by mutedMu_
    std::map<int32_t, size_t> nodesDrainIndex_;      // sender thread
    std::map<int32_t, NodeLatencyStats> nodeStats_;  // sender thread
    std::atomic<int64_t> nextBatchExpiryTimeMs_{INT64_MAX};
};

}  // namespace bs::producer
