#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "client/metadata.h"
#include "client/topic_partition.h"

namespace bs::producer {

using client::TopicPartition;

// ---------------------------------------------------------------- snapshot (what the GUI draws)

// open: accepting records; closed: full/closed for appends, waiting in its deque;
// in-flight: drained into a request; retrying: re-enqueued after a retriable error; done.
enum class BatchState : uint8_t { Open, Closed, InFlight, Retrying, Done };
std::string_view batchStateName(BatchState state);

struct BatchSnapshot {
    uint64_t batchId = 0;  // unique per producer, also carried by events
    int32_t recordCount = 0;
    int64_t sizeBytes = 0;  // estimated batch bytes so far
    int64_t capacity = 0;   // buffer capacity (batch.size, or more for a big record)
    int64_t createdMs = 0;  // Clock::nowMs() at creation
    int32_t attempts = 0;
    int32_t baseSequence = -1;  // -1 until drained with idempotence
    BatchState state = BatchState::Open;
};

struct PartitionSnapshot {
    TopicPartition tp;
    std::vector<BatchSnapshot> batches;  // deque order: front (oldest) first
    bool muted = false;                  // a batch is in flight and ordering requires waiting
};

struct InFlightRequestSnapshot {
    int32_t correlationId = -1;
    std::vector<TopicPartition> partitions;
    std::vector<uint64_t> batchIds;
    int32_t recordCount = 0;
    int64_t bytes = 0;
    int64_t sentMs = 0;  // Clock::nowMs() when written
};

struct NodeSnapshot {
    int32_t nodeId = -1;
    std::string host;
    int32_t port = 0;
    bool connected = false;
    std::string connectionError;  // why the last connection attempt failed (when not connected)
    std::vector<InFlightRequestSnapshot> inFlight;  // oldest first
};

// BufferPool: buffer.memory, what is free, and the send() callers blocked in allocate() (the
// "exhausted" ready condition while there are any).
struct BufferPoolSnapshot {
    int64_t totalMemory = 0;        // buffer.memory
    int64_t availableMemory = 0;    // unallocated + free list
    int64_t unallocatedMemory = 0;  // never handed out, or returned and not pooled
    int32_t poolableSize = 0;       // batch.size: the size kept on the free list
    int32_t freeBuffers = 0;        // batch.size buffers on the free list
    int32_t queuedWaiters = 0;      // threads blocked in allocate()
    struct Waiter {
        int64_t waitedMs = 0;  // blocked so far
        int64_t bytes = 0;     // asked for
    };
    std::vector<Waiter> waiters;  // FIFO: the one served next first
    int64_t waitTimeNsTotal = 0;  // all time spent blocked (bufferpool-wait-time-ns-total)
    int64_t exhaustedTotal = 0;   // allocate() gave up after max.block.ms
};

enum class SenderState : uint8_t { NotStarted, Running, Paused, Closing, Closed };
std::string_view senderStateName(SenderState state);

// The whole pipeline at one instant. The accumulator fills partitions and bufferPool; the
// Sender fills nodes and senderState.
struct ProducerSnapshot {
    int64_t timeMs = 0;
    std::vector<PartitionSnapshot> partitions;
    std::vector<NodeSnapshot> nodes;
    BufferPoolSnapshot bufferPool;
    client::MetadataSnapshot metadata;  // what the producer believes (its Metadata)
    SenderState senderState = SenderState::NotStarted;
    int64_t senderIterations = 0;  // Sender.runOnce iterations begun so far
};

// ---------------------------------------------------------------- event stream

enum class EventType : uint8_t {
    RecordAppended,
    BatchCreated,
    BatchFull,    // the batch cannot take the next record (closed for appends)
    BatchClosed,  // finished bytes (header, CRC) at drain
    SenderWoken,
    BatchDrained,
    RequestSent,
    ResponseReceived,
    BatchCompleted,     // succeeded or failed for good (errorCode says)
    BatchRetried,       // re-enqueued
    BatchExpired,       // delivery.timeout.ms passed
    BatchSplit,         // MESSAGE_TOO_LARGE: split into smaller batches
    ReadyVerdict,       // ready() and NetworkClient.ready() on one node: ready or why not
    ReadyChecked,       // ready() finished: nextReadyCheckDelayMs
    NodeDrained,        // drain() for one node: drainIndex rotation, batches, bytes
    RequestWritten,     // NetworkClient framed a request onto the connection (any API)
    MetadataRequested,  // the sender asked for a metadata refresh, and why
    PartitionSwitched,  // keyless records move to another sticky partition (KIP-480/KIP-794)
    MetadataUpdated,    // keep last: EventStream::kAllTypes ends here
};
std::string_view eventTypeName(EventType type);

// Why ready() and NetworkClient.ready() did or did not let a node's data go (ReadyVerdict).
enum class ReadyReason : uint8_t {
    None,
    // ready: the first batch of a partition led by the node is sendable because ...
    BatchFull,      // ... it is full, or more batches wait behind it
    LingerExpired,  // ... it waited linger.ms
    Exhausted,      // ... send() callers wait for buffer.memory
    Closing,        // ... the producer is closing
    Flushing,       // ... flush() is waiting
    // not ready
    Lingering,          // its batches wait for linger.ms (delayMs left)
    BackingOff,         // a retried batch waits retry.backoff.ms (delayMs left)
    Muted,              // max.in.flight.requests.per.connection=1: a batch is in flight
    NoData,             // no batch for a partition it leads
    NotConnected,       // NetworkClient.ready(): connecting or not yet connected
    ConnectionFailed,   // NetworkClient.ready(): the last connection attempt failed
    MaxInFlight,        // NetworkClient.ready(): max.in.flight.requests.per.connection reached
    MetadataUpdateDue,  // NetworkClient.ready(): a metadata refresh is due and goes first
    SendInProgress,     // NetworkClient.ready(): the previous request is still being written
};
std::string_view readyReasonName(ReadyReason reason);
inline bool isReadyReason(ReadyReason r) {
    return r >= ReadyReason::BatchFull && r <= ReadyReason::Flushing;
}

// Why the sender asked for new metadata (MetadataRequested).
enum class MetadataCause : uint8_t {
    None,
    UnknownLeader,     // ready() found partitions with no known leader (topicId, partition)
    ErrorResponse,     // a produce response named stale metadata (errorCode, partition)
    Disconnected,      // a ProduceRequest's connection broke (nodeId)
    ConnectionFailed,  // a leader could not be connected to (nodeId)
    TopicAwaited,      // send()/partitionsFor() wait for a topic not in metadata yet
    MaxAge,            // metadata.max.age.ms passed since the last refresh
};
std::string_view metadataCauseName(MetadataCause cause);

// How send() placed a record (RecordAppended's reason).
enum class PartitionChoice : uint8_t {
    Explicit,     // the record named its partition: partition() returns it first
    Partitioner,  // the configured partitioner chose (by key, or its keyless strategy)
    Accumulator,  // built-in keyless: RecordAccumulator's uniform sticky partition (KIP-794)
};
std::string_view partitionChoiceName(PartitionChoice choice);

// Why keyless records moved to another partition (PartitionSwitched's reason).
enum class SwitchCause : uint8_t {
    None,
    // KIP-480 (DefaultPartitioner 2.4-3.2, UniformStickyPartitioner): append() would have had to
    // create a batch, so the producer called partitioner.onNewBatch() and partition() again.
    OnNewBatch,
    // KIP-794 (built-in): the sticky partition took batch.size bytes (bytes: produced to it).
    StickyBytes,
};
std::string_view switchCauseName(SwitchCause cause);

inline constexpr uint32_t kNoTopic = 0xffffffffu;

// One event: a flat, trivially copyable value (fields not meaningful for a type stay default).
struct Event {
    int64_t timeNs = 0;  // Clock::nowNs()
    EventType type = EventType::RecordAppended;
    // ReadyVerdict: ReadyReason; MetadataRequested: MetadataCause; RecordAppended:
    // PartitionChoice; PartitionSwitched: SwitchCause
    uint8_t reason = 0;
    int16_t errorCode = 0;  // Kafka error code (BatchCompleted, BatchRetried, ResponseReceived)
    uint32_t topicId = kNoTopic;  // EventStream::topicName(topicId)
    int32_t partition = -1;
    int32_t nodeId = -1;
    int32_t correlationId = -1;
    uint64_t batchId = 0;
    int32_t recordCount = 0;
    int32_t attempts = 0;
    int64_t bytes = 0;
    int64_t offset = -1;  // BatchCompleted: base offset
    // Sender.runOnce iteration (1, 2, ...) of events the sender thread publishes; -1 for events
    // of application threads (BatchCreated, BatchFull, RecordAppended, SenderWoken).
    int64_t iteration = -1;
    int32_t batchCount = 0;       // NodeDrained, RequestSent: batches taken / carried
    int32_t drainIndex = -1;      // NodeDrained: the node's drainIndex drain() started at
    int32_t nextDrainIndex = -1;  // NodeDrained: where the node's next drain() starts
    int32_t partitionCount = 0;   // NodeDrained: partitions the node leads (drainIndex modulus)
    int16_t apiKey = -1;          // RequestWritten
    int16_t apiVersion = -1;      // RequestWritten
    bool step = false;            // ReadyChecked: this iteration was a Step of a paused sender
    int64_t waitedMs = -1;        // ReadyVerdict: how long the deciding batch waited
    // ReadyVerdict: ms until the node may be ready (Lingering, BackingOff, connection backoff);
    // ReadyChecked: nextReadyCheckDelayMs (-1: nothing to wait for).
    int64_t delayMs = -1;
    int32_t keyBytes = -1;       // RecordAppended: serialized key size (-1: null key)
    int32_t valueBytes = -1;     // RecordAppended: serialized value size (-1: null value)
    int32_t fromPartition = -1;  // PartitionSwitched: the partition left (partition: the new one)
};

// A bounded, lossy event stream: producers of events never block on a slow reader; when the
// buffer is full new events are dropped and counted. Off by default; each type can be switched
// on alone (RecordAppended is one event per record: a reader that does not need it keeps the
// per-record cost and the buffer for the per-batch events). When a type is off, emitting it
// costs one relaxed atomic load (check enabled(type) before building an Event). publish(), not
// emit(): Qt defines `emit` as a macro. Thread-safe.
//
// publish() takes no lock: the buffer is a bounded multi-producer ring (Vyukov's sequence-per-slot
// queue, as used by many MPMC libraries): a publisher claims a ticket with one compare-and-swap
// on the write position, copies the event into the ticket's slot and marks the slot written with
// a release store. Tickets give every event its place, so readers see them in one order, as they
// did with the mutex. Readers (poll) serialize among themselves on a mutex no publisher takes; a
// slot whose publisher is still copying ends a poll early, the rest come on the next one.
class EventStream {
  public:
    // capacity is rounded up to a power of two.
    explicit EventStream(size_t capacity = 65536);
    ~EventStream();
    EventStream(const EventStream&) = delete;
    EventStream& operator=(const EventStream&) = delete;

