#pragma once

#include <cstdint>
#include <limits>

#include "common/result.h"
#include "protocol/record/record_batch.h"

namespace bs::broker {

// Per-partition log settings, named after Kafka's topic configs (LogConfig). Plain value type,
// copied into each Log at open.
struct LogConfig {
    static constexpr int64_t kGiB = int64_t{1} << 30;
    static constexpr int64_t kNever = std::numeric_limits<int64_t>::max();

    int64_t segmentBytes = kGiB;    // segment.bytes: roll when the active segment would exceed it
    int64_t retentionBytes = kGiB;  // retention.bytes, per partition; -1 = unlimited
    int32_t maxMessageBytes = 1048588;  // max.message.bytes: largest batch accepted (Kafka's)
    protocol::TimestampType messageTimestampType =
        protocol::TimestampType::CreateTime;  // message.timestamp.type
    // flush.messages / flush.ms: Kafka's defaults never force a flush (the OS page cache and
    // replication give durability); small values fsync from append().
    int64_t flushMessages = kNever;
    int64_t flushMs = kNever;
    int32_t indexIntervalBytes = 4096;  // index.interval.bytes: offset index density

    // Names the first invalid setting (e.g. "segment.bytes must be >= 14, got 0").
    Status validate() const;
};

}  // namespace bs::broker
