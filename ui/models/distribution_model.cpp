#include "models/distribution_model.h"

namespace bs::ui {

void DistributionModel::add(const DeliveryTick& tick) {
    bool any = false;
    for (const auto& c : tick.okByPartition) {
        if (c.partition < 0 || c.ok <= 0) continue;
        auto& v = counts_[c.topic];
        if (v.size() <= c.partition) v.resize(c.partition + 1);
        v[c.partition] += c.ok;
        any = true;
    }
    if (any) Q_EMIT changed();
}

void DistributionModel::setTopicPartitions(const QString& topic, int partitions) {
    auto& v = counts_[topic];
    if (v.size() < partitions) {
        v.resize(partitions);
        Q_EMIT changed();
    }
}

void DistributionModel::clear() {
    counts_.clear();
    Q_EMIT changed();
}

QVector<qint64> DistributionModel::counts(const QString& topic) const {
    auto it = counts_.find(topic);
    return it == counts_.end() ? QVector<qint64>{} : it->second;
}

qint64 DistributionModel::total(const QString& topic) const {
    qint64 n = 0;
    for (qint64 c : counts(topic))
        n += c;
    return n;
}

}  // namespace bs::ui