    static constexpr uint32_t bit(EventType t) { return 1u << static_cast<unsigned>(t); }
    static constexpr uint32_t kAllTypes =
        (1u << (static_cast<unsigned>(EventType::MetadataUpdated) + 1)) - 1;

    // All types on or off.
    void setEnabled(bool on) { setEnabledTypes(on ? kAllTypes : 0); }
    // The types published: a mask of bit(type). The ring is allocated when a type is first
    // enabled: a producer nobody observes (the CLI, an application) does not carry it.
    void setEnabledTypes(uint32_t mask);
    bool enabled() const { return types_.load(std::memory_order_relaxed) != 0; }
    bool enabled(EventType t) const {
        return (types_.load(std::memory_order_relaxed) & bit(t)) != 0;
    }

    // Drops events of types not enabled. Lock-free; any thread.
    void publish(const Event& event);
    // Moves up to `max` oldest events into `out` (appended); returns how many. Any thread
    // (readers take turns on a mutex of their own).
    size_t poll(std::vector<Event>& out, size_t max = SIZE_MAX);
    // Events dropped because the buffer was full (since construction).
    uint64_t dropped() const { return dropped_.load(std::memory_order_relaxed); }
    size_t capacity() const { return mask_ + 1; }

    // The Sender.runOnce iteration now running: the sender thread sets it as an iteration
    // begins; the accumulator stamps the events it publishes on the sender thread with it.
    void setIteration(int64_t n) { iteration_.store(n, std::memory_order_relaxed); }
    int64_t iteration() const { return iteration_.load(std::memory_order_relaxed); }

