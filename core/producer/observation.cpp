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

EventStream::EventStream(size_t capacity) : ring_(std::max<size_t>(capacity, 1)) {}

void EventStream::publish(const Event& event) {
    if (!enabled(event.type)) return;
    std::lock_guard lock(mu_);
    if (size_ == ring_.size()) {
        dropped_.fetch_add(1, std::memory_order_relaxed);
        return;
    }
    ring_[(head_ + size_) % ring_.size()] = event;
    ++size_;
}

size_t EventStream::poll(std::vector<Event>& out, size_t max) {
    std::lock_guard lock(mu_);
    const size_t n = std::min(max, size_);
    out.reserve(out.size() + n);
    for (size_t i = 0; i < n; ++i) {
        out.push_back(ring_[head_]);
        head_ = (head_ + 1) % ring_.size();
    }
    size_ -= n;
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
