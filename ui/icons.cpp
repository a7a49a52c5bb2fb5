#include "icons.h"

#include <QIconEngine>
#include <QPainter>
#include <QPainterPath>
#include <QPixmap>

namespace bs::ui {

namespace {

// Paints the glyph in a 24x24 design grid scaled to the target rectangle.
void paintGlyph(QPainter& p, IconKind kind, const QRect& r, QIcon::Mode mode) {
    p.setRenderHint(QPainter::Antialiasing);
    p.translate(r.topLeft());
    p.scale(r.width() / 24.0, r.height() / 24.0);
    QColor ink = mode == QIcon::Disabled ? QColor(0x9a, 0x9d, 0xa3) : QColor(0x3b, 0x82, 0xf6);
    QColor accent = mode == QIcon::Disabled ? ink : QColor(0x10, 0xb9, 0x81);
    QColor warn = mode == QIcon::Disabled ? ink : QColor(0xf5, 0x9e, 0x0b);
    QColor stop = mode == QIcon::Disabled ? ink : QColor(0xef, 0x44, 0x44);
    QPen pen(ink, 2.2, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin);
    p.setPen(pen);
    p.setBrush(Qt::NoBrush);
    switch (kind) {
        case IconKind::Send: {
            QPainterPath path;
            path.moveTo(3, 11);
            path.lineTo(21, 3);
            path.lineTo(14, 21);
            path.lineTo(11, 13);
            path.closeSubpath();
            p.setBrush(ink.lighter(140));
            p.drawPath(path);
            p.drawLine(QPointF(11, 13), QPointF(21, 3));
            break;
        }
        case IconKind::Pause:
            p.setPen(Qt::NoPen);
            p.setBrush(warn);
            p.drawRoundedRect(QRectF(5, 4, 5, 16), 1.5, 1.5);
            p.drawRoundedRect(QRectF(14, 4, 5, 16), 1.5, 1.5);
            break;
        case IconKind::Step: {
            p.setPen(Qt::NoPen);
            p.setBrush(accent);
            QPainterPath path;
            path.moveTo(5, 4);
            path.lineTo(16, 12);
            path.lineTo(5, 20);
            path.closeSubpath();
            p.drawPath(path);
            p.drawRoundedRect(QRectF(17, 4, 3.5, 16), 1, 1);
            break;
        }
        case IconKind::Flush:
            p.setPen(QPen(accent, 2.2, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
            for (int i = 0; i < 3; ++i)
                p.drawLine(QPointF(4 + i * 5, 6), QPointF(4 + i * 5, 18));
            p.drawLine(QPointF(18, 12), QPointF(22, 12));
            p.drawLine(QPointF(19.5, 9), QPointF(22, 12));
            p.drawLine(QPointF(19.5, 15), QPointF(22, 12));
            break;
        case IconKind::Settings:
            p.drawEllipse(QPointF(12, 12), 3.2, 3.2);
            for (int i = 0; i < 8; ++i) {
                p.save();
                p.translate(12, 12);
                p.rotate(i * 45);
                p.drawLine(QPointF(0, 6.5), QPointF(0, 9.5));
                p.restore();
            }
            p.drawEllipse(QPointF(12, 12), 6.5, 6.5);
            break;
        case IconKind::Connect:
            p.drawEllipse(QPointF(6, 12), 3, 3);
            p.drawEllipse(QPointF(18, 6), 3, 3);
            p.drawEllipse(QPointF(18, 18), 3, 3);
            p.drawLine(QPointF(8.6, 10.5), QPointF(15.4, 7.5));
            p.drawLine(QPointF(8.6, 13.5), QPointF(15.4, 16.5));
            break;
        case IconKind::Clear:
            p.setPen(QPen(stop, 2.2, Qt::SolidLine, Qt::RoundCap));
            p.drawLine(QPointF(6, 6), QPointF(18, 18));
            p.drawLine(QPointF(18, 6), QPointF(6, 18));
            break;
        case IconKind::Repeat:
            p.drawArc(QRectF(4, 4, 16, 16), 30 * 16, 300 * 16);
            p.drawLine(QPointF(19, 5), QPointF(19, 10));
            p.drawLine(QPointF(19, 10), QPointF(14, 10));
            break;
        case IconKind::Cancel:
            p.setPen(Qt::NoPen);
            p.setBrush(stop);
            p.drawRoundedRect(QRectF(5, 5, 14, 14), 2.5, 2.5);
            break;
        case IconKind::App: {
            p.setPen(Qt::NoPen);
            p.setBrush(QColor(0x1f, 0x29, 0x37));
            p.drawRoundedRect(QRectF(1, 1, 22, 22), 5, 5);
            const QColor cols[] = {QColor(0x3b, 0x82, 0xf6), QColor(0xf5, 0x9e, 0x0b),
                                   QColor(0x8b, 0x5c, 0xf6)};
            const double w[] = {12, 7, 15};
            for (int i = 0; i < 3; ++i) {
                p.setBrush(cols[i]);
                p.drawRoundedRect(QRectF(4, 5 + i * 5.2, w[i], 3.6), 1.2, 1.2);
            }
            break;
        }
    }
}

class GlyphEngine : public QIconEngine {
  public:
    explicit GlyphEngine(IconKind kind) : kind_(kind) {}
    void paint(QPainter* painter, const QRect& rect, QIcon::Mode mode, QIcon::State) override {
        painter->save();
        paintGlyph(*painter, kind_, rect, mode);
        painter->restore();
    }
    QPixmap pixmap(const QSize& size, QIcon::Mode mode, QIcon::State state) override {
        return scaledPixmap(size, mode, state, 1.0);
    }
    QPixmap scaledPixmap(const QSize& size, QIcon::Mode mode, QIcon::State state,
                         qreal scale) override {
        QPixmap pm(size * scale);
        pm.setDevicePixelRatio(scale);
        pm.fill(Qt::transparent);
        QPainter p(&pm);
        paint(&p, QRect(QPoint(0, 0), size), mode, state);
        return pm;
    }
    QIconEngine* clone() const override { return new GlyphEngine(kind_); }

  private:
    IconKind kind_;
};

}  // namespace

QIcon makeIcon(IconKind kind) {
    return QIcon(new GlyphEngine(kind));
}

}  // namespace bs::ui
