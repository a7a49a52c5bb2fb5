#pragma once

#include <QTimer>
#include <QWidget>

#include "models/distribution_model.h"

namespace bs::ui {

// Histogram of delivered records per partition for one topic (how evenly the partitioner
// spreads the load), with the ideal even share as a dashed line.
class DistributionView : public QWidget {
    Q_OBJECT
  public:
    explicit DistributionView(DistributionModel* model, QWidget* parent = nullptr);
    void setTopic(const QString& topic);
    QString topic() const { return topic_; }
    QSize sizeHint() const override { return {360, 180}; }
    QSize minimumSizeHint() const override { return {160, 90}; }
    // "demo · N records delivered" on top; the bars below, leaving a text row above the
    // tallest bar for its count.
    QRect subtitleRect() const;
    QRect plotRect() const;

    // Deliveries arrive in bursts, hundreds a second at full speed: the histogram repaints at
    // most this often (as the snapshot-driven views), not once per burst.
    static constexpr int kRepaintMs = 50;

  protected:
    void paintEvent(QPaintEvent* event) override;

  private:
    DistributionModel* model_;
    QString topic_;
    QTimer repaint_;  // single shot: a repaint is due
};

}  // namespace bs::ui