    // Stable small ids for topic names so Event stays allocation-free.
    uint32_t topicId(std::string_view topic);
    std::string topicName(uint32_t id) const;

  private:
    // seq == ticket: free for the publisher of that ticket; seq == ticket + 1: written, for the
    // reader; the reader then frees it for ticket + capacity.
    struct Slot {
        std::atomic<uint64_t> seq{0};
        Event event;  // written by the ticket's publisher, read by the reader (ordered by seq)
    };
    static constexpr size_t kLine = 64;  // one cache line each: publishers vs the reader

    std::atomic<uint32_t> types_{0};
    std::atomic<uint64_t> dropped_{0};
    std::atomic<int64_t> iteration_{-1};
    const size_t mask_;  // capacity - 1
    // capacity slots, from the first setEnabledTypes() with a type on; null before (publish()
    // and poll() then do nothing). Set once, freed with the stream.
    std::atomic<Slot*> slots_{nullptr};
    std::unique_ptr<Slot[]> storage_;  // owns slots_
    std::once_flag allocated_;
    alignas(kLine) std::atomic<uint64_t> writePos_{0};  // next ticket: all publishers (CAS)
    alignas(kLine) std::mutex readMu_;                  // readers take turns
    uint64_t readPos_ = 0;                              // guarded by readMu_: oldest ticket
    mutable std::mutex topicsMu_;
    std::unordered_map<std::string, uint32_t> topicIds_;  // guarded by topicsMu_
    std::vector<std::string> topicNames_;                 // guarded by topicsMu_
};

}  // namespace bs::producer
