#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/result.h"
#include "protocol/types.h"

namespace bs::protocol {

// Reads Kafka wire primitives from a byte span, bounds-checked. The first failure is sticky:
// it records which field failed at which byte offset, and every later read returns a zero value
// without touching memory, so decoders can read a whole message and check ok() once.
// `field` names are static strings (string literals) used only for error messages.
// Not thread-safe: one Reader per decode.
class Reader {
  public:
    explicit Reader(std::span<const uint8_t> data) : data_(data) {}

    bool ok() const { return error_.empty(); }
    const std::string& error() const { return error_; }
    Status status() const { return ok() ? Status() : Status(Error{error_}); }
    // Record a failure found by the caller (e.g. a semantic check); keeps the first one.
    void fail(const char* field, const std::string& why);

    size_t position() const { return pos_; }
    size_t remaining() const { return data_.size() - pos_; }
    bool atEnd() const { return pos_ == data_.size(); }
    std::span<const uint8_t> data() const { return data_; }

    int8_t int8(const char* field);
    bool boolean(const char* field) { return int8(field) != 0; }
    int16_t int16(const char* field) { return static_cast<int16_t>(be(field, 2)); }
    int32_t int32(const char* field) { return static_cast<int32_t>(be(field, 4)); }
    int64_t int64(const char* field) { return static_cast<int64_t>(be(field, 8)); }
    uint16_t uint16(const char* field) { return static_cast<uint16_t>(be(field, 2)); }
    uint32_t uint32(const char* field) { return static_cast<uint32_t>(be(field, 4)); }
    double float64(const char* field);

    uint32_t uvarint(const char* field);   // at most 5 bytes
    uint64_t uvarlong(const char* field);  // at most 10 bytes
    int32_t varint(const char* field);     // zig-zag
    int64_t varlong(const char* field);    // zig-zag

    std::string string(const char* field);
    std::optional<std::string> nullableString(const char* field);
    std::string compactString(const char* field);
    std::optional<std::string> compactNullableString(const char* field);
    // Byte fields are views into the input (zero copy); null is {isNull=true}.
    std::span<const uint8_t> bytes(const char* field);
    RecordsView nullableBytes(const char* field);
    std::span<const uint8_t> compactBytes(const char* field);
    RecordsView compactNullableBytes(const char* field);

    // Array lengths: -1 means null (only when the caller allows it). A count larger than the
    // remaining bytes (each element needs at least one byte) is an error, so callers may
    // reserve() from it safely.
    int32_t arrayLength(const char* field, bool nullable);
    int32_t compactArrayLength(const char* field, bool nullable);

    Uuid uuid(const char* field);
    std::span<const uint8_t> raw(const char* field, size_t n);
    void skip(const char* field, size_t n) { (void)raw(field, n); }
    // Reads and discards a whole tagged-fields section.
    void skipTaggedFields(const char* field);

  private:
    uint64_t be(const char* field, int n);
    bool need(const char* field, size_t n);
    int32_t checkedLength(const char* field, size_t start, int64_t len, bool nullable);
    void failAt(const char* field, size_t offset, const std::string& why);

    std::span<const uint8_t> data_;
    size_t pos_ = 0;
    std::string error_;
};

}  // namespace bs::protocol
