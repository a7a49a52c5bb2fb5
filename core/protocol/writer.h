#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/types.h"

namespace bs::protocol {

// Appends Kafka wire primitives (big-endian) to a byte vector the caller owns. Never fails:
// strings longer than Kafka allows (a caller bug: names are validated long before) are cut to
// kMaxStringLength so the output stays well-formed. Not thread-safe: one Writer per buffer,
// used by one thread.
//
// Gathered output (zero-copy Produce requests): a Writer given a splice list does not copy the
// byte runs passed to rawRef() (a records field, a closed batch's bytes) but notes where they go;
// the output is then `out` with each splice inserted at its offset (see protocol::GatheredFrame).
class Writer {
  public:
    static constexpr size_t kMaxStringLength = 0x7fff;  // Kafka's limit, compact strings too
    // Shorter runs are copied: an extra iovec entry costs more than copying a few bytes.
    static constexpr size_t kMinSpliceBytes = 256;

    // A run of external bytes that belongs at offset `at` of the owned output.
    struct Splice {
        size_t at = 0;
        std::span<const uint8_t> bytes;
    };

    explicit Writer(std::vector<uint8_t>& out) : out_(out) {}
    // `splices` receives the runs rawRef() did not copy; the caller keeps their memory alive and
    // unchanged until the output is written.
    Writer(std::vector<uint8_t>& out, std::vector<Splice>& splices)
        : out_(out), splices_(&splices) {}

    void int8(int8_t v) { out_.push_back(static_cast<uint8_t>(v)); }
    void boolean(bool v) { int8(v ? 1 : 0); }
    void int16(int16_t v) { be(static_cast<uint16_t>(v), 2); }
    void int32(int32_t v) { be(static_cast<uint32_t>(v), 4); }
    void int64(int64_t v) { be(static_cast<uint64_t>(v), 8); }
    void uint16(uint16_t v) { be(v, 2); }
    void uint32(uint32_t v) { be(v, 4); }
    void float64(double v);

    void uvarint(uint32_t v) { uvarlong(v); }
    void uvarlong(uint64_t v);
    void varint(int32_t v);   // zig-zag
    void varlong(int64_t v);  // zig-zag

    // Classic (int16 length / int32 length) encodings; null is length -1.
    void string(std::string_view s);
    void nullableString(const std::optional<std::string>& s);
    void bytes(std::span<const uint8_t> b);
    void nullableBytes(std::span<const uint8_t> b, bool isNull);
    // Compact (flexible versions): unsigned varint length + 1; null is 0.
    void compactString(std::string_view s);
    void compactNullableString(const std::optional<std::string>& s);
    void compactBytes(std::span<const uint8_t> b);
    void compactNullableBytes(std::span<const uint8_t> b, bool isNull);
    // Array length prefixes; the caller then writes the elements. Null is -1 / 0.
    void arrayLength(int32_t n) { int32(n); }
    void compactArrayLength(int32_t n) { uvarint(static_cast<uint32_t>(n + 1)); }

    void uuid(const Uuid& u) { raw(u.bytes); }
    void emptyTaggedFields() { uvarint(0); }
    void raw(std::span<const uint8_t> b);
    // As raw(), but with a splice list (and at least kMinSpliceBytes) it only notes the run.
    void rawRef(std::span<const uint8_t> b);

    // The owned bytes written so far; spliced runs are not counted (see splicedBytes()).
    size_t position() const { return out_.size(); }
    size_t splicedBytes() const { return splicedBytes_; }
    // Reserve an int32 at the current position (e.g. a size prefix) and fill it later.
    size_t reserveInt32() {
        size_t p = out_.size();
        out_.resize(p + 4);
        return p;
    }
    void patchInt32(size_t pos, int32_t v);
    std::vector<uint8_t>& buffer() { return out_; }

  private:
    void be(uint64_t v, int n) {
        for (int i = n - 1; i >= 0; --i)
            out_.push_back(static_cast<uint8_t>(v >> (8 * i)));
    }
    std::vector<uint8_t>& out_;
    std::vector<Splice>* splices_ = nullptr;
    size_t splicedBytes_ = 0;
};

}  // namespace bs::protocol
