// Small things a newcomer trips over: Flush says it resumes a paused sender, the Deliveries
// table shows no sort arrow while rows are in callback order, details say "1 record" and say
// when their batch has left, batch details list the batch's records, and the accumulator legend
// explains the expired-linger colour.

#include <QAction>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableView>
#include <QTest>

#include "models/accumulator_model.h"
#include "models/deliveries_model.h"
#include "session/cluster_session.h"
#include "ui_harness.h"
#include "widgets/accumulator_view.h"
#include "widgets/deliveries_panel.h"
#include "widgets/log_panel.h"
#include "widgets/record_composer.h"
#include "widgets/state_legend.h"

using namespace bs::ui;

class TestDetailsAndLegends : public QObject {
    Q_OBJECT
  private Q_SLOTS:
    void pausedBatchFlushAndLegends() {
        test::Harness h;
        QVERIFY(h.waitConnected());
        // The legend names every colour the boxes use, the linger-expired age bar included.
        bool found = false;
        for (auto* legend : h.window->findChildren<StateLegend*>())
            found = found || legend->texts().contains(QStringLiteral("linger expired (sendable)"));
        QVERIFY(found);
        QHeaderView* header =
            h.window->findChild<DeliveriesPanel*>()->findChild<QTableView*>()->horizontalHeader();
        QVERIFY(!header->isSortIndicatorShown());

        ClusterSession& session = h.controller->session();
        child<QAction>(h.window.get(), "pauseSender")->trigger();
        QVERIFY(session.senderPaused());
        RecordComposer* c = h.window->findChild<RecordComposer*>();
        child<QSpinBox>(c, "partition")->setValue(2);
        child<QLineEdit>(c, "key")->setText(QStringLiteral("order-${n}"));
        child<QPlainTextEdit>(c, "value")->setPlainText(QStringLiteral("[1,2]"));
        QTRY_VERIFY_WITH_TIMEOUT(child<QPushButton>(c, "send")->isEnabled(), 10000);
        child<QPushButton>(c, "send")->click();
        AccumulatorModel* acc = h.window->findChild<AccumulatorModel*>();
        const AccumulatorModel::Lane* lane = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT(
            (lane = acc->lane(QStringLiteral("demo"), 2)) && !lane->batches.isEmpty(), 20000);
        Q_EMIT h.window->findChild<AccumulatorView*>()->batchClicked(QStringLiteral("demo"), 2,
                                                                     lane->batches[0].id);
        auto* details = child<QLabel>(h.window.get(), "batchDetails");
        QVERIFY2(details->text().contains(QStringLiteral(": 1 record,")),
                 qPrintable(details->text()));
        // The details list what the open batch holds, read back from its buffer.
        QVERIFY2(details->text().contains(QStringLiteral("0: order-1 → [1,2]")),
                 qPrintable(details->text()));
        // A second record joins the same open batch and its list.
        QTRY_VERIFY_WITH_TIMEOUT(child<QPushButton>(c, "send")->isEnabled(), 10000);
        child<QPushButton>(c, "send")->click();
        QTRY_VERIFY_WITH_TIMEOUT(details->text().contains(QStringLiteral("1: order-2 → [1,2]")),
                                 20000);
        QVERIFY2(details->text().contains(QStringLiteral(": 2 records,")),
                 qPrintable(details->text()));

        QSignalSpy flushed(&session, &ClusterSession::flushFinished);
        child<QAction>(h.window.get(), "flush")->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(flushed.size(), 1, 30000);
        QVERIFY(!session.senderPaused());
        auto* log = h.window->findChild<LogPanel*>();
        QTRY_VERIFY_WITH_TIMEOUT(
            log->text().contains(QStringLiteral("the sender was paused and is resumed")), 10000);
        QTRY_COMPARE_WITH_TIMEOUT(h.window->findChild<DeliveriesModel*>()->totalAdded(), qint64(2),
                                  20000);
        // The batch is gone: its details say so.
        QTRY_VERIFY_WITH_TIMEOUT(
            details->text().contains(QStringLiteral("has left the accumulator")), 10000);
        // A header click sorts for real, and only then shows the arrow.
        QTest::mouseClick(header->viewport(), Qt::LeftButton, {},
                          QPoint(header->sectionViewportPosition(header->logicalIndexAt(5)) + 5,
                                 header->height() / 2));
        QVERIFY(header->isSortIndicatorShown());
    }
};

QTEST_MAIN(TestDetailsAndLegends)
#include "test_details_and_legends.moc"
