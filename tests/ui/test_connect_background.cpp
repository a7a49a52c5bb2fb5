// Connecting elsewhere happens in the background: the embedded cluster keeps serving until the
// new cluster answers, a failure says why (refused, no answer in time), an attempt can be
// abandoned or superseded, and a bootstrap address never shows as a broker.

#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>
#include <QToolButton>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

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

using namespace bs::ui;

namespace {

ConnectionSettings external(const QString& bootstrap, int timeoutMs) {
    ConnectionSettings s;
    s.mode = ConnectionSettings::Mode::External;
    s.bootstrapServers = bootstrap;
    s.connectTimeoutMs = timeoutMs;
    return s;
}

// A loopback socket bound to an ephemeral port; listening or not.
class LoopbackSocket {
  public:
    explicit LoopbackSocket(bool listening) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t len = sizeof a;
        if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&a), len) != 0 ||
            ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len) != 0)
            return;
        port_ = ntohs(a.sin_port);
        // Listening: the kernel completes connections in the backlog and nobody ever answers
        // (a broker that hangs). Not listening: connections are refused.
        if (listening && ::listen(fd_, 16) != 0) port_ = 0;
    }
    ~LoopbackSocket() {
        if (fd_ >= 0) ::close(fd_);
    }
    LoopbackSocket(const LoopbackSocket&) = delete;
    LoopbackSocket& operator=(const LoopbackSocket&) = delete;
    bool ok() const { return port_ != 0; }
    QString address() const { return QStringLiteral("127.0.0.1:%1").arg(port_); }

  private:
    int fd_;
    quint16 port_ = 0;
};

// The embedded cluster still takes a record end to end.
void deliversOnEmbedded(test::Harness& h) {
    RecordComposer* c = h.window->findChild<RecordComposer*>();
    const qint64 before = h.window->findChild<DeliveriesModel*>()->totalAdded();
    QTRY_VERIFY_WITH_TIMEOUT(child<QPushButton>(c, "send")->isEnabled(), 10000);
    child<QPushButton>(c, "send")->click();
    QTRY_COMPARE_WITH_TIMEOUT(h.window->findChild<DeliveriesModel*>()->totalAdded(), before + 1,
                              30000);
    const Delivery& d = h.window->findChild<DeliveriesModel*>()->at(
        h.window->findChild<DeliveriesModel*>()->rowCount() - 1);
    QVERIFY2(d.ok(), qPrintable(d.error));
}

// The cluster dock's data: the three embedded brokers, no bootstrap address.
void showsOnlyEmbeddedBrokers(test::Harness& h, const QString& notShown) {
    const ClusterInfo info = h.controller->session().clusterInfo();
    QVERIFY(info.embedded);
    QCOMPARE(info.nodes.size(), size_t{3});
    for (const auto& n : info.nodes) {
        QVERIFY2(n.id >= 0, qPrintable(QString::number(n.id)));
        QVERIFY(QStringLiteral("%1:%2").arg(n.host).arg(n.port) != notShown);
    }
    for (const auto& lane : h.window->findChild<SenderModel*>()->nodes())
        QVERIFY2(lane.nodeId >= 0 && lane.address != notShown, qPrintable(lane.address));
}

}  // namespace

