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

// SaslAuthenticate v0-2: one SASL token each way (KIP-152); v1 adds the session lifetime
// (KIP-368), v2 is flexible.
struct SaslAuthenticateRequest {
    static constexpr ApiKey kApiKey = ApiKey::SaslAuthenticate;
    std::vector<uint8_t> authBytes;
    friend bool operator==(const SaslAuthenticateRequest&,
                           const SaslAuthenticateRequest&) = default;
};

struct SaslAuthenticateResponse {
    static constexpr ApiKey kApiKey = ApiKey::SaslAuthenticate;
    ErrorCode errorCode = ErrorCode::NONE;
    std::optional<std::string> errorMessage;
    std::vector<uint8_t> authBytes;
    int64_t sessionLifetimeMs = 0;  // v1+; 0: no re-authentication required
    friend bool operator==(const SaslAuthenticateResponse&,
                           const SaslAuthenticateResponse&) = default;
};

void encode(const SaslAuthenticateRequest& m, int16_t version, Writer& w);
Status decode(SaslAuthenticateRequest& m, int16_t version, Reader& r);
void encode(const SaslAuthenticateResponse& m, int16_t version, Writer& w);
Status decode(SaslAuthenticateResponse& m, int16_t version, Reader& r);

}  // namespace bs::protocol
