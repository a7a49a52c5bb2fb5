#include "consumer/offset_fetcher.h"

#include <spdlog/spdlog.h>

#include "consumer/fetcher.h"
#include "protocol/frame.h"

namespace bs::consumer {

using protocol::ErrorCode;

std::vector<OffsetFetcher::PreparedListOffsets> OffsetFetcher::buildRequests(
    const client::Cluster& cluster, const std::map<TopicPartition, int64_t>& timestamps,
    std::vector<TopicPartition>& noLeader) {
    std::map<int32_t, protocol::ListOffsetsRequest> byNode;
    for (const auto& [tp, ts] : timestamps) {
        auto leader = cluster.leaderFor(tp);
        if (!leader) {
            noLeader.push_back(tp);
            continue;
        }
        auto& req = byNode[*leader];
        if (req.topics.empty() || req.topics.back().name != tp.topic)
            req.topics.push_back({tp.topic, {}});
        req.topics.back().partitions.push_back(
            {tp.partition, cluster.leaderEpochFor(tp).value_or(-1), ts});
    }
    std::vector<PreparedListOffsets> out;
    for (auto& [node, req] : byNode) {
        req.replicaId = -1;
        req.isolationLevel = 0;
        out.push_back({node, std::move(req)});
    }
    return out;
}

Result<std::map<TopicPartition, ListOffsetsResult>> OffsetFetcher::parseResponse(
    int16_t version, std::span<const uint8_t> body) {
    protocol::ListOffsetsResponse resp;
    protocol::Reader reader(body);
    if (Status s = decode(resp, version, reader); !s.ok())
        return Error{"malformed ListOffsets v" + std::to_string(version) +
                     " response: " + s.message()};
    // Trailing bytes are tolerated as the Java client does: librdkafka's mock cluster (2.0)
    // appends 4 bytes to ListOffsets v4+ responses.
    if (!reader.atEnd())
        spdlog::debug("ignoring {} trailing bytes after a ListOffsets v{} response",
                      reader.remaining(), version);
    std::map<TopicPartition, ListOffsetsResult> out;
    for (const auto& t : resp.topics)
        for (const auto& p : t.partitions)
            out[{t.name, p.partitionIndex}] = {p.errorCode, p.offset, p.timestamp, p.leaderEpoch};
    return out;
}

std::vector<OffsetFetcher::PreparedListOffsets> OffsetFetcher::prepareResetRequests(
    const client::Cluster& cluster, int64_t nowMs) {
    std::map<TopicPartition, int64_t> wanted;
    for (auto& [tp, st] : subscriptions_.all())
        if (st.resetNeeded && !st.resetInFlight && nowMs >= st.nextAllowedMs)
            wanted[tp] = st.resetNeeded->timestamp;
    if (wanted.empty()) return {};
    std::vector<TopicPartition> noLeader;
    auto out = buildRequests(cluster, wanted, noLeader);
    if (!noLeader.empty()) metadata_.requestUpdate();
    for (const auto& p : out)
        for (const auto& t : p.request.topics)
            for (const auto& part : t.partitions)
                subscriptions_.state({t.name, part.partitionIndex})->resetInFlight = true;
    return out;
}

void OffsetFetcher::retryLater(const TopicPartition& tp, int64_t nowMs) {
    if (auto* st = subscriptions_.state(tp)) {
        st->resetInFlight = false;
        st->nextAllowedMs = nowMs + config_.retryBackoffMs;
    }
}

void OffsetFetcher::handleResetFailure(const protocol::ListOffsetsRequest& request,
                                       const std::string& why, int64_t nowMs) {
    spdlog::debug("ListOffsets for a position reset failed: {}", why);
    metadata_.requestUpdate();
    for (const auto& t : request.topics)
        for (const auto& p : t.partitions)
            retryLater({t.name, p.partitionIndex}, nowMs);
}

void OffsetFetcher::handleResetResponse(const protocol::ListOffsetsRequest& request,
                                        int16_t version, std::span<const uint8_t> body,
                                        int64_t nowMs) {
    auto parsed = parseResponse(version, body);
    if (!parsed) return handleResetFailure(request, parsed.error().message, nowMs);
    for (const auto& t : request.topics) {
        for (const auto& p : t.partitions) {
            TopicPartition tp{t.name, p.partitionIndex};
            auto* st = subscriptions_.state(tp);
            // Only apply to a reset still waiting for exactly this lookup.
            if (!st || !st->resetInFlight || !st->resetNeeded ||
                st->resetNeeded->timestamp != p.timestamp)
                continue;
            auto it = parsed->find(tp);
            if (it == parsed->end()) {
                retryLater(tp, nowMs);
                continue;
            }
            const ListOffsetsResult& r = it->second;
            if (r.error == ErrorCode::NONE && r.offset >= 0) {
                subscriptions_.seek(tp, r.offset);
                continue;
            }
            if (r.error == ErrorCode::NONE && p.timestamp >= 0) {
                // No record at or after the timestamp: start at the end (what a time-based
                // start means once everything older was asked to be skipped).
                subscriptions_.requestReset(tp, OffsetReset{OffsetReset::kLatest});
                continue;
            }
            if (isStaleMetadataError(r.error)) metadata_.requestUpdate();
            spdlog::debug("ListOffsets for {} answered {} (offset {}), retrying", tp.toString(),
                          protocol::errorName(r.error), r.offset);
            retryLater(tp, nowMs);
        }
    }
}

}  // namespace bs::consumer
