#pragma once

// Internal to batchscope_records: one compress/decompress pair per codec, and the bounded
// output window the decoders share. Users include compression.h.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include "common/default_init_allocator.h"
#include "common/result.h"

namespace bs::protocol::detail {

// Appends decoder output to a vector without ever holding more than maxBytes of it. One byte
// past the limit is offered so that a decoder with more to give is caught (exceeded()).
class BoundedOutput {
  public:
    BoundedOutput(std::vector<uint8_t>& out, size_t maxBytes)
        : out_(out),
          start_(out.size()),
          max_(std::min(maxBytes, std::numeric_limits<size_t>::max() / 2)) {}
    ~BoundedOutput() { out_.resize(start_ + produced_); }
    BoundedOutput(const BoundedOutput&) = delete;
    BoundedOutput& operator=(const BoundedOutput&) = delete;

    // Writable space after what was produced; grows geometrically, capped at the limit + 1.
    std::span<uint8_t> window(size_t atLeast = 0) {
        const size_t room = max_ + 1 - produced_;
        const size_t want = std::max({atLeast, produced_, size_t{64} << 10});
        const size_t n = std::min(want, room);
        if (out_.size() < start_ + produced_ + n) out_.resize(start_ + produced_ + n);
        return {out_.data() + start_ + produced_, n};
    }
    void commit(size_t n) { produced_ += n; }
    bool exceeded() const { return produced_ > max_; }
    size_t produced() const { return produced_; }
    size_t limit() const { return max_; }

  private:
    std::vector<uint8_t>& out_;
    size_t start_;
    size_t max_;
    size_t produced_ = 0;
};

inline Error bombError(const char* codec, size_t limit) {
    return Error{std::string(codec) + ": decompressed data exceeds the limit of " +
                 std::to_string(limit) + " bytes (corrupt input or decompression bomb)"};
}

Status gzipCompress(int level, std::span<const uint8_t> in, UninitBytes& out);
Status gzipDecompress(std::span<const uint8_t> in, std::vector<uint8_t>& out, size_t maxBytes);
Status snappyCompress(std::span<const uint8_t> in, UninitBytes& out);
Status snappyDecompress(std::span<const uint8_t> in, std::vector<uint8_t>& out, size_t maxBytes);
Status lz4Compress(int level, std::span<const uint8_t> in, UninitBytes& out);
Status lz4Decompress(std::span<const uint8_t> in, std::vector<uint8_t>& out, size_t maxBytes);
Status zstdCompress(int level, std::span<const uint8_t> in, UninitBytes& out);
Status zstdDecompress(std::span<const uint8_t> in, std::vector<uint8_t>& out, size_t maxBytes);

}  // namespace bs::protocol::detail
