#include "consume_group.h"

#include "common/clock.h"

namespace bs::cli {

Result<std::unique_ptr<ConsumeGroupOffsets>> ConsumeGroupOffsets::open(
    const consumer::ConsumerConfig& config, std::string group) {
    auto admin = consumer::ConsumerGroupAdmin::create(config, SystemClock::instance());
    if (!admin) return admin.error();
    // auto.commit.interval.ms is validated by the config table; 5000 is its default.
    auto it = config.originals.find("auto.commit.interval.ms");
    const int64_t interval = it == config.originals.end() ? 5000 : std::stoll(it->second);
    std::unique_ptr<ConsumeGroupOffsets> g(
        new ConsumeGroupOffsets(std::move(*admin), std::move(group), interval));
    g->lastCommitMs_ = SystemClock::instance().nowMs();
    return g;
}

Status ConsumeGroupOffsets::seekToCommitted(consumer::KafkaConsumer& c,
                                            const std::vector<client::TopicPartition>& partitions) {
    auto committed = admin_->committedOffsets(group_);
    if (!committed) return Error{committed.error().message};
    for (const auto& tp : partitions) {
        auto it = committed->find(tp);
        if (it == committed->end()) continue;
        c.seek(tp, it->second);
        committed_[tp] = it->second;
    }
    return {};
}

Status ConsumeGroupOffsets::maybeCommit(int64_t nowMs, bool force) {
    if (!force && nowMs - lastCommitMs_ < intervalMs_) return {};
    lastCommitMs_ = nowMs;
    std::map<client::TopicPartition, int64_t> changed;
    for (const auto& [tp, offset] : next_) {
        auto it = committed_.find(tp);
        if (it == committed_.end() || it->second != offset) changed[tp] = offset;
    }
    if (changed.empty()) return {};
    if (auto s = admin_->commitOffsets(group_, changed); !s) return s;
    for (const auto& [tp, offset] : changed)
        committed_[tp] = offset;
    return {};
}

}  // namespace bs::cli
