#pragma once

#include <QColor>
#include <QFontMetrics>
#include <QVector>
#include <QWidget>

namespace bs::ui {

// The legend of the colours and borders the Accumulator and Sender views draw states with; wraps
// onto more lines when narrow.
class StateLegend : public QWidget {
    Q_OBJECT
  public:
    enum class Kind { Accumulator, Sender };
    explicit StateLegend(Kind kind, QWidget* parent = nullptr);
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;
    bool hasHeightForWidth() const override;
    int heightForWidth(int width) const override;
    // The entries' words, in order.
    QStringList texts() const;

  protected:
    void paintEvent(QPaintEvent* event) override;

  private:
    struct Item {
        QColor color;
        QString text;
        Qt::PenStyle pen;  // the chip's border; NoPen: a bar (the linger age)
    };
    static constexpr int kMargin = 6;
    static constexpr int kSpacing = 16;
    QVector<Item> items() const;
    QFont legendFont() const;
    int lineHeight() const;
    QVector<QPoint> flow(const QVector<Item>& items, int width) const;
    static int chipWidth(const Item& item);
    static int entryWidth(const Item& item, const QFontMetrics& fm);

    Kind kind_;
};

}  // namespace bs::ui
