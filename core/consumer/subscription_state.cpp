#include "consumer/subscription_state.h"

namespace bs::consumer {

void SubscriptionState::assign(const std::vector<TopicPartition>& partitions) {
    std::map<TopicPartition, PartitionState> next;
    for (const auto& tp : partitions) {
        auto it = parts_.find(tp);
        next[tp] = it != parts_.end() ? it->second : PartitionState{};
    }
    parts_ = std::move(next);
}

std::vector<TopicPartition> SubscriptionState::assignment() const {
    std::vector<TopicPartition> out;
    for (const auto& [tp, s] : parts_)
        out.push_back(tp);
    return out;
}

std::set<std::string> SubscriptionState::topics() const {
    std::set<std::string> out;
    for (const auto& [tp, s] : parts_)
        out.insert(tp.topic);
    return out;
}

void SubscriptionState::seek(const TopicPartition& tp, int64_t offset) {
    if (PartitionState* s = state(tp)) {
        s->position = offset;
        s->resetNeeded.reset();
        s->resetInFlight = false;
        s->nextAllowedMs = 0;
    }
}

void SubscriptionState::requestReset(const TopicPartition& tp, OffsetReset reset) {
    if (PartitionState* s = state(tp)) {
        s->position.reset();
        s->resetNeeded = reset;
        s->resetInFlight = false;
    }
}

Status SubscriptionState::resetMissingPositions() {
    std::string missing;
    for (auto& [tp, s] : parts_) {
        if (s.position || s.resetNeeded) continue;
        switch (defaultReset_) {
            case OffsetResetStrategy::Earliest:
                s.resetNeeded = OffsetReset{OffsetReset::kEarliest};
                break;
            case OffsetResetStrategy::Latest:
                s.resetNeeded = OffsetReset{OffsetReset::kLatest};
                break;
            case OffsetResetStrategy::None:
                missing += (missing.empty() ? "" : ", ") + tp.toString();
                break;
        }
    }
    if (missing.empty()) return {};
    return Error{
        "Undefined offset with no reset policy (auto.offset.reset=none) for partitions: [" +
        missing + "]"};
}

SubscriptionState::PartitionState* SubscriptionState::state(const TopicPartition& tp) {
    auto it = parts_.find(tp);
    return it == parts_.end() ? nullptr : &it->second;
}

const SubscriptionState::PartitionState* SubscriptionState::state(const TopicPartition& tp) const {
    auto it = parts_.find(tp);
    return it == parts_.end() ? nullptr : &it->second;
}

std::optional<int64_t> SubscriptionState::position(const TopicPartition& tp) const {
    const PartitionState* s = state(tp);
    return s ? s->position : std::nullopt;
}

}  // namespace bs::consumer
