#pragma once

#include <QWidget>

#include "producer/observation.h"

namespace bs::ui {

// One line under the accumulator: the BufferPool. A bar of buffer.memory (in batches, pooled
// free buffers, never allocated) and the send() callers blocked in allocate() with how long
// each has waited: while any waits, ready() drains every node with data ("exhausted"), and
// after max.block.ms the caller's send() fails. Repaints only (the poll rate). GUI thread.
class BufferPoolView : public QWidget {
    Q_OBJECT
  public:
    explicit BufferPoolView(QWidget* parent = nullptr);
    void setSnapshot(const producer::BufferPoolSnapshot& pool);
    // What the line says after the bar (also its tooltip's first line).
    QString summary() const;
    // The blocked callers part, empty when none waits.
    QString blockedText() const;
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

  protected:
    void paintEvent(QPaintEvent* event) override;

  private:
    producer::BufferPoolSnapshot pool_;
};

// "32.0 MB" / "224 KB" / "900 B".
QString memoryText(int64_t bytes);

}  // namespace bs::ui
