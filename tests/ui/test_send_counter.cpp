// ${n} moves across single Sends (it was 1 for every one) and the repeat progress bar shows only
// while a repeat runs (it read "0 / 1" before and after). Progress bars fed at the poll rate
// paint in Qt's update pass, not at once.

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSet>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTest>

#include "models/deliveries_model.h"
#include "session/send_service.h"
#include "session/snapshot_poller.h"
#include "ui_harness.h"
#include "widgets/live_progress_bar.h"
#include "widgets/record_composer.h"

using namespace bs::ui;

class TestSendCounter : public QObject {
    Q_OBJECT
  private Q_SLOTS:
    void templateCounterMovesAcrossSingleSends() {
        test::Harness h;
        QVERIFY(h.waitConnected());
        RecordComposer* c = h.window->findChild<RecordComposer*>();
        child<QComboBox>(c, "keySerializer")->setCurrentText(QStringLiteral("string"));
        child<QLineEdit>(c, "key")->setText(QStringLiteral("user-${n}"));
        QProgressBar* progress = child<QProgressBar>(c, "repeatProgress");
        QVERIFY(!progress->isVisibleTo(c));  // no "0 / 1" before anything ran
        QTRY_VERIFY_WITH_TIMEOUT(child<QPushButton>(c, "send")->isEnabled(), 10000);
        DeliveriesModel* m = h.window->findChild<DeliveriesModel*>();
        for (int i = 1; i <= 3; ++i) {
            child<QPushButton>(c, "send")->click();
            QTRY_COMPARE_WITH_TIMEOUT(m->totalAdded(), qint64(i), 30000);
        }
        QSet<QString> keys;
        for (int r = 0; r < m->rowCount(); ++r)
            keys.insert(m->at(r).key);
        QCOMPARE(keys, (QSet<QString>{QStringLiteral("user-1"), QStringLiteral("user-2"),
                                      QStringLiteral("user-3")}));
        QVERIFY(!progress->isVisibleTo(c));
        QVERIFY2(child<QPushButton>(c, "send")->toolTip().contains(QStringLiteral("${n}")),
                 qPrintable(child<QPushButton>(c, "send")->toolTip()));

        // A repeat shows its progress while it runs, and the bar goes away after.
        QSignalSpy finished(&h.controller->sends(), &SendService::repeatFinished);
        child<QSpinBox>(c, "repeatCount")->setValue(1000);
        child<QDoubleSpinBox>(c, "repeatRate")->setValue(20);
        child<QPushButton>(c, "repeat")->click();
        QTRY_VERIFY_WITH_TIMEOUT(progress->isVisibleTo(c) && progress->value() > 0, 20000);
        QCOMPARE(progress->maximum(), 1000);
        h.controller->sends().cancelRepeat();
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 20000);
        QVERIFY(!progress->isVisibleTo(c));
    }

    // The window refreshes less often while records pour in. A large unthrottled repeat says
    // so when it starts (the views would otherwise draw at 20 Hz until the first hand-off
    // measured the rate, half of a two-million-record repeat); a slow one changes nothing, and
    // once the records stop the refresh is back to 20 Hz.
    void aLargeUnthrottledRepeatRefreshesSlowlyFromItsStart() {
        test::Harness h;
        QVERIFY(h.waitConnected());
        RecordComposer* c = h.window->findChild<RecordComposer*>();
        SnapshotPoller& poller = h.controller->poller();
        QTRY_VERIFY_WITH_TIMEOUT(child<QPushButton>(c, "send")->isEnabled(), 10000);
        QCOMPARE(poller.intervalMs(), SnapshotPoller::kPollMs);
        QSignalSpy finished(&h.controller->sends(), &SendService::repeatFinished);

        child<QSpinBox>(c, "repeatCount")->setValue(200);
        child<QDoubleSpinBox>(c, "repeatRate")->setValue(50);
        child<QPushButton>(c, "repeat")->click();
        QVERIFY(!poller.busy());
        QCOMPARE(poller.intervalMs(), SnapshotPoller::kPollMs);
        h.controller->sends().cancelRepeat();
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 20000);

        // send().get() for each: one record per round trip, however many were asked for.
        child<QSpinBox>(c, "repeatCount")->setValue(1000000);
        child<QDoubleSpinBox>(c, "repeatRate")->setValue(0);
        child<QCheckBox>(c, "repeatSync")->setChecked(true);
        child<QPushButton>(c, "repeat")->click();
        QVERIFY(!poller.busy());
        h.controller->sends().cancelRepeat();
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 2, 20000);

        child<QCheckBox>(c, "repeatSync")->setChecked(false);
        child<QPushButton>(c, "repeat")->click();
        QVERIFY(poller.flooded());  // before any record was delivered
        QCOMPARE(poller.intervalMs(), SnapshotPoller::kFloodPollMs);
        QTRY_VERIFY_WITH_TIMEOUT(h.controller->sends().deliveredCount() > 1000, 30000);
        h.controller->sends().cancelRepeat();
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 3, 30000);
        QTRY_VERIFY_WITH_TIMEOUT(!poller.busy(), 10000);
        QCOMPARE(poller.intervalMs(), SnapshotPoller::kPollMs);
    }

    // setLiveValue() takes the value at once and paints it with the next update pass: no paint
    // inside the call (QProgressBar::setValue repaints there), one after.
    void liveProgressBarPaintsInTheUpdatePass() {
        struct Painted : QObject {
            int n = 0;
            bool eventFilter(QObject* o, QEvent* e) override {
                if (e->type() == QEvent::Paint) ++n;
                return QObject::eventFilter(o, e);
            }
        } painted;
        LiveProgressBar bar;
        bar.setRange(0, 100);
        bar.setFormat(QStringLiteral("buffer %p% used"));
        bar.show();
        QVERIFY(QTest::qWaitForWindowExposed(&bar));
        QTest::qWait(50);  // the first paints are done
        bar.installEventFilter(&painted);
        bar.setLiveValue(40);
        QCOMPARE(bar.value(), 40);
        QCOMPARE(bar.text(), QStringLiteral("buffer 40% used"));
        QCOMPARE(painted.n, 0);
        QTRY_COMPARE(painted.n, 1);
        bar.setLiveValue(40);  // unchanged: nothing to paint
        QTest::qWait(50);
        QCOMPARE(painted.n, 1);
        QVERIFY(bar.updatesEnabled());
    }
};

QTEST_MAIN(TestSendCounter)
#include "test_send_counter.moc"
