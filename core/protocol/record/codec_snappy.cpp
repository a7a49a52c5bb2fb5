#include <snappy.h>

#include <cstring>

#include "protocol/record/codecs.h"

namespace bs::protocol::detail {
namespace {

// snappy-java's SnappyOutputStream stream header: magic, then version and compatible version
// (big-endian int32 each), then [int32 compressed length][raw snappy block]... Java writes
// 32 KiB blocks (SnappyOutputStream.DEFAULT_BLOCK_SIZE).
constexpr uint8_t kXerialMagic[8] = {0x82, 'S', 'N', 'A', 'P', 'P', 'Y', 0};
constexpr size_t kXerialHeaderSize = 16;
constexpr size_t kXerialBlockSize = 32 * 1024;
constexpr int32_t kXerialVersion = 1;
constexpr int32_t kXerialMinCompatibleVersion = 1;

int32_t readBe32(const uint8_t* p) {
    return static_cast<int32_t>((uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) |
                                (uint32_t{p[2]} << 8) | uint32_t{p[3]});
}
void appendBe32(UninitBytes& out, int32_t v) {
    const auto u = static_cast<uint32_t>(v);
    const uint8_t b[4] = {static_cast<uint8_t>(u >> 24), static_cast<uint8_t>(u >> 16),
                          static_cast<uint8_t>(u >> 8), static_cast<uint8_t>(u)};
    out.insert(out.end(), b, b + 4);
}

bool hasXerialMagic(std::span<const uint8_t> in) {
    return in.size() >= sizeof kXerialMagic && std::memcmp(in.data(), kXerialMagic, 8) == 0;
}

// One raw snappy block; its declared length is checked against the budget before any
// allocation, and the decoder checks the data really produces that length.
Status rawBlock(std::span<const uint8_t> block, size_t position, BoundedOutput& sink) {
    const char* src = reinterpret_cast<const char*>(block.data());
    size_t length = 0;
    if (!snappy::GetUncompressedLength(src, block.size(), &length)) {
        return Error{"snappy: corrupt block length at compressed byte " + std::to_string(position)};
    }
    if (length > sink.limit() - sink.produced()) return bombError("snappy", sink.limit());
    if (length == 0) return Status::success();
    auto w = sink.window(length);
    if (!snappy::RawUncompress(src, block.size(), reinterpret_cast<char*>(w.data()))) {
        return Error{"snappy: corrupt block at compressed byte " + std::to_string(position)};
    }
    sink.commit(length);
    return Status::success();
}

}  // namespace

Status snappyCompress(std::span<const uint8_t> in, UninitBytes& out) {
    out.insert(out.end(), kXerialMagic, kXerialMagic + sizeof kXerialMagic);
    appendBe32(out, kXerialVersion);
    appendBe32(out, kXerialMinCompatibleVersion);
    for (size_t pos = 0; pos < in.size(); pos += kXerialBlockSize) {
        const size_t n = std::min(kXerialBlockSize, in.size() - pos);
        const size_t lengthAt = out.size();
        out.resize(lengthAt + 4 + snappy::MaxCompressedLength(n));
        size_t written = 0;
        snappy::RawCompress(reinterpret_cast<const char*>(in.data() + pos), n,
                            reinterpret_cast<char*>(out.data() + lengthAt + 4), &written);
        const auto len = static_cast<uint32_t>(written);
        const uint8_t be[4] = {static_cast<uint8_t>(len >> 24), static_cast<uint8_t>(len >> 16),
                               static_cast<uint8_t>(len >> 8), static_cast<uint8_t>(len)};
        std::memcpy(out.data() + lengthAt, be, 4);
        out.resize(lengthAt + 4 + written);
    }
    return Status::success();
}

Status snappyDecompress(std::span<const uint8_t> in, std::vector<uint8_t>& out, size_t maxBytes) {
    BoundedOutput sink(out, maxBytes);
    // Like snappy-java's SnappyInputStream: without the stream magic the input is one raw block.
    if (!hasXerialMagic(in)) {
        if (in.empty()) return Error{"snappy: empty input"};
        return rawBlock(in, 0, sink);
    }
    size_t pos = 0;
    while (pos < in.size()) {
        // A stream header (at the start, or where streams were concatenated).
        if (hasXerialMagic(in.subspan(pos))) {
            if (in.size() - pos < kXerialHeaderSize) {
                return Error{"snappy: truncated xerial header at byte " + std::to_string(pos)};
            }
            const int32_t compatible = readBe32(in.data() + pos + 12);
            if (compatible < kXerialMinCompatibleVersion) {
                return Error{"snappy: unsupported xerial compatible version " +
                             std::to_string(compatible) + " at byte " + std::to_string(pos + 12)};
            }
            pos += kXerialHeaderSize;
            continue;
        }
        if (in.size() - pos < 4) {
            return Error{"snappy: truncated xerial block length at byte " + std::to_string(pos)};
        }
        const int32_t length = readBe32(in.data() + pos);
        if (length < 0 || static_cast<size_t>(length) > in.size() - pos - 4) {
            return Error{"snappy: xerial block length " + std::to_string(length) + " at byte " +
                         std::to_string(pos) + " exceeds the " +
                         std::to_string(in.size() - pos - 4) + " remaining bytes"};
        }
        if (Status s = rawBlock(in.subspan(pos + 4, static_cast<size_t>(length)), pos + 4, sink);
            !s) {
            return s;
        }
        pos += 4 + static_cast<size_t>(length);
    }
    return Status::success();
}

}  // namespace bs::protocol::detail
