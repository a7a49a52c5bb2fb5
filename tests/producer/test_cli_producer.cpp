// batchscope-cli produce / perf / partition against librdkafka's mock cluster.
#include <QtTest/QtTest>

#include <QRegularExpression>

#include <map>
#include <set>

#include "mock_cluster_process.h"

using bs::producer::test::MockClusterProcess;

namespace {
struct Run {
    int code;
    QString out, err;
};
Run cli(const QStringList& args, const QByteArray& input = {}) {
    QProcess p;
    p.start(BS_BINARY_DIR "/app/batchscope-cli", args);
    if (!p.waitForStarted(10000)) return {-1, {}, "did not start"};
    p.write(input);
    p.closeWriteChannel();
    if (!p.waitForFinished(60000)) p.kill();
    return {p.exitCode(), QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError())};
}
}  // namespace

class TestCliProducer : public QObject {
    Q_OBJECT
  private slots:
    void initTestCase() {
        cluster_ =
            std::make_unique<MockClusterProcess>(3, std::vector<std::string>{"cli:6", "perf:6"});
    }
    void cleanupTestCase() { cluster_.reset(); }

    void produceReportsPartitionAndOffsetPerLine() {
        QByteArray input;
        for (int i = 0; i < 50; ++i)
            input += QByteArray("key") + QByteArray::number(i % 7) + ":value " +
                     QByteArray::number(i) + "\n";
        auto r =
            cli({"produce", "--bootstrap-server", QString::fromStdString(cluster_->bootstrap()),
                 "--topic", "cli", "--property", "parse.key=true", "--property",
                 "key.separator=:", "--compression-codec", "zstd", "--report"},
                input);
        QVERIFY2(r.code == 0, qPrintable(r.err));
        auto lines = r.out.split('\n', Qt::SkipEmptyParts);
        QVERIFY2(lines.size() == 50, qPrintable(r.out + QStringLiteral("\nstderr:\n") + r.err));
        // kcat's view: partition offset key value.
        std::map<QString, QString> stored;
        for (const auto& l : cluster_->consumeAll("cli")) {
            auto parts = QString::fromStdString(l).split(' ');
            stored[parts[0] + " " + parts[1]] = parts.mid(2).join(' ');
        }
        for (int i = 0; i < 50; ++i) {
            QString expected = "key" + QString::number(i % 7) + " value " + QString::number(i);
            QCOMPARE(stored[lines[i]], expected);
        }
    }

    void produceRejectsBadConfig() {
        auto r = cli({"produce", "--bootstrap-server", "localhost:1", "--topic", "x",
                      "--producer-property", "linger.ms=soon"});
        QCOMPARE(r.code, 2);
        QVERIFY(r.err.contains("linger.ms"));
    }

