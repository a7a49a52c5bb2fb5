// Produce: validate and append each partition's batch on its leader.
#include <spdlog/spdlog.h>

#include "broker/kafka_apis.h"
#include "protocol/frame.h"

namespace bs::broker {

using protocol::ApiKey;
using protocol::ErrorCode;

namespace {

// The request buffer is mutable (the broker assigns offsets in place); the decoded records are
// const views into it. Recover the mutable range they cover.
std::span<uint8_t> mutableView(std::span<uint8_t> frame, std::span<const uint8_t> view) {
    // Null or empty records point nowhere in the frame (the log rejects an empty batch).
    if (view.empty()) return {};
    const auto offset = static_cast<size_t>(view.data() - frame.data());
    return frame.subspan(offset, view.size());
}

}  // namespace

RequestOutcome KafkaApis::handleProduce(int32_t nodeId, const protocol::RequestHeader& h,
                                        std::span<uint8_t> frame, std::span<const uint8_t> body) {
    protocol::ProduceRequest req;
    if (auto s = protocol::decodeBody(req, h.apiVersion, body); !s) {
        return apis_detail::malformed("Produce", s);
    }
    const auto injected = faults_.takeError(nodeId, ApiKey::Produce);
    const bool validAcks = req.acks == 0 || req.acks == 1 || req.acks == -1;

    protocol::ProduceResponse r;
    bool anyError = false;
    std::vector<int32_t> leadersToAdvertise;
    r.responses.reserve(req.topicData.size());
    for (const auto& topic : req.topicData) {
        auto& tr = r.responses.emplace_back();
        tr.name = topic.name;
        tr.partitionResponses.reserve(topic.partitionData.size());
        ErrorCode topicError = ErrorCode::NONE;
        std::optional<TopicMetadata> meta;
        if (!injected && validAcks) meta = topicOrCreate(topic.name, true, topicError);
        for (const auto& pd : topic.partitionData) {
            auto& pr = tr.partitionResponses.emplace_back();
            pr.index = pd.index;
            if (injected) {
                pr.errorCode = *injected;
                pr.errorMessage = "injected by fault injection";
            } else if (!validAcks) {
                pr.errorCode = ErrorCode::INVALID_REQUIRED_ACKS;
            } else if (!meta) {
                pr.errorCode = topicError;
            } else {
                std::optional<PartitionMetadata> pm;
                if (pd.index >= 0 && pd.index < static_cast<int32_t>(meta->partitions.size())) {
                    pm = meta->partitions[static_cast<size_t>(pd.index)];
                }
                pr.errorCode = checkLeader(nodeId, pm);
                if (pr.errorCode == ErrorCode::NOT_LEADER_OR_FOLLOWER && h.apiVersion >= 10) {
                    // KIP-951: tell the client who leads now, saving a metadata round trip.
                    pr.currentLeader = protocol::LeaderIdAndEpoch{pm->leader, pm->leaderEpoch};
                    leadersToAdvertise.push_back(pm->leader);
                }
                if (pr.errorCode == ErrorCode::NONE) {
                    auto partition = replicas_.getPartition(topic.name, pd.index);
                    if (!partition) {
                        pr.errorCode = ErrorCode::KAFKA_STORAGE_ERROR;
                        pr.errorMessage = partition.error().message;
                    } else {
                        AppendInfo info =
                            (*partition)
                                ->appendRecordsToLeader(mutableView(frame, pd.records.bytes),
                                                        pm->leaderEpoch);
                        pr.errorCode = info.error;
                        pr.logStartOffset = info.logStartOffset;
                        if (info.ok()) {
                            pr.baseOffset = info.baseOffset;
                            pr.logAppendTimeMs = info.logAppendTimeMs;
                        } else {
                            pr.errorMessage = std::move(info.errorMessage);
                            spdlog::debug("produce {}-{} rejected: {}", topic.name, pd.index,
                                          *pr.errorMessage);
                        }
                    }
                }
            }
            if (pr.errorCode != ErrorCode::NONE) anyError = true;
            if (h.apiVersion < 8) pr.errorMessage.reset();
        }
    }
    if (req.acks == 0) {
        RequestOutcome out;
        // Kafka closes the connection when an acks=0 produce fails: the only signal the
        // producer gets (it then refreshes metadata).
        if (anyError) {
            out.action = RequestOutcome::Action::Close;
            out.reason = "acks=0 produce failed";
        } else {
            out.action = RequestOutcome::Action::NoResponse;
        }
        return out;
    }
    if (!leadersToAdvertise.empty()) {
        r.nodeEndpoints.emplace();
        std::sort(leadersToAdvertise.begin(), leadersToAdvertise.end());
        leadersToAdvertise.erase(std::unique(leadersToAdvertise.begin(), leadersToAdvertise.end()),
                                 leadersToAdvertise.end());
        for (int32_t id : leadersToAdvertise) {
            if (auto e = endpoint(id); e && !faults_.isDown(id)) {
                r.nodeEndpoints->push_back({e->nodeId, e->host, e->port, std::nullopt});
            }
        }
    }
    return apis_detail::respond(h, r);
}

}  // namespace bs::broker
