#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "broker/cluster_config.h"
#include "broker/fault_injector.h"
#include "broker/metadata_cache.h"
#include "broker/replica_manager.h"
#include "broker/storage/log.h"
#include "common/clock.h"
#include "protocol/frame.h"
#include "protocol/headers.h"
#include "protocol/messages/all.h"

namespace bs::broker {

class DelayedFetch;
class DeferredResponse;
class GroupCoordinator;

// A node's advertised listener.
struct BrokerEndpoint {
    int32_t nodeId = 0;
    std::string host;
    int32_t port = 0;
};

// What the network layer does after one request.
struct RequestOutcome {
    enum class Action {
        Respond,          // send `response`
        NoResponse,       // acks=0 produce
        Close,            // malformed or unsupported request, or acks=0 produce that failed
        RespondAndClose,  // send `response`, then close (a refused SASL login)
        Park,             // a Fetch waiting for data: complete `delayedFetch` later
        Defer,            // JoinGroup/SyncGroup: `deferred` gets the frame when the group has it
    };
    Action action = Action::Respond;
    std::vector<uint8_t> response;  // a complete size-prefixed response frame
    std::shared_ptr<DelayedFetch> delayedFetch;
    std::shared_ptr<DeferredResponse> deferred;
    std::string reason;  // Close: why, for the log
};

// Helpers shared by the per-API handler files.
namespace apis_detail {
template <class Msg>
RequestOutcome respond(const protocol::RequestHeader& h, const Msg& m) {
    RequestOutcome out;
    out.response = protocol::encodeResponseFrame(h.apiKey, h.apiVersion, h.correlationId, m);
    return out;
}
inline RequestOutcome closeConnection(std::string reason) {
    RequestOutcome out;
    out.action = RequestOutcome::Action::Close;
    out.reason = std::move(reason);
    return out;
}
inline RequestOutcome malformed(const char* api, const Status& s) {
    return closeConnection(std::string("malformed ") + api + " request: " + s.message());
}
}  // namespace apis_detail

// Answers Kafka requests for every node of the embedded cluster (Kafka: KafkaApis). Pure
// request -> outcome: no sockets, so tests drive it with encoded frames. Thread-safe: called
// concurrently from every connection; the state it touches (metadata, logs, faults) is
// thread-safe, and its own members are immutable after construction.
class KafkaApis {
  public:
    KafkaApis(const ClusterConfig& config, std::vector<BrokerEndpoint> endpoints,
              MetadataCache& metadata, ReplicaManager& replicas, FaultInjector& faults,
              const Clock& clock, GroupCoordinator* groups = nullptr);

    // `frame` is one request without its size prefix, received by node `nodeId` from
    // `clientHost` (the peer's address, reported for group members). The buffer is mutable
    // because produced batches get their offsets assigned in place before they are written; it
    // may be reused once handle() returns.
    RequestOutcome handle(int32_t nodeId, std::span<uint8_t> frame,
                          std::string_view clientHost = {});

    // Fetch support for DelayedFetch: reads every requested partition; `bytes` is the total
    // size of the records found.
    struct FetchRead {
        protocol::FetchResponse response;
        std::vector<ReadBuffer> records;  // owned by this struct; the views point here
        size_t bytes = 0;
        bool anyError = false;
    };
    FetchRead readForFetch(int32_t nodeId, const protocol::FetchRequest& request);
    static std::vector<uint8_t> encodeFetch(const protocol::RequestHeader& header,
                                            const FetchRead& read);

    const std::vector<BrokerEndpoint>& endpoints() const { return endpoints_; }

