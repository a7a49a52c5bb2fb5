#pragma once

#include <QObject>
#include <QString>
#include <QVector>
#include <deque>
#include <map>
#include <vector>

#include "producer/producer_metrics.h"

namespace bs::ui {

// The last minutes of the producer's metrics (Java names), one sample a second, for the charts.
// GUI thread only.
class MetricsHistory : public QObject {
    Q_OBJECT
  public:
    struct Series {
        QString metric;  // Java metric name
        QString title;
        QString unit;
        // For a per-second series: Java's cumulative counter. The value shown is its increase
        // over the last sample interval per second, the rate now; Java's windowed `metric`
        // (2 x 30 s) lags minutes behind a rate that changed and reads low after a short burst.
        QString total;
    };
    struct Sample {
        qint64 timeMs = 0;
        QVector<double> values;  // one per series(), NaN when the producer has no sample
    };

    explicit MetricsHistory(QObject* parent = nullptr, int keepSeconds = 300);

    static const QVector<Series>& series();
    void add(const std::vector<producer::Metric>& metrics, qint64 timeMs);
    void clear();
    const std::deque<Sample>& samples() const { return samples_; }
    // The newest value of series `i` (NaN if none).
    double latest(int i) const;

  Q_SIGNALS:
    void changed();

  private:
    std::deque<Sample> samples_;
    std::map<QString, double> lastTotals_;  // per `total` counter, at the previous sample
    int keepSeconds_;
};

}  // namespace bs::ui
