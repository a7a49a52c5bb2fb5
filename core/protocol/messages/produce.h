#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "protocol/api_keys.h"
#include "protocol/errors.h"
#include "protocol/messages/common.h"
#include "protocol/reader.h"
#include "protocol/types.h"
#include "protocol/writer.h"

namespace bs::protocol {

// Produce v3-11. `records` are views (zero copy): when encoding they point at the caller's
// batch bytes, which must outlive encode(); when decoding they point into the decoded buffer,
// valid while that buffer lives.
struct ProduceRequest {
    static constexpr ApiKey kApiKey = ApiKey::Produce;
    struct PartitionProduceData {
        int32_t index = 0;
        RecordsView records;
        friend bool operator==(const PartitionProduceData&, const PartitionProduceData&) = default;
    };
    struct TopicProduceData {
        std::string name;
        std::vector<PartitionProduceData> partitionData;
        friend bool operator==(const TopicProduceData&, const TopicProduceData&) = default;
    };
    std::optional<std::string> transactionalId;
    int16_t acks = -1;
    int32_t timeoutMs = 30000;
    std::vector<TopicProduceData> topicData;
    friend bool operator==(const ProduceRequest&, const ProduceRequest&) = default;
};

struct ProduceResponse {
    static constexpr ApiKey kApiKey = ApiKey::Produce;
    struct BatchIndexAndErrorMessage {
        int32_t batchIndex = 0;
        std::optional<std::string> batchIndexErrorMessage;
        friend bool operator==(const BatchIndexAndErrorMessage&,
                               const BatchIndexAndErrorMessage&) = default;
    };
    struct PartitionProduceResponse {
        int32_t index = 0;
        ErrorCode errorCode = ErrorCode::NONE;
        int64_t baseOffset = -1;
        int64_t logAppendTimeMs = -1;                         // v2+
        int64_t logStartOffset = -1;                          // v5+
        std::vector<BatchIndexAndErrorMessage> recordErrors;  // v8+
        std::optional<std::string> errorMessage;              // v8+
        std::optional<LeaderIdAndEpoch> currentLeader;        // v10+ tag 0
        friend bool operator==(const PartitionProduceResponse&,
                               const PartitionProduceResponse&) = default;
    };
    struct TopicProduceResponse {
        std::string name;
        std::vector<PartitionProduceResponse> partitionResponses;
        friend bool operator==(const TopicProduceResponse&, const TopicProduceResponse&) = default;
    };
    struct NodeEndpoint {
        int32_t nodeId = 0;
        std::string host;
        int32_t port = 0;
        std::optional<std::string> rack;
        friend bool operator==(const NodeEndpoint&, const NodeEndpoint&) = default;
    };
    std::vector<TopicProduceResponse> responses;
    int32_t throttleTimeMs = 0;
    std::optional<std::vector<NodeEndpoint>> nodeEndpoints;  // v10+ tag 0
    friend bool operator==(const ProduceResponse&, const ProduceResponse&) = default;
};

void encode(const ProduceRequest& m, int16_t version, Writer& w);
Status decode(ProduceRequest& m, int16_t version, Reader& r);
void encode(const ProduceResponse& m, int16_t version, Writer& w);
Status decode(ProduceResponse& m, int16_t version, Reader& r);

}  // namespace bs::protocol
