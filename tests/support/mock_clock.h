#pragma once

#include <atomic>
#include <cstdint>

#include "common/clock.h"

namespace bs {

// Deterministic time for tests (Kafka's MockTime, which also lives with the tests): only
// sleepMs()/sleepNs() move it. Thread-safe.
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
