#pragma once

#include <QWidget>

class QCheckBox;
class QPlainTextEdit;

namespace bs::ui {

// The request frame view: the bytes of the request selected in the Sender view or the Send
// path, decoded (size prefix, header, per partition the RecordBatch header) with a hex view.
// Keeping frames copies every request the producer writes, so it is a switch, off by default.
class RequestFrameView : public QWidget {
    Q_OBJECT
  public:
    explicit RequestFrameView(QWidget* parent = nullptr);
    QCheckBox* keepBox() const { return keep_; }
    QString text() const;
    void showText(const QString& text);

  Q_SIGNALS:
    void keepToggled(bool on);

  private:
    QCheckBox* keep_;
    QPlainTextEdit* text_;
};

}  // namespace bs::ui
