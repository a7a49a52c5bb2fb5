#pragma once

#include <cstdint>

namespace bs::protocol {

// Kafka's LeaderIdAndEpoch (Produce v10+ / Fetch v12+ response tagged field CurrentLeader).
struct LeaderIdAndEpoch {
    int32_t leaderId = -1;
    int32_t leaderEpoch = -1;
    friend bool operator==(const LeaderIdAndEpoch&, const LeaderIdAndEpoch&) = default;
};

}  // namespace bs::protocol
