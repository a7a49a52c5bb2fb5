#include "protocol/record/crc32c.h"

#include <array>
#include <cstring>

#if defined(__x86_64__) || defined(__i386__)
#include <nmmintrin.h>
#define BS_CRC32C_X86 1
#endif

namespace bs::protocol {
namespace {

constexpr uint32_t kPolynomial = 0x82F63B78;  // Castagnoli, bit-reflected

using Tables = std::array<std::array<uint32_t, 256>, 8>;

// Slicing-by-8: table[k][b] is the CRC of byte b followed by k zero bytes.
constexpr Tables makeTables() {
    Tables t{};
    for (uint32_t b = 0; b < 256; ++b) {
        uint32_t crc = b;
        for (int i = 0; i < 8; ++i)
            crc = (crc >> 1) ^ ((crc & 1) ? kPolynomial : 0);
        t[0][b] = crc;
    }
    for (uint32_t b = 0; b < 256; ++b) {
        for (size_t k = 1; k < 8; ++k)
            t[k][b] = (t[k - 1][b] >> 8) ^ t[0][t[k - 1][b] & 0xff];
    }
    return t;
}

constexpr Tables kTables = makeTables();

inline uint64_t loadLe64(const uint8_t* p) {
    uint64_t v;
    std::memcpy(&v, p, sizeof v);  // unaligned-safe
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    v = __builtin_bswap64(v);
#endif
    return v;
}

#ifdef BS_CRC32C_X86
// The crc32 instruction has a latency of 3 cycles but a throughput of 1: three independent
// streams over three adjacent stripes keep the unit busy; the stripe CRCs are then combined.
constexpr size_t kStripe = 1024;

// Linear operator "feed kStripe zero bytes" on the raw CRC register, as four byte tables.
struct ShiftTables {
    std::array<std::array<uint32_t, 256>, 4> t{};
    ShiftTables() {
        std::array<uint32_t, 32> basis{};
        for (int bit = 0; bit < 32; ++bit) {
            uint32_t c = 1u << bit;
            for (size_t i = 0; i < kStripe; ++i)
                c = (c >> 8) ^ kTables[0][c & 0xff];
            basis[static_cast<size_t>(bit)] = c;
        }
        for (size_t k = 0; k < 4; ++k) {
            for (uint32_t b = 0; b < 256; ++b) {
                uint32_t v = 0;
                for (int bit = 0; bit < 8; ++bit) {
                    if (b & (1u << bit)) v ^= basis[k * 8 + static_cast<size_t>(bit)];
                }
                t[k][b] = v;
            }
        }
    }
    uint32_t shift(uint32_t c) const {
        return t[0][c & 0xff] ^ t[1][(c >> 8) & 0xff] ^ t[2][(c >> 16) & 0xff] ^ t[3][c >> 24];
    }
};

const ShiftTables& shiftTables() {
    static const ShiftTables tables;
    return tables;
}

__attribute__((target("sse4.2"))) uint32_t crc32cSse42(const uint8_t* p, size_t n, uint32_t crc) {
    uint64_t c = ~crc;
    for (; n > 0 && (reinterpret_cast<uintptr_t>(p) & 7) != 0; --n) {
        c = _mm_crc32_u8(static_cast<uint32_t>(c), *p++);
    }
    if (n >= 3 * kStripe) {
        const ShiftTables& shift = shiftTables();
        for (; n >= 3 * kStripe; n -= 3 * kStripe, p += 3 * kStripe) {
            uint64_t c1 = 0;
            uint64_t c2 = 0;
            for (size_t i = 0; i < kStripe; i += 8) {
                c = _mm_crc32_u64(c, loadLe64(p + i));
                c1 = _mm_crc32_u64(c1, loadLe64(p + kStripe + i));
                c2 = _mm_crc32_u64(c2, loadLe64(p + 2 * kStripe + i));
            }
            // crc(A ++ B) = shift(crc(A), |B|) ^ crc0(B) for the raw register (linearity).
            c = shift.shift(static_cast<uint32_t>(c)) ^ static_cast<uint32_t>(c1);
            c = shift.shift(static_cast<uint32_t>(c)) ^ static_cast<uint32_t>(c2);
        }
    }
    for (; n >= 8; n -= 8, p += 8)
        c = _mm_crc32_u64(c, loadLe64(p));
    for (; n > 0; --n)
        c = _mm_crc32_u8(static_cast<uint32_t>(c), *p++);
    return ~static_cast<uint32_t>(c);
}
#endif

}  // namespace

uint32_t crc32cPortable(const void* data, size_t size, uint32_t crc) {
    const auto* p = static_cast<const uint8_t*>(data);
    uint32_t c = ~crc;
    for (; size >= 8; size -= 8, p += 8) {
        const uint64_t v = loadLe64(p) ^ c;
        c = kTables[7][v & 0xff] ^ kTables[6][(v >> 8) & 0xff] ^ kTables[5][(v >> 16) & 0xff] ^
            kTables[4][(v >> 24) & 0xff] ^ kTables[3][(v >> 32) & 0xff] ^
            kTables[2][(v >> 40) & 0xff] ^ kTables[1][(v >> 48) & 0xff] ^ kTables[0][v >> 56];
    }
    for (; size > 0; --size)
        c = (c >> 8) ^ kTables[0][(c ^ *p++) & 0xff];
    return ~c;
}

bool crc32cHardwareAvailable() {
#ifdef BS_CRC32C_X86
    static const bool available = __builtin_cpu_supports("sse4.2");
    return available;
#else
    return false;
#endif
}

uint32_t crc32cHardware(const void* data, size_t size, uint32_t crc) {
#ifdef BS_CRC32C_X86
    if (crc32cHardwareAvailable()) return crc32cSse42(static_cast<const uint8_t*>(data), size, crc);
#endif
    return crc32cPortable(data, size, crc);
}

uint32_t crc32c(const void* data, size_t size, uint32_t crc) {
#ifdef BS_CRC32C_X86
    if (crc32cHardwareAvailable()) return crc32cSse42(static_cast<const uint8_t*>(data), size, crc);
#endif
    return crc32cPortable(data, size, crc);
}

}  // namespace bs::protocol
