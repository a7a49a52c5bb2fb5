#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <span>

namespace bs::protocol {

// A Kafka UUID (topic ids): 16 raw bytes, all-zero meaning "none" (Kafka's Uuid.ZERO_UUID).
struct Uuid {
    std::array<uint8_t, 16> bytes{};
    bool isZero() const {
        for (uint8_t b : bytes)
            if (b != 0) return false;
        return true;
    }
    friend bool operator==(const Uuid&, const Uuid&) = default;
};

// A records field (Produce request partition data, Fetch response partition records):
// a non-owning view into the buffer the message was decoded from (or that the caller keeps
// alive while encoding). Lifetime: valid only while that buffer lives and is unmodified.
struct RecordsView {
    std::span<const uint8_t> bytes;
    bool isNull = false;
    size_t size() const { return bytes.size(); }
    friend bool operator==(const RecordsView& a, const RecordsView& b) {
        return a.isNull == b.isNull &&
               std::equal(a.bytes.begin(), a.bytes.end(), b.bytes.begin(), b.bytes.end());
    }
};

}  // namespace bs::protocol
