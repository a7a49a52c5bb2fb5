#pragma once

// Committed offsets of consumer groups: OffsetCommit and OffsetFetch (Kafka's
// common/message/OffsetCommit*.json, OffsetFetch*.json).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "protocol/api_keys.h"
#include "protocol/errors.h"
#include "protocol/reader.h"
#include "protocol/writer.h"

namespace bs::protocol {

// OffsetCommit v0-8 (flexible from v8).
struct OffsetCommitRequest {
    static constexpr ApiKey kApiKey = ApiKey::OffsetCommit;
    struct Partition {
        int32_t partitionIndex = 0;
        int64_t committedOffset = 0;
        int32_t committedLeaderEpoch = -1;  // v6+
        int64_t commitTimestamp = -1;       // v1 only
        std::optional<std::string> committedMetadata;
        friend bool operator==(const Partition&, const Partition&) = default;
    };
    struct Topic {
        std::string name;
        std::vector<Partition> partitions;
        friend bool operator==(const Topic&, const Topic&) = default;
    };
    std::string groupId;
    int32_t generationId = -1;                   // v1+
    std::string memberId;                        // v1+
    std::optional<std::string> groupInstanceId;  // v7+
    int64_t retentionTimeMs = -1;                // v2-4
    std::vector<Topic> topics;
    friend bool operator==(const OffsetCommitRequest&, const OffsetCommitRequest&) = default;
};

struct OffsetCommitResponse {
    static constexpr ApiKey kApiKey = ApiKey::OffsetCommit;
    struct Partition {
        int32_t partitionIndex = 0;
        ErrorCode errorCode = ErrorCode::NONE;
        friend bool operator==(const Partition&, const Partition&) = default;
    };
    struct Topic {
        std::string name;
        std::vector<Partition> partitions;
        friend bool operator==(const Topic&, const Topic&) = default;
    };
    int32_t throttleTimeMs = 0;  // v3+
    std::vector<Topic> topics;
    friend bool operator==(const OffsetCommitResponse&, const OffsetCommitResponse&) = default;
};

// OffsetFetch v0-8 (flexible from v6). v0-7 ask for one group; v8 batches groups.
struct OffsetFetchRequest {
    static constexpr ApiKey kApiKey = ApiKey::OffsetFetch;
    struct Topic {
        std::string name;
        std::vector<int32_t> partitionIndexes;
        friend bool operator==(const Topic&, const Topic&) = default;
    };
    struct Group {
        std::string groupId;
        std::optional<std::vector<Topic>> topics;  // null: every committed partition
        friend bool operator==(const Group&, const Group&) = default;
    };
    std::string groupId;                       // v0-7
    std::optional<std::vector<Topic>> topics;  // v0-7, nullable from v2
    std::vector<Group> groups;                 // v8+
    bool requireStable = false;                // v7+
    friend bool operator==(const OffsetFetchRequest&, const OffsetFetchRequest&) = default;
};

struct OffsetFetchResponse {
    static constexpr ApiKey kApiKey = ApiKey::OffsetFetch;
    struct Partition {
        int32_t partitionIndex = 0;
        int64_t committedOffset = -1;
        int32_t committedLeaderEpoch = -1;  // v5+
        std::optional<std::string> metadata;
        ErrorCode errorCode = ErrorCode::NONE;
        friend bool operator==(const Partition&, const Partition&) = default;
    };
    struct Topic {
        std::string name;
        std::vector<Partition> partitions;
        friend bool operator==(const Topic&, const Topic&) = default;
    };
    struct Group {
        std::string groupId;
        std::vector<Topic> topics;
        ErrorCode errorCode = ErrorCode::NONE;
        friend bool operator==(const Group&, const Group&) = default;
    };
    int32_t throttleTimeMs = 0;             // v3+
    std::vector<Topic> topics;              // v0-7
    ErrorCode errorCode = ErrorCode::NONE;  // v2-7
    std::vector<Group> groups;              // v8+
    friend bool operator==(const OffsetFetchResponse&, const OffsetFetchResponse&) = default;
};

void encode(const OffsetCommitRequest& m, int16_t version, Writer& w);
Status decode(OffsetCommitRequest& m, int16_t version, Reader& r);
void encode(const OffsetCommitResponse& m, int16_t version, Writer& w);
Status decode(OffsetCommitResponse& m, int16_t version, Reader& r);
void encode(const OffsetFetchRequest& m, int16_t version, Writer& w);
Status decode(OffsetFetchRequest& m, int16_t version, Reader& r);
void encode(const OffsetFetchResponse& m, int16_t version, Writer& w);
Status decode(OffsetFetchResponse& m, int16_t version, Reader& r);

}  // namespace bs::protocol
