#include "lessons/highlight_frame.h"

#include <QPainter>

namespace bs::ui {

namespace {
constexpr int kPen = 4;
}

HighlightFrame::HighlightFrame(QWidget* window) : QWidget(window) {
    setObjectName(QStringLiteral("lessonHighlight"));
    setAttribute(Qt::WA_TransparentForMouseEvents);
    setAttribute(Qt::WA_NoSystemBackground);
    hide();
    track_.setInterval(200);
    connect(&track_, &QTimer::timeout, this, &HighlightFrame::place);
}

void HighlightFrame::follow(QWidget* target) {
    target_ = target;
    if (!target) {
        track_.stop();
        hide();
        return;
    }
    place();
    track_.start();
}

void HighlightFrame::place() {
    if (!target_ || !target_->isVisible()) {
        hide();
        return;
    }
    const QPoint topLeft = target_->mapTo(parentWidget(), QPoint(0, 0));
    const QRect r = QRect(topLeft, target_->size()).adjusted(-kPen, -kPen, kPen, kPen);
    if (geometry() != r) setGeometry(r.intersected(parentWidget()->rect()));
    show();
    raise();
}

void HighlightFrame::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    QPen pen(QColor(255, 140, 0));
    pen.setWidth(kPen);
    p.setPen(pen);
    p.drawRoundedRect(QRectF(rect()).adjusted(kPen / 2.0, kPen / 2.0, -kPen / 2.0, -kPen / 2.0), 6,
                      6);
}

}  // namespace bs::ui
