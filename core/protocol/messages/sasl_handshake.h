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

// SaslHandshake v0-1: the client names its SASL mechanism; the answer lists the enabled ones.
// v0 is followed by raw size-prefixed SASL tokens, v1 by SaslAuthenticate requests.
struct SaslHandshakeRequest {
    static constexpr ApiKey kApiKey = ApiKey::SaslHandshake;
    std::string mechanism;
    friend bool operator==(const SaslHandshakeRequest&, const SaslHandshakeRequest&) = default;
};

struct SaslHandshakeResponse {
    static constexpr ApiKey kApiKey = ApiKey::SaslHandshake;
    ErrorCode errorCode = ErrorCode::NONE;
    std::vector<std::string> mechanisms;
    friend bool operator==(const SaslHandshakeResponse&, const SaslHandshakeResponse&) = default;
};

void encode(const SaslHandshakeRequest& m, int16_t version, Writer& w);
Status decode(SaslHandshakeRequest& m, int16_t version, Reader& r);
void encode(const SaslHandshakeResponse& m, int16_t version, Writer& w);
Status decode(SaslHandshakeResponse& m, int16_t version, Reader& r);

}  // namespace bs::protocol
