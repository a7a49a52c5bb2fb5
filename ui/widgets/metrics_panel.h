#pragma once

#include <QVector>
#include <QWidget>

#include "models/metrics_history.h"

class QChart;
class QLineSeries;
class QValueAxis;
class QLabel;

namespace bs::ui {

// Qt Charts of the producer's metrics over the last minutes: records/s, bytes/s, average batch
// size, records per request, request latency, buffer available, retries/s, errors/s.
class MetricsPanel : public QWidget {
    Q_OBJECT
  public:
    explicit MetricsPanel(MetricsHistory* history, QWidget* parent = nullptr);
    // Charts follow the widget's palette (light or dark): Qt Charts keeps its own theme, so a
    // palette change (the theme switched) is applied here.
    void applyPalette();
    // The chart of series `i` (MetricsHistory::series() order).
    QChart* chart(int i) const { return charts_.value(i).chart; }
    QValueAxis* xAxis(int i) const { return charts_.value(i).x; }
    QValueAxis* yAxis(int i) const { return charts_.value(i).y; }
    // The headline value beside the chart's title.
    QLabel* valueLabel(int i) const { return charts_.value(i).value; }

    // A round axis top >= v: 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 times a power of ten.
    static double niceCeil(double v);
    // Decimals that print 0, top/2 and top exactly (at most 3).
    static int axisDecimals(double top);

  protected:
    void changeEvent(QEvent* event) override;

  private:
    void refresh();

    struct Chart {
        QChart* chart = nullptr;
        QLineSeries* series = nullptr;
        QValueAxis* x = nullptr;
        QValueAxis* y = nullptr;
        QLabel* value = nullptr;
    };
    MetricsHistory* history_;
    QVector<Chart> charts_;
    QFont axisFont_;
};

}  // namespace bs::ui
