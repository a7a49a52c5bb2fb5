#include "widgets/lag_chart.h"

#include <QChart>
#include <QChartView>
#include <QLabel>
#include <QLegend>
#include <QLineSeries>
#include <QVBoxLayout>
#include <QValueAxis>
#include <algorithm>
#include <cmath>

#include "models/group_lag_history.h"
#include "theme.h"
#include "widgets/metrics_panel.h"

namespace bs::ui {

LagChart::LagChart(GroupLagHistory* history, QWidget* parent) : QWidget(parent), history_(history) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    title_ = new QLabel(tr("Lag over time"), this);
    QFont bold = title_->font();
    bold.setBold(true);
    title_->setFont(bold);
    layout->addWidget(title_);
    chart_ = new QChart;
    chart_->setMargins(QMargins(2, 2, 2, 2));
    chart_->legend()->setAlignment(Qt::AlignRight);
    QFont small = font();
    small.setPointSizeF(small.pointSizeF() * 0.75);
    chart_->legend()->setFont(small);
    x_ = new QValueAxis;
    y_ = new QValueAxis;
    x_->setLabelFormat(QStringLiteral("%ds"));
    x_->setRange(-60, 0);
    x_->setTickCount(4);
    y_->setLabelFormat(QStringLiteral("%.0f"));
    y_->setTickCount(3);
    y_->setRange(0, 1);
    x_->setLabelsFont(small);
    y_->setLabelsFont(small);
    chart_->addAxis(x_, Qt::AlignBottom);
    chart_->addAxis(y_, Qt::AlignLeft);
    total_ = new QLineSeries;
    total_->setName(tr("total"));
    chart_->addSeries(total_);
    total_->attachAxis(x_);
    total_->attachAxis(y_);
    auto* view = new QChartView(chart_, this);
    view->setRenderHint(QPainter::Antialiasing);
    view->setMinimumSize(160, 60);  // the bottom tabs must not squeeze the Sender above
    layout->addWidget(view, 1);
    applyPalette();
    connect(history_, &GroupLagHistory::changed, this, &LagChart::refresh);
}

QLineSeries* LagChart::seriesFor(const QString& name) {
    if (auto it = series_.find(name); it != series_.end()) return it->second;
    auto* s = new QLineSeries;
    s->setName(name);
    chart_->addSeries(s);
    s->attachAxis(x_);
    s->attachAxis(y_);
    series_[name] = s;
    return s;
}

void LagChart::applyPalette() {
    const ViewColors c = ViewColors::from(palette());
    const bool dark = c.base.lightness() < 128;
    const auto theme = dark ? QChart::ChartThemeDark : QChart::ChartThemeLight;
    if (chart_->theme() != theme) chart_->setTheme(theme);
    chart_->setBackgroundBrush(c.base);
    chart_->setBackgroundPen(QPen(c.grid, 1));
    chart_->setPlotAreaBackgroundVisible(false);
    chart_->legend()->setLabelColor(c.text);
    const QColor colors[] = {c.open, c.inFlight, c.closed, c.linger, c.ok, c.retrying, c.warn};
    total_->setPen(QPen(c.text, 3));  // apart from the coloured per-partition lines
    int i = 0;
    for (auto& [name, s] : series_)
        s->setPen(QPen(colors[i++ % 7], 1.5));
    for (auto* axis : {x_, y_}) {
        axis->setLabelsColor(c.dim);
        axis->setGridLineColor(c.grid);
        axis->setLinePenColor(c.grid);
    }
}

void LagChart::changeEvent(QEvent* event) {
    if (event->type() == QEvent::PaletteChange) applyPalette();
    QWidget::changeEvent(event);
}

void LagChart::refresh() {
    const auto& samples = history_->samples();
    title_->setText(history_->group().isEmpty() ? tr("Lag over time")
                                                : tr("Lag over time · %1").arg(history_->group()));
    // Series of partitions or topics no longer held go; the total stays.
    const QStringList names = history_->seriesNames();
    for (auto it = series_.begin(); it != series_.end();) {
        if (!names.contains(it->first)) {
            chart_->removeSeries(it->second);
            delete it->second;
            it = series_.erase(it);
        } else {
            ++it;
        }
    }
    const size_t before = series_.size();
    for (const auto& name : names)
        seriesFor(name);
    if (series_.size() != before) applyPalette();
    if (samples.empty()) {
        total_->clear();
        for (auto& [name, s] : series_)
            s->clear();
        x_->setRange(-60, 0);
        y_->setRange(0, 1);
        return;
    }
    const qint64 now = samples.back().timeMs;
    qint64 hi = 0;
    QList<QPointF> totals;
    std::map<QString, QList<QPointF>> points;
    for (const auto& s : samples) {
        const double x = (s.timeMs - now) / 1000.0;
        totals.push_back(QPointF(x, double(s.total)));
        hi = std::max(hi, s.total);
        for (const auto& [name, lag] : s.series)
            points[name].push_back(QPointF(x, double(lag)));
    }
    total_->replace(totals);
    for (auto& [name, s] : series_)
        s->replace(points[name]);
    const double span = std::max(60.0, std::ceil((now - samples.front().timeMs) / 60000.0) * 60);
    x_->setRange(-span, 0);
    y_->setRange(0, MetricsPanel::niceCeil(double(hi)));
}

}  // namespace bs::ui
