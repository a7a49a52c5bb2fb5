#include "widgets/distribution_view.h"

#include <QPainter>
#include <algorithm>

#include "theme.h"

namespace bs::ui {

DistributionView::DistributionView(DistributionModel* model, QWidget* parent)
    : QWidget(parent), model_(model) {
    setAttribute(Qt::WA_OpaquePaintEvent);
    repaint_.setSingleShot(true);
    repaint_.setInterval(kRepaintMs);
    connect(&repaint_, &QTimer::timeout, this, qOverload<>(&QWidget::update));
    connect(model_, &DistributionModel::changed, this, [this] {
        if (!repaint_.isActive()) repaint_.start();
    });
}

void DistributionView::setTopic(const QString& topic) {
    topic_ = topic;
    update();
}

QRect DistributionView::subtitleRect() const {
    return QRect(8, 2, width() - 16, fontMetrics().height());
}

QRect DistributionView::plotRect() const {
    const int fh = fontMetrics().height();
    return QRect(34, 2 * fh + 8, width() - 42, height() - 3 * fh - 16);
}

void DistributionView::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const ViewColors c = ViewColors::from(palette());
    p.fillRect(rect(), c.base);
    const QVector<qint64> counts = model_->counts(topic_);
    const qint64 total = model_->total(topic_);
    const int fh = fontMetrics().height();
    QFont small = font();
    small.setPointSizeF(font().pointSizeF() * 0.8);
    p.setPen(c.dim);
    p.setFont(small);
    p.drawText(subtitleRect(), Qt::AlignLeft | Qt::AlignVCenter,
               tr("%1 · %2 records delivered").arg(topic_).arg(total));
    if (counts.isEmpty()) {
        p.drawText(rect(), Qt::AlignCenter, tr("No deliveries yet"));
        return;
    }
    // A text row between the subtitle and the plot: the tallest bar's count sits there (it
    // overlapped the subtitle).
    const QRect plot = plotRect();
    const qint64 most = std::max<qint64>(1, *std::max_element(counts.begin(), counts.end()));
    const int n = static_cast<int>(counts.size());
    const double slot = double(plot.width()) / n;
    const double barW = std::max(2.0, slot * 0.72);
    p.setPen(c.grid);
    p.drawLine(plot.bottomLeft(), plot.bottomRight());
    p.setPen(c.dim);
    p.drawText(QRect(0, plot.top() - fh / 2, 30, fh), Qt::AlignRight | Qt::AlignVCenter,
               QString::number(most));
    p.drawText(QRect(0, plot.bottom() - fh / 2, 30, fh), Qt::AlignRight | Qt::AlignVCenter,
               QStringLiteral("0"));
    const int labelEvery = std::max(1, static_cast<int>(std::ceil(fh * 2.2 / slot)));
    for (int i = 0; i < n; ++i) {
        const double h = plot.height() * double(counts[i]) / double(most);
        const QRectF bar(plot.left() + i * slot + (slot - barW) / 2, plot.bottom() - h, barW, h);
        QColor col = c.open;
        col.setAlpha(190);
        p.setPen(Qt::NoPen);
        p.setBrush(col);
        p.drawRoundedRect(bar, 2, 2);
        if (slot > fh * 1.6 && counts[i] > 0) {
            p.setPen(c.text);
            p.drawText(QRectF(bar.left() - 10, bar.top() - fh, bar.width() + 20, fh),
                       Qt::AlignCenter, QString::number(counts[i]));
        }
        if (i % labelEvery == 0) {
            p.setPen(c.dim);
            p.drawText(QRectF(plot.left() + i * slot, plot.bottom() + 2, slot * labelEvery, fh),
                       Qt::AlignLeft | Qt::AlignTop, QStringLiteral("P%1").arg(i));
        }
    }
    // The even share: what a perfectly uniform partitioner would give.
    const double even = double(total) / n;
    const double y = plot.bottom() - plot.height() * even / double(most);
    p.setPen(QPen(c.closed, 1.2, Qt::DashLine));
    p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y));
}

}  // namespace bs::ui
