#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "client/topic_partition.h"

namespace bs::producer {

using client::kUnknownPartition;
using client::TopicPartition;

// A key or value before serialization. Each serializer accepts its native type and, for people
// typing into the GUI/CLI, a std::string holding its text form (a number, hex bytes, a UUID,
// JSON). nullptr is Kafka's null.
using FieldValue = std::variant<std::nullptr_t, std::string, std::vector<uint8_t>, int16_t, int32_t,
                                int64_t, float, double>;

// A record header: a key and optional (nullable) bytes.
struct Header {
    std::string key;
    std::optional<std::vector<uint8_t>> value;
};

// Java's ProducerRecord. An explicit partition always wins over the partitioner; without a
// timestamp the producer stamps the wall-clock time at send().
struct ProducerRecord {
    std::string topic;
    std::optional<int32_t> partition;
    FieldValue key = nullptr;
    FieldValue value = nullptr;
    std::vector<Header> headers;
    std::optional<int64_t> timestamp;
};

}  // namespace bs::producer
