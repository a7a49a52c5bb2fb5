#pragma once

#include <QObject>
#include <QString>
#include <QVector>
#include <map>

#include "delivery.h"

namespace bs::ui {

// Records delivered per partition of each topic (the partition distribution histogram).
// GUI thread only.
class DistributionModel : public QObject {
    Q_OBJECT
  public:
    explicit DistributionModel(QObject* parent = nullptr) : QObject(parent) {}

    void add(const DeliveryTick& tick);
    void add(QVector<Delivery> deliveries) { add(DeliveryTick::fromRows(std::move(deliveries))); }
    void setTopicPartitions(const QString& topic, int partitions);
    void clear();
    // Counts for `topic`, index = partition.
    QVector<qint64> counts(const QString& topic) const;
    qint64 total(const QString& topic) const;

  Q_SIGNALS:
    void changed();

  private:
    std::map<QString, QVector<qint64>> counts_;
};

}  // namespace bs::ui
