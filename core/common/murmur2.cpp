#include "common/murmur2.h"

namespace bs {

int32_t murmur2(std::span<const uint8_t> data) {
    // Java int arithmetic wraps; uint32_t gives the same bits without signed-overflow UB, and
    // Java's '>>>' is a logical shift, which is what a shift on uint32_t does.
    constexpr uint32_t kSeed = 0x9747b28c;
    constexpr uint32_t kM = 0x5bd1e995;
    constexpr int kR = 24;
    const size_t length = data.size();
    uint32_t h = kSeed ^ static_cast<uint32_t>(length);
    const size_t length4 = length / 4;
    for (size_t i = 0; i < length4; ++i) {
        const uint8_t* p = data.data() + i * 4;
        uint32_t k = uint32_t{p[0]} | (uint32_t{p[1]} << 8) | (uint32_t{p[2]} << 16) |
                     (uint32_t{p[3]} << 24);
        k *= kM;
        k ^= k >> kR;
        k *= kM;
        h *= kM;
        h ^= k;
    }
    const uint8_t* tail = data.data() + (length & ~size_t{3});
    switch (length % 4) {
        case 3:
            h ^= uint32_t{tail[2]} << 16;
            [[fallthrough]];
        case 2:
            h ^= uint32_t{tail[1]} << 8;
            [[fallthrough]];
        case 1:
            h ^= uint32_t{tail[0]};
            h *= kM;
            break;
        default:
            break;
    }
    h ^= h >> 13;
    h *= kM;
    h ^= h >> 15;
    return static_cast<int32_t>(h);
}

}  // namespace bs
