#include "consumer/kafka_consumer.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "client/network_client_asio.h"
#include "protocol/frame.h"
#include "protocol/messages/metadata.h"

namespace bs::consumer {

using protocol::ApiKey;
using protocol::ErrorCode;

namespace {
// Upper bound of one network wait, so backoffs and deadlines are re-checked regularly.
constexpr int64_t kMaxPollSliceMs = 100;

// now + timeout without overflow (callers pass INT64_MAX for "forever").
int64_t saturatingDeadline(int64_t nowMs, int64_t timeoutMs) {
    timeoutMs = std::max<int64_t>(0, timeoutMs);
    return timeoutMs > INT64_MAX - nowMs ? INT64_MAX : nowMs + timeoutMs;
}
}  // namespace

KafkaConsumer::KafkaConsumer(const ConsumerConfig& config, const Clock& clock)
    : config_(config),
      clock_(clock),
      metadata_(config.retryBackoffMs, config.metadataMaxAgeMs, clock),
      subscriptions_(config.autoOffsetReset),
      fetcher_(config_, subscriptions_, metadata_),
      offsetFetcher_(config_, subscriptions_, metadata_) {}

KafkaConsumer::~KafkaConsumer() {
    close();
}

Result<std::unique_ptr<KafkaConsumer>> KafkaConsumer::create(const ConsumerConfig& config,
                                                             const Clock& clock) {
    client::NetworkClientConfig nc;
    nc.clientId = config.clientId.empty() ? "batchscope-consumer" : config.clientId;
    nc.reconnectBackoffMs = config.reconnectBackoffMs;
    nc.reconnectBackoffMaxMs = config.reconnectBackoffMaxMs;
    nc.connectionSetupTimeoutMs = config.socketConnectionSetupTimeoutMs;
    nc.sendBufferBytes = config.sendBufferBytes;
    nc.receiveBufferBytes = config.receiveBufferBytes;
    nc.security = config.security;
    // A Fetch response may exceed fetch.max.bytes by one batch (KIP-74): leave room for it.
    nc.maxResponseSize = static_cast<int32_t>(std::min<int64_t>(
        INT32_MAX, std::max<int64_t>(100 << 20, int64_t{config.fetchMaxBytes} +
                                                    config.maxPartitionFetchBytes + (16 << 20))));
    auto client = std::make_unique<client::AsioNetworkClient>(nc, clock);
    auto c = create(config, *client, clock);
    if (!c) return c.error();
    (*c)->ownedClient_ = std::move(client);
    return c;
}

Result<std::unique_ptr<KafkaConsumer>> KafkaConsumer::create(const ConsumerConfig& config,
                                                             client::NetworkClient& client,
                                                             const Clock& clock) {
    auto nodes = client::Metadata::parseBootstrapServers(config.bootstrapServers);
    if (!nodes) return Error{"bootstrap.servers: " + nodes.error().message};
    auto keyDes = createDeserializer(config.keyDeserializer);
    if (!keyDes) return Error{"key.deserializer: " + keyDes.error().message};
    auto valueDes = createDeserializer(config.valueDeserializer);
    if (!valueDes) return Error{"value.deserializer: " + valueDes.error().message};
    std::unique_ptr<KafkaConsumer> c(new KafkaConsumer(config, clock));
    c->client_ = &client;
    c->metadata_.bootstrap(std::move(*nodes));
    c->keyDeserializer_ = std::move(*keyDes);
    c->valueDeserializer_ = std::move(*valueDes);
    return c;
}

void KafkaConsumer::assign(const std::vector<TopicPartition>& partitions) {
    subscriptions_.assign(partitions);
    fetcher_.clearBufferedDataForUnassigned();
    const int64_t now = clock_.nowMs();
    for (const auto& t : subscriptions_.topics())
        metadata_.add(t, now);
}

void KafkaConsumer::seek(const TopicPartition& tp, int64_t offset) {
    subscriptions_.seek(tp, offset);
    fetcher_.clearBufferedDataForUnassigned();
}

void KafkaConsumer::seekToBeginning(const std::vector<TopicPartition>& partitions) {
    for (const auto& tp : partitions)
        subscriptions_.requestReset(tp, {OffsetReset::kEarliest});
    fetcher_.clearBufferedDataForUnassigned();
}

void KafkaConsumer::seekToEnd(const std::vector<TopicPartition>& partitions) {
    for (const auto& tp : partitions)
        subscriptions_.requestReset(tp, {OffsetReset::kLatest});
    fetcher_.clearBufferedDataForUnassigned();
}

void KafkaConsumer::seekToTimestamp(const std::vector<TopicPartition>& partitions,
                                    int64_t timestampMs) {
    for (const auto& tp : partitions)
        subscriptions_.requestReset(tp, {timestampMs});
    fetcher_.clearBufferedDataForUnassigned();
}

Status KafkaConsumer::checkUsable() {
    if (closed_) return Error{"This consumer has already been closed."};
    if (wakeup_.exchange(false)) return Error{"wakeup"};
    return {};
}

void KafkaConsumer::maybeUpdateMetadata(int64_t nowMs) {
    if (metadata_.timeToNextUpdate(nowMs) > 0) return;
    auto node = client_->leastLoadedNode(nowMs);
    if (!node) return;
    metadata_.checkConnection(*client_, *node);
    if (!client_->ready(*node, nowMs)) return;
    metadata_.onRequestSent(nowMs);
    auto body = metadata_.newMetadataRequest();
    body.allowAutoTopicCreation = config_.allowAutoCreateTopics;
    client::ClientRequest req;
    req.destination = *node;
    req.apiKey = ApiKey::Metadata;
    req.requestTimeoutMs = config_.requestTimeoutMs;
    req.writeBody = [body = std::move(body)](int16_t v, protocol::Writer& w) {
        encode(body, v, w);
    };
    req.callback = [this](const client::ClientResponse& r) {
        protocol::MetadataResponse resp;
        Status st = r.ok() ? protocol::decodeBody(resp, r.apiVersion, r.body) : Error{r.error};
        if (!st.ok()) {
            spdlog::debug("Metadata request to node {} failed: {}", r.destination, st.message());
            metadata_.failedUpdate(r.receivedMs);
            return;
        }
        metadata_.update(resp, r.receivedMs);
    };
    client_->send(std::move(req), nowMs);
}

void KafkaConsumer::sendResets(int64_t nowMs) {
    auto cluster = metadata_.fetch();
    for (auto& p : offsetFetcher_.prepareResetRequests(*cluster, nowMs)) {
        auto request = std::make_shared<protocol::ListOffsetsRequest>(std::move(p.request));
        if (!client_->ready(p.node, nowMs)) {
            // Not connected yet: undo the in-flight marks, try again next round.
            for (const auto& t : request->topics)
                for (const auto& part : t.partitions)
                    subscriptions_.state({t.name, part.partitionIndex})->resetInFlight = false;
            continue;
        }
        client::ClientRequest req;
        req.destination = p.node;
        req.apiKey = ApiKey::ListOffsets;
        req.requestTimeoutMs = config_.requestTimeoutMs;
        req.writeBody = [request](int16_t v, protocol::Writer& w) { encode(*request, v, w); };
        req.callback = [this, request](const client::ClientResponse& r) {
            if (!r.ok())
                offsetFetcher_.handleResetFailure(*request, r.error, r.receivedMs);
            else
                offsetFetcher_.handleResetResponse(*request, r.apiVersion, r.body, r.receivedMs);
        };
        client_->send(std::move(req), nowMs);
    }
}

void KafkaConsumer::sendFetches(int64_t nowMs) {
    auto cluster = metadata_.fetch();
    for (auto& p : fetcher_.prepareFetchRequests(*cluster, nowMs)) {
        if (!client_->ready(p.node, nowMs)) {
            fetcher_.cancelPrepared(p.node);
            continue;
        }
        auto request = std::make_shared<protocol::FetchRequest>(std::move(p.request));
        client::ClientRequest req;
        req.destination = p.node;
        req.apiKey = ApiKey::Fetch;
        // The broker may hold the request for fetch.max.wait.ms before answering.
        req.requestTimeoutMs = config_.requestTimeoutMs + config_.fetchMaxWaitMs;
        req.writeBody = [request](int16_t v, protocol::Writer& w) { encode(*request, v, w); };
        req.callback = [this, request](const client::ClientResponse& r) {
            if (!r.ok()) {
                fetcher_.handleFetchFailure(r.destination, *request, r.error, r.receivedMs);
                return;
            }
            fetcher_.handleFetchResponse(r.destination, r.apiVersion, *request,
                                         std::vector<uint8_t>(r.body.begin(), r.body.end()),
                                         r.receivedMs);
        };
        client_->send(std::move(req), nowMs);
    }
}

void KafkaConsumer::runOnce(int64_t pollMs) {
    const int64_t now = clock_.nowMs();
    if (int64_t v = metadata_.updateVersion(); v != nodesVersionSent_) {
        nodesVersionSent_ = v;
        client_->setNodes(metadata_.fetch()->nodes());
    }
    maybeUpdateMetadata(now);
    sendResets(now);
    sendFetches(now);
    client_->poll(std::clamp<int64_t>(pollMs, 0, kMaxPollSliceMs), now);
}

Result<ConsumerRecords> KafkaConsumer::poll(int64_t timeoutMs) {
    if (Status s = checkUsable(); !s.ok()) return Error{s.message()};
    if (Status s = subscriptions_.resetMissingPositions(); !s.ok()) return Error{s.message()};
    const int64_t deadline = saturatingDeadline(clock_.nowMs(), timeoutMs);
    for (;;) {
        ConsumerRecords out;
        if (Status s = fetcher_.collectFetch(out, clock_.nowMs()); !s.ok())
            return Error{s.message()};
        if (!out.empty()) {
            // Pipelining (as Java): ask for the next data before handing these out.
            sendFetches(clock_.nowMs());
            return out;
        }
        const int64_t remaining = deadline - clock_.nowMs();
        if (remaining <= 0) return out;
        if (wakeup_.exchange(false)) return Error{"wakeup"};
        runOnce(remaining);
    }
}

Result<int64_t> KafkaConsumer::position(const TopicPartition& tp, int64_t timeoutMs) {
    if (Status s = checkUsable(); !s.ok()) return Error{s.message()};
    if (!subscriptions_.isAssigned(tp))
        return Error{
            "You can only check the position for partitions assigned to this consumer "
            "(" +
            tp.toString() + " is not)."};
    if (Status s = subscriptions_.resetMissingPositions(); !s.ok()) return Error{s.message()};
    const int64_t deadline = saturatingDeadline(clock_.nowMs(), timeoutMs);
    for (;;) {
        if (auto p = subscriptions_.position(tp)) return *p;
        const int64_t remaining = deadline - clock_.nowMs();
        if (remaining <= 0)
            return Error{"Timeout of " + std::to_string(timeoutMs) +
                         "ms expired before the position for partition " + tp.toString() +
                         " could be determined"};
        if (wakeup_.exchange(false)) return Error{"wakeup"};
        runOnce(remaining);
    }
}

Result<std::vector<int32_t>> KafkaConsumer::partitionsFor(const std::string& topic,
                                                          int64_t timeoutMs) {
    if (Status s = checkUsable(); !s.ok()) return Error{s.message()};
    const int64_t deadline = saturatingDeadline(clock_.nowMs(), timeoutMs);
    metadata_.add(topic, clock_.nowMs());
    metadata_.requestUpdate();  // fresh partitions, even for a topic already known
    const int64_t versionAtStart = metadata_.updateVersion();
    ErrorCode last = ErrorCode::NONE;
    for (;;) {
        auto cluster = metadata_.fetch();
        auto parts = cluster->partitionsForTopic(topic);
        if (!parts.empty() && metadata_.updateVersion() != versionAtStart) {
            std::vector<int32_t> ids;
            for (const auto& p : parts)
                ids.push_back(p.tp.partition);
            return ids;
        }
        if (auto refused = metadata_.fatalErrorMessage()) return Error{*refused};
        last = cluster->topicError(topic);
        if (last != ErrorCode::NONE && !protocol::isRetriable(last))
            return Error{"topic '" + topic + "': " + std::string(protocol::errorName(last))};
        const int64_t remaining = deadline - clock_.nowMs();
        if (remaining <= 0)
            return Error{"Topic " + topic + " not present in metadata after " +
                         std::to_string(timeoutMs) + " ms" +
                         (last != ErrorCode::NONE
                              ? " (last error " + std::string(protocol::errorName(last)) + ")"
                              : std::string()) +
                         (metadata_.connectionProblem().empty()
                              ? std::string()
                              : "; last connection problem: " + metadata_.connectionProblem())};
        if (wakeup_.exchange(false)) return Error{"wakeup"};
        if (!metadata_.updateRequested()) metadata_.requestUpdate();  // e.g. topic being created
        runOnce(remaining);
    }
}

Result<std::map<TopicPartition, ListOffsetsResult>> KafkaConsumer::listOffsets(
    const std::map<TopicPartition, int64_t>& timestamps, int64_t timeoutMs) {
    if (Status s = checkUsable(); !s.ok()) return Error{s.message()};
    struct Shared {
        std::vector<std::pair<protocol::ListOffsetsRequest, std::string>> failed;
        std::map<TopicPartition, ListOffsetsResult> answers;
        int inFlight = 0;
    };
    auto shared = std::make_shared<Shared>();
    std::map<TopicPartition, int64_t> pending = timestamps;
    std::map<TopicPartition, ListOffsetsResult> results;
    const int64_t now0 = clock_.nowMs();
    const int64_t deadline = saturatingDeadline(now0, timeoutMs);
    for (const auto& [tp, ts] : timestamps)
        metadata_.add(tp.topic, now0);
    int64_t nextSendMs = 0;
    while (!pending.empty() || shared->inFlight > 0) {
        const int64_t now = clock_.nowMs();
        if (now >= deadline)
            return Error{"Failed to get offsets by times in " + std::to_string(timeoutMs) + "ms"};
        if (wakeup_.exchange(false)) return Error{"wakeup"};
        if (!pending.empty() && now >= nextSendMs && metadata_.updateVersion() > 0) {
            std::vector<TopicPartition> noLeader;
            auto cluster = metadata_.fetch();
            for (auto& p : OffsetFetcher::buildRequests(*cluster, pending, noLeader)) {
                if (!client_->ready(p.node, now)) continue;
                for (const auto& t : p.request.topics)
                    for (const auto& part : t.partitions)
                        pending.erase({t.name, part.partitionIndex});
                auto request = std::make_shared<protocol::ListOffsetsRequest>(std::move(p.request));
                client::ClientRequest req;
                req.destination = p.node;
                req.apiKey = ApiKey::ListOffsets;
                req.requestTimeoutMs = config_.requestTimeoutMs;
                req.writeBody = [request](int16_t v, protocol::Writer& w) {
                    encode(*request, v, w);
                };
                req.callback = [shared, request](const client::ClientResponse& r) {
                    --shared->inFlight;
                    if (!r.ok()) return shared->failed.push_back({*request, r.error});
                    auto parsed = OffsetFetcher::parseResponse(r.apiVersion, r.body);
                    if (!parsed)
                        return shared->failed.push_back({*request, parsed.error().message});
                    for (auto& [tp, res] : *parsed)
                        shared->answers[tp] = res;
                };
                ++shared->inFlight;
                client_->send(std::move(req), now);
            }
            if (!noLeader.empty()) metadata_.requestUpdate();
        }
        runOnce(deadline - now);
        // Sort the answers: done, retry (stale leader), or fatal.
        for (auto& [req, why] : shared->failed) {
            metadata_.requestUpdate();
            for (const auto& t : req.topics)
                for (const auto& p : t.partitions)
                    pending[{t.name, p.partitionIndex}] = p.timestamp;
            nextSendMs = clock_.nowMs() + config_.retryBackoffMs;
        }
        shared->failed.clear();
        for (auto& [tp, res] : shared->answers) {
            auto it = timestamps.find(tp);
            if (it == timestamps.end()) continue;
            if (res.error == ErrorCode::NONE ||
                res.error == ErrorCode::UNSUPPORTED_FOR_MESSAGE_FORMAT) {
                results[tp] = res;
            } else if (isStaleMetadataError(res.error) || protocol::isRetriable(res.error)) {
                metadata_.requestUpdate();
                pending[tp] = it->second;
                nextSendMs = clock_.nowMs() + config_.retryBackoffMs;
            } else {
                return Error{"ListOffsets for " + tp.toString() +
                             " failed: " + std::string(protocol::errorName(res.error))};
            }
        }
        shared->answers.clear();
    }
    return results;
}

Result<std::map<TopicPartition, std::optional<OffsetAndTimestamp>>> KafkaConsumer::offsetsForTimes(
    const std::map<TopicPartition, int64_t>& timestamps, int64_t timeoutMs) {
    for (const auto& [tp, ts] : timestamps)
        if (ts < 0)
            return Error{"The target time for partition " + tp.toString() + " is " +
                         std::to_string(ts) + ". The target time cannot be negative."};
    auto r = listOffsets(timestamps, timeoutMs);
    if (!r) return r.error();
    std::map<TopicPartition, std::optional<OffsetAndTimestamp>> out;
    for (const auto& [tp, ts] : timestamps) {
        auto it = r->find(tp);
        if (it == r->end() || it->second.error != ErrorCode::NONE || it->second.offset < 0) {
            out[tp] = std::nullopt;
            continue;
        }
        OffsetAndTimestamp o{it->second.offset, it->second.timestamp, std::nullopt};
        if (it->second.leaderEpoch >= 0) o.leaderEpoch = it->second.leaderEpoch;
        out[tp] = o;
    }
    return out;
}

namespace {
Result<std::map<TopicPartition, int64_t>> offsetsOnly(
    Result<std::map<TopicPartition, ListOffsetsResult>> r) {
    if (!r) return r.error();
    std::map<TopicPartition, int64_t> out;
    for (const auto& [tp, res] : *r)
        out[tp] = res.offset;
    return out;
}
}  // namespace

Result<std::map<TopicPartition, int64_t>> KafkaConsumer::beginningOffsets(
    const std::vector<TopicPartition>& partitions, int64_t timeoutMs) {
    std::map<TopicPartition, int64_t> ts;
    for (const auto& tp : partitions)
        ts[tp] = OffsetReset::kEarliest;
    return offsetsOnly(listOffsets(ts, timeoutMs));
}

Result<std::map<TopicPartition, int64_t>> KafkaConsumer::endOffsets(
    const std::vector<TopicPartition>& partitions, int64_t timeoutMs) {
    std::map<TopicPartition, int64_t> ts;
    for (const auto& tp : partitions)
        ts[tp] = OffsetReset::kLatest;
    return offsetsOnly(listOffsets(ts, timeoutMs));
}

std::optional<int64_t> KafkaConsumer::highWatermark(const TopicPartition& tp) const {
    const auto* st = subscriptions_.state(tp);
    if (!st || st->highWatermark < 0) return std::nullopt;
    return st->highWatermark;
}

std::optional<int64_t> KafkaConsumer::logStartOffset(const TopicPartition& tp) const {
    const auto* st = subscriptions_.state(tp);
    if (!st || st->logStartOffset < 0) return std::nullopt;
    return st->logStartOffset;
}

void KafkaConsumer::wakeup() {
    wakeup_.store(true);
    if (client_) client_->wakeup();
}

void KafkaConsumer::close() {
    if (closed_) return;
    closed_ = true;
    if (client_) client_->close();
}

}  // namespace bs::consumer
