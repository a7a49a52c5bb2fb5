#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "broker/metadata_cache.h"
#include "broker/partition.h"
#include "broker/storage/log_config.h"
#include "common/clock.h"
#include "common/result.h"

namespace bs::broker {

// Owns every partition's Log (Kafka: ReplicaManager + LogManager). All nodes share it: one
// process, one data dir, `<dataDir>/<topic>-<partition>/` per partition. Logs are opened (and
// recovered) at start-up for every partition the metadata lists, and on first use for topics
// created later. Thread-safe: the partition table is guarded by mu_; Partitions are
// thread-safe themselves and stay alive while a caller holds their shared_ptr.
class ReplicaManager {
  public:
    ReplicaManager(std::filesystem::path dataDir, LogConfig config, const MetadataCache& metadata,
                   const Clock& clock)
        : dataDir_(std::move(dataDir)), config_(config), metadata_(metadata), clock_(clock) {}

    // Opens and recovers the log of every partition the metadata knows.
    Status loadLogs();

    // The partition, opening its log on first use; an error when the metadata has no such
    // partition or the log cannot be opened.
    Result<std::shared_ptr<Partition>> getPartition(std::string_view topic, int32_t partition);

    // Every open partition (for status and flushing).
    std::vector<std::shared_ptr<Partition>> partitions() const;

    // Applies flush.ms to every log (called from a periodic timer).
    void maybeFlushAll();
    // Flushes and closes every log (clean shutdown); later appends fail with a storage error.
    Status shutdown();

    const LogConfig& config() const { return config_; }

  private:
    const std::filesystem::path dataDir_;
    const LogConfig config_;
    const MetadataCache& metadata_;
    const Clock& clock_;
    mutable std::mutex mu_;
    // topic -> partitions by index (null until opened); guarded by mu_.
    std::map<std::string, std::vector<std::shared_ptr<Partition>>, std::less<>> partitions_;
};

}  // namespace bs::broker
