#pragma once

// A fixed cluster metadata snapshot for the accumulator/partitioner tests: a real ClusterView
// implementation over a table (topic -> leader node per partition, -1 = no leader).

#include <map>
#include <string>
#include <vector>

#include "client/cluster_view.h"

namespace bs::producer::test {

using client::ClusterView;
using client::TopicPartition;

class StaticCluster final : public ClusterView {
  public:
    StaticCluster() = default;
    explicit StaticCluster(std::map<std::string, std::vector<int32_t>> leaders) {
        for (auto& [topic, l] : leaders)
            addTopic(topic, l);
    }
    // Setup only (before sharing the object with other threads).
    void addTopic(const std::string& topic, std::vector<int32_t> leaders) {
        leaders_[topic] = leaders;
        auto& avail = available_[topic];
        avail.clear();
        for (size_t p = 0; p < leaders.size(); ++p)
            if (leaders[p] >= 0) avail.push_back(static_cast<int32_t>(p));
        byNode_.clear();
        for (const auto& [t, ls] : leaders_)
            for (size_t p = 0; p < ls.size(); ++p)
                if (ls[p] >= 0) byNode_[ls[p]].push_back({t, static_cast<int32_t>(p)});
    }
    void setLeaderEpoch(const TopicPartition& tp, int32_t epoch) { epochs_[tp] = epoch; }

    std::optional<int32_t> leaderFor(const TopicPartition& tp) const override {
        auto it = leaders_.find(tp.topic);
        if (it == leaders_.end() || tp.partition < 0 ||
            static_cast<size_t>(tp.partition) >= it->second.size())
            return std::nullopt;
        const int32_t l = it->second[static_cast<size_t>(tp.partition)];
        return l >= 0 ? std::optional<int32_t>(l) : std::nullopt;
    }
    std::optional<int32_t> leaderEpochFor(const TopicPartition& tp) const override {
        auto it = epochs_.find(tp);
        return it == epochs_.end() ? std::nullopt : std::optional<int32_t>(it->second);
    }
    int32_t partitionCountForTopic(std::string_view topic) const override {
        auto it = leaders_.find(std::string(topic));
        return it == leaders_.end() ? 0 : static_cast<int32_t>(it->second.size());
    }
    std::span<const int32_t> availablePartitionsForTopic(std::string_view topic) const override {
        auto it = available_.find(std::string(topic));
        return it == available_.end() ? std::span<const int32_t>() : std::span(it->second);
    }
    std::span<const TopicPartition> partitionsForNode(int32_t nodeId) const override {
        auto it = byNode_.find(nodeId);
        return it == byNode_.end() ? std::span<const TopicPartition>() : std::span(it->second);
    }

  private:
    std::map<std::string, std::vector<int32_t>> leaders_;
    std::map<std::string, std::vector<int32_t>> available_;
    std::map<int32_t, std::vector<TopicPartition>> byNode_;
    std::map<TopicPartition, int32_t> epochs_;
};

}  // namespace bs::producer::test
