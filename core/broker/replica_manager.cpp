#include "broker/replica_manager.h"

#include <spdlog/spdlog.h>

namespace bs::broker {

Status ReplicaManager::loadLogs() {
    for (const auto& topic : metadata_.topics()) {
        for (const auto& p : topic.partitions) {
            auto partition = getPartition(topic.name, p.partition);
            if (!partition) return Error{partition.error().message};
            const auto& info = (*partition)->log().recoveryInfo();
            if (info.truncatedBytes > 0) {
                spdlog::warn("recovered {}-{}: truncated {} bytes ({})", topic.name, p.partition,
                             info.truncatedBytes, info.truncationReason);
            }
        }
    }
    return {};
}

Result<std::shared_ptr<Partition>> ReplicaManager::getPartition(std::string_view topic,
                                                                int32_t partition) {
    {
        std::lock_guard lock(mu_);
        auto it = partitions_.find(topic);
        if (it != partitions_.end() && partition >= 0 &&
            partition < static_cast<int32_t>(it->second.size()) &&
            it->second[static_cast<size_t>(partition)]) {
            return it->second[static_cast<size_t>(partition)];
        }
    }
    // First use: the metadata decides whether the partition exists.
    auto meta = metadata_.partition(topic, partition);
    if (!meta) {
        return Error{"unknown partition " + std::string(topic) + "-" + std::to_string(partition)};
    }
    std::lock_guard lock(mu_);
    auto& slots = partitions_[std::string(topic)];
    if (slots.size() <= static_cast<size_t>(partition)) {
        slots.resize(static_cast<size_t>(partition) + 1);
    }
    auto& slot = slots[static_cast<size_t>(partition)];
    if (slot) return slot;  // opened by another thread meanwhile
    const auto dir = dataDir_ / Log::dirName(topic, partition);
    auto log = Log::open(dir.string(), config_, clock_);
    if (!log) return Error{"cannot open log " + dir.string() + ": " + log.error().message};
    slot = std::make_shared<Partition>(std::string(topic), partition, std::move(*log));
    return slot;
}

std::vector<std::shared_ptr<Partition>> ReplicaManager::partitions() const {
    std::lock_guard lock(mu_);
    std::vector<std::shared_ptr<Partition>> all;
    for (const auto& [name, slots] : partitions_) {
        for (const auto& p : slots)
            if (p) all.push_back(p);
    }
    return all;
}

void ReplicaManager::maybeFlushAll() {
    for (const auto& p : partitions()) {
        if (auto s = p->log().maybeFlush(); !s) {
            spdlog::error("flush {}-{}: {}", p->topic(), p->index(), s.message());
        }
    }
}

Status ReplicaManager::shutdown() {
    Status first;
    for (const auto& p : partitions()) {
        if (auto s = p->log().close(); !s && first.ok()) first = s;
    }
    return first;
}

}  // namespace bs::broker
