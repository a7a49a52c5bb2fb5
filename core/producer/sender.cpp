#include "producer/sender.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <exception>

#include "producer/producer_config.h"
#include "protocol/frame.h"
#include "protocol/messages/init_producer_id.h"
#include "protocol/messages/metadata.h"
#include "protocol/messages/produce.h"

namespace bs::producer {

using protocol::ApiKey;
using protocol::ErrorCode;

namespace {

// Errors after which the client's view of leaders is stale (Java: InvalidMetadataException).
bool isInvalidMetadata(ErrorCode e) {
    switch (e) {
        case ErrorCode::NOT_LEADER_OR_FOLLOWER:
        case ErrorCode::UNKNOWN_TOPIC_OR_PARTITION:
        case ErrorCode::LEADER_NOT_AVAILABLE:
        case ErrorCode::FENCED_LEADER_EPOCH:
        case ErrorCode::UNKNOWN_LEADER_EPOCH:
        case ErrorCode::KAFKA_STORAGE_ERROR:
        case ErrorCode::NETWORK_EXCEPTION:
        case ErrorCode::REPLICA_NOT_AVAILABLE:
            return true;
        default:
            return false;
    }
}

}  // namespace

SenderConfig SenderConfig::from(const ProducerConfig& c) {
    SenderConfig s;
    s.acks = c.acks;
    s.maxRequestSize = c.maxRequestSize;
    s.requestTimeoutMs = c.requestTimeoutMs;
    s.retries = c.retries;
    s.retryBackoffMs = c.retryBackoffMs;
    s.reconnectBackoffMs = c.reconnectBackoffMs;
    s.guaranteeMessageOrder = c.maxInFlightRequestsPerConnection == 1;
    s.maxInFlightRequestsPerConnection = c.maxInFlightRequestsPerConnection;
    return s;
}

Sender::Sender(SenderConfig config, NetworkClient& client, Metadata& metadata,
               RecordAccumulator& accumulator, TransactionManager* transactionManager,
               ProducerMetrics* metrics, EventStream* events, const Clock& clock)
    : config_(config),
      client_(client),
      metadata_(metadata),
      accumulator_(accumulator),
      transactionManager_(transactionManager),
      metrics_(metrics),
      events_(events),
      clock_(clock) {
    // Java's DefaultMetadataUpdater.isUpdateDue: while a refresh is wanted and none is in
    // flight, NetworkClient.isReady() is false for every node, so the Metadata request goes
    // first. (timeToNextUpdate is INT64_MAX while one is in flight.)
    client_.setMetadataUpdateDue(
        [&metadata](int64_t nowMs) { return metadata.timeToNextUpdate(nowMs) == 0; });
}

void Sender::run() {
    state_ = paused_ ? SenderState::Paused : SenderState::Running;
    auto loop = [this] {
        try {
            runOnce();
        } catch (const std::exception& e) {
            spdlog::error("uncaught error in the sender loop: {}", e.what());
        } catch (...) {
            spdlog::error("uncaught non-standard exception in the sender loop");
        }
    };
    while (running_.load())
        loop();
    state_ = SenderState::Closing;
    // Graceful close: send what is left and wait for the answers (Java: Sender.run).
    paused_ = false;
    while (!forceClose_.load() && (accumulator_.hasUndrained() || client_.hasInFlightRequests() ||
                                   (transactionManager_ && transactionManager_->initInFlight())))
        loop();
    if (forceClose_.load())
        accumulator_.abortIncompleteBatches(Error{"Producer is closed forcefully."});
    client_.close();
    state_ = SenderState::Closed;
}

void Sender::runOnce() {
    // What this iteration does below covers every wakeup asked for until now.
    wakeupRequested_.store(false);
    iterations_.store(++iteration_, std::memory_order_relaxed);
    if (events_) events_->setIteration(iteration_);
    int64_t now = clock_.nowMs();
    // Tell the client about the brokers the latest metadata names.
    if (int64_t v = metadata_.updateVersion(); v != clusterVersionSent_) {
        clusterVersionSent_ = v;
        client_.setNodes(metadata_.fetch()->nodes());
    }
    // Java's Sender.runOnce: resolve sequences left unknown by expired batches first (this may
    // request the epoch bump maybeInitProducerId then performs).
    if (transactionManager_) transactionManager_->maybeResolveSequences();
    bool blocked = transactionManager_ && maybeInitProducerId(now);
    const bool paused = paused_.load();  // read once: a pause arriving now waits for the next
    const bool step = paused && !blocked && steps_.load() > 0;
    bool drain = !blocked && (!paused || step);
    if (step) steps_.fetch_sub(1);
    if (state_.load() == SenderState::Running || state_.load() == SenderState::Paused)
        state_ = paused ? SenderState::Paused : SenderState::Running;
    int64_t pollTimeout = sendProducerData(now, drain, step);
    if (blocked) pollTimeout = std::min(pollTimeout, config_.retryBackoffMs);
    pollTimeout = std::min(pollTimeout, maybeUpdateMetadata(now));
    // Dekker-style handshake with wakeup(): either it sees sleeping_ and interrupts the poll, or
    // this sees its request and does not sleep. Saves a post + epoll_ctl per new batch while the
    // sender is busy anyway.
    sleeping_.store(true);
    if (wakeupRequested_.load()) pollTimeout = 0;
    client_.poll(std::max<int64_t>(0, pollTimeout), now);
    sleeping_.store(false);
    updateConnectedSnapshot();
}

void Sender::updateConnectedSnapshot() {
    auto cluster = metadata_.fetch();
    int64_t now = clock_.nowMs();
    std::lock_guard lock(snapshotMu_);
    for (const Node& n : cluster->nodes()) {
        const bool up = client_.canSendRequest(n.id, now) || client_.inFlightRequestCount(n.id) > 0;
        connected_[n.id] = up;
        // Only while not connected (rare under load): no string copy per iteration when busy.
        if (!up)
            connectionErrors_[n.id] = client_.connectionError(n.id);
        else if (auto e = connectionErrors_.find(n.id); e != connectionErrors_.end())
            connectionErrors_.erase(e);
    }
}

bool Sender::maybeInitProducerId(int64_t nowMs) {
    if (!transactionManager_->needsInitProducerId()) return transactionManager_->initInFlight();
    if (nowMs < nextInitAttemptMs_) return true;
    auto node = client_.leastLoadedNode(nowMs);
    if (node) metadata_.checkConnection(client_, *node);  // before ready() retries it
    if (!node || !client_.ready(*node, nowMs)) return true;
    int16_t version = client_.apiVersion(*node, ApiKey::InitProducerId).value_or(0);
    auto body = transactionManager_->initProducerIdRequest(version);
    ClientRequest req;
    req.destination = *node;
    req.apiKey = ApiKey::InitProducerId;
    req.maxVersion = version;
    req.requestTimeoutMs = config_.requestTimeoutMs;
    req.writeBody = [body](int16_t v, protocol::Writer& w) { encode(body, v, w); };
    req.callback = [this](const ClientResponse& r) {
        protocol::InitProducerIdResponse resp;
        Status st =
            r.ok() ? protocol::decodeBody(resp, r.apiVersion, r.body) : Status(Error{r.error});
        if (st.ok())
            st = transactionManager_->handleInitProducerIdResponse(resp);
        else
            transactionManager_->initProducerIdFailed();
        if (!st.ok()) {
            // A request cut by its connection (e.g. a bootstrap node replaced by the first
            // metadata) is retried after the backoff: routine, not worth a warning.
            if (r.disconnected)
                spdlog::debug("InitProducerId: {} (retrying)", st.message());
            else
                spdlog::warn("InitProducerId: {}", st.message());
            // Cut because its node left the cluster (the bootstrap connection, closed when the
            // first metadata names the brokers): nothing is wrong with any broker, so the next
            // iteration asks another node at once. Java keeps bootstrap connections open and
            // never sees this; a backoff here held the first records for retry.backoff.ms.
            const bool nodeLeft =
                r.disconnected && !r.timedOut && !metadata_.fetch()->nodeById(r.destination);
            nextInitAttemptMs_ = r.receivedMs + (nodeLeft ? 0 : config_.retryBackoffMs);
        }
    };
    client_.send(std::move(req), nowMs);
    return true;
}

Event Sender::newEvent(EventType type) const {
    Event e;
    e.timeNs = clock_.nowNs();
    e.type = type;
    e.iteration = iteration_;
    return e;
}

int64_t Sender::maybeUpdateMetadata(int64_t nowMs) {
    int64_t wait = metadata_.timeToNextUpdate(nowMs);
    if (wait > 0) return wait;
    auto node = client_.leastLoadedNode(nowMs);
    if (!node) return config_.reconnectBackoffMs;
    metadata_.checkConnection(client_, *node);
    // ready() only to start connecting: it is false while this update is due (Java's
    // maybeUpdate asks canSendRequest instead).
    client_.ready(*node, nowMs);
    if (!client_.canSendRequest(*node, nowMs)) return config_.reconnectBackoffMs;
    if (!metadataCausePublished_ && observing(EventType::MetadataRequested) &&
        metadata_.updateVersion() > 0) {
        // Not asked for by the sender: send() waits for a topic, or the data is old.
        Event e = newEvent(EventType::MetadataRequested);
        e.reason = static_cast<uint8_t>(metadata_.updateRequested() ? MetadataCause::TopicAwaited
                                                                    : MetadataCause::MaxAge);
        events_->publish(e);
    }
    metadataCausePublished_ = false;
    metadata_.onRequestSent(nowMs);
    auto body = metadata_.newMetadataRequest();
    ClientRequest req;
    req.destination = *node;
    req.apiKey = ApiKey::Metadata;
    req.requestTimeoutMs = config_.requestTimeoutMs;
    req.writeBody = [body = std::move(body)](int16_t v, protocol::Writer& w) {
        encode(body, v, w);
    };
    req.callback = [this](const ClientResponse& r) {
        if (!r.ok()) {
            metadata_.failedUpdate(r.receivedMs);
            return;
        }
        protocol::MetadataResponse resp;
        Status st = protocol::decodeBody(resp, r.apiVersion, r.body);
        if (!st.ok()) {
            spdlog::warn("bad Metadata response from node {}: {}", r.destination, st.message());
            metadata_.failedUpdate(r.receivedMs);
            client_.disconnect(r.destination);
            return;
        }
        metadata_.update(resp, r.receivedMs);
        emitEvent(EventType::MetadataUpdated, nullptr, r.destination, r.correlationId);
    };
    observeWrite(req);
    client_.send(std::move(req), nowMs);
    return config_.requestTimeoutMs;
}

int64_t Sender::sendProducerData(int64_t nowMs, bool drain, bool step) {
    auto cluster = metadata_.fetch();
    int64_t pollTimeout = INT64_MAX;
    std::map<int32_t, std::vector<ProducerBatchPtr>> batches;
    // Expiry before drain (Java drains first): a batch drained in this iteration must not also
    // expire in it, or its buffer would go back to the pool while the request is being built.
    accumulator_.resetNextBatchExpiryTime();
    std::vector<ProducerBatchPtr> expired = expiredInflightBatches(nowMs);
    for (auto& b : accumulator_.expiredBatches(nowMs))
        expired.push_back(std::move(b));
    for (const auto& b : expired) {
        emitEvent(EventType::BatchExpired, b.get(), -1, -1,
                  static_cast<int16_t>(ErrorCode::REQUEST_TIMED_OUT));
        failBatch(
            b,
            Error{"Expiring " + std::to_string(b->recordCount()) + " record(s) for " +
                  b->topicPartition().toString() + ":" + std::to_string(nowMs - b->createdMs()) +
                  " ms has passed since batch creation (delivery.timeout.ms)"},
            ErrorCode::REQUEST_TIMED_OUT, false);
        // Java: a batch that had been sent may be in the log; no new batch of the partition is
        // drained until its in-flight ones are done and the sequences resolved.
        if (transactionManager_ && b->inRetry()) transactionManager_->markSequenceUnresolved(*b);
    }
    if (drain) {
        const bool explain = observing(EventType::ReadyVerdict);
        auto result = accumulator_.ready(*cluster, nowMs, explain);
        if (!result.unknownLeaderTopics.empty()) {
            for (const auto& t : result.unknownLeaderTopics)
                metadata_.add(t, nowMs);
            requestMetadataUpdate(
                MetadataCause::UnknownLeader, -1,
                result.unknownLeaders.empty() ? nullptr : &result.unknownLeaders.front());
        }
        std::set<int32_t> readyNodes;
        int64_t notReadyTimeout = INT64_MAX;
        for (int32_t node : result.readyNodes) {
            bool ok = client_.ready(node, nowMs);
            accumulator_.updateNodeLatencyStats(node, nowMs, ok);
            if (ok)
                readyNodes.insert(node);
            else if (client_.connectionFailed(node))
                // Java's handleServerDisconnect: the leader may have moved.
                requestMetadataUpdate(MetadataCause::ConnectionFailed, node);
            if (!ok)
                notReadyTimeout = std::min(notReadyTimeout, client_.connectionDelay(node, nowMs));
        }
        if (explain || observing(EventType::ReadyChecked))
            publishReadiness(*cluster, result, readyNodes, step);
        batches = accumulator_.drain(*cluster, readyNodes, config_.maxRequestSize, nowMs);
        for (const auto& [node, list] : batches) {
            for (const auto& b : list) {
                inFlightBatches_[b->topicPartition()].push_back(b);
                if (config_.guaranteeMessageOrder) accumulator_.mutePartition(b->topicPartition());
            }
        }
        pollTimeout = std::min(result.nextReadyCheckDelayMs, notReadyTimeout);
        if (!readyNodes.empty()) pollTimeout = 0;
    }

    int64_t nextExpiry = accumulator_.nextExpiryTimeMs();
    if (nextExpiry != INT64_MAX) pollTimeout = std::min(pollTimeout, nextExpiry - nowMs);
    for (auto& [node, list] : batches)
        sendProduceRequest(node, std::move(list), nowMs);
    return std::max<int64_t>(0, pollTimeout);
}

namespace {
// Held by the network client while a Produce request's frame is queued or being written: an
// in-flight batch that expires or is aborted meanwhile is deallocated, but its buffer returns
// to the pool only when this goes. Released on the sender thread, or wherever the client is
// destroyed (the accumulator outlives the client).
struct BatchWriteHold {
    BatchWriteHold(RecordAccumulator& accumulator, const std::vector<ProducerBatchPtr>& batches)
        : accumulator(accumulator), batches(batches) {
        for (const auto& b : batches)
            b->acquireWriteHold();
    }
    ~BatchWriteHold() {
        for (const auto& b : batches)
            accumulator.releaseWriteHold(*b);
    }
    BatchWriteHold(const BatchWriteHold&) = delete;
    BatchWriteHold& operator=(const BatchWriteHold&) = delete;
    RecordAccumulator& accumulator;
    const std::vector<ProducerBatchPtr> batches;
};
}  // namespace

void Sender::sendProduceRequest(int32_t node, std::vector<ProducerBatchPtr> batches,
                                int64_t nowMs) {
    if (batches.empty()) return;
    protocol::ProduceRequest req;
    req.acks = config_.acks;
    req.timeoutMs = config_.requestTimeoutMs;
    InFlightRequestSnapshot snap;
    snap.sentMs = nowMs;
    std::map<std::string_view, size_t> topicIndex;
    for (const auto& b : batches) {
        const TopicPartition& tp = b->topicPartition();
        auto [it, inserted] = topicIndex.try_emplace(tp.topic, req.topicData.size());
        if (inserted) req.topicData.push_back({tp.topic, {}});
        req.topicData[it->second].partitionData.push_back(
            {tp.partition, protocol::RecordsView{b->records(), false}});
        snap.partitions.push_back(tp);
        snap.batchIds.push_back(b->batchId());
        snap.recordCount += b->recordCount();
        snap.bytes += static_cast<int64_t>(b->records().size());
        if (metrics_)
            metrics_->recordBatch(tp.topic, b->recordCount(),
                                  static_cast<int64_t>(b->records().size()), b->compressionRatio(),
                                  b->drainedMs() - b->createdMs(), b->maxRecordSize());
    }
    ClientRequest cr;
    cr.destination = node;
    cr.apiKey = ApiKey::Produce;
    cr.expectResponse = config_.acks != 0;
    cr.requestTimeoutMs = config_.requestTimeoutMs;
    // The views point into the batches' buffers: the client writes them from there, and the
    // hold keeps each buffer out of the pool until its bytes left (see BatchWriteHold).
    cr.writeBody = [req = std::move(req)](int16_t v, protocol::Writer& w) { encode(req, v, w); };
    cr.bufferHold = std::make_shared<BatchWriteHold>(accumulator_, batches);
    // Latency in nanoseconds from here: ClientResponse's millisecond stamps read 0 on loopback.
    cr.callback = [this, batches, sentNs = clock_.nowNs()](const ClientResponse& r) {
        handleProduceResponse(r, batches, sentNs);
    };
    observeWrite(cr);
    int32_t correlationId = client_.send(std::move(cr), nowMs);
    if (metrics_) metrics_->recordRequest(snap.recordCount, snap.bytes);
    const auto batchCount = static_cast<int32_t>(snap.batchIds.size());
    if (correlationId >= 0 && config_.acks != 0) {
        snap.correlationId = correlationId;
        std::lock_guard lock(snapshotMu_);
        inFlightRequests_[node].push_back(std::move(snap));
    }
    if (observing(EventType::RequestSent)) {
        Event e = newEvent(EventType::RequestSent);
        e.nodeId = node;
        e.correlationId = correlationId;
        e.batchCount = batchCount;
        e.recordCount = snap.recordCount;
        e.bytes = snap.bytes;
        events_->publish(e);
    }
}

void Sender::observeWrite(ClientRequest& request) {
    if (!observing(EventType::RequestWritten) && !frames_.enabled()) return;
    request.onWritten = [this, node = request.destination, api = request.apiKey,
                         expect = request.expectResponse](int32_t correlationId, int16_t version,
                                                          std::span<const uint8_t> frame) {
        const int64_t now = clock_.nowMs();
        frames_.record(node, correlationId, api, version, expect, now, frame);
        if (!observing(EventType::RequestWritten)) return;
        Event e = newEvent(EventType::RequestWritten);
        e.nodeId = node;
        e.correlationId = correlationId;
        e.apiKey = static_cast<int16_t>(api);
        e.apiVersion = version;
        e.bytes = static_cast<int64_t>(frame.size());
        // acks=0: no response will come, the request is done once written.
        e.attempts = expect ? 1 : 0;
        events_->publish(e);
    };
}

void Sender::publishReadiness(const Cluster& cluster, const RecordAccumulator::ReadyCheckResult& r,
                              const std::set<int32_t>& readyNodes, bool step) {
    if (observing(EventType::ReadyVerdict)) {
        const int64_t now = clock_.nowMs();
        for (const Node& n : cluster.nodes()) {
            auto it = r.verdicts.find(n.id);
            RecordAccumulator::NodeVerdict v =
                it != r.verdicts.end() ? it->second : RecordAccumulator::NodeVerdict{};
            if (r.readyNodes.contains(n.id) && !readyNodes.contains(n.id)) {
                // ready() said yes; NetworkClient.ready() said no.
                v.reason =
                    client_.connectionFailed(n.id)      ? ReadyReason::ConnectionFailed
                    : client_.canSendRequest(n.id, now) ? ReadyReason::MetadataUpdateDue
                    : client_.inFlightRequestCount(n.id) >= config_.maxInFlightRequestsPerConnection
                        ? ReadyReason::MaxInFlight
                    : client_.sendInProgress(n.id) ? ReadyReason::SendInProgress
                                                   : ReadyReason::NotConnected;
                const int64_t delay = client_.connectionDelay(n.id, now);
                v.delayMs = delay == INT64_MAX ? -1 : delay;
            }
            Event e = newEvent(EventType::ReadyVerdict);
            e.nodeId = n.id;
            e.reason = static_cast<uint8_t>(v.reason);
            e.waitedMs = v.waitedMs;
            e.delayMs = v.delayMs;
            events_->publish(e);
        }
    }
    if (observing(EventType::ReadyChecked)) {
        Event e = newEvent(EventType::ReadyChecked);
        e.step = step;
        e.batchCount = static_cast<int32_t>(readyNodes.size());
        e.delayMs = r.nextReadyCheckDelayMs == INT64_MAX ? -1 : r.nextReadyCheckDelayMs;
        events_->publish(e);
    }
}

void Sender::requestMetadataUpdate(MetadataCause cause, int32_t node, const TopicPartition* tp,
                                   int16_t errorCode) {
    metadata_.requestUpdate();
    if (!observing(EventType::MetadataRequested)) return;
    metadataCausePublished_ = true;
    Event e = newEvent(EventType::MetadataRequested);
    e.reason = static_cast<uint8_t>(cause);
    e.nodeId = node;
    e.errorCode = errorCode;
    if (tp) {
        e.topicId = events_->topicId(tp->topic);
        e.partition = tp->partition;
    }
    events_->publish(e);
}

void Sender::closeSnapshotRequest(int32_t node, int32_t correlationId) {
    std::lock_guard lock(snapshotMu_);
    auto it = inFlightRequests_.find(node);
    if (it == inFlightRequests_.end()) return;
    auto& v = it->second;
    v.erase(std::remove_if(
                v.begin(), v.end(),
                [&](const InFlightRequestSnapshot& s) { return s.correlationId == correlationId; }),
            v.end());
}

void Sender::handleProduceResponse(const ClientResponse& r,
                                   const std::vector<ProducerBatchPtr>& batches, int64_t sentNs) {
    closeSnapshotRequest(r.destination, r.correlationId);
    const int64_t now = r.receivedMs;
    auto failAll = [&](ErrorCode code, const std::string& why) {
        for (const auto& b : batches)
            completeBatch(b, PartitionResult{code, -1, -1, -1, why}, r.correlationId, now);
    };
    if (r.disconnected) {
        // Java's Sender.handleProduceResponse: a request past request.timeout.ms (the client
        // closed the connection for it, cancelling every request on it) fails its batches with
        // REQUEST_TIMED_OUT, a retriable TimeoutException; other disconnects with
        // NETWORK_EXCEPTION. Both ask for metadata (NetworkClient.handleServerDisconnect).
        const ErrorCode code =
            r.timedOut ? ErrorCode::REQUEST_TIMED_OUT : ErrorCode::NETWORK_EXCEPTION;
        emitEvent(EventType::ResponseReceived, nullptr, r.destination, r.correlationId,
                  static_cast<int16_t>(code));
        spdlog::debug("produce request {} to node {} failed: {}", r.correlationId, r.destination,
                      r.error);
        requestMetadataUpdate(MetadataCause::Disconnected, r.destination);
        return failAll(code, r.timedOut ? "Disconnected from node " +
                                              std::to_string(r.destination) + " due to timeout"
                                        : r.error);
    }
    if (r.versionMismatch) return failAll(ErrorCode::UNSUPPORTED_VERSION, r.error);
    if (config_.acks == 0) {
        for (const auto& b : batches)
            completeBatch(b, PartitionResult{}, r.correlationId, now);
        return;
    }
    if (metrics_)
        metrics_->recordLatency(static_cast<double>(clock_.nowNs() - sentNs) / 1e6, r.destination);
    emitEvent(EventType::ResponseReceived, nullptr, r.destination, r.correlationId);
    protocol::ProduceResponse resp;
    Status st = protocol::decodeBody(resp, r.apiVersion, r.body);
    if (!st.ok()) {
        // A well-framed but undecodable answer: the connection cannot be trusted any more.
        spdlog::warn("bad Produce response from node {}: {}", r.destination, st.message());
        client_.disconnect(r.destination);
        return failAll(ErrorCode::NETWORK_EXCEPTION, "bad Produce response: " + st.message());
    }
    if (metrics_ && resp.throttleTimeMs > 0) metrics_->recordThrottle(resp.throttleTimeMs);
    std::map<TopicPartition, PartitionResult> results;
    for (const auto& t : resp.responses) {
        for (const auto& p : t.partitionResponses) {
            results[TopicPartition{t.name, p.index}] =
                PartitionResult{p.errorCode, p.baseOffset, p.logAppendTimeMs, p.logStartOffset,
                                p.errorMessage.value_or("")};
        }
    }
    for (const auto& b : batches) {
        auto it = results.find(b->topicPartition());
        PartitionResult res = it != results.end()
                                  ? it->second
                                  : PartitionResult{ErrorCode::NETWORK_EXCEPTION, -1, -1, -1,
                                                    "the response has no entry for " +
                                                        b->topicPartition().toString()};
        completeBatch(b, res, r.correlationId, now);
    }
}

void Sender::completeBatch(const ProducerBatchPtr& batch, const PartitionResult& result, int32_t,
                           int64_t nowMs) {
    const ErrorCode error = result.error;
    if (error == ErrorCode::MESSAGE_TOO_LARGE && batch->recordCount() > 1 && !batch->isDone()) {
        // Too big for the broker: split it and send the halves; no retry attempt is used.
        if (transactionManager_) transactionManager_->removeInFlightBatch(batch);
        auto split = accumulator_.splitAndReenqueue(batch);
        if (!split) {
            failBatch(batch,
                      Error{"MESSAGE_TOO_LARGE and the batch could not be split: " +
                            split.error().message},
                      error, batch->attempts() < config_.retries);
        } else {
            emitEvent(EventType::BatchSplit, batch.get(), -1, -1, static_cast<int16_t>(error));
            if (metrics_) metrics_->recordBatchSplit();
            removeFromInflight(batch);
            deallocate(batch);
        }
    } else if (error != ErrorCode::NONE) {
        if (canRetry(*batch, result, nowMs)) {
            spdlog::debug("retrying {} records of {} (attempt {}): {}", batch->recordCount(),
                          batch->topicPartition().toString(), batch->attempts() + 1,
                          protocol::errorName(error));
            reenqueueBatch(batch, nowMs, error);
        } else if (error == ErrorCode::DUPLICATE_SEQUENCE_NUMBER) {
            // Already written; the broker no longer knows the offset (Java completes it too).
            completeBatchSuccess(batch, PartitionResult{});
        } else {
            std::string why(protocol::errorName(error));
            if (!result.message.empty()) why += ": " + result.message;
            // Java adjusts sequences only if the batch did not exhaust its retries: otherwise
            // it is unknown whether the broker wrote it.
            failBatch(batch, Error{why}, error, batch->attempts() < config_.retries);
        }
        if (isInvalidMetadata(error))
            requestMetadataUpdate(MetadataCause::ErrorResponse, -1, &batch->topicPartition(),
                                  static_cast<int16_t>(error));
    } else {
        completeBatchSuccess(batch, result);
    }
    if (config_.guaranteeMessageOrder) accumulator_.unmutePartition(batch->topicPartition());
}

bool Sender::canRetry(const ProducerBatch& batch, const PartitionResult& result, int64_t nowMs) {
    if (batch.hasReachedDeliveryTimeout(accumulator_.deliveryTimeoutMs(), nowMs)) return false;
    if (batch.attempts() >= config_.retries || batch.isDone()) return false;
    return transactionManager_
               ? transactionManager_->canRetry(result.error, result.logStartOffset, batch)
               : protocol::isRetriable(result.error);
}

void Sender::reenqueueBatch(const ProducerBatchPtr& batch, int64_t nowMs, ErrorCode why) {
    accumulator_.reenqueue(batch, nowMs);
    removeFromInflight(batch);
    if (metrics_) metrics_->recordRetries(batch->topicPartition().topic, batch->recordCount());
    emitEvent(EventType::BatchRetried, batch.get(), -1, -1, static_cast<int16_t>(why));
}

void Sender::completeBatchSuccess(const ProducerBatchPtr& batch, const PartitionResult& result) {
    if (transactionManager_ && !batch->isDone()) transactionManager_->handleCompletedBatch(batch);
    bool first = batch->complete(result.baseOffset, result.logAppendTimeMs);
    emitEvent(EventType::BatchCompleted, batch.get(), -1, -1, 0, result.baseOffset);
    if (first) {
        removeFromInflight(batch);
        deallocate(batch);
    }
}

void Sender::failBatch(const ProducerBatchPtr& batch, const Error& error, ErrorCode code,
                       bool adjustSequenceNumbers) {
    if (batch->isDone()) {
        removeFromInflight(batch);
        return;
    }
    if (transactionManager_)
        transactionManager_->handleFailedBatch(batch, code, adjustSequenceNumbers);
    if (metrics_) metrics_->recordErrors(batch->topicPartition().topic, batch->recordCount());
    bool first = batch->completeExceptionally(error);
    emitEvent(EventType::BatchCompleted, batch.get(), -1, -1, static_cast<int16_t>(code));
    if (first) {
        removeFromInflight(batch);
        deallocate(batch);
    }
}

void Sender::removeFromInflight(const ProducerBatchPtr& batch) {
    auto it = inFlightBatches_.find(batch->topicPartition());
    if (it == inFlightBatches_.end()) return;
    auto& v = it->second;
    v.erase(std::remove(v.begin(), v.end(), batch), v.end());
    if (v.empty()) inFlightBatches_.erase(it);
}

void Sender::deallocate(const ProducerBatchPtr& batch) {
    accumulator_.deallocate(batch);
}

std::vector<ProducerBatchPtr> Sender::expiredInflightBatches(int64_t nowMs) {
    std::vector<ProducerBatchPtr> expired;
    for (auto it = inFlightBatches_.begin(); it != inFlightBatches_.end();) {
        auto& v = it->second;
        // Oldest first: stop at the first batch still within delivery.timeout.ms.
        size_t n = 0;
        while (n < v.size() &&
               v[n]->hasReachedDeliveryTimeout(accumulator_.deliveryTimeoutMs(), nowMs)) {
            if (!v[n]->isDone()) expired.push_back(v[n]);
            ++n;
        }
        if (n < v.size()) accumulator_.maybeUpdateNextBatchExpiryTime(*v[n]);
        v.erase(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(n));
        it = v.empty() ? inFlightBatches_.erase(it) : std::next(it);
    }
    return expired;
}

void Sender::emitEvent(EventType type, const ProducerBatch* batch, int32_t node,
                       int32_t correlationId, int16_t errorCode, int64_t offset) {
    if (!observing(type)) return;
    Event e;
    e.timeNs = clock_.nowNs();
    e.type = type;
    // SenderWoken comes from the waking thread, not from an iteration.
    if (type != EventType::SenderWoken) e.iteration = iteration_;
    e.errorCode = errorCode;
    e.nodeId = node;
    e.correlationId = correlationId;
    e.offset = offset;
    if (batch) {
        e.topicId = events_->topicId(batch->topicPartition().topic);
        e.partition = batch->topicPartition().partition;
        e.batchId = batch->batchId();
        e.recordCount = batch->recordCount();
        e.attempts = batch->attempts();
        e.bytes = static_cast<int64_t>(batch->records().size());
    }
    events_->publish(e);
}

void Sender::initiateClose() {
    accumulator_.close();
    running_ = false;
    wakeup();
}

void Sender::forceClose() {
    forceClose_ = true;
    initiateClose();
}

void Sender::wakeup() {
    // Already asked since this iteration began: that request's wake (or the sender's check
    // before sleeping) covers this one too. Under load every append asks, and each used to
    // interrupt the poll again and publish another SenderWoken.
    // A plain load first: under load the flag is already set and the exchange's write would
    // take the cache line from the sender thread on every append.
    if (wakeupRequested_.load(std::memory_order_acquire) || wakeupRequested_.exchange(true)) return;
    if (!sleeping_.load()) return;  // busy: the next poll sees the request and does not sleep
    if (events_ && events_->enabled()) emitEvent(EventType::SenderWoken, nullptr, -1, -1);
    client_.wakeup();
}

void Sender::pause(bool paused) {
    // Steps belong to one pause: none is carried into the next.
    steps_ = 0;
    paused_ = paused;
    wakeup();
}

bool Sender::step() {
    if (!paused_.load()) return false;
    steps_.fetch_add(1);
    wakeup();
    return true;
}

std::vector<NodeSnapshot> Sender::snapshotNodes() const {
    auto cluster = metadata_.fetch();
    std::lock_guard lock(snapshotMu_);
    std::vector<NodeSnapshot> out;
    for (const Node& n : cluster->nodes()) {
        NodeSnapshot s;
        s.nodeId = n.id;
        s.host = n.host;
        s.port = n.port;
        auto it = connected_.find(n.id);
        s.connected = it != connected_.end() && it->second;
        if (auto e = connectionErrors_.find(n.id); e != connectionErrors_.end())
            s.connectionError = e->second;
        if (auto r = inFlightRequests_.find(n.id); r != inFlightRequests_.end())
            s.inFlight = r->second;
        out.push_back(std::move(s));
    }
    return out;
}

}  // namespace bs::producer
