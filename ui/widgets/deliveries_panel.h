#pragma once

#include <QWidget>

#include "models/deliveries_model.h"

class QLineEdit;
class QTableView;
class QSortFilterProxyModel;
class QLabel;
class QPlainTextEdit;

namespace bs::ui {

// The Deliveries table with a filter (matches key, value, partition, error).
class DeliveriesPanel : public QWidget {
    Q_OBJECT
  public:
    explicit DeliveriesPanel(DeliveriesModel* model, QWidget* parent = nullptr);
    QLineEdit* filter() const { return filter_; }
    QSortFilterProxyModel* proxy() const { return proxy_; }
    QTableView* table() const { return table_; }

  private:
    void updateSummary();

    DeliveriesModel* model_;
    QLineEdit* filter_;
    QSortFilterProxyModel* proxy_;
    QTableView* table_;
    QLabel* summary_;
};

// The Log dock: core (spdlog) and GUI messages, bounded.
class LogPanel : public QWidget {
    Q_OBJECT
  public:
    explicit LogPanel(QWidget* parent = nullptr);
    void append(const QStringList& lines);
    int lineCount() const;

  private:
    QPlainTextEdit* text_;
};

}  // namespace bs::ui
