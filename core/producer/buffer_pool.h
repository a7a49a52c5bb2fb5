#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <list>
#include <memory>
#include <mutex>
#include <vector>

#include "common/clock.h"
#include "common/result.h"

namespace bs::producer {

// A move-only heap byte buffer handed out by BufferPool (Java's ByteBuffer from
// BufferPool.allocate). Owned by whoever holds it; give it back with BufferPool::deallocate.
class ByteBuffer {
  public:
    ByteBuffer() = default;
    explicit ByteBuffer(size_t capacity)
        : data_(new uint8_t[capacity]), capacity_(capacity) {}  // uninitialised on purpose
    uint8_t* data() { return data_.get(); }
    const uint8_t* data() const { return data_.get(); }
    size_t capacity() const { return capacity_; }
    explicit operator bool() const { return data_ != nullptr; }

  private:
    std::unique_ptr<uint8_t[]> data_;
    size_t capacity_ = 0;
};

// Java's BufferPool: bounds the producer's record memory by buffer.memory. Buffers of exactly
// poolableSize (batch.size) are kept on a free list and reused; other sizes are allocated and
// freed but still counted against the total. allocate() blocks (FIFO among waiters, as Java)
// until memory is free or maxTimeToBlockMs passes. Thread-safe (all state under mu_).
class BufferPool {
  public:
    BufferPool(int64_t totalMemory, int32_t poolableSize, const Clock& clock);
    ~BufferPool();
    BufferPool(const BufferPool&) = delete;
    BufferPool& operator=(const BufferPool&) = delete;

    // A buffer of at least `size` bytes (exactly poolableSize when size == poolableSize).
    // Errors: size > buffer.memory; timeout after maxTimeToBlockMs (names buffer.memory and
    // max.block.ms); pool closed.
    Result<ByteBuffer> allocate(size_t size, int64_t maxTimeToBlockMs);
    // Returns memory: `size` is what was asked of allocate (Java's deallocate(buffer, size)).
    void deallocate(ByteBuffer buffer, size_t size);
    void deallocate(ByteBuffer buffer) {
        const size_t n = buffer.capacity();
        deallocate(std::move(buffer), n);
    }

    // Unallocated plus pooled-free memory (Java's availableMemory; metric buffer-available-bytes).
    int64_t availableMemory() const;
    // Memory neither handed out nor on the free list.
    int64_t unallocatedMemory() const;
    // Threads blocked in allocate (Java's queued(); >0 means "memory exhausted" for ready()).
    int32_t queued() const;
    // Buffers on the free list.
    int32_t freeBuffers() const;
    int64_t totalMemory() const { return totalMemory_; }
    int32_t poolableSize() const { return poolableSize_; }
    // One thread blocked in allocate(): since when (Clock::nowNs) and for how many bytes.
    struct Waiter {
        int64_t sinceNs = 0;
        int64_t bytes = 0;
    };
    // Everything at one instant, under one lock (the window's buffer pool view).
    struct State {
        int64_t availableMemory = 0;
        int64_t unallocatedMemory = 0;
        int32_t freeBuffers = 0;
        std::vector<Waiter> waiters;  // FIFO: the one served next first
        int64_t waitTimeNsTotal = 0;
        int64_t exhaustedTotal = 0;
    };
    State state() const;
    // Total time spent blocked in allocate (metric bufferpool-wait-time-ns-total).
    int64_t waitTimeNsTotal() const;
    // Times allocate gave up after max.block.ms (metric buffer-exhausted-total).
    int64_t exhaustedTotal() const;
    // Wakes and fails every waiter; later allocate calls fail.
    void close();

  private:
    void freeUp(size_t size);  // needs mu_

    const int64_t totalMemory_;
    const int32_t poolableSize_;
    const Clock& clock_;

    mutable std::mutex mu_;
    std::deque<ByteBuffer> free_;  // guarded by mu_
    struct Queued {
        std::condition_variable* cv;
        Waiter waiter;
    };
    std::list<Queued> waiters_;         // guarded by mu_, FIFO
    int64_t nonPooledAvailableMemory_;  // guarded by mu_
    int64_t waitTimeNsTotal_ = 0;       // guarded by mu_
    int64_t exhaustedTotal_ = 0;        // guarded by mu_
    bool closed_ = false;               // guarded by mu_
};

}  // namespace bs::producer
