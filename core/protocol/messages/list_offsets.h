#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/result.h"
#include "protocol/api_keys.h"
#include "protocol/errors.h"
#include "protocol/reader.h"
#include "protocol/writer.h"

namespace bs::protocol {

// ListOffsets v1-7. Timestamp -1 = latest, -2 = earliest, -3 = max timestamp (v7+).
struct ListOffsetsRequest {
    static constexpr ApiKey kApiKey = ApiKey::ListOffsets;
    struct ListOffsetsPartition {
        int32_t partitionIndex = 0;
        int32_t currentLeaderEpoch = -1;  // v4+
        int64_t timestamp = -1;
        friend bool operator==(const ListOffsetsPartition&, const ListOffsetsPartition&) = default;
    };
    struct ListOffsetsTopic {
        std::string name;
        std::vector<ListOffsetsPartition> partitions;
        friend bool operator==(const ListOffsetsTopic&, const ListOffsetsTopic&) = default;
    };
    int32_t replicaId = -1;
    int8_t isolationLevel = 0;  // v2+
    std::vector<ListOffsetsTopic> topics;
    friend bool operator==(const ListOffsetsRequest&, const ListOffsetsRequest&) = default;
};

struct ListOffsetsResponse {
    static constexpr ApiKey kApiKey = ApiKey::ListOffsets;
    struct ListOffsetsPartitionResponse {
        int32_t partitionIndex = 0;
        ErrorCode errorCode = ErrorCode::NONE;
        int64_t timestamp = -1;
        int64_t offset = -1;
        int32_t leaderEpoch = -1;  // v4+
        friend bool operator==(const ListOffsetsPartitionResponse&,
                               const ListOffsetsPartitionResponse&) = default;
    };
    struct ListOffsetsTopicResponse {
        std::string name;
        std::vector<ListOffsetsPartitionResponse> partitions;
        friend bool operator==(const ListOffsetsTopicResponse&,
                               const ListOffsetsTopicResponse&) = default;
    };
    int32_t throttleTimeMs = 0;  // v2+
    std::vector<ListOffsetsTopicResponse> topics;
    friend bool operator==(const ListOffsetsResponse&, const ListOffsetsResponse&) = default;
};

void encode(const ListOffsetsRequest& m, int16_t version, Writer& w);
Status decode(ListOffsetsRequest& m, int16_t version, Reader& r);
void encode(const ListOffsetsResponse& m, int16_t version, Writer& w);
Status decode(ListOffsetsResponse& m, int16_t version, Reader& r);

}  // namespace bs::protocol
