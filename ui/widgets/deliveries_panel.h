#pragma once

#include <QWidget>

#include "models/deliveries_model.h"

class QLineEdit;
class QTableView;
class QSortFilterProxyModel;
class QLabel;

namespace bs::ui {

class LiveLabel;

// The Deliveries table with a filter (matches key, value, partition, error). A delivered row
// opens its record in the topic inspector (double-click or context menu).
class DeliveriesPanel : public QWidget {
    Q_OBJECT
  public:
    explicit DeliveriesPanel(DeliveriesModel* model, QWidget* parent = nullptr);
    QLineEdit* filter() const { return filter_; }
    QSortFilterProxyModel* proxy() const { return proxy_; }
    // Asks for the record of the table row `viewRow` (as sorted and filtered); false when the
    // row has no stored record (a failed send).
    bool showInInspector(int viewRow);
    // "Send again…": asks for the row's record to be replayed (replayRequested).
    bool sendAgain(int viewRow);

  Q_SIGNALS:
    void recordRequested(const QString& topic, int partition, qint64 offset);
    void replayRequested(const QString& topic, int partition, qint64 offset);

  private:
    void updateSummary();
    void showMenu(const QPoint& pos);

    DeliveriesModel* model_;
    QLineEdit* filter_;
    QSortFilterProxyModel* proxy_;
    QTableView* table_;
    LiveLabel* summary_;
};

}  // namespace bs::ui
