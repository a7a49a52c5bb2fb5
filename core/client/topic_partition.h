#pragma once

#include <compare>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace bs::client {

// Java's RecordMetadata.UNKNOWN_PARTITION: "let the accumulator's built-in sticky logic choose".
inline constexpr int32_t kUnknownPartition = -1;

struct TopicPartition {
    std::string topic;
    int32_t partition = kUnknownPartition;

    friend bool operator==(const TopicPartition&, const TopicPartition&) = default;
    friend auto operator<=>(const TopicPartition&, const TopicPartition&) = default;
    // "topic-3", as Kafka prints it.
    std::string toString() const { return topic + "-" + std::to_string(partition); }
};

struct TopicPartitionHash {
    size_t operator()(const TopicPartition& tp) const noexcept {
        return std::hash<std::string_view>{}(tp.topic) * 31u + static_cast<size_t>(tp.partition);
    }
};

}  // namespace bs::client
