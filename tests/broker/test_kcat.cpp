// kcat (librdkafka) produces keyed records with every codec and with idempotence, and consumes
// them back in order per partition, against `batchscope-cli broker`.
#include <QTemporaryDir>
#include <QtTest>
#include <map>

#include "broker/broker_process.h"

using bs::test::BrokerProcess;
using bs::test::runTool;

class KcatTest : public QObject {
    Q_OBJECT

  private:
    QTemporaryDir dir_;
    BrokerProcess broker_;

    static QByteArray inputLines(int count, const QByteArray& tag) {
        QByteArray in;
        for (int i = 0; i < count; ++i) {
            in +=
                "key" + QByteArray::number(i % 97) + ":" + tag + "-" + QByteArray::number(i) + "\n";
        }
        return in;
    }

    // Produces `count` keyed records and checks that consuming returns exactly them: every
    // offset of every partition once, contiguous from 0, each key on one partition, and the
    // values of each partition in the order they were produced.
    void roundTrip(const QString& topic, const QStringList& producerArgs, int count) {
        const QByteArray tag = topic.toUtf8();
        auto produced = runTool(
            "kcat",
            QStringList{"-P", "-b", broker_.bootstrap(), "-t", topic, "-K:", "-X", "linger.ms=5"} +
                producerArgs,
            inputLines(count, tag));
        QCOMPARE(produced.exitCode, 0);
        QVERIFY2(!produced.err.contains("ERROR"), produced.err.constData());

        auto consumed = runTool("kcat", {"-C", "-b", broker_.bootstrap(), "-t", topic, "-o",
                                         "beginning", "-e", "-q", "-f", "%p %o %k %s\\n"});
        QCOMPARE(consumed.exitCode, 0);
        const auto lines = consumed.out.split('\n');
        std::map<int, int64_t> nextOffset;
        std::map<int, int> lastIndex;
        std::map<QByteArray, int> keyPartition;
        std::vector<bool> seen(static_cast<size_t>(count), false);
        int total = 0;
        for (const auto& line : lines) {
            if (line.isEmpty()) continue;
            const auto f = line.split(' ');
            QCOMPARE(f.size(), 4);
            const int p = f[0].toInt();
            const int64_t offset = f[1].toLongLong();
            QCOMPARE(offset, nextOffset[p]);
            nextOffset[p] = offset + 1;
            if (keyPartition.count(f[2])) QCOMPARE(keyPartition[f[2]], p);
            keyPartition[f[2]] = p;
            QVERIFY(f[3].startsWith(tag + "-"));
            const int index = f[3].mid(tag.size() + 1).toInt();
            QVERIFY(index >= 0 && index < count);
            QVERIFY2(!seen[static_cast<size_t>(index)], "record consumed twice");
            seen[static_cast<size_t>(index)] = true;
            QCOMPARE(f[2], "key" + QByteArray::number(index % 97));
            if (lastIndex.count(p)) QVERIFY(index > lastIndex[p]);
            lastIndex[p] = index;
            ++total;
        }
        QCOMPARE(total, count);
        QVERIFY(nextOffset.size() > 1);  // keys spread over partitions
    }

  private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        QVERIFY(broker_.start(dir_.path()));
    }

    void codecs_data() {
        QTest::addColumn<QString>("codec");
        QTest::addColumn<int>("count");
        QTest::newRow("none") << "none" << 10000;
        QTest::newRow("gzip") << "gzip" << 3000;
        QTest::newRow("snappy") << "snappy" << 3000;
        QTest::newRow("lz4") << "lz4" << 3000;
        QTest::newRow("zstd") << "zstd" << 3000;
    }
    void codecs() {
        QFETCH(QString, codec);
        QFETCH(int, count);
        roundTrip("kcat-" + codec, {"-z", codec}, count);
    }

    void idempotentProducer() {
        roundTrip("kcat-idempotent", {"-X", "enable.idempotence=true", "-z", "lz4"}, 5000);
    }

    void cleanupTestCase() { QCOMPARE(broker_.terminate(), 0); }
};

QTEST_GUILESS_MAIN(KcatTest)
#include "test_kcat.moc"
