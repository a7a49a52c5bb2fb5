#pragma once

#include <QWidget>

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
    int shownPartition_ = -1;
    QString pluginPath_;
};

}  // namespace bs::ui
