#include <zstd.h>

#include <memory>

#include "protocol/record/codecs.h"

namespace bs::protocol::detail {
namespace {

struct DctxFree {
    void operator()(ZSTD_DCtx* d) const { ZSTD_freeDCtx(d); }
};
struct CctxFree {
    void operator()(ZSTD_CCtx* c) const { ZSTD_freeCCtx(c); }
};

// Contexts are costly to create (MiBs of tables); one per thread, reused per batch.
ZSTD_CCtx* threadCctx() {
    thread_local std::unique_ptr<ZSTD_CCtx, CctxFree> cctx(ZSTD_createCCtx());
    return cctx.get();
}
ZSTD_DCtx* threadDctx() {
    thread_local std::unique_ptr<ZSTD_DCtx, DctxFree> dctx(ZSTD_createDCtx());
    return dctx.get();
}

}  // namespace

Status zstdCompress(int level, std::span<const uint8_t> in, UninitBytes& out) {
    ZSTD_CCtx* cctx = threadCctx();
    if (!cctx) return Error{"zstd: cannot create a compression context"};
    const size_t start = out.size();
    const size_t bound = ZSTD_compressBound(in.size());
    out.resize(start + bound);
    const size_t n =
        ZSTD_compressCCtx(cctx, out.data() + start, bound, in.data(), in.size(), level);
    if (ZSTD_isError(n)) {
        out.resize(start);
        return Error{std::string("zstd: compression failed: ") + ZSTD_getErrorName(n)};
    }
    out.resize(start + n);
    return Status::success();
}

Status zstdDecompress(std::span<const uint8_t> in, std::vector<uint8_t>& out, size_t maxBytes) {
    if (in.empty()) return Error{"zstd: empty input"};
    ZSTD_DCtx* dctx = threadDctx();
    if (!dctx) return Error{"zstd: cannot create a decompression context"};
    ZSTD_DCtx_reset(dctx, ZSTD_reset_session_only);
    // Streaming: the frame's declared content size is never used to allocate.
    BoundedOutput sink(out, maxBytes);
    ZSTD_inBuffer input{in.data(), in.size(), 0};
    size_t remaining = 1;  // > 0 while a frame is incomplete
    while (true) {
        auto w = sink.window();
        ZSTD_outBuffer output{w.data(), w.size(), 0};
        remaining = ZSTD_decompressStream(dctx, &output, &input);
        if (ZSTD_isError(remaining)) {
            return Error{"zstd: corrupt frame near compressed byte " + std::to_string(input.pos) +
                         ": " + ZSTD_getErrorName(remaining)};
        }
        sink.commit(output.pos);
        if (sink.exceeded()) return bombError("zstd", sink.limit());
        if (remaining == 0 && input.pos == input.size) return Status::success();
        if (input.pos == input.size && output.pos < output.size) {
            return Error{"zstd: truncated frame (input ends at byte " + std::to_string(input.pos) +
                         ")"};
        }
    }
}

}  // namespace bs::protocol::detail
