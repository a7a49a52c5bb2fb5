// Every fault-injection command of the standalone broker's stdin, observed through kcat. The cases
// share one broker but not its state: each writes to a topic of its own, reads leaders rather
// than assuming them, and cleanup() undoes every fault, so any order (or one case alone) works.
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QtTest>

#include "broker/broker_process.h"

using bs::test::BrokerProcess;
using bs::test::runTool;

class FaultsTest : public QObject {
    Q_OBJECT

  private:
    QTemporaryDir dir_;
    BrokerProcess broker_;

    QByteArray metadata(const QString& node, const QString& topic = QStringLiteral("demo")) {
        return runTool("kcat", {"-L", "-b", node, "-t", topic, "-m", "10"}, {}, 30000).out;
    }
    // The leader of topic-partition as kcat lists it ("partition 2, leader 1, ..."); -1 if none.
    int leaderOf(const QString& topic, int partition) {
        const QByteArray md = metadata(broker_.bootstrap(), topic);
        const QByteArray key = "partition " + QByteArray::number(partition) + ", leader ";
        const qsizetype at = md.indexOf(key);
        if (at < 0) return -1;
        const qsizetype end = md.indexOf(',', at + key.size());
        return md.mid(at + key.size(), end - at - key.size()).toInt();
    }

  private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        QVERIFY(broker_.start(
            dir_.path(), {"--topic", "demo:3", "--topic", "moved:3", "--topic", "produced:3"}));
    }

    // Every node up, without latency or armed errors, whatever the case left behind.
    void cleanup() {
        for (int n = 0; n < 3; ++n) {
            const QByteArray node = QByteArray::number(n);
            QCOMPARE(broker_.command("latency " + node + " 0"), QByteArray("ok"));
            QCOMPARE(broker_.command("up " + node), QByteArray("ok"));
            QCOMPARE(broker_.command("error " + node + " metadata NONE 0"), QByteArray("ok"));
            QCOMPARE(broker_.command("error " + node + " produce NONE 0"), QByteArray("ok"));
        }
    }

    void statusListsNodesAndTopicsAndBadCommandsAreNamed() {
        QByteArray first = broker_.command("status");
        QVERIFY2(first.startsWith("cluster "), first.constData());
        QVERIFY(broker_.readLine(5000).startsWith("node 0 "));
        QVERIFY(broker_.readLine(5000).startsWith("node 1 "));
        QVERIFY(broker_.readLine(5000).startsWith("node 2 "));
        QVERIFY(broker_.readLine(5000).startsWith("topic demo partitions=3"));
        QVERIFY(broker_.readLine(5000).startsWith("topic moved partitions=3"));
        QVERIFY(broker_.readLine(5000).startsWith("topic produced partitions=3"));
        QVERIFY(broker_.readLine(5000).startsWith("network buffered-request-bytes=0 "));
        QVERIFY(broker_.command("bogus").startsWith("error: unknown command"));
        QVERIFY(broker_.command("down 7").startsWith("error: node 7 does not exist"));
    }

    void latencyDelaysResponses() {
        QCOMPARE(broker_.command("latency 1 400"), QByteArray("ok"));
        QElapsedTimer t;
        t.start();
        QVERIFY(metadata(broker_.node(1)).contains("3 brokers"));
        QVERIFY(t.elapsed() >= 400);
        QCOMPARE(broker_.command("latency 1 0"), QByteArray("ok"));
    }

    void downNodeLeavesMetadataAndRefusesConnections() {
        QCOMPARE(leaderOf(QStringLiteral("demo"), 1), 1);
        QCOMPARE(broker_.command("down 1"), QByteArray("ok"));
        const QByteArray md = metadata(broker_.node(0));
        QVERIFY2(md.contains("2 brokers"), md.constData());
        QVERIFY(!md.contains("broker 1 at"));
        QVERIFY(md.contains("partition 1, leader -1"));
        // The node itself refuses connections.
        auto direct = runTool("kcat", {"-L", "-b", broker_.node(1), "-m", "3"}, {}, 30000);
        QVERIFY(direct.exitCode != 0);
        QCOMPARE(broker_.command("up 1"), QByteArray("ok"));
        const QByteArray back = metadata(broker_.node(1));
        QVERIFY2(back.contains("3 brokers"), back.constData());
        QVERIFY(back.contains("partition 1, leader 1"));
    }

    void injectedProduceErrorIsRetriedAndStoredOnce() {
        const int leader = leaderOf(QStringLiteral("produced"), 0);
        QVERIFY(leader >= 0);
        QCOMPARE(broker_.command("error " + QByteArray::number(leader) +
                                 " produce NOT_LEADER_OR_FOLLOWER 1"),
                 QByteArray("ok"));
        // librdkafka sees the injected error on its first attempt (its debug log says so),
        // retries, and the record is stored once: the failed attempt never reached the log.
        auto produced = runTool(
            "kcat",
            {"-P", "-b", broker_.bootstrap(), "-t", "produced", "-p", "0", "-X", "debug=msg"},
            "once\n");
        QCOMPARE(produced.exitCode, 0);
        QVERIFY2(produced.err.contains("encountered error: Broker: Not leader for partition"),
                 produced.err.constData());
        auto consumed = runTool("kcat", {"-C", "-b", broker_.bootstrap(), "-t", "produced", "-p",
                                         "0", "-o", "beginning", "-e", "-q"});
        QCOMPARE(consumed.out, QByteArray("once\n"));
    }

    void injectedMetadataErrorIsAnsweredUntilDisarmed() {
        // Enough for every Metadata request of one kcat session, then disarmed.
        QCOMPARE(broker_.command("error 2 metadata TOPIC_AUTHORIZATION_FAILED 50"),
                 QByteArray("ok"));
        QVERIFY(
            metadata(broker_.node(2)).contains("0 partitions: Broker: Topic authorization failed"));
        QCOMPARE(broker_.command("error 2 metadata NONE 0"), QByteArray("ok"));
        QVERIFY(metadata(broker_.node(2)).contains("topic \"demo\" with 3 partitions"));
    }

    void movedLeaderRedirectsAClientWithTheOldOne() {
        const int was = leaderOf(QStringLiteral("moved"), 2);
        QVERIFY(was >= 0);
        const int now = (was + 1) % 3;
        QVERIFY(broker_.command("leader moved 2 " + QByteArray::number(now))
                    .startsWith("ok: moved-2 leader " + QByteArray::number(now) + " epoch 1"));
        QCOMPARE(leaderOf(QStringLiteral("moved"), 2), now);
        // A client that cached the old leader is redirected and its records land.
        auto produced =
            runTool("kcat", {"-P", "-b", broker_.bootstrap(), "-t", "moved", "-p", "2"}, "moved\n");
        QCOMPARE(produced.exitCode, 0);
        auto consumed = runTool("kcat", {"-C", "-b", broker_.bootstrap(), "-t", "moved", "-p", "2",
                                         "-o", "beginning", "-e", "-q"});
        QCOMPARE(consumed.out, QByteArray("moved\n"));
    }

    void cleanupTestCase() { QCOMPARE(broker_.terminate(), 0); }
};

QTEST_GUILESS_MAIN(FaultsTest)
#include "test_faults.moc"
