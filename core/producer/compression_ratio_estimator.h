#pragma once

// Java's CompressionRatioEstimator (org.apache.kafka.common.record): per topic and codec, the
// expected ratio of a batch's compressed size to its records' uncompressed size. A new batch
// takes the current estimate, so that it closes at about batch.size of compressed bytes
// (RecordBatchBuilder::sizeInBytes); each closed batch moves the estimate toward what it
// observed: up at once (by at least 0.05) when compression got worse, so batches do not
// overshoot, and down slowly (by at most 0.005 per batch) when it got better. Java keeps one
// table per process; here each RecordAccumulator has its own. Thread-safe.

#include <algorithm>
#include <array>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

#include "protocol/record/compression.h"

namespace bs::producer {

class CompressionRatioEstimator {
  public:
    // Java's COMPRESSION_RATIO_IMPROVING_STEP and COMPRESSION_RATIO_DETERIORATE_STEP.
    static constexpr float kImprovingStep = 0.005f;
    static constexpr float kDeterioratingStep = 0.05f;
    // Java's CompressionType.rate: 1.0 for every codec.
    static constexpr float kInitialRatio = 1.0f;

    float estimation(std::string_view topic, protocol::CompressionType type) {
        std::lock_guard lock(mu_);
        return ratios(topic)[index(type)];
    }
    // Returns the new estimate.
    float updateEstimation(std::string_view topic, protocol::CompressionType type,
                           float observedRatio) {
        std::lock_guard lock(mu_);
        float& current = ratios(topic)[index(type)];
        if (observedRatio > current)
            current = std::max(current + kDeterioratingStep, observedRatio);
        else if (observedRatio < current)
            current = std::max(current - kImprovingStep, observedRatio);
        return current;
    }

  private:
    using Table = std::array<float, 5>;  // by codec id (none, gzip, snappy, lz4, zstd)
    static size_t index(protocol::CompressionType type) {
        return std::min<size_t>(static_cast<size_t>(type), 4);
    }
    Table& ratios(std::string_view topic) {  // needs mu_
        auto it = byTopic_.find(topic);
        if (it == byTopic_.end()) {
            Table initial;
            initial.fill(kInitialRatio);
            it = byTopic_.emplace(std::string(topic), initial).first;
        }
        return it->second;
    }

    std::mutex mu_;
    std::map<std::string, Table, std::less<>> byTopic_;  // guarded by mu_
};

}  // namespace bs::producer
