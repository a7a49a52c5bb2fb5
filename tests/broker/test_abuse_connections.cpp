// Connections to the embedded broker: past max.connections new ones are closed as they are
// accepted (logged once per burst, not per connection), and 10 000 connections opened and
// dropped, some mid-frame, leave nothing held: the broker still answers and its counters
// return to zero. Real sockets against a one-node cluster in this process.
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QtTest>
#include <vector>

#include "broker/abuse_support.h"
#include "broker/raw_client.h"
#include "support/eventually.h"

using bs::broker::ClusterConfig;
using bs::broker::Refusal;
using namespace bs::test;
using namespace std::chrono_literals;

class AbuseConnectionsTest : public QObject {
    Q_OBJECT

  private slots:
    void connectionsBeyondTheCapAreClosedAtAccept() {
        QTemporaryDir dir;
        LogCapture log;
        ClusterConfig c;
        c.maxConnections = 50;
        auto cluster = startOneNode(c, dir.path().toStdString());
        QVERIFY(cluster);
        const uint16_t port = portOf(*cluster);
        std::vector<RawSocket> held;
        for (int i = 0; i < 50; ++i) {
            held.push_back(connectTo(port));
            QVERIFY(held.back().ok());
        }
        QVERIFY(eventually([&] { return connections(*cluster) == 50; }));
        for (int i = 0; i < 30; ++i) {
            RawSocket extra = connectTo(port);  // the kernel completes it; the node closes it
            QVERIFY(extra.ok());
            QVERIFY(closedByPeer(extra, 10s));
        }
        QVERIFY(!apiVersionsServed(port));  // a well-behaved client too, while the cap holds
        QCOMPARE(refused(*cluster, Refusal::ConnectionLimit), uint64_t{31});
        QCOMPARE(log.warnings("max.connections=50"), 1);
        QCOMPARE(connections(*cluster), size_t{50});

        held.clear();
        QVERIFY(eventually([&] { return connections(*cluster) == 0; }));
        QVERIFY(apiVersionsServed(port));
    }

    void tenThousandConnectionsOpenedAndDropped() {
        QTemporaryDir dir;
        LogCapture log;
        ClusterConfig c;
        c.maxConnections = 400;
        auto cluster = startOneNode(c, dir.path().toStdString());
        QVERIFY(cluster);
        const uint16_t port = portOf(*cluster);
        QElapsedTimer t;
        t.start();
        int opened = 0;
        for (int round = 0; round < 20; ++round) {  // 500 at a time: 100 of each refused
            std::vector<RawSocket> batch;
            for (int i = 0; i < 500; ++i) {
                batch.push_back(connectTo(port));
                if (!batch.back().ok()) continue;
                ++opened;
                // Every third drops mid-frame, every third after a request, the rest idle.
                if (i % 3 == 0) (void)sendAll(batch.back(), announce(1 << 20, 1000));
                if (i % 3 == 1) (void)sendAll(batch.back(), apiVersionsRequest(i));
            }
            const uint64_t refusedSoFar = uint64_t{100} * static_cast<uint64_t>(round + 1);
            QVERIFY(eventually(
                [&] { return refused(*cluster, Refusal::ConnectionLimit) == refusedSoFar; }));
            batch.clear();
            QVERIFY(eventually([&] { return connections(*cluster) == 0; }));
        }
        QCOMPARE(opened, 10000);
        QVERIFY(apiVersionsServed(port));
        QVERIFY(served(port, metadataRequest(9, "t"), 9));
        // Nothing the dropped connections held is still charged.
        QVERIFY(eventually([&] {
            const auto n = network(*cluster);
            return n.bufferedRequestBytes == 0 && n.queuedResponseBytes == 0;
        }));
        const auto net = network(*cluster);
        QCOMPARE(net.refusals[static_cast<size_t>(Refusal::ConnectionLimit)], uint64_t{2000});
        // 2000 refusals: one line, then at most one per 10 s.
        QVERIFY(log.warnings("max.connections=400") <= 1 + t.elapsed() / 10'000);
    }
};

QTEST_GUILESS_MAIN(AbuseConnectionsTest)
#include "test_abuse_connections.moc"
