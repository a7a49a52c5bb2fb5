#pragma once

#include <QWidget>

#include "client/metadata.h"
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
    // What the producer believes (its Metadata, from the snapshot): shown beside what the
    // cluster has, so a stale leader, a pending refresh and the available partitions show.
    void showProducerMetadata(const client::MetadataSnapshot& metadata);
    void clearProducerMetadata();

  private:
    void rebuildTree();
    QString producerState(const QString& topic, int partition, int clusterLeader) const;
    QString producerTopicState(const QString& topic, int partitionCount) const;
    void refreshControls();
    int selectedNode() const;
    // The tree asks for the height of its rows (up to kMaxTreeRows), so brokers, topics and
    // partitions of a small cluster show without a scroll bar; bigger ones scroll.
    void fitTreeToRows();
    static constexpr int kMaxTreeRows = 16;

    FaultControls* faults_;
    QLabel* connection_;
    QLabel* producerSummary_;  // the producer's metadata: version, age, pending refresh
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
    // GUI thread. The producer's view of the topics it uses; empty before the first snapshot.
    struct ProducerTopic {
        bool inMetadata = false;                   // the producer has partitions for it
        std::vector<std::pair<int, int>> leaders;  // (leader, epoch) by partition
        std::vector<int> available;
    };
    std::map<QString, ProducerTopic> producer_;
    QString producerSignature_;
};

}  // namespace bs::ui
