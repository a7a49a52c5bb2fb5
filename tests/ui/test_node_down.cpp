// A node taken down while a request to it is in flight: the sender model shows the retries,
// and after the node comes back the record is delivered (recovery).

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

class TestNodeDown : public QObject {
    Q_OBJECT
  private Q_SLOTS:
    void retriesThenRecovers() {
        test::Harness h(PropertyMap{{"retry.backoff.ms", "100"}, {"request.timeout.ms", "30000"}});
        QVERIFY(h.waitConnected());
        constexpr int kPartition = 0;
        const int leader = h.leaderOf(kPartition);
        QVERIFY(leader >= 0);
        // Slowed: the request is still in flight when the node goes down.
        QCOMPARE(h.controller->session().setNodeLatency(leader, 3000), QString());
        RecordComposer* c = h.window->findChild<RecordComposer*>();
        child<QSpinBox>(c, "partition")->setValue(kPartition);
        QTRY_VERIFY_WITH_TIMEOUT(child<QPushButton>(c, "send")->isEnabled(), 10000);
        child<QPushButton>(c, "send")->click();

        SenderModel* snd = h.window->findChild<SenderModel*>();
        QTRY_VERIFY_WITH_TIMEOUT(snd->node(leader) && !snd->node(leader)->inFlight.isEmpty(),
                                 20000);
        QCOMPARE(h.controller->session().setNodeUp(leader, false), QString());
        QTRY_VERIFY_WITH_TIMEOUT(snd->retries() >= 1, 30000);
        QTRY_VERIFY_WITH_TIMEOUT(snd->node(leader) && !snd->node(leader)->connected, 20000);
        QCOMPARE(h.window->findChild<DeliveriesModel*>()->rowCount(), 0);

        QCOMPARE(h.controller->session().setNodeLatency(leader, 0), QString());
        QCOMPARE(h.controller->session().setNodeUp(leader, true), QString());
        QTRY_COMPARE_WITH_TIMEOUT(h.window->findChild<DeliveriesModel*>()->rowCount(), 1, 45000);
        const Delivery& d = h.window->findChild<DeliveriesModel*>()->at(0);
        QVERIFY2(d.ok(), qPrintable(d.error));
        QCOMPARE(d.partition, kPartition);
        QVERIFY(d.offset >= 0);
        QTRY_VERIFY_WITH_TIMEOUT(snd->node(leader) && snd->node(leader)->connected, 20000);
    }
};

QTEST_MAIN(TestNodeDown)
#include "test_node_down.moc"
