#pragma once

#include <QObject>
#include <QString>
#include <QStringList>
#include <deque>
#include <map>

#include "consumer/group_offsets.h"

namespace bs::ui {

// The lag of one consumer group over time, one sample per refresh, for the lag chart: the total
// and per partition ("orders-3") when the group has at most kMaxPartitionSeries partitions,
// else per topic. Bounded to kMaxSamples. GUI thread only.
class GroupLagHistory : public QObject {
    Q_OBJECT
  public:
    static constexpr int kMaxSamples = 300;  // 10 minutes at a refresh every 2 s
    static constexpr int kMaxPartitionSeries = 8;

    struct Sample {
        qint64 timeMs = 0;
        qint64 total = 0;
        std::map<QString, qint64> series;  // per partition or per topic
    };

    explicit GroupLagHistory(QObject* parent = nullptr) : QObject(parent) {}

    // Starts over for another group (or none).
    void setGroup(const QString& groupId);
    const QString& group() const { return group_; }
    void add(const consumer::GroupOffsets& offsets, qint64 timeMs);
    const std::deque<Sample>& samples() const { return samples_; }
    // The series names of every sample held, sorted.
    QStringList seriesNames() const;

  Q_SIGNALS:
    void changed();

  private:
    QString group_;
    std::deque<Sample> samples_;
};

}  // namespace bs::ui
