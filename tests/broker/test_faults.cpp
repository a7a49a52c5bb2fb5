// Every fault-injection command of the standalone broker's stdin, observed through kcat.
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

    QByteArray metadata(const QString& node) {
        return runTool("kcat", {"-L", "-b", node, "-t", "demo", "-m", "10"}, {}, 30000).out;
    }

  private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        QVERIFY(broker_.start(dir_.path(), {"--topic", "demo:3"}));
    }

    void statusAndHelp() {
        QByteArray first = broker_.command("status");
        QVERIFY2(first.startsWith("cluster "), first.constData());
        QVERIFY(broker_.readLine(5000).startsWith("node 0 "));
        QVERIFY(broker_.readLine(5000).startsWith("node 1 "));
        QVERIFY(broker_.readLine(5000).startsWith("node 2 "));
        QVERIFY(broker_.readLine(5000).startsWith("topic demo partitions=3"));
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

    void downAndUp() {
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

    void injectedProduceError() {
        QCOMPARE(broker_.command("error 0 produce NOT_LEADER_OR_FOLLOWER 1"), QByteArray("ok"));
        // librdkafka sees the injected error on its first attempt (its debug log says so),
        // retries, and the record is stored once: the failed attempt never reached the log.
        auto produced = runTool(
            "kcat", {"-P", "-b", broker_.bootstrap(), "-t", "demo", "-p", "0", "-X", "debug=msg"},
            "once\n");
        QCOMPARE(produced.exitCode, 0);
        QVERIFY2(produced.err.contains("encountered error: Broker: Not leader for partition"),
                 produced.err.constData());
        auto consumed = runTool("kcat", {"-C", "-b", broker_.bootstrap(), "-t", "demo", "-p", "0",
                                         "-o", "beginning", "-e", "-q"});
        QCOMPARE(consumed.out, QByteArray("once\n"));
    }

    void injectedMetadataError() {
        // Enough for every Metadata request of one kcat session, then disarmed.
        QCOMPARE(broker_.command("error 2 metadata TOPIC_AUTHORIZATION_FAILED 50"),
                 QByteArray("ok"));
        QVERIFY(
            metadata(broker_.node(2)).contains("0 partitions: Broker: Topic authorization failed"));
        QCOMPARE(broker_.command("error 2 metadata NONE 0"), QByteArray("ok"));
        QVERIFY(metadata(broker_.node(2)).contains("topic \"demo\" with 3 partitions"));
    }

    void moveLeader() {
        QVERIFY(metadata(broker_.node(0)).contains("partition 2, leader 2"));
        QVERIFY(broker_.command("leader demo 2 0").startsWith("ok: demo-2 leader 0 epoch 1"));
        QVERIFY(metadata(broker_.node(0)).contains("partition 2, leader 0"));
        // A client that cached the old leader is redirected and its records land.
        auto produced =
            runTool("kcat", {"-P", "-b", broker_.bootstrap(), "-t", "demo", "-p", "2"}, "moved\n");
        QCOMPARE(produced.exitCode, 0);
        auto consumed = runTool("kcat", {"-C", "-b", broker_.bootstrap(), "-t", "demo", "-p", "2",
                                         "-o", "beginning", "-e", "-q"});
        QCOMPARE(consumed.out, QByteArray("moved\n"));
    }

    void cleanupTestCase() { QCOMPARE(broker_.terminate(), 0); }
};

QTEST_GUILESS_MAIN(FaultsTest)
#include "test_faults.moc"
