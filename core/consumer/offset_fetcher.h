#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "client/metadata.h"
#include "consumer/consumer_config.h"
#include "consumer/subscription_state.h"
#include "protocol/errors.h"
#include "protocol/messages/list_offsets.h"

namespace bs::consumer {

// Java's OffsetAndTimestamp (offsetsForTimes results).
struct OffsetAndTimestamp {
    int64_t offset = -1;
    int64_t timestamp = -1;
    std::optional<int32_t> leaderEpoch;
    friend bool operator==(const OffsetAndTimestamp&, const OffsetAndTimestamp&) = default;
};

// One partition's ListOffsets answer.
struct ListOffsetsResult {
    protocol::ErrorCode error = protocol::ErrorCode::NONE;
    int64_t offset = -1;  // -1: no record at or after the timestamp
    int64_t timestamp = -1;
    int32_t leaderEpoch = -1;
};

// ListOffsets lookups (Java: OffsetFetcher): position resets for seekToBeginning/seekToEnd and
// auto.offset.reset, and offsetsForTimes / beginningOffsets / endOffsets. No I/O: requests are
// built here and answers handed back. Thread ownership: the consumer's thread.
class OffsetFetcher {
  public:
    OffsetFetcher(const ConsumerConfig& config, SubscriptionState& subscriptions,
                  client::Metadata& metadata)
        : config_(config), subscriptions_(subscriptions), metadata_(metadata) {}

    struct PreparedListOffsets {
        int32_t node = -1;
        protocol::ListOffsetsRequest request;
    };
    // Groups `timestamps` (partition -> timestamp, or -2 earliest / -1 latest) by leader.
    // Partitions without a known leader go to `noLeader`.
    static std::vector<PreparedListOffsets> buildRequests(
        const client::Cluster& cluster, const std::map<TopicPartition, int64_t>& timestamps,
        std::vector<TopicPartition>& noLeader);
    // Decodes a response body (after the header); malformed bytes are an error.
    static Result<std::map<TopicPartition, ListOffsetsResult>> parseResponse(
        int16_t version, std::span<const uint8_t> body);

    // Requests for the partitions awaiting a reset (marks them in flight).
    std::vector<PreparedListOffsets> prepareResetRequests(const client::Cluster& cluster,
                                                          int64_t nowMs);
    void handleResetResponse(const protocol::ListOffsetsRequest& request, int16_t version,
                             std::span<const uint8_t> body, int64_t nowMs);
    void handleResetFailure(const protocol::ListOffsetsRequest& request, const std::string& why,
                            int64_t nowMs);

  private:
    void retryLater(const TopicPartition& tp, int64_t nowMs);

    const ConsumerConfig& config_;
    SubscriptionState& subscriptions_;
    client::Metadata& metadata_;
};

}  // namespace bs::consumer
