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
};

QTEST_GUILESS_MAIN(GroupsKcatTest)
#include "test_groups_kcat.moc"
