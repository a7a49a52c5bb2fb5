#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "client/topic_partition.h"
#include "common/result.h"
#include "consumer/consumer_group_admin.h"

namespace bs::consumer {

// One partition of kafka-consumer-groups.sh --describe: what the group committed, the log end
// offset and the member that owns it now ("-" fields when none).
struct GroupPartitionOffsets {
    std::optional<int64_t> committed;
    std::optional<int64_t> logEnd;
    std::string memberId = "-", host = "-", clientId = "-";
    // log end - committed; none while nothing is committed.
    std::optional<int64_t> lag() const {
        if (!committed || !logEnd) return std::nullopt;
        return *logEnd - *committed;
    }
};

struct GroupOffsets {
    GroupDescription description;
    // Every partition the group committed or is assigned.
    std::map<client::TopicPartition, GroupPartitionOffsets> partitions;
    // Kafka's "does not exist": Dead and nothing committed.
    bool missing() const { return description.state == "Dead" && partitions.empty(); }
    int64_t totalLag() const;
};

// DescribeGroups, OffsetFetch and ListOffsets (latest) of one group, as --describe shows them.
Result<GroupOffsets> describeGroupOffsets(ConsumerGroupAdmin& admin, const std::string& groupId);

// Where --reset-offsets moves a group: --to-earliest, --to-latest, --to-datetime (timestamp in
// ms) or --to-offset (clamped to the log, as Kafka does).
struct OffsetResetSpec {
    enum class Mode { Earliest, Latest, Datetime, Offset };
    Mode mode = Mode::Earliest;
    int64_t value = 0;  // Datetime: ms since the epoch; Offset: the offset
};

// Kafka's refusal while the group is not Empty or Dead (kafka-consumer-groups.sh's text).
std::string resetRefusedMessage(const std::string& groupId, const std::string& state);

// The new offset of every partition of `topics` (the dry run): refused with Kafka's message
// while the group has members. Commits nothing; commit the plan with admin.commitOffsets().
Result<std::map<client::TopicPartition, int64_t>> planOffsetReset(
    ConsumerGroupAdmin& admin, const std::string& groupId, const std::vector<std::string>& topics,
    const OffsetResetSpec& spec);

// Kafka's --to-datetime: yyyy-MM-ddTHH:mm:SS.sss, local time unless a zone (Z, +hh:mm) follows;
// ms since the epoch.
Result<int64_t> parseResetDatetime(const std::string& text);

}  // namespace bs::consumer
