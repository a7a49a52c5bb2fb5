#pragma once

#include <QString>
#include <QWidget>

namespace bs::ui {

// A one-line label for text that changes at the poll rate (summaries, throughput). QLabel's
// setText() asks its window to lay out again, every time: at 20 Hz that was a tenth of the GUI
// thread at full speed. This one only repaints; its size depends on the font, not the text
// (longer text is elided, the whole of it in the tooltip).
class LiveLabel : public QWidget {
    Q_OBJECT
  public:
    // `sample`: a typical text, for the preferred width.
    explicit LiveLabel(QString sample = {}, QWidget* parent = nullptr);
    void setText(const QString& text);
    QString text() const { return text_; }
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

  protected:
    void paintEvent(QPaintEvent* event) override;

  private:
    QString text_;
    QString sample_;
};

}  // namespace bs::ui