    // One parser (CLI11) for every command: numbers are whole numbers or an error, and an unknown
    // option, a missing value or a missing required option is named; nothing is sent.
    void badCommandLinesNameWhatIsWrong_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("named");
        const QString bs = QStringLiteral("--bootstrap-server");
        QTest::newRow("number with junk")
            << QStringList{"perf", "--topic",       "t", "--num-records", "12abc", "--throughput",
                           "-1",   "--record-size", "10"}
            << "12abc";
        QTest::newRow("unknown option")
            << QStringList{"produce", bs, "localhost:1", "--topic", "t", "--bogus"} << "--bogus";
        QTest::newRow("missing value")
            << QStringList{"produce", bs, "localhost:1", "--topic"} << "--topic";
        QTest::newRow("missing required") << QStringList{"produce", "--topic", "t"} << bs;
        QTest::newRow("out of range")
            << QStringList{"partition", "--partitions", "0", "k"} << "--partitions";
        QTest::newRow("one of two required")
            << QStringList{"perf", "--topic", "t", "--num-records", "1", "--throughput", "-1"}
            << "--record-size";
        QTest::newRow("broker number") << QStringList{"broker", "--nodes", "3x"} << "--nodes";
        QTest::newRow("broker choice")
            << QStringList{"broker", "--auto-create", "maybe"} << "--auto-create";
        QTest::newRow("no command") << QStringList{} << "subcommand";
        QTest::newRow("unknown command") << QStringList{"frobnicate"} << "frobnicate";
    }
    void badCommandLinesNameWhatIsWrong() {
        QFETCH(QStringList, args);
        QFETCH(QString, named);
        const Run r = cli(args);
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains(named), qPrintable(r.err));
        QVERIFY2(r.err.contains("--help"), qPrintable(r.err));  // where to look
        QCOMPARE(r.out, QString());
    }

    // --help comes from the same definitions as the parser (and, through help2man, the man page).
    void helpListsCommandsAndOptions() {
        const Run top = cli({"--help"});
        QCOMPARE(top.code, 0);
        QVERIFY2(top.out.contains("\ncommands:\n"), qPrintable(top.out));
        for (const char* c :
             {"version", "consume", "dump-log", "broker", "produce", "perf", "partition"})
            QVERIFY2(top.out.contains(QStringLiteral("\n  %1 ").arg(c)), c);
        const Run perf = cli({"perf", "--help"});
        QCOMPARE(perf.code, 0);
        for (const char* f : {"--topic", "--num-records", "--throughput", "--record-size",
                              "--payload-file", "--keys", "--producer-props", "--producer.config"})
            QVERIFY2(perf.out.contains(f), f);
        const Run version = cli({"--version"});
        QVERIFY2(version.out.startsWith("batchscope-cli "), qPrintable(version.out));
    }

    void perfPrintsKafkaSummaryLine() {
        auto r = cli({"perf", "--topic", "perf", "--num-records", "3000", "--record-size", "50",
                      "--throughput", "-1", "--keys", "5", "--producer-props",
                      "bootstrap.servers=" + QString::fromStdString(cluster_->bootstrap()),
                      "linger.ms=2"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QRegularExpression summary(
            "^3000 records sent, [0-9.]+ records/sec \\([0-9.]+ MB/sec\\), [0-9.]+ ms avg latency, "
            "[0-9.]+ ms max latency, [0-9]+ ms 50th, [0-9]+ ms 95th, [0-9]+ ms 99th, [0-9]+ ms "
            "99.9th.$",
            QRegularExpression::MultilineOption);
        QVERIFY2(summary.match(r.out).hasMatch(), qPrintable(r.out));
        std::set<std::string> keys;
        for (const auto& l : cluster_->consumeAll("perf")) {
            auto parts = QString::fromStdString(l).split(' ');
            keys.insert(parts[2].toStdString());
        }
        QCOMPARE(keys.size(), size_t(5));
    }

    void partitionMatchesKafkaPython() {
        QStringList keys;
        for (int i = 0; i < 200; ++i)
            keys << "user-" + QString::number(i * 31);
        auto r = cli(QStringList{"partition", "--partitions", "12"} + keys);
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QProcess py;
        QStringList pyArgs{"-c",
                           "import sys\nfrom kafka.partitioner.default import murmur2\n"
                           "for k in sys.argv[1:]:\n"
                           "    h = murmur2(k.encode())\n"
                           "    print(k, h if h < 2**31 else h - 2**32, h & 0x7fffffff, "
                           "(h & 0x7fffffff) % 12)\n"};
        pyArgs += keys;
        py.start("/usr/bin/python3", pyArgs);
        QVERIFY(py.waitForFinished(30000));
        auto expected =
            QString::fromUtf8(py.readAllStandardOutput()).split('\n', Qt::SkipEmptyParts);
        auto lines = r.out.split('\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 201);  // header + keys
        for (int i = 0; i < 200; ++i) {
            auto ours = lines[i + 1].split(' ');  // key hex murmur2 positive modulo partition
            auto py3 = expected[i].split(' ');
            QCOMPARE(ours[0], py3[0]);
            QCOMPARE(ours[2], py3[1]);
            QCOMPARE(ours[3], py3[2]);
            QCOMPARE(ours[4], py3[3]);
            QCOMPARE(ours[5], py3[3]);
        }
    }

    void partitionNeedsPartitions() {
        auto r = cli({"partition", "k"});
        QCOMPARE(r.code, 2);
        QVERIFY(r.err.contains("--partitions"));
    }

  private:
    std::unique_ptr<MockClusterProcess> cluster_;
};

QTEST_GUILESS_MAIN(TestCliProducer)
#include "test_cli_producer.moc"
