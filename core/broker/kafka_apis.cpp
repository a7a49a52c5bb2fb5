#include "broker/kafka_apis.h"

#include <spdlog/spdlog.h>

#include "protocol/frame.h"

namespace bs::broker {

using protocol::ApiKey;
using protocol::ErrorCode;

using apis_detail::closeConnection;
using apis_detail::malformed;
using apis_detail::respond;

namespace {

// Produce and Fetch are advertised from v0, as a Kafka 3.x broker does, although the codec
// starts at Produce v3 / Fetch v4: librdkafka (2.0) derives its features (message format,
// compression) from overlaps with those old versions and otherwise sends uncompressed
// batches. Clients pick the highest common version; a request below the codec's range still
// closes the connection (handle()).
std::vector<protocol::ApiVersionsResponse::ApiVersion> advertisedApis() {
    std::vector<protocol::ApiVersionsResponse::ApiVersion> apis;
    for (const auto& r : protocol::supportedApis()) {
        const bool legacyFloor = r.apiKey == ApiKey::Produce || r.apiKey == ApiKey::Fetch;
        apis.push_back({static_cast<int16_t>(r.apiKey), legacyFloor ? int16_t(0) : r.minVersion,
                        r.maxVersion});
    }
    return apis;
}

}  // namespace

KafkaApis::KafkaApis(const ClusterConfig& config, std::vector<BrokerEndpoint> endpoints,
                     MetadataCache& metadata, ReplicaManager& replicas, FaultInjector& faults,
                     const Clock& clock, GroupCoordinator* groups)
    : config_(config),
      endpoints_(std::move(endpoints)),
      metadata_(metadata),
      replicas_(replicas),
      faults_(faults),
      clock_(clock),
      groups_(groups) {}

RequestOutcome KafkaApis::handle(int32_t nodeId, std::span<uint8_t> frame,
                                 std::string_view clientHost) {
    auto parsed = protocol::parseRequestFrame(frame);
    if (!parsed) return closeConnection("malformed request header: " + parsed.error().message);
    const protocol::RequestHeader& h = parsed->header;
    if (!protocol::isSupported(h.apiKey, h.apiVersion)) {
        if (h.apiKey == ApiKey::ApiVersions) {
            // KIP-511: answer with the v0 body (header v0) so any client can read our ranges.
            protocol::ApiVersionsResponse r;
            r.errorCode = ErrorCode::UNSUPPORTED_VERSION;
            r.apiKeys = advertisedApis();
            RequestOutcome out;
            out.response =
                protocol::encodeResponseFrame(ApiKey::ApiVersions, 0, h.correlationId, r);
            return out;
        }
        // Kafka cannot parse such a request either and closes the connection.
        return closeConnection("unsupported request: api key " +
                               std::to_string(static_cast<int16_t>(h.apiKey)) + " version " +
                               std::to_string(h.apiVersion));
    }
    switch (h.apiKey) {
        case ApiKey::ApiVersions:
            return handleApiVersions(nodeId, h, parsed->body);
        case ApiKey::Metadata:
            return handleMetadata(nodeId, h, parsed->body);
        case ApiKey::CreateTopics:
            return handleCreateTopics(nodeId, h, parsed->body);
        case ApiKey::CreatePartitions:
            return handleCreatePartitions(nodeId, h, parsed->body);
        case ApiKey::Produce:
            return handleProduce(nodeId, h, frame, parsed->body);
        case ApiKey::Fetch:
            return handleFetch(nodeId, h, parsed->body);
        case ApiKey::ListOffsets:
            return handleListOffsets(nodeId, h, parsed->body);
        case ApiKey::InitProducerId:
            return handleInitProducerId(nodeId, h, parsed->body);
        case ApiKey::FindCoordinator:
            return handleFindCoordinator(nodeId, h, parsed->body);
        case ApiKey::OffsetCommit:
        case ApiKey::OffsetFetch:
        case ApiKey::JoinGroup:
        case ApiKey::Heartbeat:
        case ApiKey::LeaveGroup:
        case ApiKey::SyncGroup:
        case ApiKey::DescribeGroups:
        case ApiKey::ListGroups:
        case ApiKey::DeleteGroups:
            return handleGroupApi(nodeId, h, parsed->body, clientHost);
        case ApiKey::SaslHandshake: {
            // Reached only on a PLAINTEXT/SSL listener or after the login (the connection's
            // SaslServerAuthenticator answers first): Kafka says ILLEGAL_SASL_STATE.
            protocol::SaslHandshakeResponse r;
            r.errorCode = ErrorCode::ILLEGAL_SASL_STATE;
            return respond(h, r);
        }
        case ApiKey::SaslAuthenticate: {
            protocol::SaslAuthenticateResponse r;
            r.errorCode = ErrorCode::ILLEGAL_SASL_STATE;
            r.errorMessage = "SaslAuthenticate request received while no SASL login is expected";
            return respond(h, r);
        }
    }
    return closeConnection("unhandled api key");
}

RequestOutcome KafkaApis::handleApiVersions(int32_t nodeId, const protocol::RequestHeader& h,
                                            std::span<const uint8_t> body) {
    protocol::ApiVersionsRequest req;
    if (auto s = protocol::decodeBody(req, h.apiVersion, body); !s) {
        return malformed("ApiVersions", s);
    }
    protocol::ApiVersionsResponse r;
    r.apiKeys = advertisedApis();
    if (auto injected = faults_.takeError(nodeId, ApiKey::ApiVersions)) r.errorCode = *injected;
    return respond(h, r);
}

RequestOutcome KafkaApis::handleInitProducerId(int32_t nodeId, const protocol::RequestHeader& h,
                                               std::span<const uint8_t> body) {
    protocol::InitProducerIdRequest req;
    if (auto s = protocol::decodeBody(req, h.apiVersion, body); !s) {
        return malformed("InitProducerId", s);
    }
    protocol::InitProducerIdResponse r;
    if (auto injected = faults_.takeError(nodeId, ApiKey::InitProducerId)) {
        r.errorCode = *injected;
        return respond(h, r);
    }
    if (req.transactionalId) {
        // No transaction coordinator: transactional producers are refused outright.
        r.errorCode = ErrorCode::INVALID_REQUEST;
        return respond(h, r);
    }
    const bool hasId = req.producerId != protocol::kNoProducerId;
    const bool hasEpoch = req.producerEpoch != protocol::kNoProducerEpoch;
    if (hasId != hasEpoch) {
        r.errorCode = ErrorCode::INVALID_REQUEST;
        return respond(h, r);
    }
    // An idempotent producer that already has an id (v3+, KIP-360) gets its epoch bumped, so
    // its sequences restart at 0 without losing its identity; a fresh id otherwise (and when
    // the epoch would overflow).
    if (hasId && req.producerId >= 0 && req.producerEpoch >= 0 &&
        req.producerEpoch < INT16_MAX - 1 && metadata_.isAllocatedProducerId(req.producerId)) {
        r.producerId = req.producerId;
        r.producerEpoch = static_cast<int16_t>(req.producerEpoch + 1);
        return respond(h, r);
    }
    auto id = metadata_.allocateProducerId();
    if (!id) {
        spdlog::error("InitProducerId: {}", id.error().message);
        r.errorCode = ErrorCode::KAFKA_STORAGE_ERROR;
        return respond(h, r);
    }
    r.producerId = *id;
    r.producerEpoch = 0;
    return respond(h, r);
}

std::optional<TopicMetadata> KafkaApis::topicOrCreate(std::string_view name, bool allowCreate,
                                                      ErrorCode& error) {
    if (auto t = metadata_.topic(name)) {
        error = ErrorCode::NONE;
        return t;
    }
    if (!validateTopicName(name)) {
        error = ErrorCode::INVALID_TOPIC_EXCEPTION;
        return std::nullopt;
    }
    if (!allowCreate || !config_.autoCreateTopics) {
        error = ErrorCode::UNKNOWN_TOPIC_OR_PARTITION;
        return std::nullopt;
    }
    auto created = metadata_.createTopic(name, config_.defaultPartitions, false);
    if (created.error == ErrorCode::NONE || created.error == ErrorCode::TOPIC_ALREADY_EXISTS) {
        if (created.error == ErrorCode::NONE) {
            spdlog::info("auto-created topic {} with {} partitions", name,
                         created.topic.partitions.size());
        }
        error = ErrorCode::NONE;
        return created.topic;
    }
    error = created.error;
    return std::nullopt;
}

ErrorCode KafkaApis::checkLeader(int32_t nodeId, const std::optional<PartitionMetadata>& p,
                                 int32_t currentLeaderEpoch) const {
    if (!p) return ErrorCode::UNKNOWN_TOPIC_OR_PARTITION;
    if (p->leader != nodeId) return ErrorCode::NOT_LEADER_OR_FOLLOWER;
    if (currentLeaderEpoch >= 0) {
        if (currentLeaderEpoch < p->leaderEpoch) return ErrorCode::FENCED_LEADER_EPOCH;
        if (currentLeaderEpoch > p->leaderEpoch) return ErrorCode::UNKNOWN_LEADER_EPOCH;
    }
    return ErrorCode::NONE;
}

std::optional<BrokerEndpoint> KafkaApis::endpoint(int32_t nodeId) const {
    if (nodeId < 0 || nodeId >= static_cast<int32_t>(endpoints_.size())) return std::nullopt;
    return endpoints_[static_cast<size_t>(nodeId)];
}

}  // namespace bs::broker
