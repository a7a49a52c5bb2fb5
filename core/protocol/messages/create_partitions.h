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

// CreatePartitions v0-3 (flexible from v2): grow topics to a new partition count.
struct CreatePartitionsRequest {
    static constexpr ApiKey kApiKey = ApiKey::CreatePartitions;
    struct CreatePartitionsAssignment {
        std::vector<int32_t> brokerIds;
        friend bool operator==(const CreatePartitionsAssignment&,
                               const CreatePartitionsAssignment&) = default;
    };
    struct CreatePartitionsTopic {
        std::string name;
        int32_t count = 0;  // the new total, not the number to add
        // One entry per new partition; null lets the controller place them.
        std::optional<std::vector<CreatePartitionsAssignment>> assignments;
        friend bool operator==(const CreatePartitionsTopic&,
                               const CreatePartitionsTopic&) = default;
    };
    std::vector<CreatePartitionsTopic> topics;
    int32_t timeoutMs = 60000;
    bool validateOnly = false;
    friend bool operator==(const CreatePartitionsRequest&,
                           const CreatePartitionsRequest&) = default;
};

struct CreatePartitionsResponse {
    static constexpr ApiKey kApiKey = ApiKey::CreatePartitions;
    struct CreatePartitionsTopicResult {
        std::string name;
        ErrorCode errorCode = ErrorCode::NONE;
        std::optional<std::string> errorMessage;
        friend bool operator==(const CreatePartitionsTopicResult&,
                               const CreatePartitionsTopicResult&) = default;
    };
    int32_t throttleTimeMs = 0;
    std::vector<CreatePartitionsTopicResult> results;
    friend bool operator==(const CreatePartitionsResponse&,
                           const CreatePartitionsResponse&) = default;
};

void encode(const CreatePartitionsRequest& m, int16_t version, Writer& w);
Status decode(CreatePartitionsRequest& m, int16_t version, Reader& r);
void encode(const CreatePartitionsResponse& m, int16_t version, Writer& w);
Status decode(CreatePartitionsResponse& m, int16_t version, Reader& r);

}  // namespace bs::protocol
