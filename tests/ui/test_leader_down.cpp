// A partition whose only replica is down: its batch says why it waits (no leader: the node is
// down and there is no other replica) instead of "OPEN", and the log names the metadata change
// once instead of a "MetadataUpdated" line per refresh.

#include <QRegularExpression>
#include <QTest>

#include <QDoubleSpinBox>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QToolButton>
#include "models/accumulator_model.h"
#include "models/deliveries_model.h"
#include "models/metrics_history.h"
#include "models/sender_model.h"
#include "session/cluster_session.h"
#include "session/send_service.h"
#include "session/snapshot_poller.h"
#include "ui_harness.h"
#include "widgets/accumulator_view.h"
#include "widgets/log_panel.h"
#include "widgets/metrics_panel.h"
#include "widgets/record_composer.h"

using namespace bs::ui;

class TestLeaderDown : public QObject {
    Q_OBJECT
    static bool windowSawLeader(test::Harness& h) {
        const QString log = h.window->findChild<LogPanel*>()->text();
        static const QRegularExpression known(
            QStringLiteral("brokers [0-9, ]+, [1-9][0-9]* partitions known"));
        return log.contains(known) || log.contains(QStringLiteral("demo-0"));
    }
    static bool producerKnowsLeader(test::Harness& h, int partition, int leader) {
        auto p = h.controller->session().producer();
        if (!p) return false;
        const auto known = p->metadata().fetch()->leaderFor({"demo", partition});
        return known && *known == leader;
    }
  private Q_SLOTS:
    void batchWaitsForLeaderAndSaysWhy() {
        test::Harness h(PropertyMap{{"retry.backoff.ms", "100"}});
        QVERIFY(h.waitConnected());
        constexpr int kPartition = 0;
        const int leader = h.leaderOf(kPartition);
        QVERIFY(leader >= 0);
        int metadataUpdates = 0;
        const auto counting = QObject::connect(
            &h.controller->poller(), &SnapshotPoller::eventsReady, h.window.get(),
            [&](const std::vector<bs::producer::Event>& events) {
                for (const auto& e : events)
                    metadataUpdates += e.type == bs::producer::EventType::MetadataUpdated;
            });
        // The log names a change only against what the producer knew before: wait until its
        // own metadata has the leader (a slow machine may be connected before it fetched demo).
        QTRY_VERIFY_WITH_TIMEOUT(producerKnowsLeader(h, kPartition, leader), 30000);
        // ... and until the window has taken that metadata as what it compares with (its first
        // look comes at a poll tick, which on a loaded machine may follow the node going down).
        QTRY_VERIFY_WITH_TIMEOUT(windowSawLeader(h), 30000);
        QCOMPARE(h.controller->session().setNodeUp(leader, false), QString());
        AccumulatorModel* acc = h.window->findChild<AccumulatorModel*>();
        QTRY_VERIFY_WITH_TIMEOUT(
            acc->lane(QStringLiteral("demo"), kPartition) &&
                acc->lane(QStringLiteral("demo"), kPartition)->downLeader == leader,
            10000);

        RecordComposer* c = h.window->findChild<RecordComposer*>();
        child<QSpinBox>(c, "partition")->setValue(kPartition);
        QTRY_VERIFY_WITH_TIMEOUT(child<QPushButton>(c, "send")->isEnabled(), 10000);
        child<QPushButton>(c, "send")->click();
        const AccumulatorModel::Lane* lane = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT((lane = acc->lane(QStringLiteral("demo"), kPartition)) &&
                                     !lane->batches.isEmpty() && lane->batches[0].noLeader,
                                 20000);
        const QString why = lane->waitingReason();
        QVERIFY2(why.contains(QStringLiteral("waiting for leader")) &&
                     why.contains(QStringLiteral("node %1 is down").arg(leader)) &&
                     why.contains(QStringLiteral("no other replica")),
                 qPrintable(why));
        Q_EMIT h.window->findChild<AccumulatorView*>()->batchClicked(
            QStringLiteral("demo"), kPartition, lane->batches[0].id);
        QVERIFY2(child<QLabel>(h.window.get(), "batchDetails")->text().contains(why),
                 qPrintable(child<QLabel>(h.window.get(), "batchDetails")->text()));

        // The producer refreshes metadata every retry.backoff.ms meanwhile: many updates, one
        // line naming the change.
        const int before = metadataUpdates;
        QTRY_VERIFY_WITH_TIMEOUT(metadataUpdates >= before + 8, 30000);
        const QString change = QStringLiteral("leader node %1 → none").arg(leader);
        QTRY_VERIFY2_WITH_TIMEOUT(h.window->findChild<LogPanel*>()->text().contains(change),
                                  qPrintable(h.window->findChild<LogPanel*>()->text()), 10000);
        const QString log = h.window->findChild<LogPanel*>()->text();
        QCOMPARE(log.count(QStringLiteral("MetadataUpdated")), qsizetype(0));
        QCOMPARE(log.count(change), qsizetype(1));
        QVERIFY2(log.contains(QStringLiteral("demo-%1").arg(kPartition)), qPrintable(log));

        // Back up: the batch leaves and the log says the leader returned.
        QCOMPARE(h.controller->session().setNodeUp(leader, true), QString());
        QTRY_VERIFY_WITH_TIMEOUT(h.controller->sends().deliveredCount() == 1, 30000);
        QTRY_VERIFY_WITH_TIMEOUT(h.window->findChild<LogPanel*>()->text().contains(
                                     QStringLiteral("leader none → node %1").arg(leader)),
                                 10000);
        QObject::disconnect(counting);
    }
};

QTEST_MAIN(TestLeaderDown)
#include "test_leader_down.moc"
