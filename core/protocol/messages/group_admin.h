#pragma once

// Inspecting and deleting consumer groups: ListGroups, DescribeGroups, DeleteGroups (Kafka's
// common/message/*.json).

#include <climits>
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

// ListGroups v0-4 (flexible from v3).
struct ListGroupsRequest {
    static constexpr ApiKey kApiKey = ApiKey::ListGroups;
    std::vector<std::string> statesFilter;  // v4+; empty: every state
    friend bool operator==(const ListGroupsRequest&, const ListGroupsRequest&) = default;
};

struct ListGroupsResponse {
    static constexpr ApiKey kApiKey = ApiKey::ListGroups;
    struct Group {
        std::string groupId;
        std::string protocolType;
        std::string groupState;  // v4+
        friend bool operator==(const Group&, const Group&) = default;
    };
    int32_t throttleTimeMs = 0;  // v1+
    ErrorCode errorCode = ErrorCode::NONE;
    std::vector<Group> groups;
    friend bool operator==(const ListGroupsResponse&, const ListGroupsResponse&) = default;
};

// DescribeGroups v0-5 (flexible from v5).
struct DescribeGroupsRequest {
    static constexpr ApiKey kApiKey = ApiKey::DescribeGroups;
    std::vector<std::string> groups;
    bool includeAuthorizedOperations = false;  // v3+
    friend bool operator==(const DescribeGroupsRequest&, const DescribeGroupsRequest&) = default;
};

struct DescribeGroupsResponse {
    static constexpr ApiKey kApiKey = ApiKey::DescribeGroups;
    struct Member {
        std::string memberId;
        std::optional<std::string> groupInstanceId;  // v4+
        std::string clientId;
        std::string clientHost;
        std::vector<uint8_t> memberMetadata;
        std::vector<uint8_t> memberAssignment;
        friend bool operator==(const Member&, const Member&) = default;
    };
    struct Group {
        ErrorCode errorCode = ErrorCode::NONE;
        std::string groupId;
        std::string groupState;
        std::string protocolType;
        std::string protocolData;  // the chosen protocol's name (the assignor)
        std::vector<Member> members;
        int32_t authorizedOperations = INT32_MIN;  // v3+
        friend bool operator==(const Group&, const Group&) = default;
    };
    int32_t throttleTimeMs = 0;  // v1+
    std::vector<Group> groups;
    friend bool operator==(const DescribeGroupsResponse&, const DescribeGroupsResponse&) = default;
};

// DeleteGroups v0-2 (flexible from v2).
struct DeleteGroupsRequest {
    static constexpr ApiKey kApiKey = ApiKey::DeleteGroups;
    std::vector<std::string> groupsNames;
    friend bool operator==(const DeleteGroupsRequest&, const DeleteGroupsRequest&) = default;
};

struct DeleteGroupsResponse {
    static constexpr ApiKey kApiKey = ApiKey::DeleteGroups;
    struct Result {
        std::string groupId;
        ErrorCode errorCode = ErrorCode::NONE;
        friend bool operator==(const Result&, const Result&) = default;
    };
    int32_t throttleTimeMs = 0;
    std::vector<Result> results;
    friend bool operator==(const DeleteGroupsResponse&, const DeleteGroupsResponse&) = default;
};

void encode(const ListGroupsRequest& m, int16_t version, Writer& w);
Status decode(ListGroupsRequest& m, int16_t version, Reader& r);
void encode(const ListGroupsResponse& m, int16_t version, Writer& w);
Status decode(ListGroupsResponse& m, int16_t version, Reader& r);
void encode(const DescribeGroupsRequest& m, int16_t version, Writer& w);
Status decode(DescribeGroupsRequest& m, int16_t version, Reader& r);
void encode(const DescribeGroupsResponse& m, int16_t version, Writer& w);
Status decode(DescribeGroupsResponse& m, int16_t version, Reader& r);
void encode(const DeleteGroupsRequest& m, int16_t version, Writer& w);
Status decode(DeleteGroupsRequest& m, int16_t version, Reader& r);
void encode(const DeleteGroupsResponse& m, int16_t version, Writer& w);
Status decode(DeleteGroupsResponse& m, int16_t version, Reader& r);

}  // namespace bs::protocol
