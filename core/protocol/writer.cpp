#include "protocol/writer.h"

#include <bit>
#include <cassert>

namespace bs::protocol {

void Writer::float64(double v) {
    be(std::bit_cast<uint64_t>(v), 8);
}

void Writer::uvarlong(uint64_t v) {
    while (v >= 0x80) {
        out_.push_back(static_cast<uint8_t>(v | 0x80));
        v >>= 7;
    }
    out_.push_back(static_cast<uint8_t>(v));
}

void Writer::varint(int32_t v) {
    // Zig-zag in unsigned arithmetic: no signed overflow for INT32_MIN.
    uint32_t u = static_cast<uint32_t>(v);
    uvarlong((u << 1) ^ (v < 0 ? 0xffffffffu : 0u));
}

void Writer::varlong(int64_t v) {
    uint64_t u = static_cast<uint64_t>(v);
    uvarlong((u << 1) ^ (v < 0 ? ~uint64_t{0} : uint64_t{0}));
}

void Writer::string(std::string_view s) {
    s = s.substr(0, kMaxStringLength);
    int16(static_cast<int16_t>(s.size()));
    raw({reinterpret_cast<const uint8_t*>(s.data()), s.size()});
}

void Writer::nullableString(const std::optional<std::string>& s) {
    if (!s) return int16(-1);
    string(*s);
}

void Writer::bytes(std::span<const uint8_t> b) {
    int32(static_cast<int32_t>(b.size()));
    raw(b);
}

void Writer::nullableBytes(std::span<const uint8_t> b, bool isNull) {
    if (isNull) return int32(-1);
    bytes(b);
}

void Writer::compactString(std::string_view s) {
    s = s.substr(0, kMaxStringLength);
    uvarint(static_cast<uint32_t>(s.size() + 1));
    raw({reinterpret_cast<const uint8_t*>(s.data()), s.size()});
}

void Writer::compactNullableString(const std::optional<std::string>& s) {
    if (!s) return uvarint(0);
    compactString(*s);
}

void Writer::compactBytes(std::span<const uint8_t> b) {
    uvarint(static_cast<uint32_t>(b.size() + 1));
    raw(b);
}

void Writer::compactNullableBytes(std::span<const uint8_t> b, bool isNull) {
    if (isNull) return uvarint(0);
    compactBytes(b);
}

// Out of line: GCC 12 at -O3 falsely reports vector::insert into an empty vector as an overflow
// (-Wstringop-overflow) wherever it gets inlined, so the warning is silenced here only. insert,
// not resize + memcpy: resize zero-fills first, and for a Fetch response's records (up to
// fetch.max.bytes) that fill cost as much as the copy (perf of bench_broker_ingest --fetch).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wstringop-overflow"
#endif
void Writer::raw(std::span<const uint8_t> b) {
    if (b.empty()) return;
    out_.insert(out_.end(), b.begin(), b.end());
}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

void Writer::patchInt32(size_t pos, int32_t v) {
    assert(pos + 4 <= out_.size());
    uint32_t u = static_cast<uint32_t>(v);
    for (int i = 0; i < 4; ++i)
        out_[pos + i] = static_cast<uint8_t>(u >> (24 - 8 * i));
}

void Writer::rawRef(std::span<const uint8_t> b) {
    if (splices_ == nullptr || b.size() < kMinSpliceBytes) return raw(b);
    splices_->push_back(Splice{out_.size(), b});
    splicedBytes_ += b.size();
}

}  // namespace bs::protocol
