// kafka-python 2.0.2's KafkaConsumer(group_id=...) (range assignor, auto commit, its own
// heartbeat thread) passes the group scenario (group_scenario.h) against
// `batchscope-cli broker`. KafkaJS cannot be installed offline (npm), so it is not covered.
#include <QTemporaryDir>
#include <QtTest>

#include "broker/group_scenario.h"

namespace {

// One member: prints "<partition> <offset> <value>" per record; SIGTERM closes the consumer
// (a last commit, then LeaveGroup).
const char* kMember = R"(
import signal, sys
from kafka import KafkaConsumer
boot, group, topic, name = sys.argv[1].split(','), sys.argv[2], sys.argv[3], sys.argv[4]
c = KafkaConsumer(topic, bootstrap_servers=boot, group_id=group, client_id=name,
                  auto_offset_reset='earliest', auto_commit_interval_ms=100,
                  session_timeout_ms=10000, heartbeat_interval_ms=1000)
stop = []
signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
while not stop:
    for tp, records in c.poll(timeout_ms=100).items():
        for r in records:
            print(r.partition, r.offset, r.value.decode(), flush=True)
c.close()
)";

}  // namespace

class GroupsKafkaPythonTest : public QObject {
    Q_OBJECT

  private slots:
    void threeMembersThenOneLeavesThenARestart() {
        QTemporaryDir dir;
        bs::test::BrokerProcess broker;
        QVERIFY(broker.start(dir.path(), {"--topic", "payments:6"}));
        bs::test::GroupScenario scenario(
            broker, dir.path(), "payments", "ledger",
            [](bs::test::GroupMember& m, const QString& bootstrap, const QString& group,
               const QString& topic) {
                m.start("/usr/bin/python3", {"-c", kMember, bootstrap, group, topic, m.name()});
            });
        scenario.run();
        QCOMPARE(broker.terminate(), 0);
    }
};

QTEST_GUILESS_MAIN(GroupsKafkaPythonTest)
#include "test_groups_kafka_python.moc"
