// The classic consumer group APIs: each request is checked against the node that coordinates
// its group (FindCoordinator's answer) and handed to the GroupCoordinator; JoinGroup and
// SyncGroup answer later, through a DeferredResponse, when the rebalance gets there.
#include <map>

#include "broker/deferred_response.h"
#include "broker/group_coordinator.h"
#include "broker/kafka_apis.h"
#include "protocol/frame.h"
#include "protocol/messages/group_admin.h"
#include "protocol/messages/group_membership.h"
#include "protocol/messages/offset_commit.h"

namespace bs::broker {

using apis_detail::malformed;
using apis_detail::respond;
using protocol::ApiKey;
using protocol::ErrorCode;

namespace {

// Kafka reports a member's host as Java's InetAddress.toString(): "/127.0.0.1".
std::string memberHost(std::string_view peer) {
    std::string host(peer);
    if (auto colon = host.rfind(':'); colon != std::string::npos) host.resize(colon);
    return "/" + host;
}

template <class Response, class F>
RequestOutcome deferred(const protocol::RequestHeader& h, F&& start) {
    auto d = std::make_shared<DeferredResponse>();
    start([d, h](const Response& r) {
        d->complete(protocol::encodeResponseFrame(h.apiKey, h.apiVersion, h.correlationId, r));
    });
    RequestOutcome out;
    out.action = RequestOutcome::Action::Defer;
    out.deferred = std::move(d);
    return out;
}

}  // namespace

int32_t KafkaApis::coordinatorFor(const std::string& groupId) const {
    if (!groups_) return -1;
    return groups_->coordinatorNode(groupId, static_cast<int32_t>(endpoints_.size()),
                                    [this](int32_t n) { return !faults_.isDown(n); });
}

ErrorCode KafkaApis::checkCoordinator(int32_t nodeId, const std::string& groupId) const {
    const int32_t node = coordinatorFor(groupId);
    if (node < 0) return ErrorCode::COORDINATOR_NOT_AVAILABLE;
    return node == nodeId ? ErrorCode::NONE : ErrorCode::NOT_COORDINATOR;
}

RequestOutcome KafkaApis::handleGroupApi(int32_t nodeId, const protocol::RequestHeader& h,
                                         std::span<const uint8_t> body,
                                         std::string_view clientHost) {
    switch (h.apiKey) {
        case ApiKey::JoinGroup:
            return handleJoinGroup(nodeId, h, body, clientHost);
        case ApiKey::SyncGroup:
            return handleSyncGroup(nodeId, h, body);
        case ApiKey::Heartbeat:
            return handleHeartbeat(nodeId, h, body);
        case ApiKey::LeaveGroup:
            return handleLeaveGroup(nodeId, h, body);
        case ApiKey::OffsetCommit:
            return handleOffsetCommit(nodeId, h, body);
        case ApiKey::OffsetFetch:
            return handleOffsetFetch(nodeId, h, body);
        case ApiKey::ListGroups:
            return handleListGroups(nodeId, h, body);
        case ApiKey::DescribeGroups:
            return handleDescribeGroups(nodeId, h, body);
        case ApiKey::DeleteGroups:
            return handleDeleteGroups(nodeId, h, body);
        default:
            return apis_detail::closeConnection("not a group API");
    }
}

RequestOutcome KafkaApis::handleJoinGroup(int32_t nodeId, const protocol::RequestHeader& h,
                                          std::span<const uint8_t> body,
                                          std::string_view clientHost) {
    protocol::JoinGroupRequest req;
    if (auto s = protocol::decodeBody(req, h.apiVersion, body); !s) {
        return malformed("JoinGroup", s);
    }
    protocol::JoinGroupResponse error;
    error.memberId = req.memberId;
    if (auto injected = faults_.takeError(nodeId, ApiKey::JoinGroup)) {
        error.errorCode = *injected;
        return respond(h, error);
    }
    if (error.errorCode = checkCoordinator(nodeId, req.groupId);
        error.errorCode != ErrorCode::NONE) {
        return respond(h, error);
    }
    GroupCoordinator::JoinParams p;
    p.groupId = req.groupId;
    p.memberId = req.memberId;
    p.groupInstanceId = req.groupInstanceId;
    p.requireKnownMemberId = h.apiVersion >= 4;
    p.clientId = h.clientId.value_or("");
    p.clientHost = memberHost(clientHost);
    p.sessionTimeoutMs = req.sessionTimeoutMs;
    // v0 has no rebalance timeout: the session timeout stands in (Kafka does the same).
    p.rebalanceTimeoutMs = h.apiVersion == 0 ? req.sessionTimeoutMs : req.rebalanceTimeoutMs;
    p.protocolType = req.protocolType;
    p.protocols = std::move(req.protocols);
    return deferred<protocol::JoinGroupResponse>(
        h, [&](JoinCallback done) { groups_->joinGroup(p, std::move(done)); });
}

RequestOutcome KafkaApis::handleSyncGroup(int32_t nodeId, const protocol::RequestHeader& h,
                                          std::span<const uint8_t> body) {
    protocol::SyncGroupRequest req;
    if (auto s = protocol::decodeBody(req, h.apiVersion, body); !s) {
        return malformed("SyncGroup", s);
    }
    protocol::SyncGroupResponse error;
    if (auto injected = faults_.takeError(nodeId, ApiKey::SyncGroup)) {
        error.errorCode = *injected;
        return respond(h, error);
    }
    if (error.errorCode = checkCoordinator(nodeId, req.groupId);
        error.errorCode != ErrorCode::NONE) {
        return respond(h, error);
    }
    GroupCoordinator::SyncParams p;
    p.groupId = req.groupId;
    p.generationId = req.generationId;
    p.memberId = req.memberId;
    p.groupInstanceId = req.groupInstanceId;
    p.protocolType = req.protocolType;
    p.protocolName = req.protocolName;
    p.assignments = std::move(req.assignments);
    return deferred<protocol::SyncGroupResponse>(
        h, [&](SyncCallback done) { groups_->syncGroup(p, std::move(done)); });
}

RequestOutcome KafkaApis::handleHeartbeat(int32_t nodeId, const protocol::RequestHeader& h,
                                          std::span<const uint8_t> body) {
    protocol::HeartbeatRequest req;
    if (auto s = protocol::decodeBody(req, h.apiVersion, body); !s) {
        return malformed("Heartbeat", s);
    }
    protocol::HeartbeatResponse r;
    if (auto injected = faults_.takeError(nodeId, ApiKey::Heartbeat)) {
        r.errorCode = *injected;
    } else if (r.errorCode = checkCoordinator(nodeId, req.groupId);
               r.errorCode == ErrorCode::NONE) {
        r.errorCode =
            groups_->heartbeat(req.groupId, req.memberId, req.groupInstanceId, req.generationId);
    }
    return respond(h, r);
}

RequestOutcome KafkaApis::handleLeaveGroup(int32_t nodeId, const protocol::RequestHeader& h,
                                           std::span<const uint8_t> body) {
    protocol::LeaveGroupRequest req;
    if (auto s = protocol::decodeBody(req, h.apiVersion, body); !s) {
        return malformed("LeaveGroup", s);
    }
    protocol::LeaveGroupResponse r;
    if (auto injected = faults_.takeError(nodeId, ApiKey::LeaveGroup)) {
        r.errorCode = *injected;
        return respond(h, r);
    }
    if (r.errorCode = checkCoordinator(nodeId, req.groupId); r.errorCode != ErrorCode::NONE) {
        return respond(h, r);
    }
    if (h.apiVersion <= 2) {
        auto members = groups_->leaveGroup(req.groupId, {{req.memberId, std::nullopt, {}}});
        r.errorCode = members.front().errorCode;
    } else {
        r.members = groups_->leaveGroup(req.groupId, req.members);
    }
    return respond(h, r);
}

RequestOutcome KafkaApis::handleOffsetCommit(int32_t nodeId, const protocol::RequestHeader& h,
                                             std::span<const uint8_t> body) {
    protocol::OffsetCommitRequest req;
    if (auto s = protocol::decodeBody(req, h.apiVersion, body); !s) {
        return malformed("OffsetCommit", s);
    }
    ErrorCode groupError = ErrorCode::NONE;
    if (auto injected = faults_.takeError(nodeId, ApiKey::OffsetCommit)) {
        groupError = *injected;
    } else {
        groupError = checkCoordinator(nodeId, req.groupId);
    }
    protocol::OffsetCommitResponse r;
    std::vector<std::pair<GroupTopicPartition, CommittedOffset>> offsets;
    std::vector<protocol::OffsetCommitResponse::Partition*> slots;  // parallel to offsets
    for (const auto& t : req.topics) {
        auto& rt = r.topics.emplace_back();
        rt.name = t.name;
        rt.partitions.reserve(t.partitions.size());  // slots point into it
        for (const auto& p : t.partitions) {
            auto& rp = rt.partitions.emplace_back();
            rp.partitionIndex = p.partitionIndex;
            if (groupError != ErrorCode::NONE) {
                rp.errorCode = groupError;
            } else if (!metadata_.partition(t.name, p.partitionIndex)) {
                rp.errorCode = ErrorCode::UNKNOWN_TOPIC_OR_PARTITION;
            } else {
                CommittedOffset o;
                o.offset = p.committedOffset;
                o.leaderEpoch = p.committedLeaderEpoch;
                o.metadata = p.committedMetadata;
                o.commitTimestampMs = p.commitTimestamp >= 0 ? p.commitTimestamp : clock_.wallMs();
                offsets.push_back({{t.name, p.partitionIndex}, o});
                slots.push_back(&rp);
            }
        }
    }
    if (!offsets.empty()) {
        GroupCoordinator::CommitParams p{req.groupId, req.memberId, req.groupInstanceId,
                                         h.apiVersion == 0 ? -1 : req.generationId};
        const auto errors = groups_->commitOffsets(p, offsets);
        for (size_t i = 0; i < slots.size(); ++i)
            slots[i]->errorCode = errors[i];
    }
    return respond(h, r);
}

RequestOutcome KafkaApis::handleOffsetFetch(int32_t nodeId, const protocol::RequestHeader& h,
                                            std::span<const uint8_t> body) {
    protocol::OffsetFetchRequest req;
    if (auto s = protocol::decodeBody(req, h.apiVersion, body); !s) {
        return malformed("OffsetFetch", s);
    }
    const auto injected = faults_.takeError(nodeId, ApiKey::OffsetFetch);
    // One group's answer: the asked partitions (or every committed one), -1 where none is.
    auto fetchGroup =
        [&](const std::string& groupId,
            const std::optional<std::vector<protocol::OffsetFetchRequest::Topic>>& topics,
            ErrorCode& groupError) {
            std::vector<protocol::OffsetFetchResponse::Topic> out;
            groupError = injected ? *injected : checkCoordinator(nodeId, groupId);
            const auto committed = groupError == ErrorCode::NONE
                                       ? groups_->committedOffsets(groupId)
                                       : std::map<GroupTopicPartition, CommittedOffset>{};
            auto partition = [&](const std::string& topic, int32_t index) {
                protocol::OffsetFetchResponse::Partition p;
                p.partitionIndex = index;
                p.metadata = std::string();
                p.errorCode = groupError;
                if (auto it = committed.find({topic, index}); it != committed.end()) {
                    p.committedOffset = it->second.offset;
                    p.committedLeaderEpoch = it->second.leaderEpoch;
                    p.metadata = it->second.metadata;
                }
                return p;
            };
            if (topics) {
                for (const auto& t : *topics) {
                    auto& rt = out.emplace_back();
                    rt.name = t.name;
                    for (int32_t index : t.partitionIndexes)
                        rt.partitions.push_back(partition(t.name, index));
                }
            } else {
                std::map<std::string, protocol::OffsetFetchResponse::Topic> byTopic;
                for (const auto& [tp, o] : committed) {
                    auto& rt = byTopic[tp.first];
                    rt.name = tp.first;
                    rt.partitions.push_back(partition(tp.first, tp.second));
                }
                for (auto& [name, t] : byTopic)
                    out.push_back(std::move(t));
            }
            return out;
        };
    protocol::OffsetFetchResponse r;
    if (h.apiVersion <= 7) {
        ErrorCode groupError = ErrorCode::NONE;
        r.topics = fetchGroup(req.groupId, req.topics, groupError);
        if (h.apiVersion >= 2 && groupError != ErrorCode::NONE) {
            // v2+: a group-level error goes in the top-level field alone.
            r.errorCode = groupError;
            r.topics.clear();
        }
    } else {
        for (const auto& g : req.groups) {
            auto& rg = r.groups.emplace_back();
            rg.groupId = g.groupId;
            rg.topics = fetchGroup(g.groupId, g.topics, rg.errorCode);
            if (rg.errorCode != ErrorCode::NONE) rg.topics.clear();
        }
    }
    return respond(h, r);
}

RequestOutcome KafkaApis::handleListGroups(int32_t nodeId, const protocol::RequestHeader& h,
                                           std::span<const uint8_t> body) {
    protocol::ListGroupsRequest req;
    if (auto s = protocol::decodeBody(req, h.apiVersion, body); !s) {
        return malformed("ListGroups", s);
    }
    protocol::ListGroupsResponse r;
    if (auto injected = faults_.takeError(nodeId, ApiKey::ListGroups)) {
        r.errorCode = *injected;
    } else if (!groups_) {
        r.errorCode = ErrorCode::COORDINATOR_NOT_AVAILABLE;
    } else {
        // Like a Kafka broker, a node lists the groups it coordinates; admin clients ask every
        // node.
        for (auto& g : groups_->listGroups(req.statesFilter))
            if (coordinatorFor(g.groupId) == nodeId) r.groups.push_back(std::move(g));
    }
    return respond(h, r);
}

RequestOutcome KafkaApis::handleDescribeGroups(int32_t nodeId, const protocol::RequestHeader& h,
                                               std::span<const uint8_t> body) {
    protocol::DescribeGroupsRequest req;
    if (auto s = protocol::decodeBody(req, h.apiVersion, body); !s) {
        return malformed("DescribeGroups", s);
    }
    const auto injected = faults_.takeError(nodeId, ApiKey::DescribeGroups);
    protocol::DescribeGroupsResponse r;
    for (const auto& groupId : req.groups) {
        const ErrorCode e = injected ? *injected : checkCoordinator(nodeId, groupId);
        if (e != ErrorCode::NONE) {
            auto& g = r.groups.emplace_back();
            g.groupId = groupId;
            g.errorCode = e;
            continue;
        }
        r.groups.push_back(groups_->describeGroup(groupId));
    }
    return respond(h, r);
}

RequestOutcome KafkaApis::handleDeleteGroups(int32_t nodeId, const protocol::RequestHeader& h,
                                             std::span<const uint8_t> body) {
    protocol::DeleteGroupsRequest req;
    if (auto s = protocol::decodeBody(req, h.apiVersion, body); !s) {
        return malformed("DeleteGroups", s);
    }
    const auto injected = faults_.takeError(nodeId, ApiKey::DeleteGroups);
    protocol::DeleteGroupsResponse r;
    for (const auto& groupId : req.groupsNames) {
        ErrorCode e = injected ? *injected : checkCoordinator(nodeId, groupId);
        if (e == ErrorCode::NONE) e = groups_->deleteGroup(groupId);
        r.results.push_back({groupId, e});
    }
    return respond(h, r);
}

}  // namespace bs::broker
