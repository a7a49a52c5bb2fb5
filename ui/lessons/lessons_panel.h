#pragma once

#include <QWidget>

class QComboBox;
class QLabel;
class QMainWindow;
class QPushButton;

namespace bs::ui {

class AppController;
class HighlightFrame;
class LessonRunner;
struct Lesson;

// The Lessons dock: pick a lesson, read the step, look where the frame points, watch the
// outcomes tick as the pipeline produces them; Back / Next / Restart / Leave. GUI thread.
class LessonsPanel : public QWidget {
    Q_OBJECT
  public:
    LessonsPanel(AppController* controller, QMainWindow* window, QWidget* parent = nullptr);

    LessonRunner* runner() const { return runner_; }
    const QVector<Lesson>& lessons() const;
    // Starts the lesson with this id ("batching") or title; false if there is none.
    bool startLesson(const QString& idOrTitle);

  private:
    void refresh();

    LessonRunner* runner_;
    HighlightFrame* frame_;
    QComboBox* chooser_;
    QPushButton* start_;
    QLabel* title_;
    QLabel* text_;
    QLabel* look_;
    QLabel* outcomes_;
    QLabel* measured_;
    QLabel* settings_;
    QPushButton* back_;
    QPushButton* next_;
    QPushButton* restart_;
    QPushButton* leave_;
};

}  // namespace bs::ui
