#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common/result.h"
#include "protocol/api_keys.h"
#include "protocol/reader.h"
#include "protocol/writer.h"

namespace bs::protocol {

// Request header v0 (key, version, correlation id), v1 (+ client id, a classic nullable
// string even in v2) and v2 (+ tagged fields).
struct RequestHeader {
    ApiKey apiKey = ApiKey::ApiVersions;
    int16_t apiVersion = 0;
    int32_t correlationId = 0;
    std::optional<std::string> clientId;
    friend bool operator==(const RequestHeader&, const RequestHeader&) = default;
};

// Response header v0 (correlation id) and v1 (+ tagged fields).
struct ResponseHeader {
    int32_t correlationId = 0;
    friend bool operator==(const ResponseHeader&, const ResponseHeader&) = default;
};

void encode(const RequestHeader& h, int16_t headerVersion, Writer& w);
Status decode(RequestHeader& h, int16_t headerVersion, Reader& r);
// Broker side: reads key and version first, then the rest with the header version they imply
// (requestHeaderVersion()); works for API keys and versions we do not support, so the broker
// can still answer with UNSUPPORTED_VERSION.
Status decodeRequestHeader(RequestHeader& h, Reader& r);

void encode(const ResponseHeader& h, int16_t headerVersion, Writer& w);
Status decode(ResponseHeader& h, int16_t headerVersion, Reader& r);

}  // namespace bs::protocol
