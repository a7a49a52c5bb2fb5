#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "protocol/api_keys.h"
#include "protocol/errors.h"

namespace bs::broker {

// An armed error injection: the next `remaining` requests of `api` get `error`.
struct InjectedError {
    protocol::ApiKey api;
    protocol::ErrorCode error;
    int remaining;
};

// Per-node faults the request path consults: added response latency, whether the node is down
// (Metadata leaves it out and reports its partitions offline) and queued error injections.
// Thread-safe: latency and down flags are atomics; injections are guarded by mu_.
class FaultInjector {
  public:
    explicit FaultInjector(int nodeCount);

    void setLatencyMs(int node, int64_t ms);
    int64_t latencyMs(int node) const;

    void setDown(int node, bool down);
    bool isDown(int node) const;

    // Appends an injection; injections for one API on one node are consumed in order.
    // count <= 0 clears that node's injections for `api`.
    void injectErrors(int node, protocol::ApiKey api, protocol::ErrorCode error, int count);
    // Consumes one injected error for this request, if any is armed.
    std::optional<protocol::ErrorCode> takeError(int node, protocol::ApiKey api);
    std::vector<InjectedError> pendingErrors(int node) const;

    int nodeCount() const { return static_cast<int>(latency_.size()); }

  private:
    std::vector<std::atomic<int64_t>> latency_;
    std::vector<std::atomic<bool>> down_;
    mutable std::mutex mu_;
    std::vector<std::deque<InjectedError>> errors_;  // per node, guarded by mu_
};

}  // namespace bs::broker
