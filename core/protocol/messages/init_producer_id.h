#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common/result.h"
#include "protocol/api_keys.h"
#include "protocol/errors.h"
#include "protocol/reader.h"
#include "protocol/writer.h"

namespace bs::protocol {

// InitProducerId v0-4.
struct InitProducerIdRequest {
    static constexpr ApiKey kApiKey = ApiKey::InitProducerId;
    std::optional<std::string> transactionalId;
    int32_t transactionTimeoutMs = 0;
    int64_t producerId = -1;     // v3+ (an existing id to bump the epoch of)
    int16_t producerEpoch = -1;  // v3+
    friend bool operator==(const InitProducerIdRequest&, const InitProducerIdRequest&) = default;
};

struct InitProducerIdResponse {
    static constexpr ApiKey kApiKey = ApiKey::InitProducerId;
    int32_t throttleTimeMs = 0;
    ErrorCode errorCode = ErrorCode::NONE;
    int64_t producerId = -1;
    int16_t producerEpoch = -1;
    friend bool operator==(const InitProducerIdResponse&, const InitProducerIdResponse&) = default;
};

void encode(const InitProducerIdRequest& m, int16_t version, Writer& w);
Status decode(InitProducerIdRequest& m, int16_t version, Reader& r);
void encode(const InitProducerIdResponse& m, int16_t version, Writer& w);
Status decode(InitProducerIdResponse& m, int16_t version, Reader& r);

}  // namespace bs::protocol
