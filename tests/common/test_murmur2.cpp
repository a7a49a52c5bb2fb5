#include <QProcess>
#include <QtTest>

#include <random>
#include <string_view>
#include <vector>

#include "common/murmur2.h"

namespace {
int32_t hashOf(std::string_view s) {
    return bs::murmur2({reinterpret_cast<const uint8_t*>(s.data()), s.size()});
}
}  // namespace

class Murmur2Test : public QObject {
    Q_OBJECT
  private slots:
    // The vectors of Kafka's UtilsTest.testMurmur2.
    void kafkaVectors() {
        QCOMPARE(hashOf("21"), -973932308);
        QCOMPARE(hashOf("foobar"), -790332482);
        QCOMPARE(hashOf("a-little-bit-long-string"), -985981536);
        QCOMPARE(hashOf("a-little-bit-longer-string"), -1486304829);
        QCOMPARE(hashOf("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8"), -58897971);
        QCOMPARE(hashOf("abc"), 479470107);
    }

    void toPositiveClearsOnlyTheSignBit() {
        QCOMPARE(bs::toPositive(-973932308), -973932308 & 0x7fffffff);
        QCOMPARE(bs::toPositive(INT32_MIN), 0);
        QCOMPARE(bs::toPositive(-1), INT32_MAX);
        QCOMPARE(bs::toPositive(0), 0);
        QCOMPARE(bs::toPositive(12345), 12345);
    }

    // ~1000 generated keys (every tail length, high bytes, empty) hashed by kafka-python too.
    void matchesKafkaPython() {
        std::mt19937 rng(20261125);
        std::vector<std::vector<uint8_t>> keys;
        for (int i = 0; i < 1000; ++i) {
            std::vector<uint8_t> key(static_cast<size_t>(i % 67));
            for (auto& b : key)
                b = static_cast<uint8_t>(rng());
            keys.push_back(std::move(key));
        }
        QByteArray input;
        for (const auto& key : keys) {
            input += QByteArray(reinterpret_cast<const char*>(key.data()),
                                static_cast<qsizetype>(key.size()))
                         .toHex();
            input += '\n';
        }
        QProcess python;
        python.start("/usr/bin/python3", {"-c",
                                          "import sys\n"
                                          "from kafka.partitioner.default import murmur2\n"
                                          "for line in sys.stdin.read().split('\\n')[:-1]:\n"
                                          "    print(murmur2(bytes.fromhex(line)))\n"});
        QVERIFY2(python.waitForStarted(30000), "cannot start /usr/bin/python3");
        python.write(input);
        python.closeWriteChannel();
        QVERIFY(python.waitForFinished(60000));
        QCOMPARE(python.exitCode(), 0);
        const QList<QByteArray> lines = python.readAllStandardOutput().trimmed().split('\n');
        QCOMPARE(lines.size(), qsizetype(keys.size()));
        for (size_t i = 0; i < keys.size(); ++i) {
            bool ok = false;
            const qulonglong expected = lines[static_cast<qsizetype>(i)].toULongLong(&ok);
            QVERIFY(ok);
            const auto ours = static_cast<uint32_t>(bs::murmur2(keys[i]));
            if (ours != expected) {
                QFAIL(qPrintable(QString("key %1 (%2 bytes): ours %3, kafka-python %4")
                                     .arg(i)
                                     .arg(keys[i].size())
                                     .arg(ours)
                                     .arg(expected)));
            }
        }
    }
};

QTEST_GUILESS_MAIN(Murmur2Test)
#include "test_murmur2.moc"
