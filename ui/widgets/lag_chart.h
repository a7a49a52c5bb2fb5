#pragma once

#include <QWidget>
#include <map>

class QChart;
class QLineSeries;
class QValueAxis;
class QLabel;

namespace bs::ui {

class GroupLagHistory;

// The selected group's lag over time (Qt Charts, styled as the metrics panel): a bold total and
// a line per partition or per topic (GroupLagHistory decides which).
class LagChart : public QWidget {
    Q_OBJECT
  public:
    explicit LagChart(GroupLagHistory* history, QWidget* parent = nullptr);
    QChart* chart() const { return chart_; }
    // The total's line (tests read its points).
    QLineSeries* totalSeries() const { return total_; }

  protected:
    void changeEvent(QEvent* event) override;

  private:
    void refresh();
    void applyPalette();
    QLineSeries* seriesFor(const QString& name);

    GroupLagHistory* history_;
    QChart* chart_ = nullptr;
    QLineSeries* total_ = nullptr;
    std::map<QString, QLineSeries*> series_;
    QValueAxis* x_ = nullptr;
    QValueAxis* y_ = nullptr;
    QLabel* title_ = nullptr;
};

}  // namespace bs::ui
