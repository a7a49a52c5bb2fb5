// kcat (librdkafka) produces keyed records with every codec and with idempotence, and consumes
// them back in order per partition, against `batchscope-cli broker`; the stored batches carry
// the codec kcat was asked for (librdkafka silently sends uncompressed batches to a broker
// whose advertised versions it does not trust).
#include <QDirIterator>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>
#include <map>
#include <set>

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

    // The compression codecs of the batches of at least 10 records stored for `topic`, read
    // with `dump-log` from the partitions' segment files in the broker's data dir (librdkafka
    // sends a batch uncompressed when compressing does not make it smaller).
    std::set<QString> storedCodecs(const QString& topic) {
        const QRegularExpression partitionDir("^" + QRegularExpression::escape(topic) + "-\\d+$");
        const QRegularExpression batch(" count: (\\d+) .* compresscodec: (\\S+) ");
        std::set<QString> codecs;
        QDirIterator it(dir_.path(), {"*.log"}, QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QFileInfo segment(it.next());
            if (!partitionDir.match(segment.dir().dirName()).hasMatch()) continue;
            auto dumped =
                runTool(BS_BINARY_DIR "/app/batchscope-cli", {"dump-log", segment.filePath()});
            [&] { QCOMPARE(dumped.exitCode, 0); }();
            auto m = batch.globalMatch(QString::fromUtf8(dumped.out));
            while (m.hasNext()) {
                const auto b = m.next();
                if (b.captured(1).toInt() >= 10) codecs.insert(b.captured(2));
            }
        }
        return codecs;
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
        // librdkafka 2.0 enables LZ4 only for brokers advertising FindCoordinator (0.8.2's
        // group coordinator): the broker answers it for that reason.
        const auto stored = storedCodecs("kcat-" + codec);
        QCOMPARE(stored, std::set<QString>{codec});
    }

    void idempotentProducer() {
        roundTrip("kcat-idempotent", {"-X", "enable.idempotence=true", "-z", "zstd"}, 5000);
        QCOMPARE(storedCodecs("kcat-idempotent"), std::set<QString>{"zstd"});
    }

    void cleanupTestCase() { QCOMPARE(broker_.terminate(), 0); }
};

QTEST_GUILESS_MAIN(KcatTest)
#include "test_kcat.moc"
