#include "lessons/lessons_panel.h"

#include <QComboBox>
#include <QDockWidget>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QMainWindow>
#include <QPushButton>
#include <QVBoxLayout>

#include "lessons/highlight_frame.h"
#include "lessons/lesson.h"
#include "lessons/lesson_runner.h"

namespace bs::ui {

namespace {
const QVector<Lesson>& shipped() {
    static const QVector<Lesson> lessons = builtInLessons();
    return lessons;
}

QLabel* wrapped(const char* name) {
    auto* l = new QLabel;
    l->setObjectName(QLatin1String(name));
    l->setWordWrap(true);
    l->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return l;
}

// The name a learner sees for the place a step points at: its dock's title, else its name.
QString placeName(QWidget* w, const QString& fallback) {
    for (QWidget* p = w; p; p = p->parentWidget())
        if (auto* dock = qobject_cast<QDockWidget*>(p)) return dock->windowTitle();
    return fallback;
}
}  // namespace

LessonsPanel::LessonsPanel(AppController* controller, QMainWindow* window, QWidget* parent)
    : QWidget(parent),
      runner_(new LessonRunner(controller, window, this)),
      frame_(new HighlightFrame(window)),
      chooser_(new QComboBox),
      start_(new QPushButton(tr("Start"))),
      title_(wrapped("lessonTitle")),
      text_(wrapped("lessonText")),
      look_(wrapped("lessonLook")),
      outcomes_(wrapped("lessonOutcomes")),
      measured_(wrapped("lessonMeasured")),
      settings_(wrapped("lessonSettings")),
      back_(new QPushButton(tr("Back"))),
      next_(new QPushButton(tr("Next"))),
      restart_(new QPushButton(tr("Restart"))),
      leave_(new QPushButton(tr("Leave"))) {
    setObjectName(QStringLiteral("lessonsPanel"));
    chooser_->setObjectName(QStringLiteral("lessonChooser"));
    // Long titles must not widen the right column (the window fits 1366 px).
    chooser_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    chooser_->setMinimumContentsLength(12);
    for (const Lesson& l : shipped())
        chooser_->addItem(l.title, l.id);
    start_->setObjectName(QStringLiteral("lessonStart"));
    back_->setObjectName(QStringLiteral("lessonBack"));
    next_->setObjectName(QStringLiteral("lessonNext"));
    restart_->setObjectName(QStringLiteral("lessonRestart"));
    leave_->setObjectName(QStringLiteral("lessonLeave"));
    title_->setTextFormat(Qt::RichText);
    look_->setTextFormat(Qt::RichText);
    outcomes_->setTextFormat(Qt::RichText);
    text_->setText(
        tr("Each lesson is a real experiment: it sets the producer and the cluster, "
           "sends, and points at the place in the window where the answer shows. "
           "Pick one and press Start."));

    auto* top = new QHBoxLayout;
    top->addWidget(chooser_, 1);
    top->addWidget(start_);
    auto* nav = new QGridLayout;
    nav->addWidget(back_, 0, 0);
    nav->addWidget(next_, 0, 1);
    nav->addWidget(restart_, 1, 0);
    nav->addWidget(leave_, 1, 1);
    auto* col = new QVBoxLayout(this);
    col->setContentsMargins(6, 4, 6, 6);
    col->addLayout(top);
    col->addWidget(title_);
    col->addWidget(text_);
    col->addWidget(look_);
    col->addWidget(outcomes_);
    col->addWidget(measured_);
    col->addWidget(settings_);
    col->addStretch(1);
    col->addLayout(nav);

    connect(start_, &QPushButton::clicked, this,
            [this] { startLesson(chooser_->currentData().toString()); });
    connect(back_, &QPushButton::clicked, runner_, &LessonRunner::back);
    connect(next_, &QPushButton::clicked, runner_, &LessonRunner::next);
    connect(restart_, &QPushButton::clicked, runner_, &LessonRunner::restart);
    connect(leave_, &QPushButton::clicked, runner_, &LessonRunner::leave);
    connect(runner_, &LessonRunner::changed, this, &LessonsPanel::refresh);
    refresh();
}

const QVector<Lesson>& LessonsPanel::lessons() const {
    return shipped();
}

bool LessonsPanel::startLesson(const QString& idOrTitle) {
    for (int i = 0; i < shipped().size(); ++i) {
        const Lesson& l = shipped()[i];
        if (l.id != idOrTitle && l.title != idOrTitle) continue;
        chooser_->setCurrentIndex(i);
        // The lesson's text must be readable beside the place it points at: its dock comes
        // forward with a good share of its column.
        for (QWidget* p = parentWidget(); p; p = p->parentWidget())
            if (auto* dock = qobject_cast<QDockWidget*>(p)) {
                dock->show();
                dock->raise();
                if (auto* mw = qobject_cast<QMainWindow*>(dock->parentWidget()))
                    mw->resizeDocks({dock}, {mw->height() * 42 / 100}, Qt::Vertical);
                break;
            }
        runner_->start(l);
        return true;
    }
    return false;
}

void LessonsPanel::refresh() {
    const bool active = runner_->active();
    const int step = runner_->stepIndex();
    const Lesson& l = runner_->lesson();
    const bool inLesson = step >= 0 && step < l.steps.size();
    back_->setEnabled(active && step > 0);
    next_->setEnabled(active && inLesson && step + 1 < l.steps.size());
    restart_->setEnabled(inLesson);
    leave_->setEnabled(active);
    if (!inLesson) {
        frame_->follow(nullptr);
        return;
    }
    const LessonStep& s = l.steps[step];
    title_->setText(tr("<b>%1</b> — step %2 of %3: %4")
                        .arg(l.title.toHtmlEscaped())
                        .arg(step + 1)
                        .arg(l.steps.size())
                        .arg(s.title.toHtmlEscaped()));
    text_->setText(s.text);
    QWidget* target = active ? runner_->lookTarget() : nullptr;
    frame_->follow(target);
    look_->setText(target ? tr("Look at: <b>%1</b> (framed in orange)")
                                .arg(placeName(target, s.look).toHtmlEscaped())
                          : tr("Look at: <b>%1</b> (not in this window)").arg(s.look));
    QStringList lines;
    const QVector<bool> met = runner_->met();
    for (int i = 0; i < s.expect.size(); ++i)
        lines << QStringLiteral("%1 %2").arg(
            i < met.size() && met[i] ? QStringLiteral("✓") : QStringLiteral("…"),
            s.expect[i].says.toHtmlEscaped());
    if (runner_->stepDone())
        lines << tr("<b>Seen.</b> %1")
                     .arg(step + 1 < l.steps.size() ? tr("Next when you are ready.")
                                                    : tr("That was the last step."));
    outcomes_->setText(lines.join(QStringLiteral("<br>")));
    measured_->setText(tr("Measured: %1").arg(runner_->measurements()));
    const QString set = runner_->settingsSet();
    QString settings =
        set.isEmpty() ? QString() : tr("Set by this lesson (kept when you leave): %1").arg(set);
    for (const QString& n : runner_->notes())
        settings += QStringLiteral("\n") + n;
    if (!active) settings.prepend(tr("You left the lesson. "));
    settings_->setText(settings);
}

}  // namespace bs::ui
