#include <lz4frame.h>

#include <memory>

#include "protocol/record/codecs.h"

namespace bs::protocol::detail {
namespace {

struct DctxFree {
    void operator()(LZ4F_dctx* d) const { LZ4F_freeDecompressionContext(d); }
};

Error lz4Error(const char* what, size_t position, size_t code) {
    return Error{std::string("lz4: ") + what + " at compressed byte " + std::to_string(position) +
                 ": " + LZ4F_getErrorName(code)};
}

}  // namespace

Status lz4Compress(int level, std::span<const uint8_t> in, UninitBytes& out) {
    // What Kafka's Lz4BlockOutputStream writes (magic 1+): 64 KiB independent blocks, no block
    // or content checksum, no content size, a correct header checksum. Kafka uses the fast
    // compressor for its default level 9 and LZ4 HC for any other level.
    LZ4F_preferences_t prefs{};
    prefs.frameInfo.blockSizeID = LZ4F_max64KB;
    prefs.frameInfo.blockMode = LZ4F_blockIndependent;
    prefs.frameInfo.contentChecksumFlag = LZ4F_noContentChecksum;
    prefs.frameInfo.blockChecksumFlag = LZ4F_noBlockChecksum;
    prefs.compressionLevel = level == 9 ? 0 : level;
    const size_t start = out.size();
    const size_t bound = LZ4F_compressFrameBound(in.size(), &prefs);
    out.resize(start + bound);
    const size_t n = LZ4F_compressFrame(out.data() + start, bound, in.data(), in.size(), &prefs);
    if (LZ4F_isError(n)) {
        out.resize(start);
        return Error{std::string("lz4: compression failed: ") + LZ4F_getErrorName(n)};
    }
    out.resize(start + n);
    return Status::success();
}

Status lz4Decompress(std::span<const uint8_t> in, std::vector<uint8_t>& out, size_t maxBytes) {
    if (in.empty()) return Error{"lz4: empty input"};
    // One context per thread, reset per frame (it may hold state from a failed decode).
    thread_local std::unique_ptr<LZ4F_dctx, DctxFree> dctx = [] {
        LZ4F_dctx* raw = nullptr;
        return std::unique_ptr<LZ4F_dctx, DctxFree>(
            LZ4F_isError(LZ4F_createDecompressionContext(&raw, LZ4F_VERSION)) ? nullptr : raw);
    }();
    if (!dctx) return Error{"lz4: cannot create a decompression context"};
    LZ4F_resetDecompressionContext(dctx.get());
    BoundedOutput sink(out, maxBytes);
    size_t pos = 0;
    size_t hint = 1;  // > 0 while a frame is incomplete
    while (true) {
        auto w = sink.window();
        size_t dstSize = w.size();
        size_t srcSize = in.size() - pos;
        hint = LZ4F_decompress(dctx.get(), w.data(), &dstSize, in.data() + pos, &srcSize, nullptr);
        if (LZ4F_isError(hint)) return lz4Error("corrupt frame", pos, hint);
        pos += srcSize;
        sink.commit(dstSize);
        if (sink.exceeded()) return bombError("lz4", sink.limit());
        if (hint == 0 && pos == in.size()) return Status::success();  // frame(s) complete
        // No progress with input left means the decoder waits for output room: loop again.
        if (pos == in.size() && dstSize == 0) {
            return Error{"lz4: truncated frame (input ends at byte " + std::to_string(pos) + ")"};
        }
    }
}

}  // namespace bs::protocol::detail
