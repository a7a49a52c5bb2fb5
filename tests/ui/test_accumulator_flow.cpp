// linger.ms=60000 and the sender paused: the accumulator model shows the open batch growing;
// Flush drains it, the sender model shows the in-flight ProduceRequest, then it completes.

#include <QAction>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTest>

#include "models/accumulator_model.h"
#include "models/deliveries_model.h"
#include "models/sender_model.h"
#include "ui_harness.h"
#include "widgets/record_composer.h"

using namespace bs::ui;

namespace {
int openRecords(const AccumulatorModel* m, int partition) {
    const auto* lane = m->lane(QStringLiteral("demo"), partition);
    if (!lane) return -1;
    for (const auto& b : lane->batches)
        if (!b.drained && b.state == bs::producer::BatchState::Open) return b.records;
    return 0;
}
}  // namespace

class TestAccumulatorFlow : public QObject {
    Q_OBJECT
  private Q_SLOTS:
    void batchGrowsThenDrainsThenCompletes() {
        test::Harness h(PropertyMap{{"linger.ms", "60000"}});
        QVERIFY(h.waitConnected());
        constexpr int kPartition = 2;
        const int leader = h.leaderOf(kPartition);
        QVERIFY(leader >= 0);
        // Slowed so the in-flight request is on screen long enough to be seen.
        QCOMPARE(h.controller->session().setNodeLatency(leader, 1500), QString());

        child<QAction>(h.window.get(), "pauseSender")->trigger();
        QVERIFY(h.controller->session().senderPaused());
        RecordComposer* c = h.window->findChild<RecordComposer*>();
        child<QSpinBox>(c, "partition")->setValue(kPartition);
        QTRY_VERIFY_WITH_TIMEOUT(child<QPushButton>(c, "send")->isEnabled(), 10000);

        AccumulatorModel* acc = h.window->findChild<AccumulatorModel*>();
        for (int n = 1; n <= 3; ++n) {
            child<QPushButton>(c, "send")->click();
            QTRY_COMPARE_WITH_TIMEOUT(openRecords(acc, kPartition), n, 20000);
        }
        const auto* lane = acc->lane(QStringLiteral("demo"), kPartition);
        QVERIFY(lane);
        QCOMPARE(lane->queuedRecords(), 3);
        QCOMPARE(acc->queuedBatches(), 1);
        QCOMPARE(acc->lingerMs(), 60000);
        SenderModel* snd = h.window->findChild<SenderModel*>();
        QCOMPARE(snd->inFlightCount(), 0);
        QCOMPARE(h.window->findChild<DeliveriesModel*>()->rowCount(), 0);

        child<QAction>(h.window.get(), "flush")->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(acc->queuedRecords(), 0, 20000);
        QTRY_VERIFY_WITH_TIMEOUT(snd->node(leader) && !snd->node(leader)->inFlight.isEmpty(),
                                 20000);
        const auto& req = snd->node(leader)->inFlight.front();
        QCOMPARE(req.records, 3);
        QVERIFY(req.partitions.contains(QStringLiteral("demo-2")));
        QTRY_VERIFY_WITH_TIMEOUT(snd->completedRequests() >= 1 && snd->inFlightCount() == 0, 30000);
        QTRY_COMPARE_WITH_TIMEOUT(h.window->findChild<DeliveriesModel*>()->rowCount(), 3, 30000);
        for (int r = 0; r < 3; ++r) {
            QCOMPARE(h.window->findChild<DeliveriesModel*>()->at(r).partition, kPartition);
            QVERIFY(h.window->findChild<DeliveriesModel*>()->at(r).offset >= 0);
        }
        QVERIFY(!snd->node(leader)->recent.isEmpty());
        QCOMPARE(snd->node(leader)->recent.back().errorCode, 0);
    }
};

QTEST_MAIN(TestAccumulatorFlow)
#include "test_accumulator_flow.moc"
