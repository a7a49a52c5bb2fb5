#include "broker/storage/log_config.h"

#include <string>

namespace bs::broker {

namespace {

Status invalid(const char* name, const char* rule, int64_t value) {
    return Error{std::string(name) + " must be " + rule + ", got " + std::to_string(value)};
}

}  // namespace

Status LogConfig::validate() const {
    // Segment positions are int32 in the offset index, as in Kafka (segment.bytes is an int).
    if (segmentBytes < static_cast<int64_t>(protocol::kRecordBatchOverhead) ||
        segmentBytes > std::numeric_limits<int32_t>::max()) {
        return invalid("segment.bytes", "in [61, 2147483647]", segmentBytes);
    }
    if (retentionBytes < -1) return invalid("retention.bytes", ">= -1", retentionBytes);
    if (maxMessageBytes < 0) return invalid("max.message.bytes", ">= 0", maxMessageBytes);
    if (flushMessages < 1) return invalid("flush.messages", ">= 1", flushMessages);
    if (flushMs < 0) return invalid("flush.ms", ">= 0", flushMs);
    if (indexIntervalBytes < 0) return invalid("index.interval.bytes", ">= 0", indexIntervalBytes);
    if (messageTimestampType != protocol::TimestampType::CreateTime &&
        messageTimestampType != protocol::TimestampType::LogAppendTime) {
        return invalid("message.timestamp.type", "CreateTime or LogAppendTime",
                       static_cast<int64_t>(messageTimestampType));
    }
    return Status::success();
}

}  // namespace bs::broker
