// The Sender dock against the embedded cluster: one injected retriable error is one retry (in
// the header and in the log), and a broker without a connection yet reads "not connected", not
// "down", until the cluster really takes it down.

#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTest>

#include <QDoubleSpinBox>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QToolButton>
#include "models/deliveries_model.h"
#include "models/sender_model.h"

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
#include "widgets/sender_view.h"

using namespace bs::ui;

namespace {
constexpr int kProduce = 0;
constexpr int kNotLeaderOrFollower = 6;
}  // namespace

class TestSenderCounts : public QObject {
    Q_OBJECT
  private Q_SLOTS:
    void oneInjectedErrorIsOneRetry() {
        test::Harness h(PropertyMap{{"retry.backoff.ms", "50"}});
        QVERIFY(h.waitConnected());
        constexpr int kPartition = 0;
        const int leader = h.leaderOf(kPartition);
        QVERIFY(leader >= 0);
        for (int round = 1; round <= 2; ++round) {
            QCOMPARE(
                h.controller->session().injectErrors(leader, kProduce, kNotLeaderOrFollower, 1),
                QString());
            RecordComposer* c = h.window->findChild<RecordComposer*>();
            child<QSpinBox>(c, "partition")->setValue(kPartition);
            QTRY_VERIFY_WITH_TIMEOUT(child<QPushButton>(c, "send")->isEnabled(), 10000);
            child<QPushButton>(c, "send")->click();
            QTRY_COMPARE_WITH_TIMEOUT(h.window->findChild<DeliveriesModel*>()->totalAdded(),
                                      qint64(round), 30000);
            SenderModel* snd = h.window->findChild<SenderModel*>();
            // Both events of a doubled retry would arrive in the same hand-off.
            QTRY_VERIFY_WITH_TIMEOUT(snd->retries() >= round, 10000);
            QCOMPARE(snd->retries(), qint64(round));
            // The log relay hands lines over on its own timer.
            QTRY_VERIFY_WITH_TIMEOUT(h.window->findChild<LogPanel*>()->text().count(
                                         QStringLiteral("batch retried")) >= round,
                                     10000);
            const QString log = h.window->findChild<LogPanel*>()->text();
            QCOMPARE(log.count(QStringLiteral("batch retried")), qsizetype(round));
            // The retry line names the error (the injection itself is logged by the cluster too).
            QCOMPARE(log.count(QStringLiteral(") NOT_LEADER_OR_FOLLOWER")), qsizetype(round));
        }
        QVERIFY(h.window->findChild<DeliveriesModel*>()->at(0).ok());
    }

    void idleBrokerIsNotConnectedNotDown() {
        test::Harness h;
        QVERIFY(h.waitConnected());
        SenderModel* snd = h.window->findChild<SenderModel*>();
        QTRY_COMPARE_WITH_TIMEOUT(int(snd->nodes().size()), 3, 10000);
        // The cluster dock's state (every node up) has reached the model.
        QSignalSpy cluster(&h.controller->poller(), &SnapshotPoller::clusterChanged);
        QTRY_VERIFY_WITH_TIMEOUT(cluster.size() >= 1, 10000);
        int idle = 0;
        for (const auto& lane : snd->nodes()) {
            const QString label = connectionLabel(lane);
            QVERIFY2(label.isEmpty() || label == QStringLiteral("not connected"),
                     qPrintable(label));
            if (!lane.connected) ++idle;
        }
        QVERIFY2(idle > 0, "every broker got a connection before anything was sent");

        const int victim = snd->nodes().back().nodeId;
        QCOMPARE(h.controller->session().setNodeUp(victim, false), QString());
        QTRY_COMPARE_WITH_TIMEOUT(connectionLabel(*snd->node(victim)), QStringLiteral("down"),
                                  10000);
        QCOMPARE(h.controller->session().setNodeUp(victim, true), QString());
        QTRY_VERIFY_WITH_TIMEOUT(connectionLabel(*snd->node(victim)) != QStringLiteral("down"),
                                 10000);
    }
};

QTEST_MAIN(TestSenderCounts)
#include "test_sender_counts.moc"
