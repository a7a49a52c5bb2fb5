#include "widgets/log_panel.h"

#include <QPlainTextEdit>
#include <QScrollBar>
#include <QTextBlock>
#include <QVBoxLayout>

namespace bs::ui {

LogPanel::LogPanel(QWidget* parent) : QWidget(parent) {
    text_ = new QPlainTextEdit(this);
    text_->setReadOnly(true);
    text_->setMaximumBlockCount(3000);
    text_->setLineWrapMode(QPlainTextEdit::NoWrap);
    QFont mono(QStringLiteral("monospace"));
    mono.setStyleHint(QFont::Monospace);
    mono.setPointSizeF(font().pointSizeF() * 0.9);
    text_->setFont(mono);
    auto* col = new QVBoxLayout(this);
    col->setContentsMargins(2, 2, 2, 2);
    col->addWidget(text_);
}

void LogPanel::append(const QStringList& lines) {
    auto* bar = text_->verticalScrollBar();
    const bool atEnd = bar->value() == bar->maximum();
    for (const QString& l : lines)
        text_->appendPlainText(l);
    if (atEnd) bar->setValue(bar->maximum());
}

QString LogPanel::text() const {
    return text_->toPlainText();
}

int LogPanel::lineCount() const {
    return text_->document()->blockCount();
}

}  // namespace bs::ui
