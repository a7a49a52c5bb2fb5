#include "consumer/fetcher.h"

#include <spdlog/spdlog.h>

#include "protocol/codec.h"
#include "protocol/frame.h"

namespace bs::consumer {

using protocol::ErrorCode;

bool isStaleMetadataError(ErrorCode e) {
    switch (e) {
        case ErrorCode::NOT_LEADER_OR_FOLLOWER:
        case ErrorCode::LEADER_NOT_AVAILABLE:
        case ErrorCode::REPLICA_NOT_AVAILABLE:
        case ErrorCode::KAFKA_STORAGE_ERROR:
        case ErrorCode::FENCED_LEADER_EPOCH:
        case ErrorCode::UNKNOWN_LEADER_EPOCH:
        case ErrorCode::OFFSET_NOT_AVAILABLE:
        case ErrorCode::UNKNOWN_TOPIC_OR_PARTITION:
        case ErrorCode::UNKNOWN_TOPIC_ID:
        case ErrorCode::INCONSISTENT_TOPIC_ID:
            return true;
        default:
            return false;
    }
}

// One partition's answer, kept with the response bytes it views until fully consumed.
struct Fetcher::CompletedFetch {
    std::shared_ptr<const std::vector<uint8_t>> body;
    TopicPartition tp;
    int64_t fetchOffset = 0;
    int64_t nextFetchOffset = 0;
    protocol::FetchResponse::PartitionData data;
    bool initialized = false;
    bool progressed = false;  // a complete batch was seen
    std::unique_ptr<protocol::RecordBatchReader> reader;
    bool inBatch = false;
    bool batchStarted = false;     // a record of the current batch was returned
    uint64_t batchGeneration = 0;  // collectFetch call that last added its BatchInfo
    bool exhausted = false;
};

Fetcher::Fetcher(const ConsumerConfig& config, SubscriptionState& subscriptions,
                 client::Metadata& metadata)
    : config_(config), subscriptions_(subscriptions), metadata_(metadata) {}

Fetcher::~Fetcher() = default;

std::vector<Fetcher::PreparedFetch> Fetcher::prepareFetchRequests(const client::Cluster& cluster,
                                                                  int64_t nowMs) {
    std::set<TopicPartition> buffered;
    for (const auto& cf : completed_)
        buffered.insert(cf->tp);
    std::map<int32_t, protocol::FetchRequest> byNode;
    for (auto& [tp, st] : subscriptions_.all()) {
        if (!st.position || st.resetNeeded || nowMs < st.nextAllowedMs || buffered.count(tp))
            continue;
        auto leader = cluster.leaderFor(tp);
        if (!leader) {
            metadata_.requestUpdate();
            continue;
        }
        if (nodesInFlight_.count(*leader)) continue;
        protocol::FetchRequest& req = byNode[*leader];
        if (req.topics.empty() || req.topics.back().topic != tp.topic)
            req.topics.push_back({tp.topic, {}});
        protocol::FetchRequest::FetchPartition p;
        p.partition = tp.partition;
        p.currentLeaderEpoch = cluster.leaderEpochFor(tp).value_or(-1);
        p.fetchOffset = *st.position;
        p.logStartOffset = -1;
        p.partitionMaxBytes = config_.maxPartitionFetchBytes;
        req.topics.back().partitions.push_back(p);
    }
    std::vector<PreparedFetch> out;
    for (auto& [node, req] : byNode) {
        req.replicaId = -1;
        req.maxWaitMs = config_.fetchMaxWaitMs;
        req.minBytes = config_.fetchMinBytes;
        req.maxBytes = config_.fetchMaxBytes;
        req.isolationLevel = 0;  // read_uncommitted
        req.sessionId = 0;       // full fetch, no session (FetchMetadata.LEGACY)
        req.sessionEpoch = -1;
        req.rackId = config_.clientRack;
        nodesInFlight_.insert(node);
        out.push_back({node, std::move(req)});
    }
    return out;
}

void Fetcher::backoff(const TopicPartition& tp, int64_t nowMs, std::string why) {
    if (auto* st = subscriptions_.state(tp)) st->nextAllowedMs = nowMs + config_.retryBackoffMs;
    lastErrors_[tp] = std::move(why);
}

void Fetcher::handleFetchFailure(int32_t node, const protocol::FetchRequest& request,
                                 const std::string& why, int64_t nowMs) {
    nodesInFlight_.erase(node);
    metadata_.requestUpdate();
    for (const auto& t : request.topics)
        for (const auto& p : t.partitions)
            backoff({t.topic, p.partition}, nowMs,
                    "fetch from node " + std::to_string(node) + " failed: " + why);
}

void Fetcher::handleFetchResponse(int32_t node, int16_t version,
                                  const protocol::FetchRequest& request, std::vector<uint8_t> body,
                                  int64_t nowMs) {
    nodesInFlight_.erase(node);
    auto owned = std::make_shared<const std::vector<uint8_t>>(std::move(body));
    protocol::FetchResponse resp;
    if (Status s = protocol::decodeBody(resp, version, *owned); !s.ok()) {
        spdlog::warn("malformed Fetch v{} response from node {}: {}", version, node, s.message());
        handleFetchFailure(node, request, "malformed Fetch response: " + s.message(), nowMs);
        return;
    }
    if (resp.errorCode != ErrorCode::NONE) {
        handleFetchFailure(node, request,
                           "Fetch error " + std::string(protocol::errorName(resp.errorCode)),
                           nowMs);
        return;
    }
    // Only answers for partitions we asked, at the offset we asked.
    std::map<TopicPartition, int64_t> asked;
    for (const auto& t : request.topics)
        for (const auto& p : t.partitions)
            asked[{t.topic, p.partition}] = p.fetchOffset;
    for (auto& t : resp.responses) {
        for (auto& p : t.partitions) {
            TopicPartition tp{t.topic, p.partitionIndex};
            auto it = asked.find(tp);
            if (it == asked.end()) {
                spdlog::warn("Fetch response from node {} names unrequested partition {}", node,
                             tp.toString());
                continue;
            }
            auto cf = std::make_unique<CompletedFetch>();
            cf->body = owned;
            cf->tp = tp;
            cf->fetchOffset = it->second;
            cf->nextFetchOffset = it->second;
            cf->data = p;
            completed_.push_back(std::move(cf));
        }
    }
}

void Fetcher::clearBufferedDataForUnassigned() {
    std::erase_if(completed_, [&](const std::unique_ptr<CompletedFetch>& cf) {
        auto pos = subscriptions_.position(cf->tp);
        return !pos || *pos != cf->nextFetchOffset;
    });
}

Status Fetcher::initialize(CompletedFetch& cf, int64_t nowMs) {
    cf.initialized = true;
    auto* st = subscriptions_.state(cf.tp);
    const auto& d = cf.data;
    if (!st || !st->position || *st->position != cf.fetchOffset) {
        cf.exhausted = true;  // reassigned or sought elsewhere meanwhile
        return {};
    }
    const std::string name(protocol::errorName(d.errorCode));
    if (d.errorCode == ErrorCode::NONE) {
        st->highWatermark = d.highWatermark;
        if (d.logStartOffset >= 0) st->logStartOffset = d.logStartOffset;
        st->lastStableOffset = d.lastStableOffset;
        lastErrors_.erase(cf.tp);
        if (d.records.isNull || d.records.bytes.empty()) {
            cf.exhausted = true;
            return {};
        }
        cf.reader = std::make_unique<protocol::RecordBatchReader>(d.records.bytes);
        return {};
    }
    cf.exhausted = true;
    if (d.errorCode == ErrorCode::OFFSET_OUT_OF_RANGE) {
        if (subscriptions_.defaultResetStrategy() == OffsetResetStrategy::None)
            return Error{"Fetch position " + std::to_string(cf.fetchOffset) +
                         " is out of range for partition " + cf.tp.toString() +
                         " (auto.offset.reset=none)"};
        OffsetReset r{subscriptions_.defaultResetStrategy() == OffsetResetStrategy::Earliest
                          ? OffsetReset::kEarliest
                          : OffsetReset::kLatest};
        spdlog::info("Fetch position {} is out of range for partition {}, resetting offset to {}",
                     cf.fetchOffset, cf.tp.toString(),
                     offsetResetName(subscriptions_.defaultResetStrategy()));
        subscriptions_.requestReset(cf.tp, r);
        lastErrors_[cf.tp] = "OFFSET_OUT_OF_RANGE at " + std::to_string(cf.fetchOffset);
        return {};
    }
    if (isStaleMetadataError(d.errorCode)) {
        metadata_.requestUpdate();
        backoff(cf.tp, nowMs, name);
        return {};
    }
    if (d.errorCode == ErrorCode::TOPIC_AUTHORIZATION_FAILED)
        return Error{"Not authorized to read topic " + cf.tp.topic +
                     " (TOPIC_AUTHORIZATION_FAILED)"};
    spdlog::warn("Unknown error fetching data for topic-partition {}: {}", cf.tp.toString(), name);
    backoff(cf.tp, nowMs, name);
    return {};
}

Status Fetcher::drain(CompletedFetch& cf, ConsumerRecords& out, int32_t& budget) {
    auto& reader = *cf.reader;
    auto corrupt = [&](const std::string& what) {
        cf.exhausted = true;
        return Error{"Received exception when fetching the next record from " + cf.tp.toString() +
                     " at offset " + std::to_string(cf.nextFetchOffset) + ": " + what +
                     ". If needed, please seek past the record to continue consumption."};
    };
    protocol::Record rec;
    while (budget > 0) {
        if (!cf.inBatch) {
            if (!reader.nextBatch()) {
                if (!reader.ok()) return corrupt(reader.error());
                cf.exhausted = true;
                if (!cf.progressed && reader.partialTailBytes() > 0)
                    return Error{"Failed to make progress reading messages at " + cf.tp.toString() +
                                 "=" + std::to_string(cf.fetchOffset) +
                                 ". Received a non-empty fetch response from the server, but no "
                                 "complete records were found (" +
                                 std::to_string(reader.partialTailBytes()) +
                                 " bytes of a partial batch; raise max.partition.fetch.bytes)."};
                return {};
            }
            cf.progressed = true;
            const auto& h = reader.batch();
            if (h.nextOffset() <= cf.nextFetchOffset) continue;  // already consumed
            if (h.isControl()) {
                cf.nextFetchOffset = h.nextOffset();  // control records are never returned
                continue;
            }
            cf.inBatch = true;
            cf.batchStarted = false;
            cf.batchGeneration = 0;  // its BatchInfo is added with its first record
        }
        if (!reader.nextRecord(rec)) {
            if (!reader.ok()) return corrupt(reader.error());
            cf.inBatch = false;
            cf.nextFetchOffset = std::max(cf.nextFetchOffset, reader.batch().nextOffset());
            continue;
        }
        if (rec.offset < cf.nextFetchOffset) continue;  // before the fetch offset
        if (cf.batchGeneration != generation_) {
            const auto& h = reader.batch();
            BatchInfo b;
            b.tp = cf.tp;
            b.baseOffset = h.baseOffset;
            b.lastOffsetDelta = h.lastOffsetDelta;
            b.recordCount = h.recordCount;
            b.compression = h.compression();
            b.timestampType = h.timestampType();
            b.baseTimestamp = h.baseTimestamp;
            b.maxTimestamp = h.maxTimestamp;
            b.producerId = h.producerId;
            b.producerEpoch = h.producerEpoch;
            b.baseSequence = h.baseSequence;
            b.partitionLeaderEpoch = h.partitionLeaderEpoch;
            b.isTransactional = h.isTransactional();
            b.isControl = h.isControl();
            b.crc = h.crc;
            b.sizeInBytes = static_cast<int32_t>(h.sizeInBytes());
            out.addBatch(std::move(b));
            cf.batchGeneration = generation_;
        }
        out.addRecord(rec, rec.timestamp, !cf.batchStarted);
        cf.batchStarted = true;
        cf.nextFetchOffset = rec.offset + 1;
        --budget;
    }
    return {};
}

Status Fetcher::collectFetch(ConsumerRecords& out, int64_t nowMs) {
    ++generation_;
    if (pendingError_) {
        Error e = std::move(*pendingError_);
        pendingError_.reset();
        return e;
    }
    int32_t budget = config_.maxPollRecords;
    const size_t before = out.size();
    while (budget > 0 && !completed_.empty()) {
        CompletedFetch& cf = *completed_.front();
        Status s;
        if (!cf.initialized) s = initialize(cf, nowMs);
        if (s.ok() && !cf.exhausted) {
            auto pos = subscriptions_.position(cf.tp);
            if (!pos || *pos != cf.nextFetchOffset) {
                cf.exhausted = true;  // a seek moved the position
            } else {
                s = drain(cf, out, budget);
                if (auto* st = subscriptions_.state(cf.tp)) st->position = cf.nextFetchOffset;
            }
        }
        if (cf.exhausted) completed_.pop_front();
        if (!s.ok()) {
            if (out.size() == before) return s;
            pendingError_ = Error{s.message()};
            return {};
        }
    }
    return {};
}

}  // namespace bs::consumer
