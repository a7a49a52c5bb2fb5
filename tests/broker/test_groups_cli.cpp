// `batchscope-cli groups` against `batchscope-cli broker` with kcat -G members: --describe
// shows what the members committed (CURRENT-OFFSET = the next offset each consumed), who holds
// each partition (CONSUMER-ID, HOST, CLIENT-ID) and the exact lag; --reset-offsets is refused
// with Kafka's message while the group has members, then moves the offsets; --list lists it.
#include <QTemporaryDir>
#include <QtTest>

#include "broker/broker_process.h"
#include "broker/group_peers.h"

using bs::test::BrokerProcess;
using bs::test::countBatch;
using bs::test::describe;
using bs::test::GroupMember;
using bs::test::runTool;
using bs::test::waitFor;

namespace {

struct Row {
    QByteArray topic;
    int partition = -1;
    QByteArray current, logEnd, lag, consumerId, host, clientId;
};

}  // namespace

class GroupsCliTest : public QObject {
    Q_OBJECT

  private:
    QTemporaryDir dir_;
    BrokerProcess broker_;

    bs::test::ToolResult cli(QStringList args) {
        return runTool(BS_BINARY_DIR "/app/batchscope-cli",
                       QStringList{"groups", "--bootstrap-server", broker_.bootstrap()} + args);
    }
    // The rows of `groups --describe --group billing`, by partition.
    std::map<int, Row> describeRows() {
        auto r = cli({"--describe", "--group", "billing"});
        std::map<int, Row> rows;
        if (r.exitCode != 0) return rows;
        bool header = false;
        for (const auto& line : r.out.split('\n')) {
            const auto f = line.simplified().split(' ');
            if (f.value(0) == "GROUP") {
                header = f == QByteArrayList{"GROUP",          "TOPIC",          "PARTITION",
                                             "CURRENT-OFFSET", "LOG-END-OFFSET", "LAG",
                                             "CONSUMER-ID",    "HOST",           "CLIENT-ID"};
                continue;
            }
            if (!header || f.size() != 9 || f[0] != "billing") continue;
            rows[f[2].toInt()] = {f[1], f[2].toInt(), f[3], f[4], f[5], f[6], f[7], f[8]};
        }
        return rows;
    }
    void produce(const QByteArray& tag, int count) {
        QByteArray in;
        for (int i = 0; i < count; ++i)
            in += "k" + QByteArray::number(i % 50) + ":" + tag + "-" + QByteArray::number(i) + "\n";
        auto r = runTool("kcat", {"-P", "-b", broker_.bootstrap(), "-t", "orders", "-K:"}, in);
        QVERIFY2(r.exitCode == 0, r.err.constData());
    }

  private slots:
    void initTestCase() { QVERIFY(broker_.start(dir_.path(), {"--topic", "orders:6"})); }

