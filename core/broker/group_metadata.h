#pragma once

// The state of one consumer group as the coordinator keeps it (Kafka: GroupMetadata and
// MemberMetadata of the classic protocol).

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "protocol/messages/group_membership.h"

namespace bs::broker {

// Kafka's GroupState names, as ListGroups and DescribeGroups report them.
enum class GroupState { Empty, PreparingRebalance, CompletingRebalance, Stable, Dead };
std::string_view groupStateName(GroupState s);

using JoinCallback = std::function<void(const protocol::JoinGroupResponse&)>;
using SyncCallback = std::function<void(const protocol::SyncGroupResponse&)>;

struct GroupMember {
    std::string memberId;
    std::optional<std::string> groupInstanceId;  // static membership (KIP-345)
    std::string clientId;
    std::string clientHost;
    int32_t rebalanceTimeoutMs = 0;
    int32_t sessionTimeoutMs = 0;
    std::string protocolType;
    std::vector<protocol::JoinGroupRequest::Protocol> protocols;  // in the member's preference
    std::vector<uint8_t> assignment;
    JoinCallback awaitingJoin;        // set while its JoinGroup waits for the rebalance
    SyncCallback awaitingSync;        // set while its SyncGroup waits for the leader's assignment
    int64_t heartbeatDeadlineMs = 0;  // Clock::nowMs() after which the session has expired
    bool isNew = false;               // joined during the current rebalance

    const std::vector<uint8_t>* metadataFor(const std::string& protocol) const {
        for (const auto& p : protocols)
            if (p.name == protocol) return &p.metadata;
        return nullptr;
    }
};

// What the coordinator remembers of a commit (Kafka: OffsetAndMetadata).
struct CommittedOffset {
    int64_t offset = -1;
    int32_t leaderEpoch = -1;
    std::optional<std::string> metadata;
    int64_t commitTimestampMs = 0;  // wall clock
    friend bool operator==(const CommittedOffset&, const CommittedOffset&) = default;
};

using GroupTopicPartition = std::pair<std::string, int32_t>;

struct Group {
    std::string groupId;
    GroupState state = GroupState::Empty;
    std::string protocolType;                 // "" for a group that only commits offsets
    std::optional<std::string> protocolName;  // the chosen protocol (assignor), once chosen
    int32_t generationId = 0;
    std::optional<std::string> leaderId;
    std::map<std::string, GroupMember> members;        // by member id
    std::map<std::string, std::string> staticMembers;  // group.instance.id -> member id
    std::map<std::string, int64_t> pendingMembers;     // MEMBER_ID_REQUIRED given -> deadline
    bool initialDelay = false;      // PreparingRebalance of a new group: wait for more joiners
    int64_t joinDeadlineMs = 0;     // PreparingRebalance: when the join phase completes anyway
    int64_t joinMaxDeadlineMs = 0;  // the initial delay never extends past this
    int64_t syncDeadlineMs = 0;     // CompletingRebalance: when absent syncers are removed
    std::map<GroupTopicPartition, CommittedOffset> offsets;

    bool has(const std::string& memberId) const { return members.count(memberId) > 0; }
    int32_t maxRebalanceTimeoutMs() const {
        int32_t t = 0;
        for (const auto& [id, m] : members)
            t = std::max(t, m.rebalanceTimeoutMs);
        return t;
    }
};

}  // namespace bs::broker
