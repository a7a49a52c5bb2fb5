#include "widgets/sender_view.h"

#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>
#include <algorithm>

#include "protocol/errors.h"
#include "theme.h"

namespace bs::ui {

namespace {
QString humanBytes(qint64 b) {
    if (b < 1024) return QStringLiteral("%1 B").arg(b);
    return QStringLiteral("%1 KB").arg(b / 1024.0, 0, 'f', 1);
}
}  // namespace

QStringList completionLines(const QFontMetrics& fm, const SenderModel::Request& r, int width,
                            int maxLines) {
    const QString id = QStringLiteral("#%1 ").arg(r.correlationId);
    if (r.unacknowledged) return {id + QObject::tr("acks=0"), QObject::tr("sent, no ack")};
    if (r.errorCode == 0)
        return {id + (r.api.isEmpty() ? QStringLiteral("✓") : r.api + QStringLiteral(" ✓"))};
    // Kafka's names break after an underscore: NOT_LEADER_OR_ / FOLLOWER.
    QStringList words;
    const QString name = errorLabel(r.errorCode);
    for (qsizetype from = 0; from < name.size();) {
        const qsizetype us = name.indexOf(QLatin1Char('_'), from);
        const qsizetype end = us < 0 ? name.size() : us + 1;
        words << name.mid(from, end - from);
        from = end;
    }
    QStringList lines{id};
    for (qsizetype w = 0; w < words.size(); ++w) {
        QString& line = lines.last();
        const bool fresh = line.isEmpty() || line == id;
        if (fresh || fm.horizontalAdvance(line + words[w]) <= width) {
            line += words[w];
        } else if (lines.size() < maxLines) {
            lines << words[w];
        } else {
            // Out of lines: the rest goes on the last one, elided.
            for (; w < words.size(); ++w)
                line += words[w];
            break;
        }
    }
    // The correlation id stays whole; only the name part of a line is elided.
    for (qsizetype l = 0; l < lines.size(); ++l) {
        if (fm.horizontalAdvance(lines[l]) <= width) continue;
        const QString head = l == 0 ? id : QString();
        lines[l] = head + fm.elidedText(lines[l].mid(head.size()), Qt::ElideRight,
                                        std::max(0, width - fm.horizontalAdvance(head)));
    }
    return lines;
}

QString requestDescription(int nodeId, const SenderModel::Request& r, qint64 requestTimeoutMs) {
    if (!r.api.isEmpty())
        return QObject::tr(
                   "%1Request #%2 to node %3\n%4 · %5\nnot a ProduceRequest: it takes an "
                   "in-flight slot of the connection as every request does")
            .arg(r.api)
            .arg(r.correlationId)
            .arg(nodeId)
            .arg(humanBytes(r.bytes), r.completed
                                          ? QObject::tr("answered")
                                          : QObject::tr("in flight for %1 ms").arg(r.elapsedMs));
    if (r.unacknowledged)
        return QObject::tr(
                   "ProduceRequest #%1 to node %2, acks=0\n%3 · %4\nwritten and "
                   "forgotten: no response comes")
            .arg(r.correlationId)
            .arg(nodeId)
            .arg(QObject::tr("%n record(s)", nullptr, r.records), humanBytes(r.bytes));
    QString outcome;
    if (!r.completed) {
        outcome = QObject::tr("in flight for %1 ms of request.timeout.ms %2")
                      .arg(r.elapsedMs)
                      .arg(requestTimeoutMs);
    } else if (r.errorCode == 0) {
        outcome = QObject::tr("completed in %1 ms: OK").arg(r.elapsedMs);
    } else {
        QString why;
        if (r.errorCode == -2)
            why = QObject::tr("the connection closed before a response; its batches are retried");
        else if (r.errorCode == -3)
            why = QObject::tr("retried without a broker error (e.g. request.timeout.ms passed)");
        else if (protocol::isRetriable(static_cast<protocol::ErrorCode>(r.errorCode)))
            why = QObject::tr("retriable: the producer retries its batches");
        else
            why = QObject::tr("not retriable: its batches fail");
        outcome = QObject::tr("completed in %1 ms: %2\n%3")
                      .arg(r.elapsedMs)
                      .arg(errorLabel(r.errorCode), why);
    }
    return QObject::tr("ProduceRequest #%1 to node %2\n%3\n%4 · %5\n%6")
        .arg(r.correlationId)
        .arg(nodeId)
        .arg(r.partitions.join(QStringLiteral(", ")))
        .arg(QObject::tr("%n record(s)", nullptr, r.records), humanBytes(r.bytes), outcome);
}

SenderView::SenderView(SenderModel* model, QWidget* parent) : QWidget(parent), model_(model) {
    setAttribute(Qt::WA_OpaquePaintEvent);
    connect(model_, &SenderModel::changed, this, [this] {
        if (minimumSize() != minimumSizeHint()) setMinimumSize(minimumSizeHint());
        update();
    });
}

int SenderView::laneHeight() const {
    const int fh = fontMetrics().height();
    return model_->nodes().size() > 6 ? fh * 3 + 8 : fh * 3 + 16;
}

// Error names are long (NOT_LEADER_OR_FOLLOWER): a wide view gives completions more room.
int SenderView::recentWidth() const {
    // What the in-flight slots leave at their minimum width, and no more than a quarter.
    const int spare =
        width() - kHeaderWidth - kGap - model_->maxInFlight() * (kSlotMinWidth + kGap);
    return std::clamp(std::min((width() - kHeaderWidth) / 4, spare), kRecentMinWidth, 200);
}

// Slots share the width left by the header and the completions column (70..170 px each).
int SenderView::slotWidth() const {
    const int avail = width() - kHeaderWidth - recentWidth() - kGap;
    return std::clamp(avail / std::max(1, model_->maxInFlight()) - kGap, kSlotMinWidth, 170);
}

QSize SenderView::sizeHint() const {
    const int n = std::max<int>(1, static_cast<int>(model_->nodes().size()));
    return {kHeaderWidth + model_->maxInFlight() * (150 + kGap) + kRecentMinWidth,
            n * laneHeight() + 2};
}

QSize SenderView::minimumSizeHint() const {
    const int n = std::max<int>(1, static_cast<int>(model_->nodes().size()));
    return {kHeaderWidth + model_->maxInFlight() * (kSlotMinWidth + kGap) + kRecentMinWidth,
            n * laneHeight() + 2};
}

QRect SenderView::slotRect(int lane, int slot) const {
    return QRect(kHeaderWidth + kGap + slot * (slotWidth() + kGap), lane * laneHeight() + 5,
                 slotWidth(), laneHeight() - 10);
}

QRect SenderView::recentRect(int lane, int index) const {
    const int x0 = kHeaderWidth + kGap + model_->maxInFlight() * (slotWidth() + kGap) + 10;
    // The newest completion gets two thirds of the height (two lines for an error's name), the
    // one before it a single line.
    const int total = laneHeight() - 14;
    const int newest = total * 2 / 3;
    const int top = lane * laneHeight() + 5;
    if (index == 0) return QRect(x0, top, recentWidth() - 20, newest);
    return QRect(x0, top + newest + 4, recentWidth() - 20, total - newest);
}

QRect SenderView::requestRect(int nodeId, int correlationId) const {
    const auto& nodes = model_->nodes();
    for (int li = 0; li < nodes.size(); ++li) {
        if (nodes[li].nodeId != nodeId) continue;
        const auto& n = nodes[li];
        for (int i = 0; i < n.inFlight.size() && i < model_->maxInFlight(); ++i)
            if (n.inFlight[i].correlationId == correlationId) return slotRect(li, i);
        const int size = static_cast<int>(n.recent.size());
        for (int i = std::max(0, size - 2); i < size; ++i)
            if (n.recent[i].correlationId == correlationId) return recentRect(li, size - 1 - i);
    }
    return {};
}

QString SenderView::toolTipAt(const QPoint& pos) const {
    const auto& nodes = model_->nodes();
    const int li = pos.y() / laneHeight();
    if (pos.x() < kHeaderWidth && li >= 0 && li < nodes.size()) {
        const auto& n = nodes[li];
        return tr("node %1 at %2%3\n%4 of max.in.flight.requests.per.connection %5 in flight\n"
                  "%6 completed, %7 with an error")
            .arg(n.nodeId)
            .arg(n.address,
                 connectionLabel(n).isEmpty() ? QString()
                 : n.connectionError.isEmpty()
                     ? QStringLiteral(" (%1)").arg(connectionLabel(n))
                     : QStringLiteral(" (%1: %2)").arg(connectionLabel(n), n.connectionError))
            .arg(n.inFlight.size())
            .arg(model_->maxInFlight())
            .arg(n.completedTotal)
            .arg(n.errorTotal);
    }
    const auto hit = requestAt(pos);
    if (!hit) return {};
    const auto* n = model_->node(hit->nodeId);
    for (const auto* list : {&n->inFlight, &n->recent})
        for (const auto& r : *list)
            if (r.correlationId == hit->correlationId)
                return requestDescription(n->nodeId, r, model_->requestTimeoutMs());
    return {};
}

bool SenderView::event(QEvent* event) {
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        const QString text = toolTipAt(help->pos());
        if (text.isEmpty())
            QToolTip::hideText();
        else
            QToolTip::showText(help->globalPos(), text, this);
        return true;
    }
    return QWidget::event(event);
}