    void describeMatchesWhatKcatCommittedAndResetWaitsForAnEmptyGroup() {
        produce("b1", 600);
        GroupMember a("member-a"), b("member-b");
        for (auto* m : {&a, &b}) {
            m->start("kcat", {"-b", broker_.bootstrap(), "-G", "billing", "-u", "-X",
                              "auto.offset.reset=earliest", "-X", "auto.commit.interval.ms=100",
                              "-X", "client.id=" + m->name(), "-f", "%p %o %s\\n", "orders"});
        }
        QVERIFY2(waitFor({&a, &b},
                         [&] {
                             return countBatch({&a, &b}, "b1").size() == 600;
                         }),
                 describe({&a, &b}).constData());
        // What each member consumed last, per partition: the offset it must have committed.
        std::map<int, std::pair<int64_t, QString>> consumed;
        for (auto* m : {&a, &b})
            for (const auto& [p, o, v] : m->records())
                if (o + 1 > consumed[p].first) consumed[p] = {o + 1, m->name()};
        QCOMPARE(consumed.size(), size_t(6));
        std::map<int, Row> rows;
        const bool settled = waitFor({&a, &b}, [&] {
            rows = describeRows();
            if (rows.size() != 6) return false;
            for (const auto& [p, r] : rows)
                if (r.current.toLongLong() != consumed[p].first || r.clientId == "-") return false;
            return true;
        });
        QVERIFY2(settled, describe({&a, &b}).constData());
        std::set<QByteArray> memberIds;
        for (const auto& [p, r] : rows) {
            QCOMPARE(r.topic, QByteArray("orders"));
            QCOMPARE(r.logEnd.toLongLong(), consumed[p].first);
            QCOMPARE(r.lag, QByteArray("0"));
            QCOMPARE(r.clientId, consumed[p].second.toUtf8());  // the member that consumed it
            QVERIFY(r.consumerId.startsWith(r.clientId + "-"));
            QCOMPARE(r.host, QByteArray("/127.0.0.1"));
            memberIds.insert(r.consumerId);
        }
        QCOMPARE(memberIds.size(), size_t(2));

        auto refused = cli({"--reset-offsets", "--group", "billing", "--topic", "orders",
                            "--to-earliest", "--execute"});
        QCOMPARE(refused.exitCode, 1);
        QVERIFY2(refused.err.contains("Error: Assignments can only be reset if the group "
                                      "'billing' is inactive, but the current state is Stable."),
                 refused.err.constData());

        // Members gone and 120 more records: the lag is exactly the new records.
        QVERIFY(a.stop());
        QVERIFY(b.stop());
        produce("b2", 120);
        rows = describeRows();
        QCOMPARE(rows.size(), size_t(6));
        int64_t lag = 0;
        for (const auto& [p, r] : rows) {
            QCOMPARE(r.current.toLongLong(), consumed[p].first);
            QCOMPARE(r.lag.toLongLong(), r.logEnd.toLongLong() - r.current.toLongLong());
            QCOMPARE(r.consumerId, QByteArray("-"));
            lag += r.lag.toLongLong();
        }
        QCOMPARE(lag, int64_t(120));

        // A dry run changes nothing; --execute does.
        auto dry =
            cli({"--reset-offsets", "--group", "billing", "--topic", "orders", "--to-earliest"});
        QCOMPARE(dry.exitCode, 0);
        QVERIFY(dry.out.contains("NEW-OFFSET"));
        QCOMPARE(describeRows().at(0).current.toLongLong(), consumed[0].first);
        auto reset = cli({"--reset-offsets", "--group", "billing", "--topic", "orders",
                          "--to-earliest", "--execute"});
        QVERIFY2(reset.exitCode == 0, reset.err.constData());
        for (const auto& [p, r] : describeRows()) {
            QCOMPARE(r.current, QByteArray("0"));
            QCOMPARE(r.lag, r.logEnd);
        }
        reset = cli({"--reset-offsets", "--group", "billing", "--topic", "orders", "--to-offset",
                     "2", "--execute"});
        QVERIFY2(reset.exitCode == 0, reset.err.constData());
        for (const auto& [p, r] : describeRows())
            QCOMPARE(r.current, QByteArray("2"));
        reset = cli({"--reset-offsets", "--group", "billing", "--topic", "orders", "--to-datetime",
                     "2999-01-01T00:00:00.000", "--execute"});
        QVERIFY2(reset.exitCode == 0, reset.err.constData());
        for (const auto& [p, r] : describeRows()) {
            QCOMPARE(r.current, r.logEnd);
            QCOMPARE(r.lag, QByteArray("0"));
        }

        auto list = cli({"--list"});
        QCOMPARE(list.exitCode, 0);
        QCOMPARE(list.out, QByteArray("billing\n"));
        auto missing = cli({"--describe", "--group", "nobody"});
        QCOMPARE(missing.exitCode, 1);
        QVERIFY(missing.out.contains("Consumer group 'nobody' does not exist."));
    }

    // consume --group: starts at the group's commits and commits what it printed, so a second
    // run continues where the first stopped; `groups --describe` sees the commits.
    void consumeWithAGroupCommitsWhatItPrinted() {
        QByteArray in;
        for (int i = 0; i < 90; ++i)
            in += "k" + QByteArray::number(i % 9) + ":e-" + QByteArray::number(i) + "\n";
        auto produced =
            runTool("kcat", {"-P", "-b", broker_.bootstrap(), "-t", "events", "-K:"}, in);
        QVERIFY2(produced.exitCode == 0, produced.err.constData());
        auto consume = [&](int max) {
            return runTool(
                BS_BINARY_DIR "/app/batchscope-cli",
                {"consume", "--bootstrap-server", broker_.bootstrap(), "--topic", "events",
                 "--group", "console", "--from-beginning", "--max-messages", QString::number(max)});
        };
        auto first = consume(60);
        QVERIFY2(first.exitCode == 0, first.err.constData());
        auto second = consume(30);
        QVERIFY2(second.exitCode == 0, second.err.constData());
        std::set<QByteArray> seen;
        for (const auto& v : first.out.split('\n') + second.out.split('\n'))
            if (!v.isEmpty()) QVERIFY2(seen.insert(v).second, v.constData());
        QCOMPARE(seen.size(), size_t(90));
        auto r = cli({"--describe", "--group", "console"});
        QCOMPARE(r.exitCode, 0);
        int64_t committed = 0;
        for (const auto& line : r.out.split('\n')) {
            const auto f = line.simplified().split(' ');
            if (f.size() == 9 && f[0] == "console") {
                QCOMPARE(f[5], QByteArray("0"));  // lag
                committed += f[3].toLongLong();
            }
        }
        QCOMPARE(committed, int64_t(90));
    }

    void cleanupTestCase() { QCOMPARE(broker_.terminate(), 0); }
};

QTEST_GUILESS_MAIN(GroupsCliTest)
#include "test_groups_cli.moc"
