#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/result.h"
#include "protocol/api_keys.h"
#include "protocol/errors.h"
#include "protocol/reader.h"
#include "protocol/writer.h"

namespace bs::protocol {

// ApiVersions v0-3 (KIP-511 client software name/version from v3).
struct ApiVersionsRequest {
    static constexpr ApiKey kApiKey = ApiKey::ApiVersions;
    std::string clientSoftwareName;     // v3+
    std::string clientSoftwareVersion;  // v3+
    friend bool operator==(const ApiVersionsRequest&, const ApiVersionsRequest&) = default;
};

struct ApiVersionsResponse {
    static constexpr ApiKey kApiKey = ApiKey::ApiVersions;
    struct ApiVersion {
        int16_t apiKey = 0;
        int16_t minVersion = 0;
        int16_t maxVersion = 0;
        friend bool operator==(const ApiVersion&, const ApiVersion&) = default;
    };
    struct SupportedFeatureKey {
        std::string name;
        int16_t minVersion = 0;
        int16_t maxVersion = 0;
        friend bool operator==(const SupportedFeatureKey&, const SupportedFeatureKey&) = default;
    };
    struct FinalizedFeatureKey {
        std::string name;
        int16_t maxVersionLevel = 0;
        int16_t minVersionLevel = 0;
        friend bool operator==(const FinalizedFeatureKey&, const FinalizedFeatureKey&) = default;
    };
    ErrorCode errorCode = ErrorCode::NONE;
    std::vector<ApiVersion> apiKeys;
    int32_t throttleTimeMs = 0;  // v1+
    // v3+ tagged fields (absent = not sent).
    std::optional<std::vector<SupportedFeatureKey>> supportedFeatures;  // tag 0
    std::optional<int64_t> finalizedFeaturesEpoch;                      // tag 1
    std::optional<std::vector<FinalizedFeatureKey>> finalizedFeatures;  // tag 2
    std::optional<bool> zkMigrationReady;                               // tag 3
    friend bool operator==(const ApiVersionsResponse&, const ApiVersionsResponse&) = default;
};

void encode(const ApiVersionsRequest& m, int16_t version, Writer& w);
Status decode(ApiVersionsRequest& m, int16_t version, Reader& r);
void encode(const ApiVersionsResponse& m, int16_t version, Writer& w);
Status decode(ApiVersionsResponse& m, int16_t version, Reader& r);

// Client side, a whole response body (KIP-511): a broker that does not speak the requested
// version answers UNSUPPORTED_VERSION in a v0 body listing its own ApiVersions range. Decodes
// at `version`; on UNSUPPORTED_VERSION, or when that fails, decodes as v0. When neither decodes
// strictly but the error code could be read as UNSUPPORTED_VERSION, `m` carries that code (and
// what was read) so the caller can retry with a lower version.
Status decodeApiVersionsResponse(ApiVersionsResponse& m, int16_t version,
                                 std::span<const uint8_t> body);

}  // namespace bs::protocol
