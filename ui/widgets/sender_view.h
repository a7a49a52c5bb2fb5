#pragma once

#include <QWidget>
#include <optional>

#include "models/sender_model.h"

namespace bs::ui {

// Custom-painted Sender/NetworkClient: one lane per broker node with max.in.flight slots; each
// in-flight ProduceRequest shows its correlation id, partitions, size and elapsed time against
// request.timeout.ms; completed requests linger on the right, fading (green ok, red error).
class SenderView : public QWidget {
    Q_OBJECT
  public:
    explicit SenderView(SenderModel* model, QWidget* parent = nullptr);
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;
    struct Hit {
        int nodeId = -1;
        int correlationId = -1;
    };
    std::optional<Hit> requestAt(const QPoint& pos) const;
    // Where the request is drawn (an in-flight slot or a completion box); empty if not shown.
    QRect requestRect(int nodeId, int correlationId) const;
    // The hover text at `pos`: the request's full description and outcome; empty if none.
    QString toolTipAt(const QPoint& pos) const;
    // Highlights a request chosen elsewhere (the Send path).
    void selectRequest(int correlationId) {
        selected_ = correlationId;
        update();
    }
    int selectedRequest() const { return selected_; }

  Q_SIGNALS:
    void requestClicked(int nodeId, int correlationId);

  protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    bool event(QEvent* event) override;

  private:
    int laneHeight() const;
    int slotWidth() const;
    QRect slotRect(int lane, int slot) const;
    QRect recentRect(int lane, int index) const;
    int recentWidth() const;

    SenderModel* model_;
    int selected_ = -1;
    static constexpr int kHeaderWidth = 150;  // "node 0 not connected" on one line
    static constexpr int kGap = 6;
    // Five slots, the header and the completions fit the Sender dock of a 1366 px window.
    static constexpr int kSlotMinWidth = 70;
    // The completions column (the two newest): at least this, wider when the view is.
    static constexpr int kRecentMinWidth = 96 + 14;
};

// What a completion box says in `width` pixels and at most `maxLines` lines: "#12 ✓", or "#12 "
// and the error's name, broken after underscores, the last line elided at the right (the
// correlation id always shows).
QStringList completionLines(const QFontMetrics& fm, const SenderModel::Request& r, int width,
                            int maxLines);
// A request's full description (tooltip): node, partitions, size, time and the outcome with
// whether the producer retries it.
QString requestDescription(int nodeId, const SenderModel::Request& r, qint64 requestTimeoutMs);

}  // namespace bs::ui
