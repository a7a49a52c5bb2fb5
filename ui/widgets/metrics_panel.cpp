#include "widgets/metrics_panel.h"

#include <QChart>
#include <QChartView>
#include <QGridLayout>
#include <QLabel>
#include <QLineSeries>
#include <QVBoxLayout>
#include <QValueAxis>
#include <cmath>

#include "theme.h"

namespace bs::ui {

namespace {
QString humanValue(double v, const QString& unit) {
    if (std::isnan(v)) return QStringLiteral("–");
    if (unit == QLatin1String("B") || unit == QLatin1String("B/s")) {
        const QString suffix = unit == QLatin1String("B/s") ? QStringLiteral("/s") : QString();
        if (v >= 1024 * 1024)
            return QStringLiteral("%1 MB%2").arg(v / 1048576, 0, 'f', 1).arg(suffix);
        if (v >= 1024) return QStringLiteral("%1 KB%2").arg(v / 1024, 0, 'f', 1).arg(suffix);
        return QStringLiteral("%1 B%2").arg(v, 0, 'f', 0).arg(suffix);
    }
    // Loopback requests take tens of microseconds: "0.00 ms" said nothing.
    if (unit == QLatin1String("ms") && v < 1)
        return QStringLiteral("%1 µs").arg(v * 1000, 0, 'f', 0);
    return QStringLiteral("%1 %2").arg(v, 0, 'f', v < 10 ? 2 : 0).arg(unit);
}

// The x axis spans a whole number of minutes (at least one) with ticks on round seconds.
struct TimeSpan {
    int seconds;
    int ticks;
};
TimeSpan timeSpanFor(double seconds) {
    for (TimeSpan t : {TimeSpan{60, 4}, TimeSpan{120, 5}, TimeSpan{180, 4}, TimeSpan{240, 5}})
        if (seconds <= t.seconds) return t;
    return {60 * static_cast<int>(std::ceil(seconds / 60)),
            1 + static_cast<int>(std::ceil(seconds / 60))};
}
}  // namespace

double MetricsPanel::niceCeil(double v) {
    if (!(v > 0)) return 1;
    const double p = std::pow(10.0, std::floor(std::log10(v)));
    for (double m : {1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0})
        if (m * p >= v * (1 - 1e-9)) return m * p;
    return 10 * p;
}

int MetricsPanel::axisDecimals(double top) {
    for (int d = 0; d < 3; ++d) {
        const double scaled = top / 2 * std::pow(10.0, d);
        if (std::abs(scaled - std::round(scaled)) < 1e-6) return d;
    }
    return 3;
}

MetricsPanel::MetricsPanel(MetricsHistory* history, QWidget* parent)
    : QWidget(parent), history_(history) {
    auto* grid = new QGridLayout(this);
    grid->setContentsMargins(4, 4, 4, 4);
    grid->setSpacing(4);
    axisFont_ = font();
    axisFont_.setPointSizeF(axisFont_.pointSizeF() * 0.75);
    const auto& series = MetricsHistory::series();
    for (int i = 0; i < series.size(); ++i) {
        Chart ch;
        ch.chart = new QChart;
        ch.chart->legend()->hide();
        ch.chart->setMargins(QMargins(2, 2, 2, 2));
        ch.chart->setBackgroundRoundness(4);
        ch.series = new QLineSeries;
        ch.chart->addSeries(ch.series);
        ch.x = new QValueAxis;
        ch.y = new QValueAxis;
        ch.x->setRange(-120, 0);
        ch.x->setLabelFormat(QStringLiteral("%ds"));
        ch.x->setTickCount(4);
        ch.y->setLabelFormat(QStringLiteral("%.0f"));
        ch.y->setTickCount(3);
        ch.chart->addAxis(ch.x, Qt::AlignBottom);
        ch.chart->addAxis(ch.y, Qt::AlignLeft);
        ch.series->attachAxis(ch.x);
        ch.series->attachAxis(ch.y);
        auto* view = new QChartView(ch.chart, this);
        view->setRenderHint(QPainter::Antialiasing);
        view->setMinimumSize(130, 80);  // eight fit the metrics dock of a 1366x768 window
        auto* title = new QLabel(series[i].title, this);
        QFont bold = title->font();
        bold.setBold(true);
        bold.setPointSizeF(bold.pointSizeF() * 0.9);
        title->setFont(bold);
        title->setToolTip(
            series[i].total.isEmpty()
                ? series[i].metric
                : tr("%1 per second over the last sample interval (Java's %2 averages the "
                     "last 30 to 60 s)")
                      .arg(series[i].total, series[i].metric));
        ch.value = new QLabel(QStringLiteral("–"), this);
        ch.value->setAlignment(Qt::AlignRight);
        auto* cell = new QVBoxLayout;
        cell->setSpacing(0);
        auto* head = new QHBoxLayout;
        head->addWidget(title);
        head->addWidget(ch.value, 1);
        cell->addLayout(head);
        cell->addWidget(view, 1);
        grid->addLayout(cell, i / 4, i % 4);
        charts_.push_back(ch);
    }
    applyPalette();
    connect(history_, &MetricsHistory::changed, this, &MetricsPanel::refresh);
}

void MetricsPanel::applyPalette() {
    const ViewColors c = ViewColors::from(palette());
    const bool dark = c.base.lightness() < 128;
    const QColor lineColors[] = {c.open, c.inFlight, c.closed,   c.linger,
                                 c.warn, c.ok,       c.retrying, c.error};
    for (int i = 0; i < charts_.size(); ++i) {
        auto& ch = charts_[i];
        // The Qt Charts theme first (it resets fonts, pens and brushes), then our colours.
        const auto theme = dark ? QChart::ChartThemeDark : QChart::ChartThemeLight;
        if (ch.chart->theme() != theme) ch.chart->setTheme(theme);
        ch.chart->setBackgroundBrush(c.base);
        ch.chart->setBackgroundPen(QPen(c.grid, 1));
        ch.chart->setPlotAreaBackgroundVisible(false);
        QPen pen(lineColors[i % 8], 2);
        ch.series->setPen(pen);
        for (auto* axis : {ch.x, ch.y}) {
            axis->setLabelsFont(axisFont_);
            axis->setLabelsColor(c.dim);
            axis->setGridLineColor(c.grid);
            axis->setLinePenColor(c.grid);
        }
    }
}

void MetricsPanel::changeEvent(QEvent* event) {
    if (event->type() == QEvent::PaletteChange) applyPalette();
    QWidget::changeEvent(event);
}

void MetricsPanel::refresh() {
    const auto& samples = history_->samples();
    const auto& series = MetricsHistory::series();
    if (samples.empty()) {
        // Cleared: no stale headlines or lines.
        for (auto& ch : charts_) {
            ch.series->clear();
            ch.value->setText(QStringLiteral("–"));
        }
        return;
    }
    const qint64 now = samples.back().timeMs;
    const TimeSpan span = timeSpanFor((now - samples.front().timeMs) / 1000.0);
    for (int i = 0; i < charts_.size(); ++i) {
        double hi = 0;
        for (const auto& s : samples)
            if (!std::isnan(s.values.value(i))) hi = std::max(hi, s.values.value(i));
        // Byte series are plotted in KB or MB, sub-millisecond latencies in µs, so axis labels
        // stay short.
        double div = 1;
        QString suffix;
        const QString& unit = series[i].unit;
        if (unit.startsWith(QLatin1Char('B')) && hi >= 1024 * 1024) {
            div = 1024.0 * 1024.0;
            suffix = QStringLiteral("M");
        } else if (unit.startsWith(QLatin1Char('B')) && hi >= 1024) {
            div = 1024.0;
            suffix = QStringLiteral("K");
        } else if (unit == QLatin1String("ms") && hi > 0 && hi < 1) {
            div = 0.001;
            suffix = QStringLiteral("µs");
        }
        QList<QPointF> pts;
        for (const auto& s : samples) {
            const double v = s.values.value(i);
            if (!std::isnan(v)) pts.push_back(QPointF((s.timeMs - now) / 1000.0, v / div));
        }
        auto& ch = charts_[i];
        ch.series->replace(pts);
        // A round top and a middle tick it halves exactly: no "1 / 1 / 0", no 37M for 32 MB.
        const double top = niceCeil(hi / div);
        ch.y->setLabelFormat(QStringLiteral("%.%1f%2").arg(axisDecimals(top)).arg(suffix));
        ch.y->setRange(0, top);
        ch.x->setRange(-span.seconds, 0);
        ch.x->setTickCount(span.ticks);
        ch.value->setText(humanValue(history_->latest(i), unit));
    }
}

}  // namespace bs::ui
