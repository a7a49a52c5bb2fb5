// Lessons: every shipped lesson runs from start to end in the real window against the embedded
// cluster, each step's place exists and is framed, and each step's outcome really happens.

#include <QTest>

#include "lessons/highlight_frame.h"
#include "lessons/lesson.h"
#include "lessons/lesson_runner.h"
#include "lessons/lessons_panel.h"
#include "ui_harness.h"

using namespace bs::ui;
using bs::ui::test::Harness;

class TestLessons : public QObject {
    Q_OBJECT
  private Q_SLOTS:
    void shippedLessonsParse() {
        QStringList errors;
        const QVector<Lesson> lessons = builtInLessons(&errors);
        QVERIFY2(errors.isEmpty(), qPrintable(errors.join('\n')));
        QVERIFY(lessons.size() >= 7);
        for (const Lesson& l : lessons) {
            QVERIFY(!l.id.isEmpty());
            for (const LessonStep& s : l.steps) {
                QVERIFY2(!s.expect.isEmpty(), qPrintable(l.id + ": " + s.title));
                QVERIFY2(s.text.size() > 40, qPrintable(l.id + ": " + s.title));
            }
        }
    }

    void badLessonIsRefusedNamingStepAndField() {
        const QByteArray bad = R"({"title": "t", "steps": [
            {"title": "a", "text": "b", "look": "deliveries", "expect": [{"kind": "delivered", "says": "x"}]},
            {"title": "a", "text": "b", "look": "deliveries", "expect": [{"kind": "teleported", "says": "x"}]}]})";
        const auto r = parseLesson(bad, QStringLiteral("bad.json"));
        QVERIFY(!r);
        const QString m = QString::fromStdString(r.error().message);
        QVERIFY2(m.contains(QStringLiteral("bad.json, step 2")) &&
                     m.contains(QStringLiteral("unknown kind \"teleported\"")),
                 qPrintable(m));
        const auto notJson = parseLesson("{\"title\": ", QStringLiteral("x.json"));
        QVERIFY(!notJson);
        QVERIFY(
            QString::fromStdString(notJson.error().message).contains(QStringLiteral("not JSON")));
        const auto badError = parseLesson(R"({"title": "t", "steps": [{"title": "a", "text": "b",
            "look": "x", "cluster": [{"node": 0, "error": {"api": "Produce", "code": "NOPE"}}]}]})",
                                          QStringLiteral("e.json"));
        QVERIFY(!badError);
        QVERIFY(QString::fromStdString(badError.error().message)
                    .contains(QStringLiteral("\"NOPE\" is not a Kafka error name")));
        const auto badGrow = parseLesson(R"({"title": "t", "steps": [{"title": "a", "text": "b",
            "look": "x", "cluster": [{"addPartitions": 0}]}]})",
                                         QStringLiteral("g.json"));
        QVERIFY(!badGrow);
        QVERIFY(
            QString::fromStdString(badGrow.error().message)
                .contains(QStringLiteral("g.json, step 1: cluster: addPartitions must be >= 1")));
        const auto badRef = parseLesson(R"({"title": "t", "steps": [{"title": "a", "text": "b",
            "look": "x", "expect": [{"kind": "keysMoved", "step": 1, "says": "x"}]}]})",
                                        QStringLiteral("k.json"));
        QVERIFY(!badRef);
        QVERIFY(QString::fromStdString(badRef.error().message)
                    .contains(QStringLiteral("\"step\" must name an earlier step")));
    }

    void everyLessonRunsToTheEnd_data() {
        QTest::addColumn<QString>("id");
        for (const Lesson& l : builtInLessons())
            QTest::newRow(qPrintable(l.id)) << l.id;
    }

    void everyLessonRunsToTheEnd() {
        QFETCH(QString, id);
        Harness h;
        QVERIFY(h.waitConnected());
        auto* panel = h.window->findChild<LessonsPanel*>();
        QVERIFY(panel);
        QVERIFY(panel->startLesson(id));
        LessonRunner* runner = panel->runner();
        const Lesson& lesson = runner->lesson();
        for (int i = 0; i < lesson.steps.size(); ++i) {
            if (i > 0) runner->next();
            QCOMPARE(runner->stepIndex(), i);
            const QString where = QStringLiteral("%1, step %2").arg(id).arg(i + 1);
            // The place the step points at exists, is shown, and is framed.
            QWidget* target = runner->lookTarget();
            QVERIFY2(target, qPrintable(where + ": no widget named " + lesson.steps[i].look));
            QTRY_VERIFY2(target->isVisible(), qPrintable(where));
            auto* frame = h.window->findChild<HighlightFrame*>();
            QTRY_VERIFY2(frame->isVisible() && frame->target() == target, qPrintable(where));
            // What the step expects really happens.
            // (qWaitFor, not QTRY: a failing QTRY waits twice as long again to report.)
            const bool seen = QTest::qWaitFor([&] { return runner->stepDone(); }, 60000);
            QVERIFY2(seen, qPrintable(where +
                                      ": not seen: " + runner->unmet().join(QStringLiteral("; ")) +
                                      " | measured: " + runner->measurements() +
                                      " | notes: " + runner->notes().join("; ")));
            qInfo("%s: %s", qPrintable(where), qPrintable(runner->measurements()));
        }
        runner->leave();
        QVERIFY(!runner->active());
        QVERIFY(!runner->settingsSet().isEmpty());  // what the lesson set stays said
    }
};

QTEST_MAIN(TestLessons)
#include "test_lessons.moc"
