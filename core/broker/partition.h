#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include "broker/storage/log.h"

namespace bs::broker {

// Something waiting for data on a partition (a parked Fetch). `onAppend` runs on the appending
// thread right after an append, so it must only hand off (post to the waiter's strand).
struct AppendWatcher {
    std::function<void()> onAppend;
};

// One partition of a topic on the embedded cluster: its Log plus the Fetches waiting for new
// data (Kafka: Partition + the DelayedFetch purgatory keyed by partition). There is no
// replication: the leader's log is the only replica.
// Thread-safety: the Log is thread-safe itself; watchers_ is guarded by watchersMu_.
class Partition {
  public:
    Partition(std::string topic, int32_t index, std::unique_ptr<Log> log)
        : topic_(std::move(topic)), index_(index), log_(std::move(log)) {}

    const std::string& topic() const { return topic_; }
    int32_t index() const { return index_; }
    Log& log() { return *log_; }
    const Log& log() const { return *log_; }

    // Validates one Produce request's records for this partition (log_validator.h), stamps the
    // leader epoch and appends them; wakes parked Fetches. A rejected batch leaves the log
    // untouched. `records` is the request's buffer; the broker assigns the offsets in place.
    AppendInfo appendRecordsToLeader(std::span<uint8_t> records, int32_t leaderEpoch);

    // Registers a one-shot watcher (fired by the next append). Registering the same watcher
    // twice keeps one entry.
    void addWatcher(const std::shared_ptr<AppendWatcher>& watcher);

  private:
    void notifyWatchers();

    const std::string topic_;
    const int32_t index_;
    const std::unique_ptr<Log> log_;
    std::mutex watchersMu_;
    std::vector<std::weak_ptr<AppendWatcher>> watchers_;  // guarded by watchersMu_
};

}  // namespace bs::broker
