#pragma once

// Sample messages for the codec tests: every field present in a version holds a non-default
// value; fields absent from that version keep their defaults (so a round trip must compare equal).

#include <cstdint>
#include <string>
#include <tuple>
#include <type_traits>
#include <vector>

#include "protocol/messages/all.h"
#include "protocol/writer.h"

namespace bs::protocol::samples {

inline const uint8_t kRecordsA[] = {0, 0, 0, 0, 0, 0, 0, 7, 1, 2, 3, 4};
inline const uint8_t kRecordsB[] = {0xde, 0xad, 0xbe, 0xef};

inline Uuid uuid(uint8_t seed) {
    Uuid u;
    for (int i = 0; i < 16; ++i)
        u.bytes[i] = static_cast<uint8_t>(seed + i);
    return u;
}

inline void fill(ApiVersionsRequest& m, int16_t v) {
    if (v >= 3) {
        m.clientSoftwareName = "batchscope";
        m.clientSoftwareVersion = "0.1.0";
    }
}

inline void fill(ApiVersionsResponse& m, int16_t v) {
    m.errorCode = ErrorCode::UNSUPPORTED_VERSION;
    m.apiKeys = {{0, 3, 11}, {18, 0, 3}};
    if (v >= 1) m.throttleTimeMs = 17;
    if (v >= 3) {
        m.supportedFeatures = {{{"metadata.version", 1, 20}}};
        m.finalizedFeaturesEpoch = 9;
        m.finalizedFeatures = {{{"metadata.version", 20, 1}, {"kraft.version", 1, 0}}};
        m.zkMigrationReady = true;
    }
}

inline void fill(MetadataRequest& m, int16_t v) {
    m.topics.emplace();
    m.topics->push_back({{}, std::string("orders")});
    if (v >= 10) m.topics->push_back({uuid(3), std::nullopt});
    if (v >= 4) m.allowAutoTopicCreation = false;
    if (v >= 8 && v <= 10) m.includeClusterAuthorizedOperations = true;
    if (v >= 8) m.includeTopicAuthorizedOperations = true;
}

inline void fill(MetadataResponse& m, int16_t v) {
    if (v >= 3) m.throttleTimeMs = 5;
    m.brokers = {{1, "localhost", 19092, std::nullopt}, {2, "b2", 19093, std::nullopt}};
    if (v >= 1) m.brokers[0].rack = "rack-a";
    if (v >= 2) m.clusterId = "bs-cluster";
    if (v >= 1) m.controllerId = 2;
    MetadataResponse::MetadataResponsePartition p;
    p.errorCode = ErrorCode::LEADER_NOT_AVAILABLE;
    p.partitionIndex = 4;
    p.leaderId = 1;
    if (v >= 7) p.leaderEpoch = 12;
    p.replicaNodes = {1, 2};
    p.isrNodes = {1};
    if (v >= 5) p.offlineReplicas = {2};
    MetadataResponse::MetadataResponseTopic t;
    t.errorCode = ErrorCode::TOPIC_AUTHORIZATION_FAILED;
    t.name = "orders";
    if (v >= 10) t.topicId = uuid(7);
    t.isInternal = v >= 1;
    t.partitions = {p, p};
    t.partitions[1].partitionIndex = 5;
    if (v >= 8) t.topicAuthorizedOperations = 0x0ff8;
    m.topics = {t};
    if (v >= 12) {
        m.topics.push_back(t);
        m.topics[1].name.reset();
    }
    if (v >= 8 && v <= 10) m.clusterAuthorizedOperations = 0x0f;
}

inline void fill(ProduceRequest& m, int16_t) {
    m.transactionalId = "txn-1";
    m.acks = 1;
    m.timeoutMs = 1500;
    m.topicData = {{"orders", {{0, {kRecordsA, false}}, {3, {{}, true}}}},
                   {"audit", {{1, {kRecordsB, false}}}}};
}

inline void fill(ProduceResponse& m, int16_t v) {
    ProduceResponse::PartitionProduceResponse p;
    p.index = 2;
    p.errorCode = ErrorCode::NOT_LEADER_OR_FOLLOWER;
    p.baseOffset = 1234567890123;
    p.logAppendTimeMs = 1'700'000'000'000;
    if (v >= 5) p.logStartOffset = 77;
    if (v >= 8) {
        p.recordErrors = {{1, std::string("bad record")}, {3, std::nullopt}};
        p.errorMessage = "leader moved";
    }
    if (v >= 10) p.currentLeader = LeaderIdAndEpoch{3, 8};
    m.responses = {{"orders", {p}}};
    m.throttleTimeMs = 11;
    if (v >= 10) m.nodeEndpoints = {{{3, "broker-3", 19094, std::string("r1")}}};
}

inline void fill(FetchRequest& m, int16_t v) {
    if (v >= 12) m.clusterId = "bs-cluster";
    m.replicaId = -2;
    m.maxWaitMs = 500;
    m.minBytes = 1;
    m.maxBytes = 52428800;
    m.isolationLevel = 1;
    if (v >= 7) {
        m.sessionId = 99;
        m.sessionEpoch = 4;
    }
    FetchRequest::FetchPartition p;
    p.partition = 3;
    if (v >= 9) p.currentLeaderEpoch = 6;
    p.fetchOffset = 1000;
    if (v >= 12) p.lastFetchedEpoch = 5;
    if (v >= 5) p.logStartOffset = 10;
    p.partitionMaxBytes = 1048576;
    m.topics = {{"orders", {p}}};
    if (v >= 7) m.forgottenTopicsData = {{"old", {0, 1}}};
    if (v >= 11) m.rackId = "rack-b";
}

inline void fill(FetchResponse& m, int16_t v) {
    m.throttleTimeMs = 3;
    if (v >= 7) {
        m.errorCode = ErrorCode::FETCH_SESSION_ID_NOT_FOUND;
        m.sessionId = 99;
    }
    FetchResponse::PartitionData p;
    p.partitionIndex = 3;
    p.errorCode = ErrorCode::OFFSET_OUT_OF_RANGE;
    p.highWatermark = 2000;
    p.lastStableOffset = 1990;
    if (v >= 5) p.logStartOffset = 10;
    if (v >= 12) {
        p.divergingEpoch = FetchResponse::EpochEndOffset{4, 1500};
        p.currentLeader = LeaderIdAndEpoch{2, 7};
        p.snapshotId = FetchResponse::SnapshotId{900, 3};
    }
    p.abortedTransactions = {{{55, 1200}}};
    if (v >= 11) p.preferredReadReplica = 2;
    p.records = {kRecordsA, false};
    FetchResponse::PartitionData q;
    q.partitionIndex = 4;
    q.records = {{}, true};
    m.responses = {{"orders", {p, q}}};
}

inline void fill(ListOffsetsRequest& m, int16_t v) {
    m.replicaId = -1;
    if (v >= 2) m.isolationLevel = 1;
    ListOffsetsRequest::ListOffsetsPartition p;
    p.partitionIndex = 2;
    if (v >= 4) p.currentLeaderEpoch = 9;
    p.timestamp = -2;
    m.topics = {{"orders", {p}}};
}

inline void fill(ListOffsetsResponse& m, int16_t v) {
    if (v >= 2) m.throttleTimeMs = 8;
    ListOffsetsResponse::ListOffsetsPartitionResponse p;
    p.partitionIndex = 2;
    p.errorCode = ErrorCode::UNKNOWN_TOPIC_OR_PARTITION;
    p.timestamp = 1'700'000'000'001;
    p.offset = 42;
    if (v >= 4) p.leaderEpoch = 9;
    m.topics = {{"orders", {p}}};
}

inline void fill(InitProducerIdRequest& m, int16_t v) {
    m.transactionalId = "tx";
    m.transactionTimeoutMs = 60000;
    if (v >= 3) {
        m.producerId = 4000;
        m.producerEpoch = 2;
    }
}

inline void fill(InitProducerIdResponse& m, int16_t) {
    m.throttleTimeMs = 1;
    m.errorCode = ErrorCode::COORDINATOR_LOAD_IN_PROGRESS;
    m.producerId = 4001;
    m.producerEpoch = 3;
}

inline void fill(FindCoordinatorRequest& m, int16_t v) {
    if (v <= 3) m.key = "billing";
    if (v >= 1) m.keyType = 1;
    if (v >= 4) m.coordinatorKeys = {"billing", "audit"};
}

inline void fill(FindCoordinatorResponse& m, int16_t v) {
    m.throttleTimeMs = v >= 1 ? 6 : 0;
    if (v <= 3) {
        m.errorCode = ErrorCode::COORDINATOR_NOT_AVAILABLE;
        if (v >= 1) m.errorMessage = "loading";
        m.nodeId = 2;
        m.host = "broker-2";
        m.port = 9094;
    } else {
        m.coordinators = {{"billing", 2, "broker-2", 9094, ErrorCode::NONE, std::nullopt},
                          {"audit", -1, "", -1, ErrorCode::COORDINATOR_NOT_AVAILABLE, "loading"}};
    }
}

inline void fill(CreateTopicsRequest& m, int16_t) {
    CreateTopicsRequest::CreatableTopic t;
    t.name = "orders";
    t.numPartitions = 6;
    t.replicationFactor = 3;
    t.assignments = {{0, {1, 2, 3}}};
    t.configs = {{"retention.ms", std::string("1000")}, {"cleanup.policy", std::nullopt}};
    m.topics = {t};
    m.timeoutMs = 5000;
    m.validateOnly = true;
}

inline void fill(CreateTopicsResponse& m, int16_t v) {
    m.throttleTimeMs = 2;
    CreateTopicsResponse::CreatableTopicResult t;
    t.name = "orders";
    if (v >= 7) t.topicId = uuid(40);
    t.errorCode = ErrorCode::TOPIC_ALREADY_EXISTS;
    t.errorMessage = "exists";
    if (v >= 5) {
        t.topicConfigErrorCode = int16_t{29};
        t.numPartitions = 6;
        t.replicationFactor = 3;
        t.configs = {{{"retention.ms", std::string("1000"), true, 5, true}}};
    }
    m.topics = {t};
}

inline void fill(CreatePartitionsRequest& m, int16_t) {
    CreatePartitionsRequest::CreatePartitionsTopic grow;
    grow.name = "orders";
    grow.count = 8;
    grow.assignments = {{{{1}}, {{2}}}};
    CreatePartitionsRequest::CreatePartitionsTopic placed;
    placed.name = "audit";
    placed.count = 3;
    m.topics = {grow, placed};
    m.timeoutMs = 5000;
    m.validateOnly = true;
}

inline void fill(CreatePartitionsResponse& m, int16_t) {
    m.throttleTimeMs = 3;
    m.results = {
        {"orders", ErrorCode::NONE, std::nullopt},
        {"audit", ErrorCode::INVALID_PARTITIONS, std::string("Topic already has 3 partition(s).")}};
}

inline void fill(SaslHandshakeRequest& m, int16_t) {
    m.mechanism = "SCRAM-SHA-512";
}

inline void fill(SaslHandshakeResponse& m, int16_t) {
    m.errorCode = ErrorCode::UNSUPPORTED_SASL_MECHANISM;
    m.mechanisms = {"PLAIN", "SCRAM-SHA-256"};
}

inline void fill(SaslAuthenticateRequest& m, int16_t) {
    m.authBytes = {'n', ',', ',', 'n', '=', 'u', 0, 0xff};
}

inline void fill(SaslAuthenticateResponse& m, int16_t v) {
    m.errorCode = ErrorCode::SASL_AUTHENTICATION_FAILED;
    m.errorMessage = "bad proof";
    m.authBytes = {'v', '=', 1, 0x80};
    if (v >= 1) m.sessionLifetimeMs = 3600000;
}

// Our encoding of `m` at `version`.
template <class T>
std::vector<uint8_t> encoded(const T& m, int16_t version) {
    std::vector<uint8_t> out;
    Writer w(out);
    encode(m, version, w);
    return out;
}

}  // namespace bs::protocol::samples

