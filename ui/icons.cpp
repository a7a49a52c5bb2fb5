#include "icons.h"

#include <QIconEngine>
#include <QPainter>
#include <QPixmap>
#include <QSvgRenderer>

// The SVGs live in resources/ (resources/batchscope.qrc), compiled into this static library;
// a static library's resources are registered by hand, once, before the first icon.
static void initBatchscopeResources() {
    Q_INIT_RESOURCE(batchscope);
}

namespace bs::ui {

namespace {

QString resourceOf(IconKind kind) {
    switch (kind) {
        case IconKind::Send:
            return QStringLiteral(":/icons/send.svg");
        case IconKind::Pause:
            return QStringLiteral(":/icons/pause.svg");
        case IconKind::Step:
            return QStringLiteral(":/icons/step.svg");
        case IconKind::Flush:
            return QStringLiteral(":/icons/flush.svg");
        case IconKind::Settings:
            return QStringLiteral(":/icons/settings.svg");
        case IconKind::Connect:
            return QStringLiteral(":/icons/connect.svg");
        case IconKind::Clear:
            return QStringLiteral(":/icons/clear.svg");
        case IconKind::Repeat:
            return QStringLiteral(":/icons/repeat.svg");
        case IconKind::Cancel:
            return QStringLiteral(":/icons/cancel.svg");
        case IconKind::App:
            return QStringLiteral(":/icons/batchscope.svg");
    }
    return {};
}

// Renders the glyph's SVG at every requested size (crisp at any device pixel ratio); disabled
// glyphs are the same shape in one grey.
class SvgGlyphEngine : public QIconEngine {
  public:
    explicit SvgGlyphEngine(IconKind kind) : kind_(kind), svg_(resourceOf(kind)) {}
    void paint(QPainter* painter, const QRect& rect, QIcon::Mode mode, QIcon::State) override {
        if (mode != QIcon::Disabled) {
            svg_.render(painter, rect);
            return;
        }
        painter->drawPixmap(rect, scaledPixmap(rect.size(), mode, QIcon::Off, 1.0));
    }
    QPixmap pixmap(const QSize& size, QIcon::Mode mode, QIcon::State state) override {
        return scaledPixmap(size, mode, state, 1.0);
    }
    QPixmap scaledPixmap(const QSize& size, QIcon::Mode mode, QIcon::State, qreal scale) override {
        QPixmap pm(size * scale);
        pm.setDevicePixelRatio(scale);
        pm.fill(Qt::transparent);
        QPainter p(&pm);
        p.setRenderHint(QPainter::Antialiasing);
        svg_.render(&p, QRectF(QPointF(0, 0), QSizeF(size)));
        if (mode == QIcon::Disabled) {
            p.setCompositionMode(QPainter::CompositionMode_SourceIn);
            p.fillRect(QRectF(QPointF(0, 0), QSizeF(size)), QColor(0x9a, 0x9d, 0xa3));
        }
        return pm;
    }
    QIconEngine* clone() const override { return new SvgGlyphEngine(kind_); }

  private:
    IconKind kind_;
    QSvgRenderer svg_;
};

}  // namespace

QIcon makeIcon(IconKind kind) {
    static const bool registered = (initBatchscopeResources(), true);
    (void)registered;
    return QIcon(new SvgGlyphEngine(kind));
}

}  // namespace bs::ui
