// `batchscope-cli soak` against its embedded cluster: 20 000 keyed idempotent records through
// nodes going down and up, a node slower than request.timeout.ms, every retriable Produce error
// and leader moves, read back exactly once and in order per key (the chaos soak, small).
#include <QProcess>
#include <QRegularExpression>
#include <QtTest>

class TestSoak : public QObject {
    Q_OBJECT
  private slots:
    void twentyThousandRecordsThroughEveryFault() {
        QProcess p;
        p.start(BS_BINARY_DIR "/app/batchscope-cli", {"soak", "--records", "20000", "--seed", "1"});
        QVERIFY2(p.waitForStarted(10000), "batchscope-cli did not start");
        QVERIFY2(p.waitForFinished(240000), "soak did not finish in 240 s");
        const QString out = QString::fromUtf8(p.readAllStandardOutput());
        const QString err = QString::fromUtf8(p.readAllStandardError());
        const QStringList lines = out.split('\n', Qt::SkipEmptyParts);
        QVERIFY2(lines.size() >= 4, qPrintable(out + err));

        // Last line: nothing lost, duplicated or reordered, and faults were caused.
        const QRegularExpression last("^lost=0 duplicated=0 reordered=0 faults=(\\d+)$");
        const auto m = last.match(lines.last());
        QVERIFY2(m.hasMatch(), qPrintable(out + err));
        QVERIFY2(m.captured(1).toLongLong() > 0, qPrintable(out));
        QCOMPARE(p.exitCode(), 0);

        // Every kind of fault took effect at least once, and the kinds add up to the total.
        const QString faults =
            lines.filter(QRegularExpression("^faults: ")).value(0).mid(QString("faults: ").size());
        const QStringList kinds = faults.split(' ', Qt::SkipEmptyParts);
        for (const char* kind :
             {"node-down", "slow-node", "leader-move", "NOT_LEADER_OR_FOLLOWER",
              "REQUEST_TIMED_OUT", "NOT_ENOUGH_REPLICAS", "NOT_ENOUGH_REPLICAS_AFTER_APPEND",
              "UNKNOWN_TOPIC_OR_PARTITION", "LEADER_NOT_AVAILABLE", "KAFKA_STORAGE_ERROR",
              "CORRUPT_MESSAGE"}) {
            QVERIFY2(kinds.filter(QRegularExpression(QString("^%1=").arg(kind))).size() == 1,
                     qPrintable(QString("%1 missing from: %2").arg(kind, faults)));
        }
        long long sum = 0;
        for (const QString& k : kinds) {
            const long long n = k.section('=', 1).toLongLong();
            QVERIFY2(n > 0, qPrintable("no fault of kind " + k + " in: " + faults));
            sum += n;
        }
        QCOMPARE(sum, m.captured(1).toLongLong());

        // A line per partition (6), and together they hold exactly the 20 000 records.
        long long records = 0;
        int partitions = 0;
        const QRegularExpression partition("^partition \\d+: records=(\\d+)");
        for (const QString& l : lines) {
            const auto pm = partition.match(l);
            if (!pm.hasMatch()) continue;
            ++partitions;
            records += pm.captured(1).toLongLong();
        }
        QCOMPARE(partitions, 6);
        QCOMPARE(records, 20000LL);
        QVERIFY(lines.filter(QRegularExpression("^time=.* peak-rss=\\d+KiB")).size() == 1);
        qInfo("%s", qPrintable(lines.mid(lines.size() - 3).join('\n')));
    }
};

QTEST_GUILESS_MAIN(TestSoak)
#include "test_soak.moc"