  private:
    RequestOutcome handleApiVersions(int32_t nodeId, const protocol::RequestHeader& h,
                                     std::span<const uint8_t> body);
    RequestOutcome handleMetadata(int32_t nodeId, const protocol::RequestHeader& h,
                                  std::span<const uint8_t> body);
    RequestOutcome handleCreateTopics(int32_t nodeId, const protocol::RequestHeader& h,
                                      std::span<const uint8_t> body);
    RequestOutcome handleCreatePartitions(int32_t nodeId, const protocol::RequestHeader& h,
                                          std::span<const uint8_t> body);
    RequestOutcome handleProduce(int32_t nodeId, const protocol::RequestHeader& h,
                                 std::span<uint8_t> frame, std::span<const uint8_t> body);
    RequestOutcome handleFetch(int32_t nodeId, const protocol::RequestHeader& h,
                               std::span<const uint8_t> body);
    RequestOutcome handleListOffsets(int32_t nodeId, const protocol::RequestHeader& h,
                                     std::span<const uint8_t> body);
    RequestOutcome handleInitProducerId(int32_t nodeId, const protocol::RequestHeader& h,
                                        std::span<const uint8_t> body);
    RequestOutcome handleFindCoordinator(int32_t nodeId, const protocol::RequestHeader& h,
                                         std::span<const uint8_t> body);
    // The group APIs (apis_group.cpp); null groups_ answers COORDINATOR_NOT_AVAILABLE.
    RequestOutcome handleGroupApi(int32_t nodeId, const protocol::RequestHeader& h,
                                  std::span<const uint8_t> body, std::string_view clientHost);
    RequestOutcome handleJoinGroup(int32_t nodeId, const protocol::RequestHeader& h,
                                   std::span<const uint8_t> body, std::string_view clientHost);
    RequestOutcome handleSyncGroup(int32_t nodeId, const protocol::RequestHeader& h,
                                   std::span<const uint8_t> body);
    RequestOutcome handleHeartbeat(int32_t nodeId, const protocol::RequestHeader& h,
                                   std::span<const uint8_t> body);
    RequestOutcome handleLeaveGroup(int32_t nodeId, const protocol::RequestHeader& h,
                                    std::span<const uint8_t> body);
    RequestOutcome handleOffsetCommit(int32_t nodeId, const protocol::RequestHeader& h,
                                      std::span<const uint8_t> body);
    RequestOutcome handleOffsetFetch(int32_t nodeId, const protocol::RequestHeader& h,
                                     std::span<const uint8_t> body);
    RequestOutcome handleListGroups(int32_t nodeId, const protocol::RequestHeader& h,
                                    std::span<const uint8_t> body);
    RequestOutcome handleDescribeGroups(int32_t nodeId, const protocol::RequestHeader& h,
                                        std::span<const uint8_t> body);
    RequestOutcome handleDeleteGroups(int32_t nodeId, const protocol::RequestHeader& h,
                                      std::span<const uint8_t> body);
    // NONE when `nodeId` coordinates `groupId`, else NOT_COORDINATOR or
    // COORDINATOR_NOT_AVAILABLE.
    protocol::ErrorCode checkCoordinator(int32_t nodeId, const std::string& groupId) const;
    int32_t coordinatorFor(const std::string& groupId) const;

    // The topic, auto-creating it (auto.create.topics.enable) when allowed and the name is
    // valid; nullopt with `error` set otherwise.
    std::optional<TopicMetadata> topicOrCreate(std::string_view name, bool allowCreate,
                                               protocol::ErrorCode& error);
    // Leadership check for a request on `nodeId`: NONE, UNKNOWN_TOPIC_OR_PARTITION,
    // NOT_LEADER_OR_FOLLOWER, or the leader-epoch errors for a stale/unknown current epoch.
    protocol::ErrorCode checkLeader(int32_t nodeId, const std::optional<PartitionMetadata>& p,
                                    int32_t currentLeaderEpoch = -1) const;
    std::optional<BrokerEndpoint> endpoint(int32_t nodeId) const;

    const ClusterConfig config_;
    const std::vector<BrokerEndpoint> endpoints_;
    MetadataCache& metadata_;
    ReplicaManager& replicas_;
    FaultInjector& faults_;
    const Clock& clock_;
    GroupCoordinator* const groups_;  // thread-safe itself; may be null
};

}  // namespace bs::broker