class TestConnectBackground : public QObject {
    Q_OBJECT
  private Q_SLOTS:
    void refusedConnectionKeepsTheEmbeddedCluster() {
        test::Harness h;
        QVERIFY(h.waitConnected());
        const ConnectionSettings embedded = h.controller->session().connection();
        LoopbackSocket closed(false);  // bound, not listening: connections are refused
        QVERIFY(closed.ok());
        const QString target = closed.address();
        QSignalSpy failed(&h.controller->session(), &ClusterSession::connectionFailed);
        QSignalSpy connected(&h.controller->session(), &ClusterSession::connected);
        h.controller->session().connectTo(external(target, 60000), {});
        QVERIFY(h.controller->session().connecting());
        // While it tries, the window says so and the old connection serves.
        QVERIFY2(child<QLabel>(h.window.get(), "connectionState")
                     ->text()
                     .contains(QStringLiteral("Connecting to")),
                 qPrintable(child<QLabel>(h.window.get(), "connectionState")->text()));
        QVERIFY(child<QToolButton>(h.window.get(), "cancelConnect")->isVisibleTo(h.window.get()));
        // Refused is an answer: no minute-long wait for it.
        QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, 20000);
        const QString why = failed[0][0].toString();
        QVERIFY2(
            why.contains(target) && why.contains(QStringLiteral("refused"), Qt::CaseInsensitive),
            qPrintable(why));
        QCOMPARE(connected.size(), 0);
        QVERIFY(!h.controller->session().connecting());
        QVERIFY(h.controller->session().isConnected());
        QVERIFY(h.controller->session().embedded());
        QCOMPARE(h.controller->session().connection().describe(), embedded.describe());
        const QString status = child<QLabel>(h.window.get(), "connectionState")->text();
        QVERIFY2(status.contains(QStringLiteral("refused"), Qt::CaseInsensitive) &&
                     status.contains(QStringLiteral("still connected to embedded cluster")),
                 qPrintable(status));
        QVERIFY(!child<QToolButton>(h.window.get(), "cancelConnect")->isVisibleTo(h.window.get()));
        // The Log dock gets its lines by a queued call: they may come a tick after the signal.
        QTRY_VERIFY2_WITH_TIMEOUT(
            h.window->findChild<LogPanel*>()->text().contains(QStringLiteral("connection failed")),
            qPrintable(h.window->findChild<LogPanel*>()->text()), 5000);
        showsOnlyEmbeddedBrokers(h, target);
        deliversOnEmbedded(h);
    }

    void silentServerTimesOutWithTheReason() {
        test::Harness h;
        QVERIFY(h.waitConnected());
        LoopbackSocket silent(true);
        QVERIFY(silent.ok());
        QSignalSpy failed(&h.controller->session(), &ClusterSession::connectionFailed);
        h.controller->session().connectTo(external(silent.address(), 1500), {});
        QVERIFY2(child<QLabel>(h.window.get(), "connectionState")
                     ->text()
                     .contains(QStringLiteral("of 1.5 s")),
                 qPrintable(child<QLabel>(h.window.get(), "connectionState")->text()));
        QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, 20000);
        const QString why = failed[0][0].toString();
        QVERIFY2(
            why.contains(QStringLiteral("no answer from %1 within 1.5 s").arg(silent.address())),
            qPrintable(why));
        showsOnlyEmbeddedBrokers(h, silent.address());
        deliversOnEmbedded(h);
    }

    void abandonedAttemptLeavesTheConnectionAlone() {
        test::Harness h;
        QVERIFY(h.waitConnected());
        LoopbackSocket silent(true);
        QVERIFY(silent.ok());
        QSignalSpy failed(&h.controller->session(), &ClusterSession::connectionFailed);
        h.controller->session().connectTo(external(silent.address(), 120000), {});
        QTRY_VERIFY(child<QToolButton>(h.window.get(), "cancelConnect")->isVisible());
        child<QToolButton>(h.window.get(), "cancelConnect")->click();
        QCOMPARE(failed.size(), 1);
        QVERIFY2(failed[0][0].toString().contains(QStringLiteral("abandoned")),
                 qPrintable(failed[0][0].toString()));
        QVERIFY(!h.controller->session().connecting());
        QVERIFY(h.controller->session().embedded());
        deliversOnEmbedded(h);
        QCOMPARE(failed.size(), 1);
    }

    void switchingBackSupersedesAHangingAttempt() {
        test::Harness h;
        QVERIFY(h.waitConnected());
        const ConnectionSettings embedded = h.controller->session().connection();
        const QString clusterId = h.controller->session().clusterInfo().clusterId;
        LoopbackSocket silent(true);
        QVERIFY(silent.ok());
        QSignalSpy failed(&h.controller->session(), &ClusterSession::connectionFailed);
        QSignalSpy connected(&h.controller->session(), &ClusterSession::connected);
        h.controller->session().connectTo(external(silent.address(), 120000), {});
        h.controller->session().connectTo(embedded, {});
        // The hanging attempt does not hold the switch back for its timeout.
        QTRY_COMPARE_WITH_TIMEOUT(connected.size(), 1, 30000);
        QVERIFY(!h.controller->session().connecting());
        QCOMPARE(failed.size(), 0);
        // The same embedded cluster, not restarted.
        QCOMPARE(h.controller->session().clusterInfo().clusterId, clusterId);
        QVERIFY2(!h.window->findChild<LogPanel*>()->text().contains(
                     QStringLiteral("external cluster %1")
                         .arg(silent.address())
                         .prepend(QStringLiteral("connected: "))),
                 qPrintable(h.window->findChild<LogPanel*>()->text()));
        showsOnlyEmbeddedBrokers(h, silent.address());
        deliversOnEmbedded(h);
    }
};

QTEST_MAIN(TestConnectBackground)
#include "test_connect_background.moc"
