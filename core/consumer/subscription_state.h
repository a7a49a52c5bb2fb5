#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "consumer/consumer_config.h"
#include "consumer/consumer_record.h"

namespace bs::consumer {

// What a position reset asks ListOffsets for: earliest (-2), latest (-1) or a timestamp.
struct OffsetReset {
    static constexpr int64_t kEarliest = -2;
    static constexpr int64_t kLatest = -1;
    int64_t timestamp = kLatest;
};

// The manually assigned partitions and their fetch positions (Java: SubscriptionState without
// group subscriptions). Owned by the consumer's thread (KafkaConsumer is single-threaded).
class SubscriptionState {
  public:
    struct PartitionState {
        std::optional<int64_t> position;         // next offset to fetch
        std::optional<OffsetReset> resetNeeded;  // a ListOffsets lookup is pending
        bool resetInFlight = false;
        int64_t nextAllowedMs = 0;  // retry backoff after an error (fetch or reset)
        int64_t highWatermark = -1;
        int64_t logStartOffset = -1;
        int64_t lastStableOffset = -1;
    };

    explicit SubscriptionState(OffsetResetStrategy defaultReset) : defaultReset_(defaultReset) {}

    // Replaces the assignment; partitions kept keep their state, new ones start without a
    // position (auto.offset.reset decides at the next poll).
    void assign(const std::vector<TopicPartition>& partitions);
    std::vector<TopicPartition> assignment() const;
    std::set<std::string> topics() const;
    bool isAssigned(const TopicPartition& tp) const { return parts_.count(tp) != 0; }

    void seek(const TopicPartition& tp, int64_t offset);
    void requestReset(const TopicPartition& tp, OffsetReset reset);
    // For partitions without a position and without a pending reset: apply auto.offset.reset.
    // With "none" this is an error naming the partitions (Java: NoOffsetForPartitionException).
    Status resetMissingPositions();
    OffsetResetStrategy defaultResetStrategy() const { return defaultReset_; }

    PartitionState* state(const TopicPartition& tp);
    const PartitionState* state(const TopicPartition& tp) const;
    std::optional<int64_t> position(const TopicPartition& tp) const;
    std::map<TopicPartition, PartitionState>& all() { return parts_; }
    const std::map<TopicPartition, PartitionState>& all() const { return parts_; }

  private:
    OffsetResetStrategy defaultReset_;
    std::map<TopicPartition, PartitionState> parts_;
};

}  // namespace bs::consumer
