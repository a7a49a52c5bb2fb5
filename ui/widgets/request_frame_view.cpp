#include "widgets/request_frame_view.h"

#include <QCheckBox>
#include <QFontDatabase>
#include <QPlainTextEdit>
#include <QVBoxLayout>

namespace bs::ui {

RequestFrameView::RequestFrameView(QWidget* parent)
    : QWidget(parent),
      keep_(new QCheckBox(tr("Keep frames (last 64)"))),
      text_(new QPlainTextEdit) {
    // Short: the dock shares the window's narrow right column (a long label set its minimum
    // width and pushed a 1366 px window off the screen).
    keep_->setToolTip(
        tr("Keeps a copy of the bytes of the last 64 requests, so a click on a "
           "request shows its frame (costs one copy per request)."));
    text_->setReadOnly(true);
    text_->setLineWrapMode(QPlainTextEdit::NoWrap);
    text_->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    text_->setPlaceholderText(
        tr("Turn on keeping frames, then click a request in the Sender view or a request line "
           "in the Send path."));
    auto* col = new QVBoxLayout(this);
    col->setContentsMargins(4, 2, 4, 4);
    col->addWidget(keep_);
    col->addWidget(text_, 1);
    connect(keep_, &QCheckBox::toggled, this, &RequestFrameView::keepToggled);
}

QString RequestFrameView::text() const {
    return text_->toPlainText();
}

void RequestFrameView::showText(const QString& text) {
    text_->setPlainText(text);
}

}  // namespace bs::ui
