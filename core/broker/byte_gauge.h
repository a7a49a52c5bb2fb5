#pragma once

#include <atomic>
#include <cstddef>

namespace bs::broker {

// A count of bytes held somewhere (e.g. responses queued in every connection), and the most
// it ever was. Thread-safe: updated from every connection's strand, read by status().
class ByteGauge {
  public:
    void add(size_t bytes) {
        const size_t now = value_.fetch_add(bytes, std::memory_order_relaxed) + bytes;
        size_t peak = peak_.load(std::memory_order_relaxed);
        while (now > peak && !peak_.compare_exchange_weak(peak, now, std::memory_order_relaxed)) {
        }
    }
    void sub(size_t bytes) { value_.fetch_sub(bytes, std::memory_order_relaxed); }
    size_t value() const { return value_.load(std::memory_order_relaxed); }
    size_t peak() const { return peak_.load(std::memory_order_relaxed); }

  private:
    std::atomic<size_t> value_{0};
    std::atomic<size_t> peak_{0};
};

}  // namespace bs::broker
