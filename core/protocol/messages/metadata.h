#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "protocol/api_keys.h"
#include "protocol/errors.h"
#include "protocol/reader.h"
#include "protocol/types.h"
#include "protocol/writer.h"

namespace bs::protocol {

// Metadata v0-12.
struct MetadataRequest {
    static constexpr ApiKey kApiKey = ApiKey::Metadata;
    struct MetadataRequestTopic {
        Uuid topicId;                     // v10+
        std::optional<std::string> name;  // null allowed v10+ (lookup by id)
        friend bool operator==(const MetadataRequestTopic&, const MetadataRequestTopic&) = default;
    };
    std::optional<std::vector<MetadataRequestTopic>> topics;  // null (v1+) = all topics
    bool allowAutoTopicCreation = true;                       // v4+
    bool includeClusterAuthorizedOperations = false;          // v8-10
    bool includeTopicAuthorizedOperations = false;            // v8+
    friend bool operator==(const MetadataRequest&, const MetadataRequest&) = default;
};

struct MetadataResponse {
    static constexpr ApiKey kApiKey = ApiKey::Metadata;
    struct MetadataResponseBroker {
        int32_t nodeId = 0;
        std::string host;
        int32_t port = 0;
        std::optional<std::string> rack;  // v1+
        friend bool operator==(const MetadataResponseBroker&,
                               const MetadataResponseBroker&) = default;
    };
    struct MetadataResponsePartition {
        ErrorCode errorCode = ErrorCode::NONE;
        int32_t partitionIndex = 0;
        int32_t leaderId = -1;
        int32_t leaderEpoch = -1;  // v7+
        std::vector<int32_t> replicaNodes;
        std::vector<int32_t> isrNodes;
        std::vector<int32_t> offlineReplicas;  // v5+
        friend bool operator==(const MetadataResponsePartition&,
                               const MetadataResponsePartition&) = default;
    };
    struct MetadataResponseTopic {
        ErrorCode errorCode = ErrorCode::NONE;
        std::optional<std::string> name;  // null allowed v12+
        Uuid topicId;                     // v10+
        bool isInternal = false;          // v1+
        std::vector<MetadataResponsePartition> partitions;
        int32_t topicAuthorizedOperations = INT32_MIN;  // v8+
        friend bool operator==(const MetadataResponseTopic&,
                               const MetadataResponseTopic&) = default;
    };
    int32_t throttleTimeMs = 0;  // v3+
    std::vector<MetadataResponseBroker> brokers;
    std::optional<std::string> clusterId;  // v2+
    int32_t controllerId = -1;             // v1+
    std::vector<MetadataResponseTopic> topics;
    int32_t clusterAuthorizedOperations = INT32_MIN;  // v8-10
    friend bool operator==(const MetadataResponse&, const MetadataResponse&) = default;
};

void encode(const MetadataRequest& m, int16_t version, Writer& w);
Status decode(MetadataRequest& m, int16_t version, Reader& r);
void encode(const MetadataResponse& m, int16_t version, Writer& w);
Status decode(MetadataResponse& m, int16_t version, Reader& r);

}  // namespace bs::protocol
