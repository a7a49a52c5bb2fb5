#pragma once

#include <QWidget>

#include "delivery.h"

class QTreeWidget;
class QComboBox;
class QSpinBox;
class QPushButton;
class QLabel;
class QGroupBox;

namespace bs::ui {

class FaultControls;

// The Cluster dock: connection, broker nodes (id, address, up/down), topics with partitions and
// leaders; for the embedded cluster, per-node latency, down/up and error injection.
class ClusterPanel : public QWidget {
    Q_OBJECT
  public:
    // Node controls act through `faults` (they are shown for the embedded cluster only).
    explicit ClusterPanel(FaultControls* faults, QWidget* parent = nullptr);
    void showInfo(const ClusterInfo& info);

  private:
    void refreshControls();
    int selectedNode() const;
    // The tree asks for the height of its rows (up to kMaxTreeRows), so brokers, topics and
    // partitions of a small cluster show without a scroll bar; bigger ones scroll.
    void fitTreeToRows();
    static constexpr int kMaxTreeRows = 16;

    FaultControls* faults_;
    QLabel* connection_;
    QTreeWidget* tree_;
    QGroupBox* controls_;
    QComboBox* node_;
    QSpinBox* latency_;
    QPushButton* downUp_;
    QComboBox* api_;
    QComboBox* error_;
    QSpinBox* count_;
    QLabel* feedback_;
    ClusterInfo info_;
    QString signature_;
};

}  // namespace bs::ui
