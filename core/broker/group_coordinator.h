#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "broker/group_coordinator_config.h"
#include "broker/group_metadata.h"
#include "broker/group_store.h"
#include "common/clock.h"
#include "common/result.h"
#include "protocol/errors.h"
#include "protocol/messages/group_admin.h"
#include "protocol/messages/group_membership.h"

namespace bs::broker {

// The classic consumer group protocol's coordinator (Kafka: GroupCoordinator). One instance
// serves every node of the embedded cluster (they share a process); which node answers for a
// group is decided by coordinatorNode(). JoinGroup and SyncGroup answer through callbacks that
// may run later, from another request or from tick(); time comes from the injected Clock, and
// tick() applies the session, rebalance and join deadlines, so tests drive expiry by moving a
// MockClock.
// Thread-safe: every state change is under mu_. Callbacks run under mu_ and must not call back
// into the coordinator (KafkaApis's only encode a frame and hand it to a connection's strand).
class GroupCoordinator {
  public:
    static Result<std::unique_ptr<GroupCoordinator>> open(const std::filesystem::path& dataDir,
                                                          const GroupCoordinatorConfig& config,
                                                          const Clock& clock);

    // Kafka's partitionFor: abs(String.hashCode(groupId)) % offsets.topic.num.partitions.
    int32_t partitionFor(const std::string& groupId) const;
    // The node whose __consumer_offsets partition leads the group: partition % nodeCount,
    // or the next node that is up. -1 when none is.
    template <class IsUp>
    int32_t coordinatorNode(const std::string& groupId, int32_t nodeCount, IsUp&& isUp) const {
        const int32_t start = partitionFor(groupId) % nodeCount;
        for (int32_t i = 0; i < nodeCount; ++i) {
            const int32_t node = (start + i) % nodeCount;
            if (isUp(node)) return node;
        }
        return -1;
    }

    struct JoinParams {
        std::string groupId;
        std::string memberId;
        std::optional<std::string> groupInstanceId;
        bool requireKnownMemberId = false;  // JoinGroup v4+ (KIP-394)
        std::string clientId;
        std::string clientHost;
        int32_t rebalanceTimeoutMs = 0;
        int32_t sessionTimeoutMs = 0;
        std::string protocolType;
        std::vector<protocol::JoinGroupRequest::Protocol> protocols;
    };
    void joinGroup(const JoinParams& p, JoinCallback done);

    struct SyncParams {
        std::string groupId;
        int32_t generationId = -1;
        std::string memberId;
        std::optional<std::string> groupInstanceId;
        std::optional<std::string> protocolType;
        std::optional<std::string> protocolName;
        std::vector<protocol::SyncGroupRequest::Assignment> assignments;
    };
    void syncGroup(const SyncParams& p, SyncCallback done);

    protocol::ErrorCode heartbeat(const std::string& groupId, const std::string& memberId,
                                  const std::optional<std::string>& groupInstanceId,
                                  int32_t generationId);

    // Per member: NONE, UNKNOWN_MEMBER_ID or FENCED_INSTANCE_ID.
    std::vector<protocol::LeaveGroupResponse::Member> leaveGroup(
        const std::string& groupId,
        const std::vector<protocol::LeaveGroupRequest::Member>& members);

    struct CommitParams {
        std::string groupId;
        std::string memberId;
        std::optional<std::string> groupInstanceId;
        int32_t generationId = -1;  // < 0: a commit outside group management
    };
    // One error per entry of `offsets`, in order.
    std::vector<protocol::ErrorCode> commitOffsets(
        const CommitParams& p,
        const std::vector<std::pair<GroupTopicPartition, CommittedOffset>>& offsets);
    // Every committed offset of the group (empty for an unknown group).
    std::map<GroupTopicPartition, CommittedOffset> committedOffsets(
        const std::string& groupId) const;

    std::vector<protocol::ListGroupsResponse::Group> listGroups(
        const std::vector<std::string>& statesFilter) const;
    // Kafka answers an unknown group with state Dead and no error.
    protocol::DescribeGroupsResponse::Group describeGroup(const std::string& groupId) const;
    // NONE, GROUP_ID_NOT_FOUND or NON_EMPTY_GROUP.
    protocol::ErrorCode deleteGroup(const std::string& groupId);

    // Applies every deadline that has passed: expired sessions leave their group, a join phase
    // past its rebalance timeout completes without the members that did not rejoin.
    void tick();

  private:
    GroupCoordinator(const GroupCoordinatorConfig& config, const Clock& clock)
        : config_(config), clock_(clock) {}

    Group& getOrCreate(const std::string& groupId);
    bool supportsProtocols(const Group& g, const std::string& protocolType,
                           const std::vector<protocol::JoinGroupRequest::Protocol>& p) const;
    std::string newMemberId(const std::string& clientId) const;
    void addMemberAndRebalance(Group& g, const JoinParams& p, const std::string& memberId,
                               JoinCallback done);
    void updateMemberAndRebalance(Group& g, GroupMember& m, const JoinParams& p, JoinCallback done);
    void staticMemberRejoin(Group& g, const JoinParams& p, JoinCallback done);
    void prepareRebalance(Group& g);
    void tryCompleteJoin(Group& g);
    void completeJoin(Group& g);
    void removeMember(Group& g, const std::string& memberId);
    void propagateAssignments(Group& g, protocol::ErrorCode error);
    protocol::JoinGroupResponse joinResponse(const Group& g, const std::string& memberId) const;
    void completeHeartbeat(Group& g, GroupMember& m);
    std::optional<std::string> selectProtocol(const Group& g) const;
    void persistGroup(const Group& g);
    int64_t now() const { return clock_.nowMs(); }

    const GroupCoordinatorConfig config_;
    const Clock& clock_;
    mutable std::mutex mu_;
    std::map<std::string, Group> groups_;  // guarded by mu_
    std::unique_ptr<GroupStore> store_;    // guarded by mu_
};

}  // namespace bs::broker
