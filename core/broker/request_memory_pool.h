#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <vector>

namespace bs::broker {

// The bytes every connection of the cluster holds for requests being read (Kafka: the
// SocketServer's MemoryPool sized by queued.max.request.bytes). A connection charges its
// request buffer as it grows with the bytes that arrive; when a charge would pass the
// capacity the connection stops reading (Kafka mutes the channel) and is woken when
// memory frees. Unlike Kafka's pool it is strict: used() never exceeds the capacity.
// Thread-safety: every method may be called from any thread; state is guarded by mu_.
// Wake callbacks run on the releasing thread with mu_ released: they must only post.
class RequestMemoryPool {
  public:
    static constexpr int64_t kUnbounded = -1;

    explicit RequestMemoryPool(int64_t capacity) : capacity_(capacity) {}

    // Charges `bytes` if they fit. Otherwise charges nothing, keeps `wake` and calls it once
    // after the next release, and returns false.
    bool tryAllocate(size_t bytes, std::function<void()> wake);
    // Charges `bytes` if they fit; otherwise returns false and nothing else happens (for
    // memory a connection can do without: no wait, no refusal counted).
    bool tryAllocateIfFree(size_t bytes);
    void release(size_t bytes);

    int64_t capacity() const { return capacity_; }
    size_t used() const;
    // The highest used() since the pool was made.
    size_t peak() const;
    // Charges refused because the pool was full (each one stopped a connection's reads).
    uint64_t refusals() const;

  private:
    bool chargeLocked(size_t bytes);

    const int64_t capacity_;
    mutable std::mutex mu_;
    size_t used_ = 0;                          // guarded by mu_
    size_t peak_ = 0;                          // guarded by mu_
    uint64_t refusals_ = 0;                    // guarded by mu_
    std::vector<std::function<void()>> wake_;  // guarded by mu_
};

}  // namespace bs::broker
