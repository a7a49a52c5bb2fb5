#pragma once

// Size-prefixed frames: int32 size, then header + message body.

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "common/result.h"
#include "protocol/api_keys.h"
#include "protocol/headers.h"
#include "protocol/reader.h"
#include "protocol/writer.h"

namespace bs::protocol {

// Kafka's socket.request.max.bytes default: larger frames are refused before allocating.
inline constexpr int32_t kDefaultMaxFrameSize = 100 * 1024 * 1024;
inline constexpr size_t kFrameSizeBytes = 4;

// Decodes the 4-byte size prefix of a frame read from a stream; negative sizes and sizes above
// `maxFrameSize` are errors naming the size.
Result<int32_t> readFrameSize(std::span<const uint8_t, kFrameSizeBytes> prefix,
                              int32_t maxFrameSize = kDefaultMaxFrameSize);

// Appends a complete request frame (size, header with the version the API implies, message)
// to `out`. `Msg` is any message with an `encode(const Msg&, int16_t, Writer&)` overload.
template <class Msg>
void appendRequestFrame(std::vector<uint8_t>& out, const RequestHeader& h, const Msg& m) {
    Writer w(out);
    size_t sizePos = w.reserveInt32();
    encode(h, requestHeaderVersion(h.apiKey, h.apiVersion), w);
    encode(m, h.apiVersion, w);
    w.patchInt32(sizePos, static_cast<int32_t>(w.position() - sizePos - kFrameSizeBytes));
}

template <class Msg>
std::vector<uint8_t> encodeRequestFrame(const RequestHeader& h, const Msg& m) {
    std::vector<uint8_t> out;
    appendRequestFrame(out, h, m);
    return out;
}

// A frame written without copying its large byte runs (the batches of a Produce request): the
// owned bytes (size prefix, header, the body's fields) with Writer splices inserted at their
// offsets. Sent with one gathered write; the splices' memory must outlive it.
struct GatheredFrame {
    std::vector<uint8_t> owned;
    std::vector<Writer::Splice> splices;  // ascending offsets into `owned`

    size_t size() const;
    // Calls f(std::span<const uint8_t>) for each contiguous run, in wire order.
    template <class F>
    void forEachSegment(F&& f) const {
        size_t from = 0;
        for (const Writer::Splice& s : splices) {
            if (s.at > from) f(std::span<const uint8_t>(owned.data() + from, s.at - from));
            f(s.bytes);
            from = s.at;
        }
        if (owned.size() > from)
            f(std::span<const uint8_t>(owned.data() + from, owned.size() - from));
    }
    // The frame as one contiguous copy (for observers; not on the hot path).
    std::vector<uint8_t> assemble() const;
};

// A complete request frame (size prefix covering every segment, header, then what `writeBody`
// writes with a gathering Writer).
template <class WriteBody>
GatheredFrame buildGatheredRequestFrame(const RequestHeader& h, WriteBody&& writeBody) {
    GatheredFrame f;
    f.owned.reserve(256);
    Writer w(f.owned, f.splices);
    size_t sizePos = w.reserveInt32();
    encode(h, requestHeaderVersion(h.apiKey, h.apiVersion), w);
    writeBody(w);
    w.patchInt32(sizePos,
                 static_cast<int32_t>(w.position() + w.splicedBytes() - sizePos - kFrameSizeBytes));
    return f;
}

template <class Msg>
GatheredFrame encodeGatheredRequestFrame(const RequestHeader& h, const Msg& m) {
    return buildGatheredRequestFrame(h, [&](Writer& w) { encode(m, h.apiVersion, w); });
}

// Appends a complete response frame for `api` at `version` to `out`.
template <class Msg>
void appendResponseFrame(std::vector<uint8_t>& out, ApiKey api, int16_t version,
                         int32_t correlationId, const Msg& m) {
    Writer w(out);
    size_t sizePos = w.reserveInt32();
    encode(ResponseHeader{correlationId}, responseHeaderVersion(api, version), w);
    encode(m, version, w);
    w.patchInt32(sizePos, static_cast<int32_t>(w.position() - sizePos - kFrameSizeBytes));
}

template <class Msg>
std::vector<uint8_t> encodeResponseFrame(ApiKey api, int16_t version, int32_t correlationId,
                                         const Msg& m) {
    std::vector<uint8_t> out;
    appendResponseFrame(out, api, version, correlationId, m);
    return out;
}

// A request frame body (without the size prefix) split into its header and the message bytes.
// `body` views the caller's buffer.
struct RequestFrame {
    RequestHeader header;
    std::span<const uint8_t> body;
};
Result<RequestFrame> parseRequestFrame(std::span<const uint8_t> frame);

// Client side: the response to a request of `api` at `version`.
struct ResponseFrame {
    ResponseHeader header;
    std::span<const uint8_t> body;
};
Result<ResponseFrame> parseResponseFrame(std::span<const uint8_t> frame, ApiKey api,
                                         int16_t version);

// Decodes a whole message body and insists nothing is left over.
template <class Msg>
Status decodeBody(Msg& m, int16_t version, std::span<const uint8_t> body) {
    Reader r(body);
    Status s = decode(m, version, r);
    if (!s.ok()) return s;
    if (!r.atEnd()) {
        return Error{std::to_string(r.remaining()) +
                     " unexpected trailing bytes after message at offset " +
                     std::to_string(r.position())};
    }
    return {};
}

}  // namespace bs::protocol
