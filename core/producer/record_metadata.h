#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "common/result.h"

namespace bs::producer {

// What a completed send reports (Java's RecordMetadata). offset is -1 when unknown (acks=0 or
// an error); timestamp is the log append time when the topic uses LogAppendTime, otherwise the
// record's create timestamp.
struct RecordMetadata {
    std::string topic;
    int32_t partition = -1;
    int64_t offset = -1;
    int64_t timestamp = -1;
    int32_t serializedKeySize = -1;    // -1 for a null key
    int32_t serializedValueSize = -1;  // -1 for a null value
    // Microseconds from send() to this completion, as librdkafka's rd_kafka_message_latency():
    // the producer already reads the clock in send() and reads it once per completed batch, so
    // an application wanting per-record latency need not read it twice per record. Set in
    // callbacks for appended records; -1 otherwise (records failed inside send(), futures).
    int64_t latencyUs = -1;

    bool hasOffset() const { return offset >= 0; }
    bool hasTimestamp() const { return timestamp >= 0; }
};

// Java's Callback.onCompletion(metadata, exception). `error` is null on success. On failure the
// metadata still names topic and partition (offset -1). Runs on the sender thread, in order per
// partition; keep it short.
using Callback = std::function<void(const RecordMetadata& metadata, const Error* error)>;

}  // namespace bs::producer
