#pragma once

#include <QStringList>
#include <QWidget>

class QPlainTextEdit;

namespace bs::ui {

// The Log dock: core (spdlog) and GUI messages, bounded.
class LogPanel : public QWidget {
    Q_OBJECT
  public:
    explicit LogPanel(QWidget* parent = nullptr);
    void append(const QStringList& lines);
    int lineCount() const;
    QString text() const;

  private:
    QPlainTextEdit* text_;
};

}  // namespace bs::ui
