#pragma once

#include <QColor>
#include <QFontMetrics>
#include <QVector>
#include <QWidget>

#include "models/accumulator_model.h"

namespace bs::ui {

// Custom-painted RecordAccumulator: one lane per partition; each batch a box whose fill grows
// toward batch.size, with its record count and an age bar toward linger.ms. States differ by
// colour and by label/pattern: open (outline), full/closed (solid), retrying (dashed, hatched),
// just drained (fading). Compacts lanes above 24 partitions; sits in a QScrollArea.
class AccumulatorView : public QWidget {
    Q_OBJECT
  public:
    explicit AccumulatorView(AccumulatorModel* model, QWidget* parent = nullptr);
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override { return {200, 60}; }
    // Batch under a widget position, for clicks and tests.
    struct Hit {
        QString topic;
        int partition = -1;
        uint64_t batchId = 0;
    };
    std::optional<Hit> batchAt(const QPoint& pos) const;
    QRect batchRect(int laneIndex, int slot) const;
    uint64_t selectedBatch() const { return selected_; }
    // Highlights a batch chosen elsewhere (the Send path).
    void selectBatch(uint64_t batchId) {
        selected_ = batchId;
        update();
    }

  Q_SIGNALS:
    void batchClicked(const QString& topic, int partition, quint64 batchId);

  protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;

  private:
    int laneHeight() const;
    int boxWidth() const;
    void relayout();

    AccumulatorModel* model_;
    uint64_t selected_ = 0;
    int slots_ = 3;  // box slots the width allows for (relayout())
    static constexpr int kSlotStep = 8;
    int lastLaneHeight_ = 0;
    static constexpr int kHeaderWidth = 122;
    static constexpr int kGap = 6;
};

}  // namespace bs::ui
