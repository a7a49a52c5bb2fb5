#include "broker/fault_injector.h"

#include <algorithm>

namespace bs::broker {

FaultInjector::FaultInjector(int nodeCount)
    : latency_(static_cast<size_t>(nodeCount)),
      down_(static_cast<size_t>(nodeCount)),
      errors_(static_cast<size_t>(nodeCount)) {}

void FaultInjector::setLatencyMs(int node, int64_t ms) {
    latency_.at(static_cast<size_t>(node)).store(std::max<int64_t>(0, ms));
}

int64_t FaultInjector::latencyMs(int node) const {
    return latency_.at(static_cast<size_t>(node)).load();
}

void FaultInjector::setDown(int node, bool down) {
    down_.at(static_cast<size_t>(node)).store(down);
}

bool FaultInjector::isDown(int node) const {
    if (node < 0 || node >= nodeCount()) return true;
    return down_[static_cast<size_t>(node)].load();
}

void FaultInjector::injectErrors(int node, protocol::ApiKey api, protocol::ErrorCode error,
                                 int count) {
    std::lock_guard lock(mu_);
    auto& q = errors_.at(static_cast<size_t>(node));
    if (count <= 0) {
        std::erase_if(q, [api](const InjectedError& e) { return e.api == api; });
        return;
    }
    q.push_back({api, error, count});
}

std::optional<protocol::ErrorCode> FaultInjector::takeError(int node, protocol::ApiKey api) {
    std::lock_guard lock(mu_);
    auto& q = errors_.at(static_cast<size_t>(node));
    auto it =
        std::find_if(q.begin(), q.end(), [api](const InjectedError& e) { return e.api == api; });
    if (it == q.end()) return std::nullopt;
    const auto error = it->error;
    if (--it->remaining == 0) q.erase(it);
    return error;
}

std::vector<InjectedError> FaultInjector::pendingErrors(int node) const {
    std::lock_guard lock(mu_);
    const auto& q = errors_.at(static_cast<size_t>(node));
    return {q.begin(), q.end()};
}

}  // namespace bs::broker
