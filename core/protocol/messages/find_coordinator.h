#pragma once

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

// FindCoordinator v0-4: which broker coordinates a consumer group (keyType 0) or a
// transactional id (keyType 1). v0-3 ask for one key; v4 batches them (KIP-699).
struct FindCoordinatorRequest {
    static constexpr ApiKey kApiKey = ApiKey::FindCoordinator;
    std::string key;                           // v0-3
    int8_t keyType = 0;                        // v1+
    std::vector<std::string> coordinatorKeys;  // v4+
    friend bool operator==(const FindCoordinatorRequest&, const FindCoordinatorRequest&) = default;
};

struct FindCoordinatorResponse {
    static constexpr ApiKey kApiKey = ApiKey::FindCoordinator;
    struct Coordinator {
        std::string key;
        int32_t nodeId = -1;
        std::string host;
        int32_t port = -1;
        ErrorCode errorCode = ErrorCode::NONE;
        std::optional<std::string> errorMessage;
        friend bool operator==(const Coordinator&, const Coordinator&) = default;
    };
    int32_t throttleTimeMs = 0;  // v1+
    // v0-3: the one answer.
    ErrorCode errorCode = ErrorCode::NONE;
    std::optional<std::string> errorMessage;  // v1-3
    int32_t nodeId = -1;
    std::string host;
    int32_t port = -1;
    std::vector<Coordinator> coordinators;  // v4+
    friend bool operator==(const FindCoordinatorResponse&,
                           const FindCoordinatorResponse&) = default;
};

void encode(const FindCoordinatorRequest& m, int16_t version, Writer& w);
Status decode(FindCoordinatorRequest& m, int16_t version, Reader& r);
void encode(const FindCoordinatorResponse& m, int16_t version, Writer& w);
Status decode(FindCoordinatorResponse& m, int16_t version, Reader& r);

}  // namespace bs::protocol
