#pragma once

#include <cstdint>
#include <span>

namespace bs {

// Kafka's Utils.murmur2 (seed 0x9747b28c): the default partitioner's key hash. Must match Java
// bit for bit, otherwise keyed records land on other partitions than a Java producer picks.
int32_t murmur2(std::span<const uint8_t> data);

// Kafka's Utils.toPositive: clears the sign bit (not abs(), which overflows on INT32_MIN).
constexpr int32_t toPositive(int32_t number) {
    return number & 0x7fffffff;
}

}  // namespace bs
