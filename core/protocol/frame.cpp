#include "protocol/frame.h"

#include <string>

namespace bs::protocol {

Result<int32_t> readFrameSize(std::span<const uint8_t, kFrameSizeBytes> prefix,
                              int32_t maxFrameSize) {
    Reader r(prefix);
    int32_t size = r.int32("frame size");
    if (size < 0) return Error{"frame size " + std::to_string(size) + " is negative"};
    if (size > maxFrameSize) {
        return Error{"frame size " + std::to_string(size) + " exceeds the maximum of " +
                     std::to_string(maxFrameSize) + " bytes"};
    }
    return size;
}

size_t GatheredFrame::size() const {
    size_t n = owned.size();
    for (const Writer::Splice& s : splices)
        n += s.bytes.size();
    return n;
}

std::vector<uint8_t> GatheredFrame::assemble() const {
    std::vector<uint8_t> out;
    out.reserve(size());
    forEachSegment([&](std::span<const uint8_t> s) { out.insert(out.end(), s.begin(), s.end()); });
    return out;
}

Result<RequestFrame> parseRequestFrame(std::span<const uint8_t> frame) {
    Reader r(frame);
    RequestFrame f;
    Status s = decodeRequestHeader(f.header, r);
    if (!s.ok()) return Error{s.message()};
    f.body = frame.subspan(r.position());
    return f;
}

Result<ResponseFrame> parseResponseFrame(std::span<const uint8_t> frame, ApiKey api,
                                         int16_t version) {
    Reader r(frame);
    ResponseFrame f;
    Status s = decode(f.header, responseHeaderVersion(api, version), r);
    if (!s.ok()) return Error{s.message()};
    f.body = frame.subspan(r.position());
    return f;
}

}  // namespace bs::protocol
