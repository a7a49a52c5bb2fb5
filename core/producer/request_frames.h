#pragma once

// The last request frames the Sender wrote, byte for byte, for the request frame view. Off by
// default (capacity 0): keeping a frame copies it, so a reader turns it on only while it shows
// frames. Thread-safe: the sender thread records, any thread reads.

#include <cstdint>
#include <deque>
#include <mutex>
#include <span>
#include <vector>

#include "protocol/api_keys.h"

namespace bs::producer {

struct RequestFrame {
    int32_t nodeId = -1;
    int32_t correlationId = -1;
    protocol::ApiKey apiKey = protocol::ApiKey::Produce;
    int16_t apiVersion = 0;
    bool expectResponse = true;  // false: acks=0, written and forgotten
    int64_t writtenMs = 0;       // Clock::nowMs() when handed to the connection
    int64_t frameSize = 0;       // the whole frame, size prefix included
    std::vector<uint8_t> bytes;  // the frame's first bytes (all of it up to the kept maximum)
};

class RequestFrameLog {
  public:
    // Keeps the newest `frames` frames, each up to `maxBytes`; 0 frames turns recording off.
    void setCapacity(size_t frames, size_t maxBytes = 1 << 20);
    bool enabled() const;
    void record(int32_t nodeId, int32_t correlationId, protocol::ApiKey api, int16_t version,
                bool expectResponse, int64_t nowMs, std::span<const uint8_t> frame);
    // Oldest first.
    std::vector<RequestFrame> frames() const;
    // The frame of one request, if still kept.
    bool find(int32_t nodeId, int32_t correlationId, RequestFrame& out) const;

  private:
    mutable std::mutex mu_;
    size_t capacity_ = 0;           // guarded by mu_
    size_t maxBytes_ = 0;           // guarded by mu_
    std::deque<RequestFrame> log_;  // guarded by mu_
};

}  // namespace bs::producer
