#pragma once

// The consumer group scenario every group peer passes against `batchscope-cli broker`: three
// members share a 6-partition topic and consume every record exactly once; one leaves and the
// other two take its partitions over; the committed offsets are the log end offsets, survive a
// broker restart, and a new member resumes where the group stopped. kafka-python's admin client
// observes the group's state and committed offsets (DescribeGroups, OffsetFetch).
#include <QTemporaryDir>
#include <QtTest>
#include <functional>

#include "broker/broker_process.h"
#include "broker/group_peers.h"

namespace bs::test {

// Prints "<state> <members>" and then "<topic> <partition> <committed offset>" lines.
inline const char* kGroupObserver = R"(
import sys
from kafka.admin import KafkaAdminClient
a = KafkaAdminClient(bootstrap_servers=sys.argv[1].split(','))
d = a.describe_consumer_groups([sys.argv[2]])[0]
print(d.state, len(d.members))
for tp, om in sorted(a.list_consumer_group_offsets(sys.argv[2]).items()):
    print(tp.topic, tp.partition, om.offset)
a.close()
)";

class GroupScenario {
  public:
    // startMember(member, bootstrap, group, topic) starts one long-running member.
    using Starter =
        std::function<void(GroupMember&, const QString&, const QString&, const QString&)>;
    GroupScenario(BrokerProcess& broker, QString dataDir, QString topic, QString group,
                  Starter startMember)
        : broker_(broker),
          dataDir_(std::move(dataDir)),
          topic_(std::move(topic)),
          group_(std::move(group)),
          start_(std::move(startMember)) {}

    void run() {
        GroupMember a("member-a"), b("member-b"), c("member-c");
        start(a);
        start(b);
        start(c);
        QVERIFY(waitForState("Stable 3", {&a, &b, &c}));

        produce("b1", 600);
        expectExactlyOnce({&a, &b, &c}, "b1", 600);
        if (QTest::currentTestFailed()) return;
        // Range over 6 partitions and 3 members: two partitions each, none shared.
        std::set<int> all;
        for (auto* m : {&a, &b, &c}) {
            const auto parts = partitionsOf(*m, "b1");
            QVERIFY2(parts.size() == 2, describe({m}).constData());
            all.insert(parts.begin(), parts.end());
        }
        QCOMPARE(all.size(), size_t(6));
        const auto aParts = partitionsOf(a, "b1");

        // A leaves: B and C rebalance and take A's partitions over.
        QVERIFY(a.stop());
        QVERIFY(waitForState("Stable 2", {&b, &c}));
        produce("b2", 600);
        expectExactlyOnce({&b, &c}, "b2", 600);
        if (QTest::currentTestFailed()) return;
        std::set<int> taken = partitionsOf(b, "b2");
        for (int p : partitionsOf(c, "b2"))
            taken.insert(p);
        for (int p : aParts)
            QVERIFY(taken.count(p));

        // Everything consumed is committed: the committed offsets are the log end offsets.
        QVERIFY(b.stop());
        QVERIFY(c.stop());
        std::map<int, int64_t> logEnd;
        for (auto* m : {&a, &b, &c})
            for (const auto& [p, o, v] : m->records())
                logEnd[p] = std::max(logEnd[p], o + 1);
        QByteArray expected = "Empty 0\n";
        for (const auto& [p, end] : logEnd) {
            expected += topic_.toUtf8() + " " + QByteArray::number(p) + " " +
                        QByteArray::number(end) + "\n";
        }
        QByteArray seen;
        QVERIFY2(waitFor({}, [&] { return (seen = observe()) == expected; }),
                 (seen + " != " + expected).constData());

        // A restart keeps them: a new member starts after them.
        QCOMPARE(broker_.terminate(), 0);
        QVERIFY(broker_.start(dataDir_));
        QCOMPARE(observe(), expected);
        produce("b3", 300);
        GroupMember d("member-d");
        start(d);
        expectExactlyOnce({&d}, "b3", 300);
        QVERIFY2(countBatch({&d}, "b1").empty() && countBatch({&d}, "b2").empty(),
                 "records consumed before the restart came again");
        for (const auto& [p, o, v] : d.records())
            QVERIFY(o >= logEnd[p]);
        QVERIFY(d.stop());
    }

    QByteArray observe() {
        auto r = runTool("/usr/bin/python3", {"-c", kGroupObserver, broker_.bootstrap(), group_});
        return r.exitCode == 0 ? r.out : "error: " + r.err.right(500);
    }

  private:
    void start(GroupMember& m) { start_(m, broker_.bootstrap(), group_, topic_); }
    void produce(const QByteArray& tag, int count) {
        QByteArray in;
        for (int i = 0; i < count; ++i)
            in += "k" + QByteArray::number(i % 50) + ":" + tag + "-" + QByteArray::number(i) + "\n";
        auto r = runTool("kcat", {"-P", "-b", broker_.bootstrap(), "-t", topic_, "-K:"}, in);
        QVERIFY2(r.exitCode == 0, r.err.constData());
    }
    bool waitForState(const QByteArray& state, std::vector<GroupMember*> members) {
        QByteArray last;
        const bool ok = waitFor(members, [&] {
            last = observe();
            return last.startsWith(state + "\n");
        });
        if (!ok) qWarning() << "group state:" << last << describe(members);
        return ok;
    }
    // Every record of batch `tag` seen exactly once across `members`.
    void expectExactlyOnce(const std::vector<GroupMember*>& members, const QByteArray& tag,
                           int count) {
        const bool all = waitFor(
            members, [&] { return countBatch(members, tag).size() == static_cast<size_t>(count); });
        QVERIFY2(all, describe(members).constData());
        for (const auto& [value, times] : countBatch(members, tag))
            QVERIFY2(times == 1, value.constData());
    }
    static std::set<int> partitionsOf(GroupMember& m, const QByteArray& tag) {
        std::set<int> out;
        for (const auto& [p, o, v] : m.records())
            if (v.startsWith(tag + "-")) out.insert(p);
        return out;
    }

    BrokerProcess& broker_;
    QString dataDir_, topic_, group_;
    Starter start_;
};

}  // namespace bs::test
