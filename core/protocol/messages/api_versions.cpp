#include "protocol/messages/api_versions.h"

#include "protocol/codec.h"
#include "protocol/frame.h"

namespace bs::protocol {
namespace {

template <class IO, class M>
void request(IO& io, M& m, int16_t v) {
    if (v >= 3) {
        io.string("clientSoftwareName", m.clientSoftwareName);
        io.string("clientSoftwareVersion", m.clientSoftwareVersion);
    }
    io.tags();
}

template <class IO, class M>
void response(IO& io, M& m, int16_t v) {
    io.errorCode("errorCode", m.errorCode);
    io.array("apiKeys", m.apiKeys, [&](auto& k) {
        io.int16("apiKey", k.apiKey);
        io.int16("minVersion", k.minVersion);
        io.int16("maxVersion", k.maxVersion);
        io.tags();
    });
    if (v >= 1) io.int32("throttleTimeMs", m.throttleTimeMs);
    io.tags([&](auto& t) {
        t.field(0, m.supportedFeatures, [](auto& tio, auto& features) {
            tio.array("supportedFeatures", features, [&](auto& f) {
                tio.string("name", f.name);
                tio.int16("minVersion", f.minVersion);
                tio.int16("maxVersion", f.maxVersion);
                tio.tags();
            });
        });
        t.field(1, m.finalizedFeaturesEpoch,
                [](auto& tio, auto& e) { tio.int64("finalizedFeaturesEpoch", e); });
        t.field(2, m.finalizedFeatures, [](auto& tio, auto& features) {
            tio.array("finalizedFeatures", features, [&](auto& f) {
                tio.string("name", f.name);
                tio.int16("maxVersionLevel", f.maxVersionLevel);
                tio.int16("minVersionLevel", f.minVersionLevel);
                tio.tags();
            });
        });
        t.field(3, m.zkMigrationReady,
                [](auto& tio, auto& b) { tio.boolean("zkMigrationReady", b); });
    });
}

}  // namespace

BS_PROTOCOL_MESSAGE_CODEC(ApiVersionsRequest, ApiKey::ApiVersions, request)
BS_PROTOCOL_MESSAGE_CODEC(ApiVersionsResponse, ApiKey::ApiVersions, response)

Status decodeApiVersionsResponse(ApiVersionsResponse& m, int16_t version,
                                 std::span<const uint8_t> body) {
    Status strict = decodeBody(m, version, body);
    if (strict.ok() && m.errorCode != ErrorCode::UNSUPPORTED_VERSION) return strict;
    ApiVersionsResponse asV0;
    if (version != 0 && decodeBody(asV0, 0, body).ok()) {
        m = std::move(asV0);
        return {};
    }
    if (strict.ok()) return strict;
    // Neither parse is clean; a leading UNSUPPORTED_VERSION is still an answer.
    Reader r(body);
    if (decode(m, version, r).ok() && m.errorCode == ErrorCode::UNSUPPORTED_VERSION) return {};
    m = ApiVersionsResponse{};
    return strict;
}

}  // namespace bs::protocol
