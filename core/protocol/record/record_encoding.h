#pragma once

// Internal to batchscope_records: raw big-endian fields and zig-zag varints on plain byte
// pointers, for the batch header and the record hot path (no Writer/Reader objects, no
// allocation, no dependency on batchscope_protocol).

#include <cstddef>
#include <cstdint>

namespace bs::protocol::detail {

inline void putBe16(uint8_t* p, uint16_t v) {
    p[0] = static_cast<uint8_t>(v >> 8);
    p[1] = static_cast<uint8_t>(v);
}
inline void putBe32(uint8_t* p, uint32_t v) {
    for (int i = 3; i >= 0; --i, v >>= 8)
        p[i] = static_cast<uint8_t>(v);
}
inline void putBe64(uint8_t* p, uint64_t v) {
    for (int i = 7; i >= 0; --i, v >>= 8)
        p[i] = static_cast<uint8_t>(v);
}
inline uint16_t getBe16(const uint8_t* p) {
    return static_cast<uint16_t>((p[0] << 8) | p[1]);
}
inline uint32_t getBe32(const uint8_t* p) {
    return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3];
}
inline uint64_t getBe64(const uint8_t* p) {
    return (uint64_t{getBe32(p)} << 32) | getBe32(p + 4);
}

inline uint32_t zigzag32(int32_t v) {
    return (static_cast<uint32_t>(v) << 1) ^ static_cast<uint32_t>(v >> 31);
}
inline uint64_t zigzag64(int64_t v) {
    return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63);
}
inline size_t sizeOfUnsignedVarint(uint64_t v) {
    size_t n = 1;
    while (v >= 0x80) {
        v >>= 7;
        ++n;
    }
    return n;
}
inline size_t sizeOfVarint(int32_t v) {
    return sizeOfUnsignedVarint(zigzag32(v));
}
inline size_t sizeOfVarlong(int64_t v) {
    return sizeOfUnsignedVarint(zigzag64(v));
}

inline uint8_t* writeUnsignedVarint(uint8_t* p, uint64_t v) {
    while (v >= 0x80) {
        *p++ = static_cast<uint8_t>(v | 0x80);
        v >>= 7;
    }
    *p++ = static_cast<uint8_t>(v);
    return p;
}
inline uint8_t* writeVarint(uint8_t* p, int32_t v) {
    return writeUnsignedVarint(p, zigzag32(v));
}
inline uint8_t* writeVarlong(uint8_t* p, int64_t v) {
    return writeUnsignedVarint(p, zigzag64(v));
}

// Bounds-checked reads over [data, data+size); each returns false (cursor unspecified) when the
// bytes run out or a varint is longer than its type allows.
struct ByteCursor {
    const uint8_t* data;
    size_t size;
    size_t pos = 0;

    size_t remaining() const { return size - pos; }
    bool readInt8(int8_t& out) {
        if (pos >= size) return false;
        out = static_cast<int8_t>(data[pos++]);
        return true;
    }
    bool readUnsignedVarint(uint64_t& out, int maxBytes) {
        if (pos < size && data[pos] < 0x80) {  // most lengths and deltas of small records
            out = data[pos++];
            return true;
        }
        uint64_t v = 0;
        for (int i = 0; i < maxBytes; ++i) {
            if (pos >= size) return false;
            const uint8_t b = data[pos++];
            v |= uint64_t{b & 0x7fu} << (7 * i);
            if ((b & 0x80) == 0) {
                out = v;
                return true;
            }
        }
        return false;
    }
    bool readVarint(int32_t& out) {
        uint64_t u = 0;
        if (!readUnsignedVarint(u, 5) || u > 0xffffffffu) return false;
        const auto z = static_cast<uint32_t>(u);
        out = static_cast<int32_t>((z >> 1) ^ (~(z & 1) + 1));
        return true;
    }
    bool readVarlong(int64_t& out) {
        uint64_t u = 0;
        const size_t start = pos;
        if (!readUnsignedVarint(u, 10)) return false;
        // The 10th byte may only carry the 64th bit.
        if (pos - start == 10 && data[pos - 1] > 1) return false;
        out = static_cast<int64_t>((u >> 1) ^ (~(u & 1) + 1));
        return true;
    }
};

}  // namespace bs::protocol::detail
