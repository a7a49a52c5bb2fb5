#include "models/group_lag_history.h"

#include <set>

namespace bs::ui {

void GroupLagHistory::setGroup(const QString& groupId) {
    if (groupId == group_) return;
    group_ = groupId;
    samples_.clear();
    Q_EMIT changed();
}

void GroupLagHistory::add(const consumer::GroupOffsets& offsets, qint64 timeMs) {
    Sample s;
    s.timeMs = timeMs;
    const bool perPartition = offsets.partitions.size() <= size_t(kMaxPartitionSeries);
    for (const auto& [tp, p] : offsets.partitions) {
        const auto lag = p.lag();
        if (!lag) continue;  // nothing committed: no lag to draw
        s.total += *lag;
        const QString name = QString::fromStdString(perPartition ? tp.toString() : tp.topic);
        s.series[name] += *lag;
    }
    samples_.push_back(std::move(s));
    while (samples_.size() > size_t(kMaxSamples))
        samples_.pop_front();
    Q_EMIT changed();
}

QStringList GroupLagHistory::seriesNames() const {
    std::set<QString> names;
    for (const auto& s : samples_)
        for (const auto& [name, lag] : s.series)
            names.insert(name);
    return QStringList(names.begin(), names.end());
}

}  // namespace bs::ui
