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

  Q_SIGNALS:
    void requestClicked(int nodeId, int correlationId);

  protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;

  private:
    int laneHeight() const;
    int slotWidth() const;
    QRect slotRect(int lane, int slot) const;
    QRect recentRect(int lane, int index) const;

    SenderModel* model_;
    int selected_ = -1;
    static constexpr int kHeaderWidth = 138;
    static constexpr int kGap = 6;
    static constexpr int kRecentWidth = 96 + 14;  // the two newest completions
};

// "OK", Kafka's error name, or "DISCONNECTED" (-2: the connection closed before a response).
QString errorLabel(int code);

}  // namespace bs::ui
