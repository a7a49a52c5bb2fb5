#pragma once

// Samples of the consumer group messages (see message_samples.h); mirrored by
// vectors/gen_schema_vectors.py.

#include <cstdint>
#include <string>
#include <vector>

#include "protocol/messages/group_admin.h"
#include "protocol/messages/group_membership.h"
#include "protocol/messages/offset_commit.h"

namespace bs::protocol::samples {

inline std::vector<uint8_t> text(const std::string& s) {
    return {s.begin(), s.end()};
}

inline void fill(JoinGroupRequest& m, int16_t v) {
    m.groupId = "billing";
    m.sessionTimeoutMs = 45000;
    if (v >= 1) m.rebalanceTimeoutMs = 300000;
    m.memberId = "rdkafka-1";
    if (v >= 5) m.groupInstanceId = "pod-7";
    m.protocolType = "consumer";
    m.protocols = {{"range", text("r")}, {"roundrobin", {0, 1, 0xff}}};
    if (v >= 8) m.reason = "rejoin";
}

inline void fill(JoinGroupResponse& m, int16_t v) {
    if (v >= 2) m.throttleTimeMs = 4;
    m.errorCode = ErrorCode::MEMBER_ID_REQUIRED;
    m.generationId = 12;
    if (v >= 7) m.protocolType = "consumer";
    m.protocolName = "range";
    m.leader = "m-1";
    if (v >= 9) m.skipAssignment = true;
    m.memberId = "m-2";
    m.members = {{"m-1", std::nullopt, text("a")}, {"m-2", std::nullopt, {}}};
    if (v >= 5) m.members[0].groupInstanceId = "pod-1";
}

inline void fill(SyncGroupRequest& m, int16_t v) {
    m.groupId = "billing";
    m.generationId = 12;
    m.memberId = "m-1";
    if (v >= 3) m.groupInstanceId = "pod-1";
    if (v >= 5) {
        m.protocolType = "consumer";
        m.protocolName = "range";
    }
    m.assignments = {{"m-1", text("p0")}, {"m-2", {}}};
}

inline void fill(SyncGroupResponse& m, int16_t v) {
    if (v >= 1) m.throttleTimeMs = 2;
    m.errorCode = ErrorCode::REBALANCE_IN_PROGRESS;
    if (v >= 5) {
        m.protocolType = "consumer";
        m.protocolName = "range";
    }
    m.assignment = text("p0,p1");
}

inline void fill(HeartbeatRequest& m, int16_t v) {
    m.groupId = "billing";
    m.generationId = 12;
    m.memberId = "m-1";
    if (v >= 3) m.groupInstanceId = "pod-1";
}

inline void fill(HeartbeatResponse& m, int16_t v) {
    if (v >= 1) m.throttleTimeMs = 3;
    m.errorCode = ErrorCode::ILLEGAL_GENERATION;
}

inline void fill(LeaveGroupRequest& m, int16_t v) {
    m.groupId = "billing";
    if (v <= 2) {
        m.memberId = "m-1";
    } else {
        m.members = {{"m-1", std::nullopt, std::nullopt},
                     {"m-2", std::string("pod-2"), std::nullopt}};
        if (v >= 5) m.members[0].reason = "closing";
    }
}

inline void fill(LeaveGroupResponse& m, int16_t v) {
    if (v >= 1) m.throttleTimeMs = 1;
    m.errorCode = ErrorCode::UNKNOWN_MEMBER_ID;
    if (v >= 3) {
        m.members = {{"m-1", std::nullopt, ErrorCode::NONE},
                     {"m-2", std::string("pod-2"), ErrorCode::FENCED_INSTANCE_ID}};
    }
}

inline void fill(OffsetCommitRequest& m, int16_t v) {
    m.groupId = "billing";
    if (v >= 1) {
        m.generationId = 12;
        m.memberId = "m-1";
    }
    if (v >= 7) m.groupInstanceId = "pod-1";
    if (v >= 2 && v <= 4) m.retentionTimeMs = 86400000;
    OffsetCommitRequest::Partition p{3, 1234, -1, -1, std::string("meta")};
    if (v >= 6) p.committedLeaderEpoch = 5;
    if (v == 1) p.commitTimestamp = 1700000000000;
    OffsetCommitRequest::Partition q{4, 0, -1, -1, std::nullopt};
    m.topics = {{"orders", {p, q}}};
}

inline void fill(OffsetCommitResponse& m, int16_t v) {
    if (v >= 3) m.throttleTimeMs = 7;
    m.topics = {{"orders", {{3, ErrorCode::NONE}, {4, ErrorCode::OFFSET_METADATA_TOO_LARGE}}}};
}

inline void fill(OffsetFetchRequest& m, int16_t v) {
    std::vector<OffsetFetchRequest::Topic> topics{{"orders", {0, 3}}};
    if (v <= 7) {
        m.groupId = "billing";
        m.topics = topics;
    } else {
        m.groups = {{"billing", topics}, {"audit", std::nullopt}};
    }
    if (v >= 7) m.requireStable = true;
}

inline void fill(OffsetFetchResponse& m, int16_t v) {
    if (v >= 3) m.throttleTimeMs = 9;
    OffsetFetchResponse::Partition p{3, 1234, -1, std::string("meta"), ErrorCode::NONE};
    if (v >= 5) p.committedLeaderEpoch = 5;
    OffsetFetchResponse::Partition q{4, -1, -1, std::nullopt,
                                     ErrorCode::UNKNOWN_TOPIC_OR_PARTITION};
    std::vector<OffsetFetchResponse::Topic> topics{{"orders", {p, q}}};
    if (v <= 7) {
        m.topics = topics;
        if (v >= 2) m.errorCode = ErrorCode::NOT_COORDINATOR;
    } else {
        m.groups = {{"billing", topics, ErrorCode::NONE},
                    {"audit", {}, ErrorCode::NOT_COORDINATOR}};
    }
}

inline void fill(ListGroupsRequest& m, int16_t v) {
    if (v >= 4) m.statesFilter = {"Stable", "Empty"};
}

inline void fill(ListGroupsResponse& m, int16_t v) {
    if (v >= 1) m.throttleTimeMs = 5;
    m.errorCode = ErrorCode::COORDINATOR_LOAD_IN_PROGRESS;
    m.groups = {{"billing", "consumer", ""}, {"audit", "", ""}};
    if (v >= 4) {
        m.groups[0].groupState = "Stable";
        m.groups[1].groupState = "Empty";
    }
}

inline void fill(DescribeGroupsRequest& m, int16_t v) {
    m.groups = {"billing", "audit"};
    if (v >= 3) m.includeAuthorizedOperations = true;
}

inline void fill(DescribeGroupsResponse& m, int16_t v) {
    if (v >= 1) m.throttleTimeMs = 6;
    DescribeGroupsResponse::Member member{"m-1",        std::nullopt, "rdkafka",
                                          "/127.0.0.1", text("meta"), text("assign")};
    if (v >= 4) member.groupInstanceId = "pod-1";
    DescribeGroupsResponse::Group g;
    g.groupId = "billing";
    g.groupState = "Stable";
    g.protocolType = "consumer";
    g.protocolData = "range";
    g.members = {member};
    if (v >= 3) g.authorizedOperations = 0x0FF8;
    DescribeGroupsResponse::Group dead;
    dead.errorCode = ErrorCode::NOT_COORDINATOR;
    dead.groupId = "audit";
    dead.groupState = "Dead";
    m.groups = {g, dead};
}

inline void fill(DeleteGroupsRequest& m, int16_t) {
    m.groupsNames = {"billing", "audit"};
}

inline void fill(DeleteGroupsResponse& m, int16_t) {
    m.throttleTimeMs = 8;
    m.results = {{"billing", ErrorCode::NONE}, {"audit", ErrorCode::NON_EMPTY_GROUP}};
}

}  // namespace bs::protocol::samples
