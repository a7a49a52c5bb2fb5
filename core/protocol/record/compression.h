#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "common/default_init_allocator.h"
#include "common/result.h"

namespace bs::protocol {

// The codec id in RecordBatch attributes bits 0-2 (Kafka's CompressionType ids).
enum class CompressionType : uint8_t { None = 0, Gzip = 1, Snappy = 2, Lz4 = 3, Zstd = 4 };

// "none", "gzip", "snappy", "lz4", "zstd" (Kafka's compression.type values).
std::string_view compressionName(CompressionType type);
// Accepts the names above (case-insensitive); anything else is an error naming the input.
Result<CompressionType> parseCompressionType(std::string_view name);
// True for the ids 0..4; attribute bits 5..7 are not codecs.
constexpr bool isValidCompressionId(int id) {
    return id >= 0 && id <= 4;
}

// Pass as `level` to use the codec's default (Kafka 3.8, KIP-390): gzip -1 (zlib's default, 6),
// lz4 9, zstd 3. Snappy and none have no levels.
inline constexpr int kDefaultCompressionLevel = -1'000'000'000;
int defaultCompressionLevel(CompressionType type);
// Kafka's accepted ranges: gzip 1..9 or -1, lz4 1..17, zstd -131072..22; none/snappy ignore it.
Status validateCompressionLevel(CompressionType type, int level);

// Compresses `in` and APPENDS the result to `out` (existing bytes stay; lets a caller place a
// header first). Writes what the Java client writes: gzip member; snappy in xerial framing with
// 32 KiB blocks; an LZ4 frame (64 KiB independent blocks, correct header checksum, no content
// size / checksums); a zstd frame. Type None appends `in` unchanged. `out` is not zero-filled as
// it grows: a codec sizes it for its worst case, and zeroing that bound cost more than the copy
// for a batch of compressible records.
Status compress(CompressionType type, int level, std::span<const uint8_t> in, UninitBytes& out);

// Decompresses `in` and APPENDS the result to `out`. Never produces more than maxOutputBytes
// (a decompression bomb is an error naming the limit, not an OOM) and never trusts sizes declared
// in the input. Snappy accepts raw blocks and the xerial-framed stream; gzip accepts
// concatenated members. Corrupt or truncated input is an error naming the codec and position.
// On error `out` may hold a partial result beyond its original size.
Status decompress(CompressionType type, std::span<const uint8_t> in, std::vector<uint8_t>& out,
                  size_t maxOutputBytes);

}  // namespace bs::protocol
