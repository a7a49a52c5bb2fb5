#pragma once

#include <pthread.h>

namespace bs {

// A mutex that spins a little (glibc's PTHREAD_MUTEX_ADAPTIVE_NP) before it sleeps in the kernel,
// as Java's synchronized does. For a lock two threads take often for a few hundred nanoseconds,
// such as a partition's deque (the appending thread on every record, the sender on every drain):
// std::mutex sleeps at once, so each collision cost a futex wait and a futex wake, two system
// calls, for a wait shorter than either. SpinLock is worse there: it yields (see spin_lock.h).
class AdaptiveMutex {
  public:
    AdaptiveMutex() noexcept {
        pthread_mutexattr_t attr;
        pthread_mutexattr_init(&attr);
        pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_ADAPTIVE_NP);
        pthread_mutex_init(&mu_, &attr);
        pthread_mutexattr_destroy(&attr);
    }
    ~AdaptiveMutex() { pthread_mutex_destroy(&mu_); }
    AdaptiveMutex(const AdaptiveMutex&) = delete;
    AdaptiveMutex& operator=(const AdaptiveMutex&) = delete;

    void lock() noexcept { pthread_mutex_lock(&mu_); }
    bool try_lock() noexcept { return pthread_mutex_trylock(&mu_) == 0; }
    void unlock() noexcept { pthread_mutex_unlock(&mu_); }

  private:
    pthread_mutex_t mu_;
};

}  // namespace bs
