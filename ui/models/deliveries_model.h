#pragma once

#include <QAbstractTableModel>
#include <deque>

#include "delivery.h"

namespace bs::ui {

// Completed sends, newest first, capped (oldest rows dropped). GUI thread only.
class DeliveriesModel : public QAbstractTableModel {
    Q_OBJECT
  public:
    enum Column { Seq, Key, Value, Partition, Offset, Latency, Error, ColumnCount };
    static constexpr int kDefaultCap = kDeliveriesKept;

    explicit DeliveriesModel(QObject* parent = nullptr, int cap = kDefaultCap);

    // Rows oldest first; the tick's counts also cover deliveries too old to be kept.
    void add(const DeliveryTick& tick);
    void add(QVector<Delivery> deliveries) { add(DeliveryTick::fromRows(std::move(deliveries))); }
    void clear();
    const Delivery& at(int row) const { return rows_[static_cast<size_t>(row)]; }
    qint64 totalAdded() const { return total_; }
    qint64 totalErrors() const { return errors_; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

  private:
    std::deque<Delivery> rows_;  // front = newest
    int cap_;
    qint64 total_ = 0;
    qint64 errors_ = 0;
};

}  // namespace bs::ui
