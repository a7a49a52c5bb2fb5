#include "producer/request_frames.h"

#include <algorithm>

namespace bs::producer {

void RequestFrameLog::setCapacity(size_t frames, size_t maxBytes) {
    std::lock_guard lock(mu_);
    capacity_ = frames;
    maxBytes_ = maxBytes;
    while (log_.size() > capacity_)
        log_.pop_front();
}

bool RequestFrameLog::enabled() const {
    std::lock_guard lock(mu_);
    return capacity_ > 0;
}

void RequestFrameLog::record(int32_t nodeId, int32_t correlationId, protocol::ApiKey api,
                             int16_t version, bool expectResponse, int64_t nowMs,
                             std::span<const uint8_t> frame) {
    std::lock_guard lock(mu_);
    if (capacity_ == 0) return;
    RequestFrame f;
    f.nodeId = nodeId;
    f.correlationId = correlationId;
    f.apiKey = api;
    f.apiVersion = version;
    f.expectResponse = expectResponse;
    f.writtenMs = nowMs;
    f.frameSize = static_cast<int64_t>(frame.size());
    const size_t kept = std::min(frame.size(), maxBytes_);
    f.bytes.assign(frame.begin(), frame.begin() + static_cast<std::ptrdiff_t>(kept));
    if (log_.size() == capacity_) log_.pop_front();
    log_.push_back(std::move(f));
}

std::vector<RequestFrame> RequestFrameLog::frames() const {
    std::lock_guard lock(mu_);
    return {log_.begin(), log_.end()};
}

bool RequestFrameLog::find(int32_t nodeId, int32_t correlationId, RequestFrame& out) const {
    std::lock_guard lock(mu_);
    for (auto it = log_.rbegin(); it != log_.rend(); ++it) {
        if (it->nodeId == nodeId && it->correlationId == correlationId) {
            out = *it;
            return true;
        }
    }
    return false;
}

}  // namespace bs::producer
