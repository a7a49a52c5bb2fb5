#include "producer/record_accumulator.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>
#include <random>

#include "producer/producer_config.h"
#include "protocol/record/record_batch.h"

namespace bs::producer {

namespace {

uint64_t nextInstanceId() {
    static std::atomic<uint64_t> next{1};
    return next.fetch_add(1, std::memory_order_relaxed);
}

// The TopicInfo this thread appended to last, per accumulator (by instance id, never reused):
// append() skips the topic table's shared lock and map lookup while the topic stays the same.
// TopicInfo entries live as long as their accumulator, which outlives its appends.
struct TopicCache {
    uint64_t instanceId = 0;
    std::string topic;
    void* info = nullptr;
};
TopicCache& topicCache() {
    thread_local TopicCache c;  // owned by the calling thread
    return c;
}

double jitterFactor(double jitter) {
    thread_local std::mt19937 rng{std::random_device{}()};
    std::uniform_real_distribution<double> d(1.0 - jitter, 1.0 + jitter);
    return d(rng);
}

Error closedError() {
    return Error{"producer closed while send in progress"};
}

}  // namespace

RecordAccumulator::Config RecordAccumulator::Config::from(const ProducerConfig& c) {
    Config out;
    out.batchSize = c.batchSize;
    out.compression = c.compressionType;
    out.compressionLevel = c.compressionLevel();
    out.lingerMs = c.lingerMs;
    out.retryBackoffMs = c.retryBackoffMs;
    out.retryBackoffMaxMs = c.retryBackoffMaxMs;
    out.deliveryTimeoutMs = c.deliveryTimeoutMs;
    out.enableAdaptivePartitioning = c.partitionerAdaptivePartitioningEnable;
    out.partitionAvailabilityTimeoutMs = c.partitionerAvailabilityTimeoutMs;
    return out;
}

RecordAccumulator::RecordAccumulator(Config config, BufferPool& pool, const Clock& clock,
                                     ProducerStateProvider* stateProvider, EventStream* events)
    : config_(config),
      instanceId_(nextInstanceId()),
      pool_(pool),
      clock_(clock),
      stateProvider_(stateProvider),
      events_(events) {}

RecordAccumulator::~RecordAccumulator() = default;

// ------------------------------------------------------------------ tables

RecordAccumulator::TopicInfo& RecordAccumulator::topicInfo(std::string_view topic) {
    TopicCache& cache = topicCache();
    if (cache.instanceId == instanceId_ && cache.topic == topic)
        return *static_cast<TopicInfo*>(cache.info);
    TopicInfo& info = topicInfoLocked(topic);
    cache.instanceId = instanceId_;
    cache.topic.assign(topic);
    cache.info = &info;
    return info;
}

RecordAccumulator::TopicInfo& RecordAccumulator::topicInfoLocked(std::string_view topic) {
    {
        std::shared_lock lock(topicsMu_);
        auto it = topics_.find(topic);
        if (it != topics_.end()) return *it->second;
    }
    const uint32_t id = events_ ? events_->topicId(topic) : kNoTopic;
    std::unique_lock lock(topicsMu_);
    auto it = topics_.find(topic);
    if (it == topics_.end())
        it = topics_
                 .emplace(std::string(topic),
                          std::make_unique<TopicInfo>(std::string(topic), config_.batchSize, id))
                 .first;
    return *it->second;
}

RecordAccumulator::PartitionQueue& RecordAccumulator::queueFor(TopicInfo& info, int32_t partition) {
    const auto p = static_cast<size_t>(partition);
    // Acquire pairs with the release below: the table and the queues it names are complete.
    if (const auto* table = info.table.load(std::memory_order_acquire);
        table && p < table->size() && (*table)[p])
        return *(*table)[p];
    std::unique_lock lock(topicsMu_);
    if (p >= info.partitions.size()) info.partitions.resize(p + 1);
    if (!info.partitions[p]) {
        info.partitions[p] =
            std::make_unique<PartitionQueue>(TopicPartition{info.topic, partition});
        auto table = std::make_unique<std::vector<PartitionQueue*>>();
        table->reserve(info.partitions.size());
        for (const auto& q : info.partitions)
            table->push_back(q.get());
        info.table.store(table.get(), std::memory_order_release);
        info.tables.push_back(std::move(table));
    }
    return *info.partitions[p];
}

RecordAccumulator::PartitionQueue* RecordAccumulator::findQueue(const TopicPartition& tp) const {
    std::shared_lock lock(topicsMu_);
    auto it = topics_.find(tp.topic);
    if (it == topics_.end() || tp.partition < 0) return nullptr;
    const auto& parts = it->second->partitions;
    const auto p = static_cast<size_t>(tp.partition);
    return p < parts.size() ? parts[p].get() : nullptr;
}

std::vector<RecordAccumulator::TopicInfo*> RecordAccumulator::topicsSnapshot() const {
    std::shared_lock lock(topicsMu_);
    std::vector<TopicInfo*> out;
    out.reserve(topics_.size());
    for (const auto& [name, info] : topics_)
        out.push_back(info.get());
    return out;
}

std::vector<RecordAccumulator::PartitionQueue*> RecordAccumulator::queuesOf(TopicInfo& info) const {
    std::shared_lock lock(topicsMu_);
    std::vector<PartitionQueue*> out;
    out.reserve(info.partitions.size());
    for (const auto& q : info.partitions)
        if (q) out.push_back(q.get());
    return out;
}

void RecordAccumulator::publish(EventType type, const ProducerBatch& batch, uint32_t topicId,
                                int32_t nodeId) {
    if (!events_ || !events_->enabled(type)) return;
    Event e;
    e.timeNs = clock_.nowNs();
    e.type = type;
    e.topicId = topicId;
    e.nodeId = nodeId;
    // Only these come from the sender thread (the others from send()).
    if (type == EventType::BatchClosed || type == EventType::BatchDrained)
        e.iteration = events_->iteration();
    e.partition = batch.topicPartition().partition;
    e.batchId = batch.batchId();
    e.recordCount = batch.recordCount();
    e.attempts = batch.attempts();
    // A new batch is its buffer (batch.size, or one big record); later, the bytes written.
    e.bytes = type == EventType::BatchCreated ? static_cast<int64_t>(batch.initialCapacity())
                                              : batch.estimatedSizeInBytes();
    events_->publish(e);
}

// ------------------------------------------------------------------ append (application threads)

void RecordAccumulator::publishAppend(const TopicInfo& info, const PartitionQueue& q,
                                      int32_t appendedBytes, int64_t sendNs, BytesView key,
                                      BytesView value, PartitionChoice choice) {
    if (!events_ || !events_->enabled(EventType::RecordAppended)) return;
    Event e;
    e.timeNs = sendNs >= 0 ? sendNs : clock_.nowNs();  // send()'s reading spares one per record
    e.type = EventType::RecordAppended;
    e.topicId = info.topicId;
    e.partition = q.tp.partition;
    e.batchId = q.batches.back()->batchId();
    e.recordCount = q.batches.back()->recordCount();
    e.bytes = appendedBytes;
    e.keyBytes = key ? static_cast<int32_t>(key->size()) : -1;
    e.valueBytes = value ? static_cast<int32_t>(value->size()) : -1;
    e.reason = static_cast<uint8_t>(choice);
    events_->publish(e);
}

void RecordAccumulator::publishStickySwitch(const TopicInfo& info, int32_t from, int32_t to,
                                            int64_t produced) {
    if (!events_ || !events_->enabled(EventType::PartitionSwitched)) return;
    Event e;
    e.timeNs = clock_.nowNs();
    e.type = EventType::PartitionSwitched;
    e.reason = static_cast<uint8_t>(SwitchCause::StickyBytes);
    e.topicId = info.topicId;
    e.fromPartition = from;
    e.partition = to;
    e.bytes = produced;
    events_->publish(e);
}

void RecordAccumulator::updateSticky(TopicInfo& info,
                                     const BuiltInPartitioner::InfoPtr& partitionInfo,
                                     int32_t appendedBytes, const ClusterView& cluster,
                                     bool enableSwitch) {
    if (!partitionInfo) return;
    const int32_t to =
        info.builtIn.updatePartitionInfo(partitionInfo, appendedBytes, cluster, enableSwitch);
    if (to >= 0)
        publishStickySwitch(info, partitionInfo->partition, to,
                            partitionInfo->producedBytes.load(std::memory_order_relaxed));
}

bool RecordAccumulator::allBatchesFull(const PartitionQueue& q) {
    return q.batches.empty() || q.batches.back()->isFull();
}

bool RecordAccumulator::partitionChanged(TopicInfo& info,
                                         const BuiltInPartitioner::InfoPtr& partitionInfo,
                                         PartitionQueue& q, const ClusterView& cluster) {
    if (info.builtIn.isPartitionChanged(partitionInfo)) return true;
    // A switch deferred while the last batch was incomplete can happen now that it is full.
    if (partitionInfo && allBatchesFull(q)) {
        updateSticky(info, partitionInfo, 0, cluster, true);
        if (info.builtIn.isPartitionChanged(partitionInfo)) return true;
    }
    return false;
}

std::optional<RecordAccumulator::RecordAppendResult> RecordAccumulator::tryAppend(
    PartitionQueue& q, uint32_t topicId, int64_t timestamp, BytesView key, BytesView value,
    std::span<const protocol::RecordHeader> headers, Callback& callback, int64_t nowMs,
    int64_t sendNs, bool wantFuture) {
    if (q.batches.empty()) return std::nullopt;
    ProducerBatch& last = *q.batches.back();
    const int32_t before = last.estimatedSizeInBytes();
    auto future = last.tryAppend(timestamp, key, value, headers, std::move(callback), nowMs, sendNs,
                                 wantFuture);
    if (!future) {
        if (!last.isClosedForRecordAppends()) {
            last.closeForRecordAppends();
            publish(EventType::BatchFull, last, topicId);
        }
        return std::nullopt;
    }
    RecordAppendResult r;
    r.future = std::move(future);
    r.batchIsFull = q.batches.size() > 1 || last.isFull();
    r.appendedBytes = last.estimatedSizeInBytes() - before;
    return r;
}

RecordAccumulator::RecordAppendResult RecordAccumulator::appendNewBatch(
    TopicInfo& info, PartitionQueue& q, int64_t timestamp, BytesView key, BytesView value,
    std::span<const protocol::RecordHeader> headers, Callback& callback, ByteBuffer& buffer,
    int64_t nowMs, int64_t sendNs, bool wantFuture) {
    // Another thread may have created a batch while we allocated: use it, keep our buffer free.
    if (auto r = tryAppend(q, info.topicId, timestamp, key, value, headers, callback, nowMs, sendNs,
                           wantFuture))
        return *r;
    auto batch = std::make_shared<ProducerBatch>(q.tp, std::move(buffer), config_.compression,
                                                 config_.compressionLevel, nowMs, false, &clock_);
    if (config_.compression != protocol::CompressionType::None)
        batch->setEstimatedCompressionRatio(
            ratioEstimator_.estimation(q.tp.topic, config_.compression));
    {
        std::lock_guard lock(thunkPoolMu_);
        if (!thunkPool_.empty()) {
            batch->adoptThunks(std::move(thunkPool_.back()));
            thunkPool_.pop_back();
        }
    }
    RecordAppendResult r;
    r.future = batch->tryAppend(timestamp, key, value, headers, std::move(callback), nowMs, sendNs,
                                wantFuture);
    if (!r.future) {
        // Cannot happen with an upper-bound sized buffer; never queue an empty batch.
        buffer = batch->releaseBuffer();
        return r;
    }
    q.batches.push_back(batch);
    addIncomplete(batch);
    r.batchIsFull = q.batches.size() > 1 || batch->isFull();
    r.newBatchCreated = true;
    r.appendedBytes = batch->estimatedSizeInBytes();
    publish(EventType::BatchCreated, *batch, info.topicId);
    return r;
}

Result<RecordAccumulator::RecordAppendResult> RecordAccumulator::append(
    std::string_view topic, int32_t partition, int64_t timestamp, BytesView key, BytesView value,
    std::span<const protocol::RecordHeader> headers, Callback&& callback, int64_t maxTimeToBlockMs,
    bool abortOnNewBatch, int64_t nowMs, const ClusterView& cluster, int64_t sendNs,
    PartitionChoice choice, bool wantFuture, int32_t partitionCount) {
    if (closed_.load()) return closedError();
    if (partitionCount <= 0) partitionCount = cluster.partitionCountForTopic(topic);
    if (partitionCount <= 0)
        return Error{"topic '" + std::string(topic) + "' is not in the cluster metadata"};
    if (partition != kUnknownPartition && (partition < 0 || partition >= partitionCount))
        return Error{"partition " + std::to_string(partition) + " of topic '" + std::string(topic) +
                     "' does not exist (the topic has " + std::to_string(partitionCount) +
                     " partitions)"};

    TopicInfo& info = topicInfo(topic);
    ByteBuffer buffer;
    struct BufferReturn {  // an allocated buffer not used by a new batch goes back to the pool
        BufferPool& pool;
        ByteBuffer& buffer;
        ~BufferReturn() {
            if (buffer) pool.deallocate(std::move(buffer));
        }
    } bufferReturn{pool_, buffer};

    for (;;) {
        // Peek the sticky partition before taking the deque lock; re-validated under it. (The
        // per-thread cached peek switched partitions about half as often as it should: keyless
        // lesson steps put 73 of 80 records in one partition. Back to the locked peek.)
        BuiltInPartitioner::InfoPtr partitionInfo;
        if (partition == kUnknownPartition)
            partitionInfo = info.builtIn.peekCurrentPartitionInfo(cluster);
        const int32_t effective = partitionInfo ? partitionInfo->partition : partition;
        PartitionQueue& q = queueFor(info, effective);
        {
            std::lock_guard lock(q.mu);
            if (closed_.load()) return closedError();
            if (partitionChanged(info, partitionInfo, q, cluster)) continue;
            if (auto r = tryAppend(q, info.topicId, timestamp, key, value, headers, callback, nowMs,
                                   sendNs, wantFuture)) {
                r->partition = effective;
                publishAppend(info, q, r->appendedBytes, sendNs, key, value, choice);
                updateSticky(info, partitionInfo, r->appendedBytes, cluster, allBatchesFull(q));
                return std::move(*r);
            }
        }
        if (abortOnNewBatch) {
            RecordAppendResult r;
            r.abortForNewBatch = true;
            r.partition = effective;
            return r;
        }
        if (!buffer) {
            const size_t size = std::max<size_t>(
                static_cast<size_t>(std::max(config_.batchSize, 1)),
                protocol::RecordBatchBuilder::estimateBatchSize(key, value, headers));
            // May block for memory: no lock held here.
            auto allocated = pool_.allocate(size, maxTimeToBlockMs);
            if (!allocated) return allocated.error();
            buffer = std::move(*allocated);
            nowMs = clock_.nowMs();
        }
        {
            std::lock_guard lock(q.mu);
            if (closed_.load()) return closedError();
            if (partitionChanged(info, partitionInfo, q, cluster)) continue;
            RecordAppendResult r = appendNewBatch(info, q, timestamp, key, value, headers, callback,
                                                  buffer, nowMs, sendNs, wantFuture);
            r.partition = effective;
            if (!r.future) {
                updateSticky(info, partitionInfo, r.appendedBytes, cluster, allBatchesFull(q));
                return Error{"record does not fit a new batch for " + q.tp.toString()};
            }
            publishAppend(info, q, r.appendedBytes, sendNs, key, value, choice);
            updateSticky(info, partitionInfo, r.appendedBytes, cluster, allBatchesFull(q));
            return r;
        }
    }
}

// ------------------------------------------------------------------ ready / drain (sender thread)

int64_t RecordAccumulator::retryBackoff(int32_t attempts) const {
    // Java's ExponentialBackoff(retry.backoff.ms, 2, retry.backoff.max.ms, jitter): a static
    // backoff when the max is not above the initial value.
    const int64_t maxInterval = config_.retryBackoffMaxMs;
    const int64_t initial = std::min(maxInterval, config_.retryBackoffMs);
    const double expMax = maxInterval > initial
                              ? std::log(static_cast<double>(maxInterval) /
                                         static_cast<double>(std::max<int64_t>(initial, 1))) /
                                    std::log(2.0)
                              : 0.0;
    if (expMax == 0.0) return initial;
    const double exp = std::min(static_cast<double>(std::max(attempts, 0)), expMax);
    const double term = static_cast<double>(initial) * std::pow(2.0, exp);
    const double factor =
        config_.retryBackoffJitter < 1e-12 ? 1.0 : jitterFactor(config_.retryBackoffJitter);
    return std::min(static_cast<int64_t>(factor * term), maxInterval);
}

bool RecordAccumulator::shouldBackoff(bool hasLeaderChanged, const ProducerBatch& batch,
                                      int64_t waitedTimeMs) const {
    const bool shouldWaitMore =
        batch.attempts() > 0 && waitedTimeMs < retryBackoff(batch.attempts() - 1);
    return !hasLeaderChanged && shouldWaitMore;
}

namespace {

// Ready reasons outrank each other in the order of the enum; not-ready ones by the shortest wait.
void noteVerdict(RecordAccumulator::NodeVerdict& v, ReadyReason reason, int64_t waited,
                 int64_t delay) {
    const bool ready = isReadyReason(reason);
    const bool wasReady = isReadyReason(v.reason);
    bool better;
    if (v.reason == ReadyReason::NoData)
        better = true;
    else if (ready != wasReady)
        better = ready;
    else if (ready)
        better = reason < v.reason;
    else
        better = v.reason == ReadyReason::Muted || (delay >= 0 && delay < v.delayMs);
    if (better) v = {reason, waited, delay};
}

}  // namespace

RecordAccumulator::ReadyCheckResult RecordAccumulator::ready(const ClusterView& cluster,
                                                             int64_t nowMs, bool explain) {
    ReadyCheckResult result;
    const bool exhausted = pool_.queued() > 0;
    const bool flushing = flushInProgress();
    const bool closed = closed_.load();
    for (TopicInfo* info : topicsSnapshot()) {
        const auto queues = queuesOf(*info);
        // Adaptive partitioning only once every partition of the topic had a batch, so the
        // table knows them all (as Java).
        std::vector<int32_t> queueSizes, partitionIds;
        if (config_.enableAdaptivePartitioning &&
            static_cast<int32_t>(queues.size()) >= cluster.partitionCountForTopic(info->topic)) {
            queueSizes.assign(queues.size(), 0);
            partitionIds.assign(queues.size(), 0);
        }
        int32_t index = -1;
        for (PartitionQueue* q : queues) {
            const auto leader = cluster.leaderFor(q->tp);
            if (leader && !queueSizes.empty()) {
                ++index;
                partitionIds[static_cast<size_t>(index)] = q->tp.partition;
            }
            int64_t waited;
            bool backingOff, full;
            int32_t attempts;
            size_t dequeSize;
            {
                std::lock_guard lock(q->mu);
                if (q->batches.empty()) continue;
                ProducerBatch& first = *q->batches.front();
                waited = first.waitedTimeMs(nowMs);
                first.maybeUpdateLeaderEpoch(cluster.leaderEpochFor(q->tp));
                backingOff =
                    shouldBackoff(first.hasLeaderChangedForTheOngoingRetry(), first, waited);
                attempts = first.attempts();
                dequeSize = q->batches.size();
                full = dequeSize > 1 || first.isFull();
            }
            if (!leader) {
                result.unknownLeaderTopics.insert(q->tp.topic);
                if (explain) result.unknownLeaders.push_back(q->tp);
                continue;
            }
            if (!queueSizes.empty())
                queueSizes[static_cast<size_t>(index)] = static_cast<int32_t>(dequeSize);
            if (config_.partitionAvailabilityTimeoutMs > 0) {
                // Leave out partitions whose leader has had data but could not take it for long.
                auto it = nodeStats_.find(*leader);
                if (it != nodeStats_.end() && it->second.readyTimeMs - it->second.drainTimeMs >
                                                  config_.partitionAvailabilityTimeoutMs)
                    --index;
            }
            // Java skips partitions of nodes already ready; explaining only looks at them.
            const bool alreadyReady = result.readyNodes.contains(*leader);
            if (alreadyReady && !explain) continue;
            if (isMuted(q->tp)) {
                if (explain && !alreadyReady)
                    noteVerdict(result.verdicts[*leader], ReadyReason::Muted, waited, -1);
                continue;
            }
            const int64_t timeToWait =
                backingOff ? retryBackoff(attempts > 0 ? attempts - 1 : 0) : config_.lingerMs;
            const bool expired = waited >= timeToWait;
            const bool sendable = full || expired || exhausted || closed || flushing;
            if (alreadyReady) {
                // explaining: the verdict below, no effect on the result
            } else if (sendable && !backingOff) {
                result.readyNodes.insert(*leader);
            } else {
                result.nextReadyCheckDelayMs = std::min(result.nextReadyCheckDelayMs,
                                                        std::max<int64_t>(timeToWait - waited, 0));
            }
            if (explain) {
                ReadyReason why = backingOff  ? ReadyReason::BackingOff
                                  : full      ? ReadyReason::BatchFull
                                  : expired   ? ReadyReason::LingerExpired
                                  : exhausted ? ReadyReason::Exhausted
                                  : closed    ? ReadyReason::Closing
                                  : flushing  ? ReadyReason::Flushing
                                              : ReadyReason::Lingering;
                noteVerdict(result.verdicts[*leader], why, waited,
                            isReadyReason(why) ? -1 : std::max<int64_t>(timeToWait - waited, 0));
            }
        }
        if (queueSizes.empty())
            info->builtIn.updatePartitionLoadStats({}, {}, 0);
        else
            info->builtIn.updatePartitionLoadStats(std::move(queueSizes), std::move(partitionIds),
                                                   index + 1);
    }
    return result;
}

bool RecordAccumulator::shouldStopDrainBatchesForPartition(const ProducerBatch& first,
                                                           const TopicPartition& tp) const {
    if (!stateProvider_) return false;
    if (!stateProvider_->producerIdAndEpoch().isValid()) return true;  // no producer id yet
    if (!first.hasSequence()) {
        // New batches wait while older ones of another epoch, or of unknown outcome, are out.
        if (stateProvider_->hasInflightBatches(tp) &&
            stateProvider_->hasStaleProducerIdAndEpoch(tp))
            return true;
        if (stateProvider_->hasUnresolvedSequence(tp)) return true;
    }
    // A retried batch goes only when it is the oldest in flight: one in flight while retrying.
    const int32_t firstInFlight = stateProvider_->firstInFlightSequence(tp);
    return firstInFlight != -1 && first.hasSequence() && first.baseSequence() != firstInFlight;
}

std::vector<ProducerBatchPtr> RecordAccumulator::drainBatchesForOneNode(const ClusterView& cluster,
                                                                        int32_t node,
                                                                        int32_t maxSize,
                                                                        int64_t nowMs) {
    std::vector<ProducerBatchPtr> ready;
    const auto parts = cluster.partitionsForNode(node);
    if (parts.empty()) return ready;
    int64_t size = 0;
    // Each node keeps its own rotating start so no partition starves behind the others.
    size_t& drainIndexRef = nodesDrainIndex_[node];
    size_t drainIndex = drainIndexRef % parts.size();
    const size_t start = drainIndex;
    int32_t records = 0;
    do {
        const TopicPartition& tp = parts[drainIndex];
        drainIndexRef = drainIndex;
        drainIndex = (drainIndex + 1) % parts.size();
        if (isMuted(tp)) continue;
        PartitionQueue* q = findQueue(tp);
        if (!q) continue;
        const auto leaderEpoch = cluster.leaderEpochFor(tp);
        ProducerBatchPtr batch;
        {
            std::lock_guard lock(q->mu);
            if (q->batches.empty()) continue;
            ProducerBatch& first = *q->batches.front();
            first.maybeUpdateLeaderEpoch(leaderEpoch);
            if (shouldBackoff(first.hasLeaderChangedForTheOngoingRetry(), first,
                              first.waitedTimeMs(nowMs)))
                continue;
            // The first batch always goes, even when larger than maxSize (compression can make
            // a batch exceed it); later ones only while the request stays under maxSize.
            if (size + first.estimatedSizeInBytes() > maxSize && !ready.empty()) break;
            if (shouldStopDrainBatchesForPartition(first, tp)) break;
            batch = q->batches.front();
            q->batches.pop_front();
            if (stateProvider_ && !batch->hasSequence()) {
                const auto pid = stateProvider_->producerIdAndEpoch();
                stateProvider_->maybeUpdateProducerIdAndEpoch(tp);
                batch->setProducerState(pid.producerId, pid.epoch,
                                        stateProvider_->sequenceNumber(tp));
                stateProvider_->incrementSequenceNumber(tp, batch->recordCount());
                stateProvider_->addInFlightBatch(batch);
            }
        }
        // Closing (compression, CRC) is the expensive part: outside the lock.
        if (auto st = batch->close(); !st) {
            spdlog::error("{}", st.message());
            batch->completeExceptionally(Error{st.message()});
            deallocate(batch);
            continue;
        }
        // Java's ProducerBatch.close: the estimate learns from every closed batch.
        if (config_.compression != protocol::CompressionType::None)
            ratioEstimator_.updateEstimation(tp.topic, config_.compression,
                                             batch->observedCompressionRatio());
        const uint32_t topicId =
            events_ && events_->enabled() ? events_->topicId(tp.topic) : kNoTopic;
        publish(EventType::BatchClosed, *batch, topicId);
        size += static_cast<int64_t>(batch->records().size());
        records += batch->recordCount();
        batch->drained(nowMs);
        publish(EventType::BatchDrained, *batch, topicId, node);
        ready.push_back(std::move(batch));
    } while (start != drainIndex);
    if (events_ && events_->enabled(EventType::NodeDrained)) {
        Event e;
        e.timeNs = clock_.nowNs();
        e.type = EventType::NodeDrained;
        e.nodeId = node;
        e.iteration = events_->iteration();
        e.drainIndex = static_cast<int32_t>(start);
        e.nextDrainIndex = static_cast<int32_t>(drainIndexRef);
        e.partitionCount = static_cast<int32_t>(parts.size());
        e.batchCount = static_cast<int32_t>(ready.size());
        e.recordCount = records;
        e.bytes = size;
        events_->publish(e);
    }
    return ready;
}

std::map<int32_t, std::vector<ProducerBatchPtr>> RecordAccumulator::drain(
    const ClusterView& cluster, const std::set<int32_t>& nodes, int32_t maxSize, int64_t nowMs) {
    std::map<int32_t, std::vector<ProducerBatchPtr>> out;
    for (int32_t node : nodes)
        out[node] = drainBatchesForOneNode(cluster, node, maxSize, nowMs);
    return out;
}

// ------------------------------------------------------------------ retries, expiry

void RecordAccumulator::insertInSequenceOrder(std::deque<ProducerBatchPtr>& dq,
                                              const ProducerBatchPtr& batch) {
    if (!batch->hasSequence()) {
        spdlog::error("re-enqueueing batch {} for {} without a sequence although idempotence is on",
                      batch->batchId(), batch->topicPartition().toString());
        dq.push_front(batch);
        return;
    }
    // Batches already carrying lower sequences stay in front of it.
    auto pos = dq.begin();
    while (pos != dq.end() && (*pos)->hasSequence() &&
           (*pos)->baseSequence() < batch->baseSequence())
        ++pos;
    dq.insert(pos, batch);
}

void RecordAccumulator::reenqueue(const ProducerBatchPtr& batch, int64_t nowMs) {
    batch->reenqueued(nowMs);
    TopicInfo& info = topicInfo(batch->topicPartition().topic);
    PartitionQueue& q = queueFor(info, batch->topicPartition().partition);
    {
        std::lock_guard lock(q.mu);
        if (stateProvider_)
            insertInSequenceOrder(q.batches, batch);
        else
            q.batches.push_front(batch);
    }
    // BatchRetried is published by the Sender, which knows the broker's error: publishing it
    // here too counted every retry twice.
}

Result<int32_t> RecordAccumulator::splitAndReenqueue(const ProducerBatchPtr& bigBatch) {
    auto split = bigBatch->split(config_.batchSize);
    if (!split) return split.error();
    auto& batches = *split;
    TopicInfo& info = topicInfo(bigBatch->topicPartition().topic);
    PartitionQueue& q = queueFor(info, bigBatch->topicPartition().partition);
    // Newest first, each to the front: the deque ends up in record order.
    for (auto it = batches.rbegin(); it != batches.rend(); ++it) {
        addIncomplete(*it);
        std::lock_guard lock(q.mu);
        if (stateProvider_) {
            stateProvider_->addInFlightBatch(*it);
            insertInSequenceOrder(q.batches, *it);
        } else {
            q.batches.push_front(*it);
        }
    }
    return static_cast<int32_t>(batches.size());
}

std::vector<ProducerBatchPtr> RecordAccumulator::expiredBatches(int64_t nowMs) {
    std::vector<ProducerBatchPtr> expired;
    for (TopicInfo* info : topicsSnapshot()) {
        for (PartitionQueue* q : queuesOf(*info)) {
            std::lock_guard lock(q->mu);
            while (!q->batches.empty()) {
                ProducerBatchPtr& first = q->batches.front();
                if (!first->hasReachedDeliveryTimeout(config_.deliveryTimeoutMs, nowMs)) {
                    maybeUpdateNextBatchExpiryTime(*first);
                    break;
                }
                first->abortRecordAppends();
                expired.push_back(std::move(first));
                q->batches.pop_front();
            }
        }
    }
    return expired;
}

int64_t RecordAccumulator::nextExpiryTimeMs() const {
    return nextBatchExpiryTimeMs_.load();
}

void RecordAccumulator::resetNextBatchExpiryTime() {
    nextBatchExpiryTimeMs_.store(INT64_MAX);
}

void RecordAccumulator::maybeUpdateNextBatchExpiryTime(const ProducerBatch& batch) {
    const int64_t at = batch.createdMs() + config_.deliveryTimeoutMs;
    if (at <= 0) return;  // overflow guard, as Java
    int64_t cur = nextBatchExpiryTimeMs_.load();
    while (at < cur && !nextBatchExpiryTimeMs_.compare_exchange_weak(cur, at)) {
    }
}

void RecordAccumulator::addIncomplete(const ProducerBatchPtr& batch) {
    std::lock_guard lock(incompleteMu_);
    incomplete_.insert(batch);
}

void RecordAccumulator::deallocate(const ProducerBatchPtr& batch) {
    {
        std::lock_guard lock(incompleteMu_);
        incomplete_.erase(batch);
    }
    incompleteCv_.notify_all();
    if (auto thunks = batch->takeThunks()) {
        std::lock_guard lock(thunkPoolMu_);
        if (thunkPool_.size() < kPooledThunks) thunkPool_.push_back(std::move(*thunks));
    }
    // Split batches live outside the pool (as Java); a second deallocate finds no buffer.
    if (batch->isSplitBatch()) return;
    // A request still being written from the buffer returns it when its hold goes.
    if (batch->releaseForDeallocation()) returnBuffer(*batch);
}

void RecordAccumulator::releaseWriteHold(ProducerBatch& batch) {
    if (batch.releaseWriteHold() && !batch.isSplitBatch()) returnBuffer(batch);
}

void RecordAccumulator::returnBuffer(ProducerBatch& batch) {
    ByteBuffer buffer = batch.releaseBuffer();
    if (buffer) pool_.deallocate(std::move(buffer), batch.initialCapacity());
}

void RecordAccumulator::mutePartition(const TopicPartition& tp) {
    std::lock_guard lock(mutedMu_);
    muted_.insert(tp);
}

void RecordAccumulator::unmutePartition(const TopicPartition& tp) {
    std::lock_guard lock(mutedMu_);
    muted_.erase(tp);
}

bool RecordAccumulator::isMuted(const TopicPartition& tp) const {
    std::lock_guard lock(mutedMu_);
    return muted_.contains(tp);
}

void RecordAccumulator::updateNodeLatencyStats(int32_t nodeId, int64_t nowMs, bool canDrain) {
    if (config_.partitionAvailabilityTimeoutMs <= 0) return;
    auto [it, inserted] = nodeStats_.try_emplace(nodeId, NodeLatencyStats{nowMs, nowMs});
    if (canDrain) it->second.drainTimeMs = nowMs;
    it->second.readyTimeMs = nowMs;
}

// ------------------------------------------------------------------ flush, abort, close

void RecordAccumulator::beginFlush() {
    flushesInProgress_.fetch_add(1);
}

namespace {

// Waits for every record of a batch, following the smaller batches of a split.
void awaitBatch(const ProducerBatchPtr& batch) {
    const auto& result = batch->produceResult();
    result->await();
    if (result->completed()) return;
    for (int32_t i = 0; i < batch->recordCount(); ++i) {
        for (;;) {
            auto link = result->resolve(result, i);
            link.result->await();
            if (link.result->completed()) break;
        }
    }
}

}  // namespace

void RecordAccumulator::awaitFlushCompletion() {
    std::vector<ProducerBatchPtr> pending;
    {
        std::lock_guard lock(incompleteMu_);
        pending.assign(incomplete_.begin(), incomplete_.end());
    }
    for (const auto& batch : pending)
        awaitBatch(batch);
    flushesInProgress_.fetch_sub(1);
}

bool RecordAccumulator::hasIncomplete() const {
    std::lock_guard lock(incompleteMu_);
    return !incomplete_.empty();
}

bool RecordAccumulator::hasUndrained() const {
    for (TopicInfo* info : topicsSnapshot())
        for (PartitionQueue* q : queuesOf(*info)) {
            std::lock_guard lock(q->mu);
            if (!q->batches.empty()) return true;
        }
    return false;
}

void RecordAccumulator::abortIncompleteBatches(const Error& error) {
    auto abortAll = [&] {
        std::vector<ProducerBatchPtr> all;
        {
            std::lock_guard lock(incompleteMu_);
            all.assign(incomplete_.begin(), incomplete_.end());
        }
        for (const auto& batch : all) {
            if (PartitionQueue* q = findQueue(batch->topicPartition())) {
                std::lock_guard lock(q->mu);
                batch->abortRecordAppends();
                auto it = std::find(q->batches.begin(), q->batches.end(), batch);
                if (it != q->batches.end()) q->batches.erase(it);
            }
            batch->abort(error);
            deallocate(batch);
        }
    };
    // Java counts appends in progress and repeats until none runs: two atomic read-modify-writes
    // per record on the sending thread. Here every append checks closed_ under its deque's lock
    // before it adds anything, so once closed, taking each deque's lock in turn waits out the
    // appends already inside; what they added the second pass finds.
    close();
    abortAll();
    for (TopicInfo* info : topicsSnapshot()) {
        for (PartitionQueue* q : queuesOf(*info)) {
            std::lock_guard lock(q->mu);  // an append inside has finished once this is ours
        }
    }
    abortAll();
}

void RecordAccumulator::abortUndrainedBatches(const Error& error) {
    std::vector<ProducerBatchPtr> all;
    {
        std::lock_guard lock(incompleteMu_);
        all.assign(incomplete_.begin(), incomplete_.end());
    }
    for (const auto& batch : all) {
        bool removed = false;
        if (PartitionQueue* q = findQueue(batch->topicPartition())) {
            std::lock_guard lock(q->mu);
            auto it = std::find(q->batches.begin(), q->batches.end(), batch);
            if (it != q->batches.end() && !batch->hasSequence()) {
                batch->abortRecordAppends();
                q->batches.erase(it);
                removed = true;
            }
        }
        if (removed) {
            batch->abort(error);
            deallocate(batch);
        }
    }
}

void RecordAccumulator::close() {
    closed_.store(true);
    pool_.close();
}

// ------------------------------------------------------------------ observation

std::vector<PartitionSnapshot> RecordAccumulator::snapshotPartitions() const {
    std::vector<PartitionSnapshot> out;
    for (TopicInfo* info : topicsSnapshot()) {
        for (PartitionQueue* q : queuesOf(*info)) {
            PartitionSnapshot ps;
            ps.tp = q->tp;
            {
                std::lock_guard lock(q->mu);
                ps.batches.reserve(q->batches.size());
                for (const auto& b : q->batches)
                    ps.batches.push_back(b->snapshot());
            }
            ps.muted = isMuted(q->tp);
            out.push_back(std::move(ps));
        }
    }
    return out;
}

std::optional<std::vector<uint8_t>> RecordAccumulator::batchRecords(const TopicPartition& tp,
                                                                    uint64_t batchId) const {
    PartitionQueue* q = findQueue(tp);
    if (!q) return std::nullopt;
    std::lock_guard lock(q->mu);
    for (const auto& b : q->batches) {
        if (b->batchId() != batchId) continue;
        std::vector<uint8_t> out;
        b->copyForViewing(out);
        return out;
    }
    return std::nullopt;
}

BufferPoolSnapshot RecordAccumulator::snapshotBufferPool() const {
    BufferPoolSnapshot s;
    const BufferPool::State st = pool_.state();
    const int64_t nowNs = clock_.nowNs();
    s.totalMemory = pool_.totalMemory();
    s.availableMemory = st.availableMemory;
    s.unallocatedMemory = st.unallocatedMemory;
    s.poolableSize = pool_.poolableSize();
    s.freeBuffers = st.freeBuffers;
    s.queuedWaiters = static_cast<int32_t>(st.waiters.size());
    s.waiters.reserve(st.waiters.size());
    for (const auto& w : st.waiters)
        s.waiters.push_back({std::max<int64_t>(0, nowNs - w.sinceNs) / 1'000'000, w.bytes});
    s.waitTimeNsTotal = st.waitTimeNsTotal;
    s.exhaustedTotal = st.exhaustedTotal;
    return s;
}

std::shared_ptr<const BuiltInPartitioner::StickyPartitionInfo>
RecordAccumulator::stickyPartitionInfo(std::string_view topic) const {
    std::shared_lock lock(topicsMu_);
    auto it = topics_.find(topic);
    return it == topics_.end() ? nullptr : it->second->builtIn.current();
}

BuiltInPartitioner& RecordAccumulator::builtInPartitioner(std::string_view topic) {
    return topicInfo(topic).builtIn;
}

size_t RecordAccumulator::queuedBatches(const TopicPartition& tp) const {
    PartitionQueue* q = findQueue(tp);
    if (!q) return 0;
    std::lock_guard lock(q->mu);
    return q->batches.size();
}

}  // namespace bs::producer
