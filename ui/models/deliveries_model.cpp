#include "models/deliveries_model.h"

#include <QBrush>
#include <QColor>
#include <QFont>

namespace bs::ui {

DeliveriesModel::DeliveriesModel(QObject* parent, int cap)
    : QAbstractTableModel(parent), cap_(cap) {}

void DeliveriesModel::add(const DeliveryTick& tick) {
    total_ += tick.ok + tick.failed;
    errors_ += tick.failed;
    const QVector<Delivery>& deliveries = tick.rows;
    if (deliveries.isEmpty()) return;
    // Only the newest `cap_` of this burst can survive.
    const int n = std::min<int>(static_cast<int>(deliveries.size()), cap_);
    const int overflow = static_cast<int>(rows_.size()) + n - cap_;
    if (overflow > 0) {
        const int first = static_cast<int>(rows_.size()) - overflow;
        beginRemoveRows({}, first, static_cast<int>(rows_.size()) - 1);
        rows_.erase(rows_.end() - overflow, rows_.end());
        endRemoveRows();
    }
    beginInsertRows({}, 0, n - 1);
    // Input is oldest first; newest goes to row 0.
    for (int i = static_cast<int>(deliveries.size()) - n; i < deliveries.size(); ++i)
        rows_.push_front(deliveries[i]);
    endInsertRows();
}

void DeliveriesModel::clear() {
    beginResetModel();
    rows_.clear();
    total_ = errors_ = 0;
    endResetModel();
}

int DeliveriesModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}

int DeliveriesModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant DeliveriesModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rowCount()) return {};
    const Delivery& d = at(index.row());
    if (role == Qt::DisplayRole || role == Qt::ToolTipRole) {
        switch (index.column()) {
            case Seq:
                return d.seq;
            case Key:
                return d.key;
            case Value:
                return d.value;
            case Partition:
                return d.partition >= 0 ? QVariant(d.partition) : QVariant();
            case Offset:
                return d.offset >= 0 ? QVariant(d.offset) : QVariant(QStringLiteral("-"));
            case Latency:
                if (d.latencyMs < 0) return QStringLiteral("-");
                return role == Qt::DisplayRole ? QVariant(QString::number(d.latencyMs, 'f', 1))
                                               : QVariant(tr("%1 ms").arg(d.latencyMs));
            case Error:
                return d.ok() ? QString() : d.error;
        }
    }
    if (role == Qt::UserRole) {  // sort keys
        switch (index.column()) {
            case Seq:
                return d.seq;
            case Partition:
                return d.partition;
            case Offset:
                return d.offset;
            case Latency:
                return d.latencyMs;
            default:
                return data(index, Qt::DisplayRole);
        }
    }
    if (role == Qt::ForegroundRole && !d.ok()) return QBrush(QColor(0xd0, 0x3a, 0x3a));
    if (role == Qt::TextAlignmentRole && index.column() != Key && index.column() != Value &&
        index.column() != Error)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    return {};
}

QVariant DeliveriesModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
        case Seq:
            return tr("#");
        case Key:
            return tr("Key");
        case Value:
            return tr("Value");
        case Partition:
            return tr("Partition");
        case Offset:
            return tr("Offset");
        case Latency:
            return tr("Latency ms");
        case Error:
            return tr("Error");
    }
    return {};
}

}  // namespace bs::ui
