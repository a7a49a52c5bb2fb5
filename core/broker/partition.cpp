#include "broker/partition.h"

#include <algorithm>

#include "broker/log_validator.h"

namespace bs::broker {

AppendInfo Partition::appendRecordsToLeader(std::span<uint8_t> records, int32_t leaderEpoch) {
    ValidationResult v = validateProduceRecords(records, log_->config().maxMessageBytes);
    if (!v.ok()) {
        AppendInfo info;
        info.error = v.error;
        info.errorMessage = std::move(v.message);
        info.logStartOffset = log_->logStartOffset();
        return info;
    }
    // Not covered by the CRC: Kafka stamps the leader epoch the batch was appended under.
    protocol::setPartitionLeaderEpoch(records, leaderEpoch);
    AppendInfo info = log_->append(records);
    if (info.ok() && !info.duplicate) notifyWatchers();
    return info;
}

void Partition::addWatcher(const std::shared_ptr<AppendWatcher>& watcher) {
    std::lock_guard lock(watchersMu_);
    std::erase_if(watchers_, [](const std::weak_ptr<AppendWatcher>& w) { return w.expired(); });
    for (const auto& w : watchers_) {
        if (w.lock() == watcher) return;
    }
    watchers_.push_back(watcher);
}

void Partition::notifyWatchers() {
    std::vector<std::weak_ptr<AppendWatcher>> fired;
    {
        std::lock_guard lock(watchersMu_);
        if (watchers_.empty()) return;
        fired.swap(watchers_);
    }
    for (const auto& w : fired) {
        if (auto watcher = w.lock()) watcher->onAppend();
    }
}

}  // namespace bs::broker
