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
    return QStringLiteral("%1 %2").arg(v, 0, 'f', v < 10 ? 2 : 0).arg(unit);
}
}  // namespace

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
        view->setMinimumSize(150, 96);
        auto* title = new QLabel(series[i].title, this);
        QFont bold = title->font();
        bold.setBold(true);
        bold.setPointSizeF(bold.pointSizeF() * 0.9);
        title->setFont(bold);
        title->setToolTip(series[i].metric);
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
    if (samples.empty()) return;
    const qint64 now = samples.back().timeMs;
    const auto& series = MetricsHistory::series();
    for (int i = 0; i < charts_.size(); ++i) {
        double hi = 1;
        for (const auto& s : samples)
            if (!std::isnan(s.values.value(i))) hi = std::max(hi, s.values.value(i));
        // Byte series are plotted in KB or MB so axis labels stay short.
        double div = 1;
        QString fmt = QStringLiteral("%.0f");
        if (series[i].unit.startsWith(QLatin1Char('B')) && hi >= 1024 * 1024) {
            div = 1024.0 * 1024.0;
            fmt = QStringLiteral("%.0fM");
        } else if (series[i].unit.startsWith(QLatin1Char('B')) && hi >= 1024) {
            div = 1024.0;
            fmt = QStringLiteral("%.0fK");
        }
        QList<QPointF> pts;
        for (const auto& s : samples) {
            const double v = s.values.value(i);
            if (!std::isnan(v)) pts.push_back(QPointF((s.timeMs - now) / 1000.0, v / div));
        }
        charts_[i].series->replace(pts);
        charts_[i].y->setLabelFormat(fmt);
        charts_[i].y->setRange(0, hi / div * 1.15);
        charts_[i].x->setRange(-std::max<double>(60, (now - samples.front().timeMs) / 1000.0), 0);
        charts_[i].value->setText(humanValue(history_->latest(i), series[i].unit));
    }
}

}  // namespace bs::ui