std::optional<SenderView::Hit> SenderView::requestAt(const QPoint& pos) const {
    const auto& nodes = model_->nodes();
    const int li = pos.y() / laneHeight();
    if (li < 0 || li >= nodes.size()) return std::nullopt;
    const auto& n = nodes[li];
    for (int i = 0; i < n.inFlight.size(); ++i)
        if (slotRect(li, i).contains(pos)) return Hit{n.nodeId, n.inFlight[i].correlationId};
    const int size = static_cast<int>(n.recent.size());
    for (int i = std::max(0, size - 2); i < size; ++i)
        if (recentRect(li, size - 1 - i).contains(pos))
            return Hit{n.nodeId, n.recent[i].correlationId};
    return std::nullopt;
}

void SenderView::mousePressEvent(QMouseEvent* event) {
    if (auto hit = requestAt(event->position().toPoint())) {
        selected_ = hit->correlationId;
        Q_EMIT requestClicked(hit->nodeId, hit->correlationId);
        update();
    }
}

void SenderView::paintEvent(QPaintEvent* event) {
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const ViewColors c = ViewColors::from(palette());
    const auto& nodes = model_->nodes();
    // The lanes paint their own background: fill only what they leave.
    p.fillRect(
        QRect(0, static_cast<int>(nodes.size()) * laneHeight(), width(), height()) & event->rect(),
        c.base);
    const QFont base = font();
    QFont small = base;
    small.setPointSizeF(base.pointSizeF() * 0.8);
    QFont bold = base;
    bold.setBold(true);
    if (nodes.isEmpty()) {
        p.setPen(c.dim);
        p.drawText(rect(), Qt::AlignCenter, tr("No broker connections yet"));
        return;
    }
    const int lh = laneHeight();
    const int fh = fontMetrics().height();
    for (int li = 0; li < nodes.size(); ++li) {
        const auto& n = nodes[li];
        const QRect lane(0, li * lh, width(), lh);
        p.fillRect(lane & event->rect(), li % 2 ? c.laneB : c.laneA);
        // Header: node, address, connection, totals.
        p.setPen(Qt::NoPen);
        const QString state = connectionLabel(n);
        // Red only for a node that is down or could not be reached; idle is not an error.
        p.setBrush(n.connected ? c.ok : (n.down || !n.connectionError.isEmpty()) ? c.error : c.dim);
        p.drawEllipse(QPointF(12, lane.top() + 6 + fh / 2.0), 4.5, 4.5);
        p.setFont(bold);
        p.setPen(c.text);
        const QString name = tr("node %1").arg(n.nodeId);
        p.drawText(QRect(22, lane.top() + 6, kHeaderWidth - 24, fh), Qt::AlignVCenter, name);
        p.setFont(small);
        p.setPen(c.dim);
        // The state beside the name, the address below: together they did not fit one line.
        if (!state.isEmpty()) {
            const int x = 22 + QFontMetrics(bold).horizontalAdvance(name) + 6;
            p.drawText(QRect(x, lane.top() + 6, kHeaderWidth - x - 2, fh), Qt::AlignVCenter,
                       QFontMetrics(small).elidedText(state, Qt::ElideRight, kHeaderWidth - x - 2));
        }
        p.drawText(QRect(8, lane.top() + 6 + fh, kHeaderWidth - 10, fh), Qt::AlignVCenter,
                   QFontMetrics(small).elidedText(n.address, Qt::ElideRight, kHeaderWidth - 10));
        // Counts as the completion boxes mark them (✓ ok, ✗ error); the tooltip spells them out.
        p.drawText(QRect(8, lane.top() + 6 + 2 * fh - 2, kHeaderWidth - 10, fh), Qt::AlignVCenter,
                   QFontMetrics(small).elidedText(
                       tr("%1/%2 in flight · %3 ✓%4")
                           .arg(n.inFlight.size())
                           .arg(model_->maxInFlight())
                           .arg(n.completedTotal - n.errorTotal)
                           .arg(n.errorTotal ? tr(" · %1 ✗").arg(n.errorTotal) : QString()),
                       Qt::ElideRight, kHeaderWidth - 10));
        // Slots.
        for (int s = 0; s < model_->maxInFlight(); ++s) {
            const QRect r = slotRect(li, s);
            if (s >= n.inFlight.size()) {
                QPen dashed(c.grid, 1, Qt::DashLine);
                p.setPen(dashed);
                p.setBrush(Qt::NoBrush);
                p.drawRoundedRect(QRectF(r).adjusted(0.5, 0.5, -0.5, -0.5), 4, 4);
                continue;
            }
            const auto& q = n.inFlight[s];
            QColor fill = c.inFlight;
            fill.setAlpha(40);
            p.setBrush(fill);
            p.setPen(QPen(
                q.correlationId == selected_ ? palette().color(QPalette::Highlight) : c.inFlight,
                q.correlationId == selected_ ? 2.4 : 1.4));
            p.drawRoundedRect(QRectF(r).adjusted(0.7, 0.7, -0.7, -0.7), 4, 4);
            const double frac =
                std::clamp(double(q.elapsedMs) / double(model_->requestTimeoutMs()), 0.0, 1.0);
            QColor bar = frac > 0.8 ? c.error : frac > 0.5 ? c.warn : c.inFlight;
            p.setPen(Qt::NoPen);
            p.setBrush(bar);
            p.drawRoundedRect(QRectF(r.left() + 4, r.bottom() - 6, (r.width() - 8) * frac, 3.5),
                              1.5, 1.5);
            p.setFont(bold);
            p.setPen(c.text);
            const QRect t = r.adjusted(6, 3, -6, -8);
            const QString id = tr("#%1").arg(q.correlationId);
            p.drawText(t, Qt::AlignLeft | Qt::AlignTop, id);
            p.setFont(small);
            // The age only where it does not run into the id ("#298506 ms"); the bar and the
            // tooltip show it anyway.
            const QString age = tr("%1 ms").arg(q.elapsedMs);
            if (QFontMetrics(bold).horizontalAdvance(id) +
                    QFontMetrics(small).horizontalAdvance(age) + 8 <=
                t.width())
                p.drawText(t, Qt::AlignRight | Qt::AlignTop, age);
            p.setPen(c.dim);
            if (!q.api.isEmpty()) {  // a Metadata request in a slot: its API, no records
                p.drawText(t.adjusted(0, fh, 0, 0), Qt::AlignLeft | Qt::AlignTop,
                           QFontMetrics(small).elidedText(tr("%1Request").arg(q.api),
                                                          Qt::ElideRight, t.width()));
                p.drawText(t.adjusted(0, 2 * fh - 4, 0, 0), Qt::AlignLeft | Qt::AlignTop,
                           humanBytes(q.bytes));
                continue;
            }
            const QString parts = q.partitions.join(QStringLiteral(", "));
            p.drawText(t.adjusted(0, fh, 0, 0), Qt::AlignLeft | Qt::AlignTop,
                       QFontMetrics(small).elidedText(parts, Qt::ElideRight, t.width()));
            p.drawText(
                t.adjusted(0, 2 * fh - 4, 0, 0), Qt::AlignLeft | Qt::AlignTop,
                tr("%n rec", nullptr, q.records) + QStringLiteral(" · ") + humanBytes(q.bytes));
        }
        // The two most recent completions, newest on top, the older one faded.
        for (int i = std::max<int>(0, static_cast<int>(n.recent.size()) - 2); i < n.recent.size();
             ++i) {
            const auto& q = n.recent[i];
            const QRect r = recentRect(li, static_cast<int>(n.recent.size()) - 1 - i);
            const bool ok = q.errorCode == 0;
            const QColor col = ok ? c.ok : c.error;
            // Older completions fade out.
            p.setOpacity(std::max(0.4, 1.0 - 0.4 * (n.recent.size() - 1 - i)));
            QColor fill = col;
            fill.setAlpha(50);
            p.setBrush(fill);
            p.setPen(QPen(col, 1.2));
            p.drawRoundedRect(QRectF(r).adjusted(0.6, 0.6, -0.6, -0.6), 3, 3);
            p.setFont(small);
            p.setPen(c.text);
            const QFontMetrics fm(small);
            const QRect t = r.adjusted(4, 1, -3, -1);
            const QStringList lines =
                completionLines(fm, q, t.width(), std::max(1, t.height() / fm.lineSpacing()));
            const int blockTop = t.top() + (t.height() - lines.size() * fm.lineSpacing()) / 2;
            // From the baseline: a line-high rect would clip the underscores' descent.
            for (int l = 0; l < lines.size(); ++l)
                p.drawText(QPoint(t.left(), blockTop + l * fm.lineSpacing() + fm.ascent()),
                           lines[l]);
            p.setOpacity(1.0);
        }
    }
}

}  // namespace bs::ui
