#include <zlib.h>

#include "protocol/record/codecs.h"

namespace bs::protocol::detail {
namespace {
constexpr int kGzipWindowBits = 15 + 16;  // +16: gzip wrapper, as java.util.zip.GZIPOutputStream

Error zlibError(const char* what, size_t position, const z_stream& zs, int rc) {
    return Error{std::string("gzip: ") + what + " at compressed byte " + std::to_string(position) +
                 ": " + (zs.msg ? zs.msg : zError(rc))};
}

// zlib streams allocate ~300 KiB of state; one per thread, reset per batch.
struct Deflater {
    z_stream zs{};
    int level = 0;
    bool ready = false;
    ~Deflater() {
        if (ready) deflateEnd(&zs);
    }
    int reset(int wanted) {
        if (ready && level == wanted) return deflateReset(&zs);
        if (ready) deflateEnd(&zs);
        zs = z_stream{};
        const int rc =
            deflateInit2(&zs, wanted, Z_DEFLATED, kGzipWindowBits, 8, Z_DEFAULT_STRATEGY);
        ready = rc == Z_OK;
        level = wanted;
        return rc;
    }
};

struct Inflater {
    z_stream zs{};
    bool ready = false;
    ~Inflater() {
        if (ready) inflateEnd(&zs);
    }
    int reset() {
        if (ready) return inflateReset(&zs);
        const int rc = inflateInit2(&zs, kGzipWindowBits);
        ready = rc == Z_OK;
        return rc;
    }
};

}  // namespace

Status gzipCompress(int level, std::span<const uint8_t> in, UninitBytes& out) {
    thread_local Deflater deflater;
    int rc = deflater.reset(level);
    if (rc != Z_OK) return Error{std::string("gzip: deflateInit failed: ") + zError(rc)};
    z_stream& zs = deflater.zs;
    const size_t start = out.size();
    // deflateBound covers the whole input, so one Z_FINISH call completes (uInt-sized chunks
    // for inputs beyond 4 GiB are not needed: batches are far smaller, checked below).
    if (in.size() > 0xffffffffu / 2) {
        return Error{"gzip: input of " + std::to_string(in.size()) + " bytes is too large"};
    }
    const uLong bound = deflateBound(&zs, static_cast<uLong>(in.size()));
    out.resize(start + bound);
    zs.next_in = const_cast<Bytef*>(in.data());  // zlib's API is not const-correct
    zs.avail_in = static_cast<uInt>(in.size());
    zs.next_out = out.data() + start;
    zs.avail_out = static_cast<uInt>(bound);
    rc = deflate(&zs, Z_FINISH);
    const size_t written = zs.total_out;
    out.resize(start + written);
    if (rc != Z_STREAM_END) return Error{std::string("gzip: deflate failed: ") + zError(rc)};
    return Status::success();
}

Status gzipDecompress(std::span<const uint8_t> in, std::vector<uint8_t>& out, size_t maxBytes) {
    if (in.empty()) return Error{"gzip: empty input"};
    if (in.size() > 0x7fffffff) return Error{"gzip: compressed input larger than 2 GiB"};
    thread_local Inflater inflater;
    int rc = inflater.reset();
    if (rc != Z_OK) return Error{std::string("gzip: inflateInit failed: ") + zError(rc)};
    z_stream& zs = inflater.zs;
    BoundedOutput sink(out, maxBytes);
    size_t consumed = 0;  // of `in`, across gzip members
    zs.next_in = const_cast<Bytef*>(in.data());
    zs.avail_in = static_cast<uInt>(in.size());
    while (true) {
        auto w = sink.window();
        zs.next_out = w.data();
        zs.avail_out = static_cast<uInt>(std::min<size_t>(w.size(), 0x7fffffff));
        const uInt availBefore = zs.avail_out;
        const uInt inBefore = zs.avail_in;
        rc = inflate(&zs, Z_NO_FLUSH);
        sink.commit(availBefore - zs.avail_out);
        consumed += inBefore - zs.avail_in;
        if (sink.exceeded()) return bombError("gzip", sink.limit());
        if (rc == Z_STREAM_END) {
            if (zs.avail_in == 0) return Status::success();
            // java.util.zip.GZIPInputStream reads concatenated members; so do we.
            if (inflateReset(&zs) != Z_OK) return zlibError("reset failed", consumed, zs, rc);
            continue;
        }
        if (rc == Z_OK) continue;
        if (rc == Z_BUF_ERROR && zs.avail_in == 0) {
            return Error{"gzip: truncated input (ends at compressed byte " +
                         std::to_string(consumed) + " inside a member)"};
        }
        if (rc == Z_BUF_ERROR) continue;  // output window was full; a new one comes next
        return zlibError("corrupt data", consumed, zs, rc);
    }
}

}  // namespace bs::protocol::detail
