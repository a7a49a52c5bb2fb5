#pragma once

#include <atomic>
#include <thread>

namespace bs {

// A lock for short critical sections taken on every record (the window's DeliveryFeed):
// uncontended it costs one atomic exchange and one release store, where std::mutex costs two
// read-modify-writes and two calls into libc. Nothing done under it may block: a waiter spins
// briefly, then yields. Not for a lock another thread takes often (the accumulator's deques take
// an AdaptiveMutex: the sender spun and yielded against the appending thread).
class SpinLock {
  public:
    void lock() noexcept {
        for (int spins = 0; flag_.test_and_set(std::memory_order_acquire);) {
            while (flag_.test(std::memory_order_relaxed))
                if (++spins > 100) std::this_thread::yield();
        }
    }
    bool try_lock() noexcept { return !flag_.test_and_set(std::memory_order_acquire); }
    void unlock() noexcept { flag_.clear(std::memory_order_release); }

  private:
    std::atomic_flag flag_;
};

}  // namespace bs
