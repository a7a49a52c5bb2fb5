// kcat -G (librdkafka 2.0.2's balanced consumer, range assignor, auto commit) passes the group
// scenario (group_scenario.h) against `batchscope-cli broker`.
#include <QTemporaryDir>
#include <QtTest>

#include "broker/group_scenario.h"

class GroupsKcatTest : public QObject {
    Q_OBJECT

  private slots:
    void threeMembersThenOneLeavesThenARestart() {
        QTemporaryDir dir;
        bs::test::BrokerProcess broker;
        QVERIFY(broker.start(dir.path(), {"--topic", "orders:6"}));
        bs::test::GroupScenario scenario(
            broker, dir.path(), "orders", "billing",
            [](bs::test::GroupMember& m, const QString& bootstrap, const QString& group,
               const QString& topic) {
                m.start("kcat", {"-b", bootstrap, "-G", group, "-u", "-X",
                                 "auto.offset.reset=earliest", "-X", "auto.commit.interval.ms=100",
                                 "-X", "client.id=" + m.name(), "-f", "%p %o %s\\n", topic});
            });
        scenario.run();
        QCOMPARE(broker.terminate(), 0);
    }

    // Injected group errors reach librdkafka, which retries through them: every node answers
    // its first two JoinGroups with COORDINATOR_LOAD_IN_PROGRESS and its first Heartbeat with
    // REBALANCE_IN_PROGRESS, and the member still joins and reads everything.
    void injectedGroupErrorsAreRetried() {
        QTemporaryDir dir;
        bs::test::BrokerProcess broker;
        QVERIFY(broker.start(dir.path(), {"--topic", "faulty:3"}));
        for (const QByteArray node : {"0", "1", "2"}) {
            QCOMPARE(broker.command("error " + node + " join-group COORDINATOR_LOAD_IN_PROGRESS 2"),
                     QByteArray("ok"));
            QCOMPARE(broker.command("error " + node + " heartbeat REBALANCE_IN_PROGRESS 1"),
                     QByteArray("ok"));
        }
        QByteArray in;
        for (int i = 0; i < 100; ++i)
            in += "f-" + QByteArray::number(i) + "\n";
        auto produced =
            bs::test::runTool("kcat", {"-P", "-b", broker.bootstrap(), "-t", "faulty"}, in);
        QVERIFY2(produced.exitCode == 0, produced.err.constData());
        bs::test::GroupMember m("member-f");
        m.start("kcat", {"-b", broker.bootstrap(), "-G", "faulty-group", "-u", "-X",
                         "auto.offset.reset=earliest", "-X", "client.id=member-f", "-f",
                         "%p %o %s\\n", "faulty"});
        QVERIFY2(
            bs::test::waitFor({&m}, [&] { return bs::test::countBatch({&m}, "f").size() == 100; }),
            bs::test::describe({&m}).constData());
        // Only the coordinator's JoinGroup injections were consumed (by the member's retries):
        // the other two nodes still hold theirs.
        QVERIFY(broker.command("status").startsWith("cluster "));
        int armed = 0;
        for (int i = 0; i < 3; ++i)
            if (broker.readLine(5000).contains("error[JoinGroup")) ++armed;
        QCOMPARE(armed, 2);
        QVERIFY(m.stop());
        QCOMPARE(broker.terminate(), 0);
    }
};

QTEST_GUILESS_MAIN(GroupsKcatTest)
#include "test_groups_kcat.moc"
