// Deadlines of the embedded broker's connections: a frame must arrive within
// request.read.timeout.ms of its first byte, however slowly it trickles; a connection with no
// traffic is closed after connections.max.idle.ms. Real sockets, small configured deadlines;
// the bounds only say "eventually" and "not before the deadline".
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QtTest>
#include <thread>

#include "broker/abuse_support.h"
#include "broker/raw_client.h"

using bs::broker::ClusterConfig;
using bs::broker::Refusal;
using namespace bs::test;
using namespace std::chrono_literals;

namespace {
constexpr int64_t kReadTimeoutMs = 1000;
constexpr int64_t kIdleMs = 4000;
}  // namespace

class AbuseDeadlinesTest : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    std::unique_ptr<bs::broker::EmbeddedCluster> cluster_;
    uint16_t port_ = 0;

  private slots:
    void initTestCase() {
        ClusterConfig c;
        c.requestReadTimeoutMs = kReadTimeoutMs;
        c.connectionsMaxIdleMs = kIdleMs;
        cluster_ = startOneNode(c, dir_.path().toStdString());
        QVERIFY(cluster_);
        port_ = portOf(*cluster_);
    }

    void stalledFrameIsClosedAfterTheDeadline() {
        const uint64_t before = refused(*cluster_, Refusal::RequestReadTimeout);
        RawSocket s = connectTo(port_);
        QElapsedTimer t;
        t.start();
        QVERIFY(sendAll(s, announce(1000, 10)));
        QVERIFY(closedByPeer(s, 30s));
        QVERIFY2(t.elapsed() >= kReadTimeoutMs - 50, qPrintable(QString::number(t.elapsed())));
        QCOMPARE(refused(*cluster_, Refusal::RequestReadTimeout), before + 1);
        QVERIFY(apiVersionsServed(port_));
    }

    void stalledSizePrefixIsClosedAfterTheDeadline() {
        const uint64_t before = refused(*cluster_, Refusal::RequestReadTimeout);
        RawSocket s = connectTo(port_);
        QVERIFY(sendAll(s, {0, 0}));  // half a size prefix
        QVERIFY(closedByPeer(s, 30s));
        QCOMPARE(refused(*cluster_, Refusal::RequestReadTimeout), before + 1);
    }

    // A byte now and then keeps a connection from being idle, not a frame from its deadline.
    void tricklingFrameIsClosedAtTheDeadline() {
        const uint64_t before = refused(*cluster_, Refusal::RequestReadTimeout);
        RawSocket s = connectTo(port_);
        QVERIFY(sendAll(s, announce(1000)));
        bool closed = false;
        for (int i = 0; i < 300 && !closed; ++i) {  // 30 s of one byte per 100 ms
            (void)::send(s.fd(), "x", 1, MSG_NOSIGNAL);
            closed = closedByPeer(s, 100ms);
        }
        QVERIFY(closed);
        QCOMPARE(refused(*cluster_, Refusal::RequestReadTimeout), before + 1);
    }

    // Between requests there is no frame deadline; only connections.max.idle.ms applies.
    void idleConnectionOutlivesTheFrameDeadlineThenIdles() {
        const uint64_t before = refused(*cluster_, Refusal::IdleTimeout);
        RawSocket s = connectTo(port_);
        QVERIFY(sendAll(s, apiVersionsRequest(1)));
        QElapsedTimer t;
        t.start();
        // Still open (answers only) well past request.read.timeout.ms.
        QVERIFY(!closedByPeer(s, std::chrono::milliseconds(3 * kReadTimeoutMs)));
        QVERIFY(closedByPeer(s, 60s));
        QVERIFY2(t.elapsed() >= kIdleMs - 100, qPrintable(QString::number(t.elapsed())));
        QCOMPARE(refused(*cluster_, Refusal::IdleTimeout), before + 1);
        QVERIFY(apiVersionsServed(port_));
    }

    void cleanupTestCase() { QVERIFY(cluster_->stop().ok()); }
};

QTEST_GUILESS_MAIN(AbuseDeadlinesTest)
#include "test_abuse_deadlines.moc"
