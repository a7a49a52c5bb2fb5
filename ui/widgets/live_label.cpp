#include "widgets/live_label.h"

#include <QPainter>

namespace bs::ui {

LiveLabel::LiveLabel(QString sample, QWidget* parent)
    : QWidget(parent), sample_(std::move(sample)) {
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
}

void LiveLabel::setText(const QString& text) {
    if (text == text_) return;
    text_ = text;
    setToolTip(text_);
    update();
}

QSize LiveLabel::sizeHint() const {
    const QFontMetrics fm = fontMetrics();
    return {fm.horizontalAdvance(sample_) + 8, fm.height() + 2};
}

QSize LiveLabel::minimumSizeHint() const {
    return {fontMetrics().averageCharWidth() * 8, fontMetrics().height() + 2};
}

void LiveLabel::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.setPen(palette().color(QPalette::WindowText));
    const QRect r = rect().adjusted(2, 0, -2, 0);
    p.drawText(r, Qt::AlignVCenter | Qt::AlignLeft,
               fontMetrics().elidedText(text_, Qt::ElideRight, r.width()));
}

}  // namespace bs::ui
