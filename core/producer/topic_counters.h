#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>

namespace bs::producer {

// Per-topic counters for the round-robin partitioners (Java's topicCounterMap of AtomicInteger).
// Thread-safe: the map under a shared_mutex, each counter atomic.
class TopicCounters {
  public:
    // `initial` gives a new topic's starting value (0, or random for the legacy partitioner).
    explicit TopicCounters(std::function<int32_t()> initial) : initial_(std::move(initial)) {}

    // Java's counter.getAndIncrement() (wrapping like a Java int).
    int32_t getAndIncrement(std::string_view topic) { return counter(topic).fetch_add(1); }
    std::optional<int32_t> peek(std::string_view topic) const {
        std::shared_lock lock(mu_);
        auto it = counters_.find(topic);
        return it == counters_.end() ? std::nullopt : std::optional<int32_t>(it->second->load());
    }

  private:
    std::atomic<int32_t>& counter(std::string_view topic) {
        {
            std::shared_lock lock(mu_);
            auto it = counters_.find(topic);
            if (it != counters_.end()) return *it->second;
        }
        std::unique_lock lock(mu_);
        auto it = counters_.find(topic);
        if (it == counters_.end())
            it =
                counters_
                    .emplace(std::string(topic), std::make_unique<std::atomic<int32_t>>(initial_()))
                    .first;
        return *it->second;
    }

    std::function<int32_t()> initial_;
    mutable std::shared_mutex mu_;
    std::map<std::string, std::unique_ptr<std::atomic<int32_t>>, std::less<>> counters_;  // mu_
};

}  // namespace bs::producer
