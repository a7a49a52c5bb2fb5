#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

namespace bs::broker {

// A response completed later by someone other than the request's handler (Kafka's delayed
// JoinGroup and SyncGroup in the rebalance purgatory). The coordinator completes it from any
// thread, possibly before the connection has attached its sink; the connection stays muted
// until the frame arrives, as Kafka keeps a channel muted until its response is sent.
// Thread-safe: guarded by mu_.
class DeferredResponse {
  public:
    using Sink = std::function<void(std::vector<uint8_t>)>;

    // Once; later calls are ignored.
    void complete(std::vector<uint8_t> frame) {
        Sink sink;
        {
            std::lock_guard lock(mu_);
            if (done_) return;
            done_ = true;
            if (!sink_) {
                frame_ = std::move(frame);
                return;
            }
            sink = std::move(sink_);
        }
        sink(std::move(frame));
    }

    // `sink` gets the frame once it exists (at once when it already does).
    void onComplete(Sink sink) {
        std::optional<std::vector<uint8_t>> ready;
        {
            std::lock_guard lock(mu_);
            if (!done_) {
                sink_ = std::move(sink);
                return;
            }
            ready = std::move(frame_);
            frame_.reset();
        }
        if (ready) sink(std::move(*ready));
    }

  private:
    std::mutex mu_;
    bool done_ = false;                          // guarded by mu_
    Sink sink_;                                  // guarded by mu_
    std::optional<std::vector<uint8_t>> frame_;  // guarded by mu_: completed before a sink
};

}  // namespace bs::broker