#include "group_message_samples.h"

namespace bs::protocol::samples {

template <class T>
T sample(int16_t version) {
    T m;
    fill(m, version);
    return m;
}

using AllMessages = std::tuple<
    ApiVersionsRequest, ApiVersionsResponse, MetadataRequest, MetadataResponse, ProduceRequest,
    ProduceResponse, FetchRequest, FetchResponse, ListOffsetsRequest, ListOffsetsResponse,
    InitProducerIdRequest, InitProducerIdResponse, CreateTopicsRequest, CreateTopicsResponse,
    FindCoordinatorRequest, FindCoordinatorResponse, SaslHandshakeRequest, SaslHandshakeResponse,
    SaslAuthenticateRequest, SaslAuthenticateResponse, JoinGroupRequest, JoinGroupResponse,
    SyncGroupRequest, SyncGroupResponse, HeartbeatRequest, HeartbeatResponse, LeaveGroupRequest,
    LeaveGroupResponse, OffsetCommitRequest, OffsetCommitResponse, OffsetFetchRequest,
    OffsetFetchResponse, ListGroupsRequest, ListGroupsResponse, DescribeGroupsRequest,
    DescribeGroupsResponse, DeleteGroupsRequest, DeleteGroupsResponse, CreatePartitionsRequest,
    CreatePartitionsResponse>;

// Kafka's name of each message type (as the vector generators spell it).
template <class T>
inline constexpr const char* kName = nullptr;
template <>
inline constexpr const char* kName<ApiVersionsRequest> = "ApiVersionsRequest";
template <>
inline constexpr const char* kName<ApiVersionsResponse> = "ApiVersionsResponse";
template <>
inline constexpr const char* kName<MetadataRequest> = "MetadataRequest";
template <>
inline constexpr const char* kName<MetadataResponse> = "MetadataResponse";
template <>
inline constexpr const char* kName<ProduceRequest> = "ProduceRequest";
template <>
inline constexpr const char* kName<ProduceResponse> = "ProduceResponse";
template <>
inline constexpr const char* kName<FetchRequest> = "FetchRequest";
template <>
inline constexpr const char* kName<FetchResponse> = "FetchResponse";
template <>
inline constexpr const char* kName<ListOffsetsRequest> = "ListOffsetsRequest";
template <>
inline constexpr const char* kName<ListOffsetsResponse> = "ListOffsetsResponse";
template <>
inline constexpr const char* kName<InitProducerIdRequest> = "InitProducerIdRequest";
template <>
inline constexpr const char* kName<InitProducerIdResponse> = "InitProducerIdResponse";
template <>
inline constexpr const char* kName<FindCoordinatorRequest> = "FindCoordinatorRequest";
template <>
inline constexpr const char* kName<FindCoordinatorResponse> = "FindCoordinatorResponse";
template <>
inline constexpr const char* kName<CreateTopicsRequest> = "CreateTopicsRequest";
template <>
inline constexpr const char* kName<CreateTopicsResponse> = "CreateTopicsResponse";
template <>
inline constexpr const char* kName<SaslHandshakeRequest> = "SaslHandshakeRequest";
template <>
inline constexpr const char* kName<SaslHandshakeResponse> = "SaslHandshakeResponse";
template <>
inline constexpr const char* kName<SaslAuthenticateRequest> = "SaslAuthenticateRequest";
template <>
inline constexpr const char* kName<SaslAuthenticateResponse> = "SaslAuthenticateResponse";
template <>
inline constexpr const char* kName<JoinGroupRequest> = "JoinGroupRequest";
template <>
inline constexpr const char* kName<JoinGroupResponse> = "JoinGroupResponse";
template <>
inline constexpr const char* kName<SyncGroupRequest> = "SyncGroupRequest";
template <>
inline constexpr const char* kName<SyncGroupResponse> = "SyncGroupResponse";
template <>
inline constexpr const char* kName<HeartbeatRequest> = "HeartbeatRequest";
template <>
inline constexpr const char* kName<HeartbeatResponse> = "HeartbeatResponse";
template <>
inline constexpr const char* kName<LeaveGroupRequest> = "LeaveGroupRequest";
template <>
inline constexpr const char* kName<LeaveGroupResponse> = "LeaveGroupResponse";
template <>
inline constexpr const char* kName<OffsetCommitRequest> = "OffsetCommitRequest";
template <>
inline constexpr const char* kName<OffsetCommitResponse> = "OffsetCommitResponse";
template <>
inline constexpr const char* kName<OffsetFetchRequest> = "OffsetFetchRequest";
template <>
inline constexpr const char* kName<OffsetFetchResponse> = "OffsetFetchResponse";
template <>
inline constexpr const char* kName<ListGroupsRequest> = "ListGroupsRequest";
template <>
inline constexpr const char* kName<ListGroupsResponse> = "ListGroupsResponse";
template <>
inline constexpr const char* kName<DescribeGroupsRequest> = "DescribeGroupsRequest";
template <>
inline constexpr const char* kName<DescribeGroupsResponse> = "DescribeGroupsResponse";
template <>
inline constexpr const char* kName<DeleteGroupsRequest> = "DeleteGroupsRequest";
template <>
inline constexpr const char* kName<DeleteGroupsResponse> = "DeleteGroupsResponse";
template <>
inline constexpr const char* kName<CreatePartitionsRequest> = "CreatePartitionsRequest";
template <>
inline constexpr const char* kName<CreatePartitionsResponse> = "CreatePartitionsResponse";

// Calls f(std::type_identity<T>{}) once per message type (a tag: no message is built).
template <class F>
void forEachMessageType(F&& f) {
    [&]<class... T>(std::type_identity<std::tuple<T...>>) {
        (f(std::type_identity<T>{}), ...);
    }(std::type_identity<AllMessages>{});
}

}  // namespace bs::protocol::samples
