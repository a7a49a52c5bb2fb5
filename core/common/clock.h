#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

namespace bs {

// Time is injected everywhere linger, backoff, timeouts or expiry are decided, so tests drive
// those rules with MockClock instead of sleeping (Kafka's MockTime).
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

// Deterministic time for tests: only sleep()/set() move it. Thread-safe.
class MockClock final : public Clock {
public:
    explicit MockClock(int64_t startWallMs = 1'700'000'000'000, int64_t startNs = 1'000'000'000)
        : wallOffsetMs_(startWallMs - startNs / 1'000'000), ns_(startNs) {}
    int64_t wallMs() const override { return wallOffsetMs_ + nowMs(); }
    int64_t nowMs() const override { return ns_.load() / 1'000'000; }
    int64_t nowNs() const override { return ns_.load(); }
    void sleepMs(int64_t ms) { ns_ += ms * 1'000'000; }
    void sleepNs(int64_t ns) { ns_ += ns; }

private:
    int64_t wallOffsetMs_;
    std::atomic<int64_t> ns_;
};

}  // namespace bs
