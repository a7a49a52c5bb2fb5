#include "protocol/reader.h"

#include <bit>

namespace bs::protocol {

void Reader::fail(const char* field, const std::string& why) {
    failAt(field, pos_, why);
}

void Reader::failAt(const char* field, size_t offset, const std::string& why) {
    if (!error_.empty()) return;
    error_ = std::string(field) + " at offset " + std::to_string(offset) + ": " + why;
}

bool Reader::need(const char* field, size_t n) {
    if (!ok()) return false;
    if (n > remaining()) {
        fail(field, "needs " + std::to_string(n) + " bytes, only " + std::to_string(remaining()) +
                        " remain");
        return false;
    }
    return true;
}

uint64_t Reader::be(const char* field, int n) {
    if (!need(field, static_cast<size_t>(n))) return 0;
    uint64_t v = 0;
    for (int i = 0; i < n; ++i)
        v = (v << 8) | data_[pos_ + i];
    pos_ += static_cast<size_t>(n);
    return v;
}

int8_t Reader::int8(const char* field) {
    return static_cast<int8_t>(be(field, 1));
}

double Reader::float64(const char* field) {
    return std::bit_cast<double>(be(field, 8));
}

uint64_t Reader::uvarlong(const char* field) {
    size_t start = pos_;
    uint64_t v = 0;
    for (int shift = 0; shift < 70; shift += 7) {
        if (!need(field, 1)) return 0;
        uint8_t b = data_[pos_++];
        if (shift == 63 && b > 1) break;  // more than 64 bits
        v |= static_cast<uint64_t>(b & 0x7f) << shift;
        if ((b & 0x80) == 0) return v;
    }
    failAt(field, start, "varint longer than 10 bytes or above 64 bits");
    return 0;
}

uint32_t Reader::uvarint(const char* field) {
    size_t start = pos_;
    uint32_t v = 0;
    for (int shift = 0; shift < 35; shift += 7) {
        if (!need(field, 1)) return 0;
        uint8_t b = data_[pos_++];
        if (shift == 28 && b > 0x0f) break;  // more than 32 bits
        v |= static_cast<uint32_t>(b & 0x7f) << shift;
        if ((b & 0x80) == 0) return v;
    }
    failAt(field, start, "varint longer than 5 bytes or above 32 bits");
    return 0;
}

int32_t Reader::varint(const char* field) {
    uint32_t u = uvarint(field);
    return static_cast<int32_t>((u >> 1) ^ (~(u & 1) + 1));
}

int64_t Reader::varlong(const char* field) {
    uint64_t u = uvarlong(field);
    return static_cast<int64_t>((u >> 1) ^ (~(u & 1) + 1));
}

// `start` is where the length prefix began, so errors point at the field, not past it.
int32_t Reader::checkedLength(const char* field, size_t start, int64_t len, bool nullable) {
    if (!ok()) return 0;
    if (len == -1 && nullable) return -1;
    if (len < 0) {
        failAt(field, start, "invalid length " + std::to_string(len));
        return 0;
    }
    if (static_cast<uint64_t>(len) > remaining()) {
        failAt(field, start,
               "length " + std::to_string(len) + " exceeds the " + std::to_string(remaining()) +
                   " remaining bytes");
        return 0;
    }
    return static_cast<int32_t>(len);
}

std::span<const uint8_t> Reader::raw(const char* field, size_t n) {
    if (!need(field, n)) return {};
    auto s = data_.subspan(pos_, n);
    pos_ += n;
    return s;
}

static std::string toString(std::span<const uint8_t> s) {
    return std::string(reinterpret_cast<const char*>(s.data()), s.size());
}

std::string Reader::string(const char* field) {
    size_t start = pos_;
    int32_t n = checkedLength(field, start, int16(field), false);
    return toString(raw(field, static_cast<size_t>(n)));
}

std::optional<std::string> Reader::nullableString(const char* field) {
    size_t start = pos_;
    int32_t n = checkedLength(field, start, int16(field), true);
    if (n < 0 || !ok()) return std::nullopt;
    return toString(raw(field, static_cast<size_t>(n)));
}

std::string Reader::compactString(const char* field) {
    size_t start = pos_;
    int32_t n = checkedLength(field, start, int64_t{uvarint(field)} - 1, false);
    return toString(raw(field, static_cast<size_t>(n)));
}

std::optional<std::string> Reader::compactNullableString(const char* field) {
    size_t start = pos_;
    int32_t n = checkedLength(field, start, int64_t{uvarint(field)} - 1, true);
    if (n < 0 || !ok()) return std::nullopt;
    return toString(raw(field, static_cast<size_t>(n)));
}

std::span<const uint8_t> Reader::bytes(const char* field) {
    size_t start = pos_;
    int32_t n = checkedLength(field, start, int32(field), false);
    return raw(field, static_cast<size_t>(n));
}

RecordsView Reader::nullableBytes(const char* field) {
    size_t start = pos_;
    int32_t n = checkedLength(field, start, int32(field), true);
    if (n < 0 || !ok()) return {{}, n < 0};
    return {raw(field, static_cast<size_t>(n)), false};
}

std::span<const uint8_t> Reader::compactBytes(const char* field) {
    size_t start = pos_;
    int32_t n = checkedLength(field, start, int64_t{uvarint(field)} - 1, false);
    return raw(field, static_cast<size_t>(n));
}

RecordsView Reader::compactNullableBytes(const char* field) {
    size_t start = pos_;
    int32_t n = checkedLength(field, start, int64_t{uvarint(field)} - 1, true);
    if (n < 0 || !ok()) return {{}, n < 0};
    return {raw(field, static_cast<size_t>(n)), false};
}

int32_t Reader::arrayLength(const char* field, bool nullable) {
    size_t start = pos_;
    return checkedLength(field, start, int32(field), nullable);
}

int32_t Reader::compactArrayLength(const char* field, bool nullable) {
    size_t start = pos_;
    return checkedLength(field, start, int64_t{uvarint(field)} - 1, nullable);
}

Uuid Reader::uuid(const char* field) {
    Uuid u;
    auto s = raw(field, u.bytes.size());
    if (ok()) std::copy(s.begin(), s.end(), u.bytes.begin());
    return u;
}

void Reader::skipTaggedFields(const char* field) {
    uint32_t n = uvarint(field);
    for (uint32_t i = 0; i < n && ok(); ++i) {
        (void)uvarint(field);  // tag
        uint32_t size = uvarint(field);
        skip(field, size);
    }
}

}  // namespace bs::protocol
