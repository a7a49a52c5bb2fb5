#pragma once

#include <chrono>
#include <cstdint>

namespace bs {

// Time is injected everywhere linger, backoff, timeouts or expiry are decided, so tests drive
// those rules with a clock they move by hand (tests/support/mock_clock.h, Kafka's MockTime)
// instead of sleeping.
class Clock {
  public:
    virtual ~Clock() = default;
    // Wall-clock milliseconds since the Unix epoch (record timestamps).
    virtual int64_t wallMs() const = 0;
    // Monotonic milliseconds and nanoseconds (deadlines, ages, latencies).
    virtual int64_t nowMs() const = 0;
    virtual int64_t nowNs() const = 0;
};

class SystemClock final : public Clock {
  public:
    int64_t wallMs() const override;
    int64_t nowMs() const override;
    int64_t nowNs() const override;
    // A process-wide instance; stateless, safe from any thread.
    static SystemClock& instance();
};

}  // namespace bs
