#include "widgets/accumulator_view.h"

#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QPixmapCache>
#include <algorithm>

#include "theme.h"

namespace bs::ui {

namespace {

QString humanBytes(qint64 b) {
    if (b < 1024) return QStringLiteral("%1 B").arg(b);
    if (b < 1024 * 1024) return QStringLiteral("%1 KB").arg(b / 1024.0, 0, 'f', 1);
    return QStringLiteral("%1 MB").arg(b / (1024.0 * 1024.0), 0, 'f', 1);
}

QString stateLabel(const AccumulatorModel::Batch& b) {
    if (b.drained) return QObject::tr("DRAINED");
    // Not "OPEN": it cannot leave until its partition has a leader again.
    if (b.noLeader) return QObject::tr("NO LEADER");
    switch (b.state) {
        case producer::BatchState::Open:
            return QObject::tr("OPEN");
        case producer::BatchState::Closed:
            return QObject::tr("FULL");
        case producer::BatchState::InFlight:
            return QObject::tr("IN FLIGHT");
        case producer::BatchState::Retrying:
            return QObject::tr("RETRY %1").arg(b.attempts);
        case producer::BatchState::Done:
            return QObject::tr("DONE");
    }
    return {};
}

// A drained batch fades out over kGhostMs.
qreal ghostAlpha(const AccumulatorModel::Batch& b, qint64 nowMs) {
    if (!b.drained) return 1.0;
    return std::clamp(1.0 - double(nowMs - b.drainedAtMs) / AccumulatorModel::kGhostMs, 0.15, 1.0);
}

// Everything of a box but its fading.
void drawBatchBody(QPainter& p, const QRectF& r, const AccumulatorModel::Batch& b, qint64 lingerMs,
                   bool compact, bool selected, const QPalette& pal) {
    const ViewColors c = ViewColors::from(pal);
    QColor col = b.drained ? c.drained : c.forState(b.state);
    p.save();
    const qreal radius = compact ? 2.5 : 4;
    // Background and fill toward capacity.
    QColor bg = col;
    bg.setAlpha(28);
    p.setPen(Qt::NoPen);
    p.setBrush(bg);
    p.drawRoundedRect(r, radius, radius);
    const double fill =
        b.capacity > 0 ? std::clamp(double(b.sizeBytes) / double(b.capacity), 0.0, 1.0) : 0;
    QColor fillCol = col;
    fillCol.setAlpha(b.state == producer::BatchState::Open && !b.drained ? 110 : 170);
    QPainterPath clip;
    clip.addRoundedRect(r, radius, radius);
    p.setClipPath(clip);
    p.setBrush(fillCol);
    p.drawRect(QRectF(r.left(), r.top(), r.width() * fill, r.height()));
    if (b.state == producer::BatchState::Retrying || b.drained) {
        QBrush hatch(col.darker(b.drained ? 100 : 120),
                     b.drained ? Qt::Dense6Pattern : Qt::BDiagPattern);
        p.setBrush(hatch);
        p.drawRect(r);
    }
    // Age toward linger.ms: the bar fills as the batch waits; full = linger expired (sendable).
    if (!b.drained && lingerMs > 0) {
        const double age = std::clamp(double(b.ageMs) / double(lingerMs), 0.0, 1.0);
        const qreal h = compact ? 2.5 : 4;
        p.setBrush(age >= 1.0 ? c.warn : c.linger);
        p.drawRect(QRectF(r.left(), r.bottom() - h, r.width() * age, h));
    }
    p.setClipping(false);
    // Border: solid for closed/in flight, dashed for retrying, dotted for drained.
    QPen pen(selected ? pal.color(QPalette::Highlight) : col, selected ? 2.4 : 1.4);
    if (b.state == producer::BatchState::Retrying) pen.setStyle(Qt::DashLine);
    if (b.drained) pen.setStyle(Qt::DotLine);
    p.setPen(pen);
    p.setBrush(Qt::NoBrush);
    p.drawRoundedRect(r.adjusted(0.7, 0.7, -0.7, -0.7), radius, radius);
    // Text.
    p.setPen(c.text);
    QFont f = p.font();
    if (compact) {
        f.setPointSizeF(f.pointSizeF() * 0.8);
        p.setFont(f);
        p.drawText(r.adjusted(4, 0, -3, 0), Qt::AlignVCenter | Qt::AlignLeft,
                   QStringLiteral("%1").arg(b.records));
    } else {
        QFont bold = f;
        bold.setBold(true);
        bold.setPointSizeF(f.pointSizeF() * 0.85);
        p.setFont(bold);
        const QRectF top = r.adjusted(5, 2, -4, -r.height() / 2);
        QFont small = f;
        small.setPointSizeF(f.pointSizeF() * 0.75);
        // The state wins the room ("RETRY 1" was cut): the count shortens, then goes.
        const qreal stateW = QFontMetricsF(small).horizontalAdvance(stateLabel(b));
        QString count = QObject::tr("%1 rec").arg(b.records);
        if (QFontMetricsF(bold).horizontalAdvance(count) + stateW + 4 > top.width())
            count = QString::number(b.records);
        if (QFontMetricsF(bold).horizontalAdvance(count) + stateW + 4 > top.width()) count.clear();
        p.drawText(top, Qt::AlignLeft | Qt::AlignVCenter, count);
        p.setFont(small);
        p.setPen(col.lightness() > 150 && pal.color(QPalette::Base).lightness() > 128
                     ? col.darker(160)
                     : col);
        p.drawText(top, Qt::AlignRight | Qt::AlignVCenter, stateLabel(b));
        p.setPen(c.dim);
        p.drawText(r.adjusted(5, r.height() / 2 - 2, -4, -4), Qt::AlignLeft | Qt::AlignVCenter,
                   QStringLiteral("%1 / %2").arg(humanBytes(b.sizeBytes), humanBytes(b.capacity)));
    }
    p.restore();
}

// The box as a pixmap, rendered once per look: under load most boxes are full batches that
// look alike from frame to frame (same count, sizes, full age bar), and a blit costs a small
// part of two antialiased rounded rectangles and three lines of text.
QPixmap batchPixmap(QPainter& p, const QRect& r, const AccumulatorModel::Batch& b, qint64 lingerMs,
                    bool compact, bool selected, const QPalette& pal) {
    const int fillPx =
        b.capacity > 0
            ? qRound(r.width() * std::clamp(double(b.sizeBytes) / double(b.capacity), 0.0, 1.0))
            : 0;
    const int agePx =
        !b.drained && lingerMs > 0
            ? qRound(r.width() * std::clamp(double(b.ageMs) / double(lingerMs), 0.0, 1.0))
            : -1;
    const qreal dpr = p.device()->devicePixelRatioF();
    const QString key =
        QStringLiteral("bs-batch-%1x%2-%3-%4-%5-%6-%7-%8-%9")
            .arg(r.width())
            .arg(r.height())
            .arg(int(b.state) * 8 + (b.noLeader ? 4 : 0) + (b.drained ? 2 : 0) + (selected ? 1 : 0))
            .arg(b.attempts)
            .arg(b.records)
            .arg(humanBytes(b.sizeBytes), humanBytes(b.capacity))
            .arg(fillPx)
            .arg(agePx) +
        QStringLiteral("-%1-%2-%3-%4")
            .arg(compact)
            .arg(pal.cacheKey())
            .arg(p.font().key())
            .arg(dpr);
    QPixmap pm;
    if (QPixmapCache::find(key, &pm)) return pm;
    pm = QPixmap(r.size() * dpr);
    pm.setDevicePixelRatio(dpr);
    pm.fill(Qt::transparent);
    QPainter q(&pm);
    q.setRenderHint(QPainter::Antialiasing);
    q.setFont(p.font());
    drawBatchBody(q, QRectF(QPointF(0, 0), QSizeF(r.size())), b, lingerMs, compact, selected, pal);
    q.end();
    QPixmapCache::insert(key, pm);
    return pm;
}

}  // namespace

AccumulatorView::AccumulatorView(AccumulatorModel* model, QWidget* parent)
    : QWidget(parent), model_(model) {
    setAttribute(Qt::WA_OpaquePaintEvent);
    setMouseTracking(false);
    connect(model_, &AccumulatorModel::changed, this, [this] {
        relayout();
        update();
    });
}

int AccumulatorView::laneHeight() const {
    const int n = static_cast<int>(model_->lanes().size());
    const int fh = fontMetrics().height();
    if (n > 24) return std::max(14, fh + 2);
    // Few partitions: taller lanes fill the viewport (up to 3 text lines).
    const int avail = parentWidget() ? parentWidget()->height() / std::max(1, n) : 0;
    return std::clamp(avail, std::max(34, fh * 2 + 10), fh * 3 + 22);
}

int AccumulatorView::boxWidth() const {
    return model_->lanes().size() > 24 ? 44 : std::max(124, fontMetrics().averageCharWidth() * 18);
}

void AccumulatorView::relayout() {
    int most = 0;
    for (const auto& l : model_->lanes())
        most = std::max(most, static_cast<int>(l.batches.size()));
    // The width follows the longest lane in steps of kSlotStep boxes, shrinking only when the
    // lane fell below half of it: a new minimum size re-lays out the scroll area, and under
    // load the longest lane changes with nearly every snapshot.
    const int want = std::max(3, most + 1);
    int slots = slots_;
    if (want > slots || want * 2 < slots)
        slots = want <= 3 ? 3 : (want + kSlotStep - 1) / kSlotStep * kSlotStep;
    if (slots != slots_ || minimumSize() != sizeHint() || laneHeight() != lastLaneHeight_) {
        lastLaneHeight_ = laneHeight();
        slots_ = slots;
        setMinimumSize(sizeHint());
    }
}

QSize AccumulatorView::sizeHint() const {
    const int n = std::max<int>(1, static_cast<int>(model_->lanes().size()));
    // Height: the lanes at their minimum height (they grow to fill a taller viewport).
    const int fh = fontMetrics().height();
    const int minLane = n > 24 ? std::max(14, fh + 2) : std::max(34, fh * 2 + 10);
    return {kHeaderWidth + kGap + std::max(3, slots_) * (boxWidth() + kGap), n * minLane + 2};
}

QRect AccumulatorView::batchRect(int laneIndex, int slot) const {
    const int lh = laneHeight();
    const int pad = lh > 20 ? 4 : 2;
    return QRect(kHeaderWidth + kGap + slot * (boxWidth() + kGap), laneIndex * lh + pad, boxWidth(),
                 lh - 2 * pad);
}

std::optional<AccumulatorView::Hit> AccumulatorView::batchAt(const QPoint& pos) const {
    const auto& lanes = model_->lanes();
    const int li = pos.y() / laneHeight();
    if (li < 0 || li >= lanes.size()) return std::nullopt;
    const auto& lane = lanes[li];
    // Slot order matches paint: drained ghosts first, then the deque.
    int slot = 0;
    for (int pass = 0; pass < 2; ++pass)
        for (const auto& b : lane.batches) {
            if (b.drained != (pass == 0)) continue;
            if (batchRect(li, slot).contains(pos)) return Hit{lane.topic, lane.partition, b.id};
            ++slot;
        }
    return std::nullopt;
}

void AccumulatorView::mousePressEvent(QMouseEvent* event) {
    if (auto hit = batchAt(event->position().toPoint())) {
        selected_ = hit->batchId;
        Q_EMIT batchClicked(hit->topic, hit->partition, hit->batchId);
        update();
    }
}

void AccumulatorView::paintEvent(QPaintEvent* event) {
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const ViewColors c = ViewColors::from(palette());
    const auto& lanes = model_->lanes();
    const int lh = laneHeight();
    const bool compact = lh < 30;
    const QFont base = font();
    // The lanes paint their own background: fill only what they leave (large fills are the
    // raster engine's costliest calls, and it hands them to helper threads).
    p.fillRect(QRect(0, static_cast<int>(lanes.size()) * lh, width(), height()) & event->rect(),
               c.base);
    if (lanes.isEmpty()) {
        p.setPen(c.dim);
        p.drawText(rect(), Qt::AlignCenter, tr("No partitions yet: send a record"));
        return;
    }
    for (int i = 0; i < lanes.size(); ++i) {
        const QRect laneRect(0, i * lh, width(), lh);
        if (!laneRect.intersects(event->rect())) continue;
        const auto& lane = lanes[i];
        p.fillRect(laneRect & event->rect(), i % 2 ? c.laneB : c.laneA);
        // Header: partition, topic, queued records, muted (ordering wait).
        QRect head(6, laneRect.top(), kHeaderWidth - 8, lh);
        QFont bold = base;
        bold.setBold(true);
        p.setFont(bold);
        p.setPen(c.text);
        const QString name = QStringLiteral("P%1").arg(lane.partition);
        if (compact) {
            p.drawText(head, Qt::AlignVCenter | Qt::AlignLeft, name);
            QFont small = base;
            small.setPointSizeF(base.pointSizeF() * 0.8);
            p.setFont(small);
            p.setPen(c.dim);
            p.drawText(head, Qt::AlignVCenter | Qt::AlignRight,
                       lane.muted ? tr("muted") : lane.topic.left(10));
        } else {
            p.drawText(head.adjusted(0, 3, 0, -lh / 2), Qt::AlignLeft | Qt::AlignVCenter, name);
            QFont small = base;
            small.setPointSizeF(base.pointSizeF() * 0.8);
            p.setFont(small);
            p.setPen(c.dim);
            const qint64 q = lane.queuedRecords();
            p.drawText(head.adjusted(0, 3, 0, -lh / 2), Qt::AlignRight | Qt::AlignVCenter,
                       q ? tr("%1 queued").arg(q) : QString());
            QString sub = lane.topic;
            if (lane.leader >= 0) sub += tr(" → node %1").arg(lane.leader);
            if (lane.leader < 0 && lane.downLeader >= 0)
                sub += tr(" · no leader (node %1 down)").arg(lane.downLeader);
            if (lane.muted) sub += tr(" · muted");
            p.drawText(head.adjusted(0, lh / 2 - 2, 0, -3), Qt::AlignLeft | Qt::AlignVCenter,
                       QFontMetrics(p.font()).elidedText(sub, Qt::ElideRight, head.width()));
        }
        p.setFont(base);
        p.setPen(c.grid);
        p.drawLine(kHeaderWidth, laneRect.top() + 3, kHeaderWidth, laneRect.bottom() - 3);
        // Under load a lane holds hundreds of batches, most of them scrolled out of sight:
        // paint only the boxes in the exposed rectangle (text layout is the costly part).
        const int firstSlot =
            std::max(0, (event->rect().left() - kHeaderWidth - kGap) / (boxWidth() + kGap));
        const int endX = event->rect().right();
        int slot = 0;
        for (int pass = 0; pass < 2; ++pass)
            for (const auto& b : lane.batches) {
                if (b.drained != (pass == 0)) continue;
                const int s = slot++;
                if (s < firstSlot) continue;
                const QRect r = batchRect(i, s);
                if (r.left() > endX) break;
                p.setOpacity(ghostAlpha(b, model_->timeMs()));
                p.drawPixmap(r.topLeft(), batchPixmap(p, r, b, model_->lingerMs(), compact,
                                                      b.id == selected_, palette()));
                p.setOpacity(1.0);
            }
    }
}

}  // namespace bs::ui
