#pragma once

// The classic consumer group protocol's membership messages (Kafka's JoinGroup, SyncGroup,
// Heartbeat, LeaveGroup; common/message/*.json). Member metadata and assignments stay opaque
// bytes: their format belongs to the protocol type ("consumer"), not to the coordinator.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "protocol/api_keys.h"
#include "protocol/errors.h"
#include "protocol/reader.h"
#include "protocol/writer.h"

namespace bs::protocol {

// JoinGroup v0-9 (flexible from v6).
struct JoinGroupRequest {
    static constexpr ApiKey kApiKey = ApiKey::JoinGroup;
    struct Protocol {
        std::string name;
        std::vector<uint8_t> metadata;
        friend bool operator==(const Protocol&, const Protocol&) = default;
    };
    std::string groupId;
    int32_t sessionTimeoutMs = 0;
    int32_t rebalanceTimeoutMs = -1;             // v1+ (v0: the session timeout)
    std::string memberId;                        // "" on the first join
    std::optional<std::string> groupInstanceId;  // v5+: static membership (KIP-345)
    std::string protocolType;
    std::vector<Protocol> protocols;
    std::optional<std::string> reason;  // v8+
    friend bool operator==(const JoinGroupRequest&, const JoinGroupRequest&) = default;
};

struct JoinGroupResponse {
    static constexpr ApiKey kApiKey = ApiKey::JoinGroup;
    struct Member {
        std::string memberId;
        std::optional<std::string> groupInstanceId;  // v5+
        std::vector<uint8_t> metadata;
        friend bool operator==(const Member&, const Member&) = default;
    };
    int32_t throttleTimeMs = 0;  // v2+
    ErrorCode errorCode = ErrorCode::NONE;
    int32_t generationId = -1;
    std::optional<std::string> protocolType;  // v7+
    std::optional<std::string> protocolName;  // nullable from v7
    std::string leader;
    bool skipAssignment = false;  // v9+
    std::string memberId;
    std::vector<Member> members;  // the leader's copy only
    friend bool operator==(const JoinGroupResponse&, const JoinGroupResponse&) = default;
};

// SyncGroup v0-5 (flexible from v4).
struct SyncGroupRequest {
    static constexpr ApiKey kApiKey = ApiKey::SyncGroup;
    struct Assignment {
        std::string memberId;
        std::vector<uint8_t> assignment;
        friend bool operator==(const Assignment&, const Assignment&) = default;
    };
    std::string groupId;
    int32_t generationId = -1;
    std::string memberId;
    std::optional<std::string> groupInstanceId;  // v3+
    std::optional<std::string> protocolType;     // v5+
    std::optional<std::string> protocolName;     // v5+
    std::vector<Assignment> assignments;         // from the leader only
    friend bool operator==(const SyncGroupRequest&, const SyncGroupRequest&) = default;
};

struct SyncGroupResponse {
    static constexpr ApiKey kApiKey = ApiKey::SyncGroup;
    int32_t throttleTimeMs = 0;  // v1+
    ErrorCode errorCode = ErrorCode::NONE;
    std::optional<std::string> protocolType;  // v5+
    std::optional<std::string> protocolName;  // v5+
    std::vector<uint8_t> assignment;
    friend bool operator==(const SyncGroupResponse&, const SyncGroupResponse&) = default;
};

// Heartbeat v0-4 (flexible from v4).
struct HeartbeatRequest {
    static constexpr ApiKey kApiKey = ApiKey::Heartbeat;
    std::string groupId;
    int32_t generationId = -1;
    std::string memberId;
    std::optional<std::string> groupInstanceId;  // v3+
    friend bool operator==(const HeartbeatRequest&, const HeartbeatRequest&) = default;
};

struct HeartbeatResponse {
    static constexpr ApiKey kApiKey = ApiKey::Heartbeat;
    int32_t throttleTimeMs = 0;  // v1+
    ErrorCode errorCode = ErrorCode::NONE;
    friend bool operator==(const HeartbeatResponse&, const HeartbeatResponse&) = default;
};

// LeaveGroup v0-5 (flexible from v4). v0-2 leave with one member id; v3+ batch members
// (KIP-345).
struct LeaveGroupRequest {
    static constexpr ApiKey kApiKey = ApiKey::LeaveGroup;
    struct Member {
        std::string memberId;
        std::optional<std::string> groupInstanceId;
        std::optional<std::string> reason;  // v5+
        friend bool operator==(const Member&, const Member&) = default;
    };
    std::string groupId;
    std::string memberId;         // v0-2
    std::vector<Member> members;  // v3+
    friend bool operator==(const LeaveGroupRequest&, const LeaveGroupRequest&) = default;
};

struct LeaveGroupResponse {
    static constexpr ApiKey kApiKey = ApiKey::LeaveGroup;
    struct Member {
        std::string memberId;
        std::optional<std::string> groupInstanceId;
        ErrorCode errorCode = ErrorCode::NONE;
        friend bool operator==(const Member&, const Member&) = default;
    };
    int32_t throttleTimeMs = 0;  // v1+
    ErrorCode errorCode = ErrorCode::NONE;
    std::vector<Member> members;  // v3+
    friend bool operator==(const LeaveGroupResponse&, const LeaveGroupResponse&) = default;
};

void encode(const JoinGroupRequest& m, int16_t version, Writer& w);
Status decode(JoinGroupRequest& m, int16_t version, Reader& r);
void encode(const JoinGroupResponse& m, int16_t version, Writer& w);
Status decode(JoinGroupResponse& m, int16_t version, Reader& r);
void encode(const SyncGroupRequest& m, int16_t version, Writer& w);
Status decode(SyncGroupRequest& m, int16_t version, Reader& r);
void encode(const SyncGroupResponse& m, int16_t version, Writer& w);
Status decode(SyncGroupResponse& m, int16_t version, Reader& r);
void encode(const HeartbeatRequest& m, int16_t version, Writer& w);
Status decode(HeartbeatRequest& m, int16_t version, Reader& r);
void encode(const HeartbeatResponse& m, int16_t version, Writer& w);
Status decode(HeartbeatResponse& m, int16_t version, Reader& r);
void encode(const LeaveGroupRequest& m, int16_t version, Writer& w);
Status decode(LeaveGroupRequest& m, int16_t version, Reader& r);
void encode(const LeaveGroupResponse& m, int16_t version, Writer& w);
Status decode(LeaveGroupResponse& m, int16_t version, Reader& r);

}  // namespace bs::protocol
