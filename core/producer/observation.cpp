#include "producer/observation.h"

#include <algorithm>

namespace bs::producer {

std::string_view batchStateName(BatchState state) {
    switch (state) {
        case BatchState::Open:
            return "open";
        case BatchState::Closed:
            return "closed";
        case BatchState::InFlight:
            return "in-flight";
        case BatchState::Retrying:
            return "retrying";
        case BatchState::Done:
            return "done";
    }
    return "unknown";
}

std::string_view senderStateName(SenderState state) {
    switch (state) {
        case SenderState::NotStarted:
            return "not started";
        case SenderState::Running:
            return "running";
        case SenderState::Paused:
            return "paused";
        case SenderState::Closing:
            return "closing";
        case SenderState::Closed:
            return "closed";
    }
    return "unknown";
}

std::string_view eventTypeName(EventType type) {
    switch (type) {
        case EventType::RecordAppended:
            return "record appended";
        case EventType::BatchCreated:
            return "batch created";
        case EventType::BatchFull:
            return "batch full";
        case EventType::BatchClosed:
            return "batch closed";
        case EventType::SenderWoken:
            return "sender woken";
        case EventType::BatchDrained:
            return "batch drained";
        case EventType::RequestSent:
            return "request sent";
        case EventType::ResponseReceived:
            return "response received";
        case EventType::BatchCompleted:
            return "batch completed";
        case EventType::BatchRetried:
            return "batch retried";
        case EventType::BatchExpired:
            return "batch expired";
        case EventType::BatchSplit:
            return "batch split";
        case EventType::ReadyVerdict:
            return "ready verdict";
        case EventType::ReadyChecked:
            return "ready checked";
        case EventType::NodeDrained:
            return "node drained";
        case EventType::RequestWritten:
            return "request written";
        case EventType::MetadataRequested:
            return "metadata requested";
        case EventType::PartitionSwitched:
            return "partition switched";
        case EventType::MetadataUpdated:
            return "metadata updated";
    }
    return "unknown";
}

std::string_view readyReasonName(ReadyReason reason) {
    switch (reason) {
        case ReadyReason::None:
            return "none";
        case ReadyReason::BatchFull:
            return "batch full";
        case ReadyReason::LingerExpired:
            return "linger expired";
        case ReadyReason::Exhausted:
            return "buffer exhausted";
        case ReadyReason::Closing:
            return "closing";
        case ReadyReason::Flushing:
            return "flush";
        case ReadyReason::Lingering:
            return "lingering";
        case ReadyReason::BackingOff:
            return "retry backoff";
        case ReadyReason::Muted:
            return "muted (in flight)";
        case ReadyReason::NoData:
            return "no data";
        case ReadyReason::NotConnected:
            return "not connected";
        case ReadyReason::ConnectionFailed:
            return "connection failed";
        case ReadyReason::MaxInFlight:
            return "max.in.flight reached";
        case ReadyReason::MetadataUpdateDue:
            return "metadata update due";
        case ReadyReason::SendInProgress:
            return "previous request being written";
    }
    return "unknown";
}

std::string_view partitionChoiceName(PartitionChoice choice) {
    switch (choice) {
        case PartitionChoice::Explicit:
            return "explicit partition";
        case PartitionChoice::Partitioner:
            return "partitioner";
        case PartitionChoice::Accumulator:
            return "built-in sticky partition";
    }
    return "unknown";
}

std::string_view switchCauseName(SwitchCause cause) {
    switch (cause) {
        case SwitchCause::None:
            return "none";
        case SwitchCause::OnNewBatch:
            return "onNewBatch";
        case SwitchCause::StickyBytes:
            return "batch.size bytes produced";
    }
    return "unknown";
}

std::string_view metadataCauseName(MetadataCause cause) {
    switch (cause) {
        case MetadataCause::None:
            return "none";
        case MetadataCause::UnknownLeader:
            return "leader unknown";
        case MetadataCause::ErrorResponse:
            return "error response";
        case MetadataCause::Disconnected:
            return "disconnected";
        case MetadataCause::ConnectionFailed:
            return "connection failed";
        case MetadataCause::TopicAwaited:
            return "topic awaited";
        case MetadataCause::MaxAge:
            return "metadata.max.age.ms";
    }
    return "unknown";
}

namespace {
size_t roundUpToPowerOfTwo(size_t n) {
    size_t p = 1;
    while (p < n)
        p <<= 1;
    return p;
}
}  // namespace

EventStream::EventStream(size_t capacity)
    : mask_(roundUpToPowerOfTwo(std::max<size_t>(capacity, 1)) - 1) {}

EventStream::~EventStream() = default;

void EventStream::setEnabledTypes(uint32_t mask) {
    mask &= kAllTypes;
    // 136 bytes a slot: 8.5 MiB for the default 65 536, a seventh of a producer's heap under
    // overload when nothing reads it.
    if (mask)
        std::call_once(allocated_, [this] {
            storage_ = std::make_unique<Slot[]>(mask_ + 1);
            for (size_t i = 0; i <= mask_; ++i)
                storage_[i].seq.store(i, std::memory_order_relaxed);
            slots_.store(storage_.get(), std::memory_order_release);
        });
    types_.store(mask, std::memory_order_relaxed);
}

void EventStream::publish(const Event& event) {
    if (!enabled(event.type)) return;
    Slot* const slots = slots_.load(std::memory_order_acquire);
    if (!slots) return;  // enabled on another thread a moment ago: not visible here yet
    uint64_t pos = writePos_.load(std::memory_order_relaxed);
    Slot* slot;
    for (;;) {
        slot = &slots[pos & mask_];
        const uint64_t seq = slot->seq.load(std::memory_order_acquire);
        const auto diff = static_cast<int64_t>(seq - pos);
        if (diff == 0) {
            // Free for this ticket: claim it (on failure pos is reloaded and we try again).
            if (writePos_.compare_exchange_weak(pos, pos + 1, std::memory_order_relaxed)) break;
        } else if (diff < 0) {
            // The slot still holds the event of ticket pos - capacity: the ring is full.
            dropped_.fetch_add(1, std::memory_order_relaxed);
            return;
        } else {
            pos = writePos_.load(std::memory_order_relaxed);  // another publisher took it
        }
    }
    slot->event = event;
    slot->seq.store(pos + 1, std::memory_order_release);
}

size_t EventStream::poll(std::vector<Event>& out, size_t max) {
    std::lock_guard lock(readMu_);
    Slot* const slots = slots_.load(std::memory_order_acquire);
    if (!slots) return 0;  // never enabled: nothing was published
    // Only what was published before the poll began: publishers that keep going cannot keep
    // the reader here.
    const uint64_t end = writePos_.load(std::memory_order_acquire);
    size_t n = 0;
    while (n < max && readPos_ < end) {
        Slot& slot = slots[readPos_ & mask_];
        if (slot.seq.load(std::memory_order_acquire) != readPos_ + 1)
            break;  // empty or being written
        out.push_back(slot.event);
        slot.seq.store(readPos_ + mask_ + 1, std::memory_order_release);
        ++readPos_;
        ++n;
    }
    return n;
}

uint32_t EventStream::topicId(std::string_view topic) {
    std::lock_guard lock(topicsMu_);
    auto it = topicIds_.find(std::string(topic));
    if (it != topicIds_.end()) return it->second;
    const auto id = static_cast<uint32_t>(topicNames_.size());
    topicNames_.emplace_back(topic);
    topicIds_.emplace(std::string(topic), id);
    return id;
}

std::string EventStream::topicName(uint32_t id) const {
    std::lock_guard lock(topicsMu_);
    return id < topicNames_.size() ? topicNames_[id] : std::string();
}

}  // namespace bs::producer
