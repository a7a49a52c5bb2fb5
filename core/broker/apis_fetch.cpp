// Fetch (with long polling through DelayedFetch) and ListOffsets.
#include <algorithm>

#include "broker/delayed_fetch.h"
#include "broker/kafka_apis.h"
#include "protocol/frame.h"
#include "protocol/record/record_batch.h"

namespace bs::broker {

using apis_detail::malformed;
using apis_detail::respond;
using protocol::ApiKey;
using protocol::ErrorCode;

namespace {

constexpr int64_t kLatestTimestamp = -1;
constexpr int64_t kEarliestTimestamp = -2;
constexpr int64_t kMaxTimestamp = -3;

// ListOffsets -3 (KIP-734): the first record carrying the partition's largest timestamp. No
// time index here, so the batch headers are walked.
OffsetAndTimestamp maxTimestampOffset(const Log& log) {
    constexpr int32_t kChunkBytes = 1 << 20;
    OffsetAndTimestamp best;
    int64_t offset = log.logStartOffset();
    while (offset < log.logEndOffset()) {
        LogReadResult rr = log.read(offset, kChunkBytes);
        if (!rr.ok() || rr.records.empty()) break;
        protocol::RecordBatchReader reader(rr.records);
        const int64_t before = offset;
        while (reader.nextBatch()) {
            const auto& b = reader.batch();
            offset = b.nextOffset();
            if (b.maxTimestamp <= best.timestamp) continue;
            best = {b.baseOffset, b.maxTimestamp};
            if (b.timestampType() == protocol::TimestampType::LogAppendTime) continue;
            protocol::Record rec;
            while (reader.nextRecord(rec)) {
                if (rec.timestamp == b.maxTimestamp) {
                    best.offset = rec.offset;
                    break;
                }
            }
        }
        if (offset == before) break;  // no progress: stop rather than spin
    }
    return best;
}

}  // namespace

KafkaApis::FetchRead KafkaApis::readForFetch(int32_t nodeId, const protocol::FetchRequest& req) {
    FetchRead out;
    int64_t remaining = std::max(req.maxBytes, 0);
    out.response.responses.reserve(req.topics.size());
    for (const auto& topic : req.topics) {
        auto& tr = out.response.responses.emplace_back();
        tr.topic = topic.topic;
        const auto meta = metadata_.topic(topic.topic);
        for (const auto& fp : topic.partitions) {
            auto& pd = tr.partitions.emplace_back();
            pd.partitionIndex = fp.partition;
            pd.highWatermark = -1;
            pd.lastStableOffset = -1;
            pd.logStartOffset = -1;
            std::optional<PartitionMetadata> pm;
            if (meta && fp.partition >= 0 &&
                fp.partition < static_cast<int32_t>(meta->partitions.size())) {
                pm = meta->partitions[static_cast<size_t>(fp.partition)];
            }
            pd.errorCode = checkLeader(nodeId, pm, fp.currentLeaderEpoch);
            if (pd.errorCode == ErrorCode::NOT_LEADER_OR_FOLLOWER) {
                pd.currentLeader = protocol::LeaderIdAndEpoch{pm->leader, pm->leaderEpoch};
            }
            if (pd.errorCode == ErrorCode::NONE) {
                auto partition = replicas_.getPartition(topic.topic, fp.partition);
                if (!partition) {
                    pd.errorCode = ErrorCode::KAFKA_STORAGE_ERROR;
                } else {
                    const Log& log = (*partition)->log();
                    const auto budget =
                        static_cast<int32_t>(std::min<int64_t>(fp.partitionMaxBytes, remaining));
                    LogReadResult rr;
                    ReadBuffer records;
                    if (budget > 0 || out.bytes == 0) {
                        // The first partition with data always returns at least one whole
                        // batch (KIP-74), so a batch above the limits cannot stall a consumer.
                        rr = log.read(fp.fetchOffset, std::max(budget, 1), records);
                        if (out.bytes > 0 && records.size() > static_cast<size_t>(budget)) {
                            records.clear();
                        }
                    } else {
                        rr.highWatermark = log.highWatermark();
                        rr.logStartOffset = log.logStartOffset();
                    }
                    pd.errorCode = rr.error;
                    pd.highWatermark = rr.highWatermark;
                    pd.lastStableOffset = rr.highWatermark;  // no transactions
                    pd.logStartOffset = rr.logStartOffset;
                    if (!records.empty()) {
                        out.bytes += records.size();
                        remaining -= static_cast<int64_t>(records.size());
                        out.records.push_back(std::move(records));
                        pd.records.bytes = out.records.back().bytes();
                    }
                }
            }
            if (pd.errorCode != ErrorCode::NONE) out.anyError = true;
        }
    }
    return out;
}

std::vector<uint8_t> KafkaApis::encodeFetch(const protocol::RequestHeader& header,
                                            const FetchRead& read) {
    // Sized up front: the records are then copied into the frame once, not again on each
    // growth of the vector (a fetch carries up to fetch.max.bytes).
    size_t estimate = 256 + read.bytes;
    for (const auto& topic : read.response.responses)
        estimate += 32 + topic.topic.size() + 96 * topic.partitions.size();
    std::vector<uint8_t> frame;
    frame.reserve(estimate);
    protocol::appendResponseFrame(frame, header.apiKey, header.apiVersion, header.correlationId,
                                  read.response);
    return frame;
}

RequestOutcome KafkaApis::handleFetch(int32_t nodeId, const protocol::RequestHeader& h,
                                      std::span<const uint8_t> body) {
    protocol::FetchRequest req;
    if (auto s = protocol::decodeBody(req, h.apiVersion, body); !s) return malformed("Fetch", s);
    RequestOutcome out;
    // No incremental fetch sessions (KIP-227): every fetch is a full one, sessionId 0 tells the
    // client no session was created.
    ErrorCode sessionError = ErrorCode::NONE;
    if (req.sessionId != 0) {
        sessionError = ErrorCode::FETCH_SESSION_ID_NOT_FOUND;
    } else if (req.sessionEpoch != 0 && req.sessionEpoch != -1) {
        sessionError = ErrorCode::INVALID_FETCH_SESSION_EPOCH;
    }
    const auto injected = faults_.takeError(nodeId, ApiKey::Fetch);
    if (sessionError != ErrorCode::NONE || injected) {
        protocol::FetchResponse r;
        r.errorCode = sessionError;
        if (injected) {
            for (const auto& topic : req.topics) {
                auto& tr = r.responses.emplace_back();
                tr.topic = topic.topic;
                for (const auto& fp : topic.partitions) {
                    auto& pd = tr.partitions.emplace_back();
                    pd.partitionIndex = fp.partition;
                    pd.errorCode = *injected;
                    pd.highWatermark = -1;
                    pd.logStartOffset = -1;
                }
            }
        }
        out.response = protocol::encodeResponseFrame(h.apiKey, h.apiVersion, h.correlationId, r);
        return out;
    }
    FetchRead read = readForFetch(nodeId, req);
    if (read.anyError || req.maxWaitMs <= 0 ||
        read.bytes >= static_cast<size_t>(std::max(req.minBytes, 1))) {
        out.response = encodeFetch(h, read);
        return out;
    }
    std::vector<std::shared_ptr<Partition>> partitions;
    for (const auto& topic : req.topics) {
        for (const auto& fp : topic.partitions) {
            if (auto p = replicas_.getPartition(topic.topic, fp.partition)) {
                partitions.push_back(std::move(*p));
            }
        }
    }
    out.action = RequestOutcome::Action::Park;
    out.delayedFetch =
        std::make_shared<DelayedFetch>(*this, nodeId, h, std::move(req), std::move(partitions));
    return out;
}

RequestOutcome KafkaApis::handleListOffsets(int32_t nodeId, const protocol::RequestHeader& h,
                                            std::span<const uint8_t> body) {
    protocol::ListOffsetsRequest req;
    if (auto s = protocol::decodeBody(req, h.apiVersion, body); !s) {
        return malformed("ListOffsets", s);
    }
    const auto injected = faults_.takeError(nodeId, ApiKey::ListOffsets);
    protocol::ListOffsetsResponse r;
    for (const auto& topic : req.topics) {
        auto& tr = r.topics.emplace_back();
        tr.name = topic.name;
        const auto meta = metadata_.topic(topic.name);
        for (const auto& lp : topic.partitions) {
            auto& pr = tr.partitions.emplace_back();
            pr.partitionIndex = lp.partitionIndex;
            if (injected) {
                pr.errorCode = *injected;
                continue;
            }
            std::optional<PartitionMetadata> pm;
            if (meta && lp.partitionIndex >= 0 &&
                lp.partitionIndex < static_cast<int32_t>(meta->partitions.size())) {
                pm = meta->partitions[static_cast<size_t>(lp.partitionIndex)];
            }
            pr.errorCode = checkLeader(nodeId, pm, lp.currentLeaderEpoch);
            if (pr.errorCode != ErrorCode::NONE) continue;
            auto partition = replicas_.getPartition(topic.name, lp.partitionIndex);
            if (!partition) {
                pr.errorCode = ErrorCode::KAFKA_STORAGE_ERROR;
                continue;
            }
            const Log& log = (*partition)->log();
            pr.leaderEpoch = pm->leaderEpoch;
            if (lp.timestamp == kEarliestTimestamp) {
                pr.offset = log.logStartOffset();
            } else if (lp.timestamp == kLatestTimestamp) {
                pr.offset = log.logEndOffset();
            } else if (lp.timestamp == kMaxTimestamp) {
                const auto found = maxTimestampOffset(log);
                pr.offset = found.offset;
                pr.timestamp = found.timestamp;
            } else if (lp.timestamp >= 0) {
                auto found = log.offsetForTimestamp(lp.timestamp);
                if (!found) {
                    pr.errorCode = ErrorCode::KAFKA_STORAGE_ERROR;
                } else {
                    pr.offset = found->offset;
                    pr.timestamp = found->timestamp;
                }
            } else {
                pr.errorCode = ErrorCode::INVALID_REQUEST;  // -4/-5 need tiered storage
            }
        }
    }
    return respond(h, r);
}

}  // namespace bs::broker
