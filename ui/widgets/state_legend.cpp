#include "widgets/state_legend.h"

#include <QPainter>
#include <algorithm>

#include "theme.h"

namespace bs::ui {

StateLegend::StateLegend(Kind kind, QWidget* parent) : QWidget(parent), kind_(kind) {
    // Wraps onto more lines when narrow, rather than clipping the last entries.
    QSizePolicy policy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    policy.setHeightForWidth(true);
    setSizePolicy(policy);
}

QVector<StateLegend::Item> StateLegend::items() const {
    const ViewColors c = ViewColors::from(palette());
    if (kind_ == Kind::Accumulator)
        return {{c.open, tr("open (filling)"), Qt::SolidLine},
                {c.closed, tr("full / closed"), Qt::SolidLine},
                {c.retrying, tr("retrying"), Qt::DashLine},
                {c.drained, tr("drained → request"), Qt::DotLine},
                {c.linger, tr("age → linger.ms"), Qt::NoPen},
                {c.warn, tr("linger expired (sendable)"), Qt::NoPen}};
    return {{c.inFlight, tr("in flight (elapsed → request.timeout.ms)"), Qt::SolidLine},
            {c.ok, tr("completed"), Qt::SolidLine},
            {c.error, tr("error"), Qt::SolidLine}};
}

QStringList StateLegend::texts() const {
    QStringList out;
    for (const auto& item : items())
        out << item.text;
    return out;
}

QFont StateLegend::legendFont() const {
    QFont f = font();
    f.setPointSizeF(f.pointSizeF() * 0.85);
    return f;
}

int StateLegend::lineHeight() const {
    return fontMetrics().height() + 8;
}

// Where each entry (chip and text) starts when the legend is `width` wide: entries flow left to
// right and wrap to a new line when the next one would not fit.
QVector<QPoint> StateLegend::flow(const QVector<Item>& items, int width) const {
    const QFontMetrics fm(legendFont());
    QVector<QPoint> at;
    int x = kMargin, line = 0;
    for (const auto& it : items) {
        const int w = entryWidth(it, fm);
        if (x > kMargin && x + w > width) {
            x = kMargin;
            ++line;
        }
        at.push_back({x, line});
        x += w + kSpacing;
    }
    return at;
}

int StateLegend::chipWidth(const Item& it) {
    return it.pen == Qt::NoPen ? 18 : 14;
}

int StateLegend::entryWidth(const Item& it, const QFontMetrics& fm) {
    return chipWidth(it) + 5 + fm.horizontalAdvance(it.text) + 2;
}

QSize StateLegend::sizeHint() const {
    const QVector<Item> all = items();
    const QFontMetrics fm(legendFont());
    int w = kMargin;
    for (const auto& it : all)
        w += entryWidth(it, fm) + kSpacing;
    return {w, lineHeight()};
}

QSize StateLegend::minimumSizeHint() const {
    const QFontMetrics fm(legendFont());
    int w = 0;
    for (const auto& it : items())
        w = std::max(w, entryWidth(it, fm));
    return {w + 2 * kMargin, lineHeight()};
}

bool StateLegend::hasHeightForWidth() const {
    return true;
}

int StateLegend::heightForWidth(int width) const {
    const QVector<QPoint> at = flow(items(), width);
    return (at.isEmpty() ? 1 : at.back().y() + 1) * lineHeight();
}

void StateLegend::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QFont f = legendFont();
    p.setFont(f);
    const QFontMetrics fm(f);
    const QVector<Item> all = items();
    const QVector<QPoint> at = flow(all, width());
    const int h = fontMetrics().height() - 4;
    const int lh = lineHeight();
    for (qsizetype i = 0; i < all.size(); ++i) {
        const Item& it = all[i];
        const int top = at[i].y() * lh;
        QColor fill = it.color;
        fill.setAlpha(120);
        p.setBrush(fill);
        p.setPen(QPen(it.color, 1.4, it.pen == Qt::NoPen ? Qt::SolidLine : it.pen));
        const QRectF chip(at[i].x(), top + (lh - h) / 2.0, chipWidth(it), h);
        if (it.pen == Qt::NoPen)
            p.drawRect(chip.adjusted(0, h * 0.6, 0, 0));
        else
            p.drawRoundedRect(chip, 2.5, 2.5);
        const int x = at[i].x() + chipWidth(it) + 5;
        p.setPen(palette().color(QPalette::WindowText));
        p.drawText(QRect(x, top, fm.horizontalAdvance(it.text) + 2, lh), Qt::AlignVCenter, it.text);
    }
}

}  // namespace bs::ui
