// ${n} moves across single Sends (it was 1 for every one) and the repeat progress bar shows only
// while a repeat runs (it read "0 / 1" before and after).

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
#include "ui_harness.h"
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
};

QTEST_MAIN(TestSendCounter)
#include "test_send_counter.moc"
