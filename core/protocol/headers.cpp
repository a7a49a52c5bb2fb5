#include "protocol/headers.h"

namespace bs::protocol {

void encode(const RequestHeader& h, int16_t headerVersion, Writer& w) {
    w.int16(static_cast<int16_t>(h.apiKey));
    w.int16(h.apiVersion);
    w.int32(h.correlationId);
    if (headerVersion >= 1) w.nullableString(h.clientId);
    if (headerVersion >= 2) w.emptyTaggedFields();
}

static Status headerStatus(const Reader& r, const char* what) {
    if (r.ok()) return {};
    return Error{std::string(what) + ": " + r.error()};
}

static void readRequestHeaderRest(RequestHeader& h, int16_t headerVersion, Reader& r) {
    h.correlationId = r.int32("correlationId");
    h.clientId.reset();
    if (headerVersion >= 1) h.clientId = r.nullableString("clientId");
    if (headerVersion >= 2) r.skipTaggedFields("request header tagged fields");
}

Status decode(RequestHeader& h, int16_t headerVersion, Reader& r) {
    h.apiKey = static_cast<ApiKey>(r.int16("requestApiKey"));
    h.apiVersion = r.int16("requestApiVersion");
    readRequestHeaderRest(h, headerVersion, r);
    return headerStatus(r, "request header");
}

Status decodeRequestHeader(RequestHeader& h, Reader& r) {
    h.apiKey = static_cast<ApiKey>(r.int16("requestApiKey"));
    h.apiVersion = r.int16("requestApiVersion");
    readRequestHeaderRest(h, requestHeaderVersion(h.apiKey, h.apiVersion), r);
    return headerStatus(r, "request header");
}

void encode(const ResponseHeader& h, int16_t headerVersion, Writer& w) {
    w.int32(h.correlationId);
    if (headerVersion >= 1) w.emptyTaggedFields();
}

Status decode(ResponseHeader& h, int16_t headerVersion, Reader& r) {
    h.correlationId = r.int32("correlationId");
    if (headerVersion >= 1) r.skipTaggedFields("response header tagged fields");
    return headerStatus(r, "response header");
}

}  // namespace bs::protocol
