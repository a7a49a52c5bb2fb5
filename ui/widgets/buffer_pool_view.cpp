#include "widgets/buffer_pool_view.h"

#include <QPainter>
#include <QStringList>
#include <algorithm>

#include "theme.h"

namespace bs::ui {

namespace {
constexpr int kBarWidth = 140;
constexpr int kMaxWaitersNamed = 4;
}  // namespace

QString memoryText(int64_t bytes) {
    if (bytes >= 1024 * 1024)
        return QStringLiteral("%1 MB").arg(static_cast<double>(bytes) / (1024.0 * 1024.0), 0, 'f',
                                           1);
    if (bytes >= 1024) return QStringLiteral("%1 KB").arg(bytes / 1024);
    return QStringLiteral("%1 B").arg(bytes);
}

BufferPoolView::BufferPoolView(QWidget* parent) : QWidget(parent) {
    setObjectName(QStringLiteral("bufferPool"));
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
}

void BufferPoolView::setSnapshot(const producer::BufferPoolSnapshot& pool) {
    const bool same = pool.availableMemory == pool_.availableMemory &&
                      pool.freeBuffers == pool_.freeBuffers &&
                      pool.totalMemory == pool_.totalMemory && pool.waiters.empty() &&
                      pool_.waiters.empty() && pool.exhaustedTotal == pool_.exhaustedTotal;
    pool_ = pool;
    if (same) return;
    setToolTip(tr("<b>BufferPool</b> (buffer.memory %1): %2<br>Blue: bytes held by batches. "
                  "Green: batch.size buffers on the free list, reused by the next batch. Grey: "
                  "never allocated. When a new batch finds no memory, send() blocks in "
                  "allocate() (FIFO) until a completed batch gives its buffer back or "
                  "max.block.ms passes; while anyone waits, ready() sends every node's data "
                  "(the \"exhausted\" condition).")
                   .arg(memoryText(pool_.totalMemory), summary().toHtmlEscaped()));
    update();
}

QString BufferPoolView::blockedText() const {
    if (pool_.waiters.empty()) return {};
    QStringList waits;
    for (int i = 0; i < std::min<int>(kMaxWaitersNamed, static_cast<int>(pool_.waiters.size()));
         ++i)
        waits << tr("%1 ms").arg(pool_.waiters[static_cast<size_t>(i)].waitedMs);
    if (static_cast<int>(pool_.waiters.size()) > kMaxWaitersNamed) waits << QStringLiteral("…");
    return tr("%n send() blocked in allocate(): waited %1", nullptr,
              static_cast<int>(pool_.waiters.size()))
        .arg(waits.join(QStringLiteral(", ")));
}

QString BufferPoolView::summary() const {
    if (pool_.totalMemory <= 0) return tr("no producer");
    const int64_t used = pool_.totalMemory - pool_.availableMemory;
    QString s = tr("%1 of %2 in batches · %n free buffer(s)", nullptr, pool_.freeBuffers)
                    .arg(memoryText(used), memoryText(pool_.totalMemory));
    const QString blocked = blockedText();
    s += QStringLiteral(" · ") + (blocked.isEmpty() ? tr("no send() blocked") : blocked);
    if (pool_.exhaustedTotal > 0)
        s += tr(" · %n send() failed after max.block.ms", nullptr,
                static_cast<int>(pool_.exhaustedTotal));
    return s;
}

QSize BufferPoolView::sizeHint() const {
    return {kBarWidth + fontMetrics().horizontalAdvance(summary()) + 100,
            fontMetrics().height() + 4};
}

QSize BufferPoolView::minimumSizeHint() const {
    return {kBarWidth + 80, fontMetrics().height() + 4};
}

void BufferPoolView::paintEvent(QPaintEvent*) {
    QPainter p(this);
    const ViewColors c = ViewColors::from(palette());
    const QFontMetrics fm = fontMetrics();
    QFont bold = font();
    bold.setBold(true);
    const QString title = tr("BufferPool ");
    p.setFont(bold);
    p.setPen(c.text);
    const int titleWidth = QFontMetrics(bold).horizontalAdvance(title);
    p.drawText(QRect(0, 0, titleWidth, height()), Qt::AlignVCenter | Qt::AlignLeft, title);
    p.setFont(font());

    // The bar: in batches | free list | never allocated.
    const QRect bar(titleWidth, 2, kBarWidth, height() - 4);
    p.fillRect(bar, c.laneB);
    if (pool_.totalMemory > 0) {
        const double scale = static_cast<double>(bar.width()) / pool_.totalMemory;
        const int64_t used = pool_.totalMemory - pool_.availableMemory;
        const int64_t free = int64_t{pool_.freeBuffers} * pool_.poolableSize;
        const int usedW = static_cast<int>(used * scale + (used > 0 ? 0.999 : 0));
        const int freeW = static_cast<int>(free * scale + (free > 0 ? 0.999 : 0));
        p.fillRect(QRect(bar.left(), bar.top(), std::min(usedW, bar.width()), bar.height()),
                   c.inFlight);
        p.fillRect(QRect(bar.left() + usedW, bar.top(),
                         std::clamp(freeW, 0, std::max(0, bar.width() - usedW)), bar.height()),
                   c.ok);
    }
    p.setPen(c.grid);
    p.drawRect(bar.adjusted(0, 0, -1, -1));

    const QRect text(bar.right() + 8, 0, width() - bar.right() - 8, height());
    const QString blocked = blockedText();
    p.setPen(blocked.isEmpty() ? c.dim : c.error);
    p.drawText(text, Qt::AlignVCenter | Qt::AlignLeft,
               fm.elidedText(summary(), Qt::ElideRight, text.width()));
}

}  // namespace bs::ui
