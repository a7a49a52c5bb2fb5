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

// Fetch v4-12 (topics by name; topic ids arrive in v13, which we do not speak).
struct FetchRequest {
    static constexpr ApiKey kApiKey = ApiKey::Fetch;
    struct FetchPartition {
        int32_t partition = 0;
        int32_t currentLeaderEpoch = -1;  // v9+
        int64_t fetchOffset = 0;
        int32_t lastFetchedEpoch = -1;  // v12+
        int64_t logStartOffset = -1;    // v5+
        int32_t partitionMaxBytes = 0;
        friend bool operator==(const FetchPartition&, const FetchPartition&) = default;
    };
    struct FetchTopic {
        std::string topic;
        std::vector<FetchPartition> partitions;
        friend bool operator==(const FetchTopic&, const FetchTopic&) = default;
    };
    struct ForgottenTopic {
        std::string topic;
        std::vector<int32_t> partitions;
        friend bool operator==(const ForgottenTopic&, const ForgottenTopic&) = default;
    };
    std::optional<std::string> clusterId;  // v12+ tag 0 (absent = null; a null value reads as "")
    int32_t replicaId = -1;
    int32_t maxWaitMs = 0;
    int32_t minBytes = 0;
    int32_t maxBytes = 0x7fffffff;
    int8_t isolationLevel = 0;
    int32_t sessionId = 0;      // v7+
    int32_t sessionEpoch = -1;  // v7+
    std::vector<FetchTopic> topics;
    std::vector<ForgottenTopic> forgottenTopicsData;  // v7+
    std::string rackId;                               // v11+
    friend bool operator==(const FetchRequest&, const FetchRequest&) = default;
};

// `records` are views into the decoded buffer (zero copy), valid while it lives; when encoding
// they must outlive encode().
struct FetchResponse {
    static constexpr ApiKey kApiKey = ApiKey::Fetch;
    struct EpochEndOffset {
        int32_t epoch = -1;
        int64_t endOffset = -1;
        friend bool operator==(const EpochEndOffset&, const EpochEndOffset&) = default;
    };
    struct SnapshotId {
        int64_t endOffset = -1;
        int32_t epoch = -1;
        friend bool operator==(const SnapshotId&, const SnapshotId&) = default;
    };
    struct AbortedTransaction {
        int64_t producerId = 0;
        int64_t firstOffset = 0;
        friend bool operator==(const AbortedTransaction&, const AbortedTransaction&) = default;
    };
    struct PartitionData {
        int32_t partitionIndex = 0;
        ErrorCode errorCode = ErrorCode::NONE;
        int64_t highWatermark = 0;
        int64_t lastStableOffset = -1;
        int64_t logStartOffset = -1;                    // v5+
        std::optional<EpochEndOffset> divergingEpoch;   // v12+ tag 0
        std::optional<LeaderIdAndEpoch> currentLeader;  // v12+ tag 1
        std::optional<SnapshotId> snapshotId;           // v12+ tag 2
        std::optional<std::vector<AbortedTransaction>> abortedTransactions;
        int32_t preferredReadReplica = -1;  // v11+
        RecordsView records;
        friend bool operator==(const PartitionData&, const PartitionData&) = default;
    };
    struct FetchableTopicResponse {
        std::string topic;
        std::vector<PartitionData> partitions;
        friend bool operator==(const FetchableTopicResponse&,
                               const FetchableTopicResponse&) = default;
    };
    int32_t throttleTimeMs = 0;
    ErrorCode errorCode = ErrorCode::NONE;  // v7+
    int32_t sessionId = 0;                  // v7+
    std::vector<FetchableTopicResponse> responses;
    friend bool operator==(const FetchResponse&, const FetchResponse&) = default;
};

void encode(const FetchRequest& m, int16_t version, Writer& w);
Status decode(FetchRequest& m, int16_t version, Reader& r);
void encode(const FetchResponse& m, int16_t version, Writer& w);
Status decode(FetchResponse& m, int16_t version, Reader& r);

}  // namespace bs::protocol
