#pragma once

#include <QPointer>
#include <QTimer>
#include <QWidget>

namespace bs::ui {

// A coloured frame drawn over the window around the widget a lesson step points at. It follows
// the widget as docks move and ignores the mouse, so the window stays usable. GUI thread.
class HighlightFrame : public QWidget {
    Q_OBJECT
  public:
    explicit HighlightFrame(QWidget* window);
    // Frames `target` (null: hides the frame).
    void follow(QWidget* target);
    QWidget* target() const { return target_; }

  protected:
    void paintEvent(QPaintEvent* event) override;

  private:
    void place();

    QPointer<QWidget> target_;
    QTimer track_;
};

}  // namespace bs::ui
