#include "protocol/messages/group_membership.h"

#include "protocol/codec.h"

namespace bs::protocol {
namespace {

template <class IO, class M>
void joinRequest(IO& io, M& m, int16_t v) {
    io.string("groupId", m.groupId);
    io.int32("sessionTimeoutMs", m.sessionTimeoutMs);
    if (v >= 1) io.int32("rebalanceTimeoutMs", m.rebalanceTimeoutMs);
    io.string("memberId", m.memberId);
    if (v >= 5) io.nullableString("groupInstanceId", m.groupInstanceId);
    io.string("protocolType", m.protocolType);
    io.array("protocols", m.protocols, [&](auto& p) {
        io.string("name", p.name);
        io.bytes("metadata", p.metadata);
        io.tags();
    });
    if (v >= 8) io.nullableString("reason", m.reason);
    io.tags();
}

template <class IO, class M>
void joinResponse(IO& io, M& m, int16_t v) {
    if (v >= 2) io.int32("throttleTimeMs", m.throttleTimeMs);
    io.errorCode("errorCode", m.errorCode);
    io.int32("generationId", m.generationId);
    if (v >= 7) io.nullableString("protocolType", m.protocolType);
    io.nullableString("protocolName", m.protocolName, v >= 7);
    io.string("leader", m.leader);
    if (v >= 9) io.boolean("skipAssignment", m.skipAssignment);
    io.string("memberId", m.memberId);
    io.array("members", m.members, [&](auto& e) {
        io.string("memberId", e.memberId);
        if (v >= 5) io.nullableString("groupInstanceId", e.groupInstanceId);
        io.bytes("metadata", e.metadata);
        io.tags();
    });
    io.tags();
}

template <class IO, class M>
void syncRequest(IO& io, M& m, int16_t v) {
    io.string("groupId", m.groupId);
    io.int32("generationId", m.generationId);
    io.string("memberId", m.memberId);
    if (v >= 3) io.nullableString("groupInstanceId", m.groupInstanceId);
    if (v >= 5) {
        io.nullableString("protocolType", m.protocolType);
        io.nullableString("protocolName", m.protocolName);
    }
    io.array("assignments", m.assignments, [&](auto& a) {
        io.string("memberId", a.memberId);
        io.bytes("assignment", a.assignment);
        io.tags();
    });
    io.tags();
}

template <class IO, class M>
void syncResponse(IO& io, M& m, int16_t v) {
    if (v >= 1) io.int32("throttleTimeMs", m.throttleTimeMs);
    io.errorCode("errorCode", m.errorCode);
    if (v >= 5) {
        io.nullableString("protocolType", m.protocolType);
        io.nullableString("protocolName", m.protocolName);
    }
    io.bytes("assignment", m.assignment);
    io.tags();
}

template <class IO, class M>
void heartbeatRequest(IO& io, M& m, int16_t v) {
    io.string("groupId", m.groupId);
    io.int32("generationId", m.generationId);
    io.string("memberId", m.memberId);
    if (v >= 3) io.nullableString("groupInstanceId", m.groupInstanceId);
    io.tags();
}

template <class IO, class M>
void heartbeatResponse(IO& io, M& m, int16_t v) {
    if (v >= 1) io.int32("throttleTimeMs", m.throttleTimeMs);
    io.errorCode("errorCode", m.errorCode);
    io.tags();
}

template <class IO, class M>
void leaveRequest(IO& io, M& m, int16_t v) {
    io.string("groupId", m.groupId);
    if (v <= 2) {
        io.string("memberId", m.memberId);
    } else {
        io.array("members", m.members, [&](auto& e) {
            io.string("memberId", e.memberId);
            io.nullableString("groupInstanceId", e.groupInstanceId);
            if (v >= 5) io.nullableString("reason", e.reason);
            io.tags();
        });
    }
    io.tags();
}

template <class IO, class M>
void leaveResponse(IO& io, M& m, int16_t v) {
    if (v >= 1) io.int32("throttleTimeMs", m.throttleTimeMs);
    io.errorCode("errorCode", m.errorCode);
    if (v >= 3) {
        io.array("members", m.members, [&](auto& e) {
            io.string("memberId", e.memberId);
            io.nullableString("groupInstanceId", e.groupInstanceId);
            io.errorCode("errorCode", e.errorCode);
            io.tags();
        });
    }
    io.tags();
}

}  // namespace

BS_PROTOCOL_MESSAGE_CODEC(JoinGroupRequest, ApiKey::JoinGroup, joinRequest)
BS_PROTOCOL_MESSAGE_CODEC(JoinGroupResponse, ApiKey::JoinGroup, joinResponse)
BS_PROTOCOL_MESSAGE_CODEC(SyncGroupRequest, ApiKey::SyncGroup, syncRequest)
BS_PROTOCOL_MESSAGE_CODEC(SyncGroupResponse, ApiKey::SyncGroup, syncResponse)
BS_PROTOCOL_MESSAGE_CODEC(HeartbeatRequest, ApiKey::Heartbeat, heartbeatRequest)
BS_PROTOCOL_MESSAGE_CODEC(HeartbeatResponse, ApiKey::Heartbeat, heartbeatResponse)
BS_PROTOCOL_MESSAGE_CODEC(LeaveGroupRequest, ApiKey::LeaveGroup, leaveRequest)
BS_PROTOCOL_MESSAGE_CODEC(LeaveGroupResponse, ApiKey::LeaveGroup, leaveResponse)

}  // namespace bs::protocol
