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

// CreateTopics v2-7. numPartitions / replicationFactor -1 = broker default (v4+).
struct CreateTopicsRequest {
    static constexpr ApiKey kApiKey = ApiKey::CreateTopics;
    struct CreatableReplicaAssignment {
        int32_t partitionIndex = 0;
        std::vector<int32_t> brokerIds;
        friend bool operator==(const CreatableReplicaAssignment&,
                               const CreatableReplicaAssignment&) = default;
    };
    struct CreatableTopicConfig {
        std::string name;
        std::optional<std::string> value;
        friend bool operator==(const CreatableTopicConfig&, const CreatableTopicConfig&) = default;
    };
    struct CreatableTopic {
        std::string name;
        int32_t numPartitions = -1;
        int16_t replicationFactor = -1;
        std::vector<CreatableReplicaAssignment> assignments;
        std::vector<CreatableTopicConfig> configs;
        friend bool operator==(const CreatableTopic&, const CreatableTopic&) = default;
    };
    std::vector<CreatableTopic> topics;
    int32_t timeoutMs = 60000;
    bool validateOnly = false;
    friend bool operator==(const CreateTopicsRequest&, const CreateTopicsRequest&) = default;
};

struct CreateTopicsResponse {
    static constexpr ApiKey kApiKey = ApiKey::CreateTopics;
    struct CreatableTopicConfigs {
        std::string name;
        std::optional<std::string> value;
        bool readOnly = false;
        int8_t configSource = -1;
        bool isSensitive = false;
        friend bool operator==(const CreatableTopicConfigs&,
                               const CreatableTopicConfigs&) = default;
    };
    struct CreatableTopicResult {
        std::string name;
        Uuid topicId;  // v7+
        ErrorCode errorCode = ErrorCode::NONE;
        std::optional<std::string> errorMessage;
        std::optional<int16_t> topicConfigErrorCode;                // v5+ tag 0
        int32_t numPartitions = -1;                                 // v5+
        int16_t replicationFactor = -1;                             // v5+
        std::optional<std::vector<CreatableTopicConfigs>> configs;  // v5+
        friend bool operator==(const CreatableTopicResult&, const CreatableTopicResult&) = default;
    };
    int32_t throttleTimeMs = 0;
    std::vector<CreatableTopicResult> topics;
    friend bool operator==(const CreateTopicsResponse&, const CreateTopicsResponse&) = default;
};

void encode(const CreateTopicsRequest& m, int16_t version, Writer& w);
Status decode(CreateTopicsRequest& m, int16_t version, Reader& r);
void encode(const CreateTopicsResponse& m, int16_t version, Writer& w);
Status decode(CreateTopicsResponse& m, int16_t version, Reader& r);

}  // namespace bs::protocol
