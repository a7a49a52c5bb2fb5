#pragma once

#include <QWidget>
#include <optional>

#include "producer/partitioner.h"

class QComboBox;
class QLabel;

namespace bs::ui {

// Partitioner chooser (every built-in strategy with its Kafka era, or a plugin .so) and the
// explain panel: for the current key its bytes, murmur2, toPositive, modulo N and the partition;
// for a null key the sticky / round-robin state. The computation is the core's (explain()).
class ExplainPanel : public QWidget {
    Q_OBJECT
  public:
    explicit ExplainPanel(QWidget* parent = nullptr);

    // partitioner.class as configured ("" = built-in).
    void setPartitionerClass(const QString& value);
    void showExplanation(const producer::PartitionExplanation& e, const QString& error);
    // The composer's explicit partition (nullopt: the partitioner decides). KafkaProducer's
    // partition() returns the record's partition first, so an explicit one wins.
    void setExplicitPartition(std::optional<int> partition);
    QString text() const;
    int shownPartition() const { return shownPartition_; }
    QComboBox* chooser() const { return chooser_; }

  Q_SIGNALS:
    void partitionerChosen(const QString& partitionerClass);

  private:
    QComboBox* chooser_;
    QLabel* era_;
    QLabel* body_;
    QLabel* result_;
    void render();

    int shownPartition_ = -1;
    QString pluginPath_;
    std::optional<int> explicit_;
    std::optional<producer::PartitionExplanation> last_;  // the last explanation shown
    QString lastError_;
};

}  // namespace bs::ui
