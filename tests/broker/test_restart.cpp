// Durability across restarts: SIGTERM keeps everything; kill -9 during an acks=all stream keeps
// every acknowledged record and the log ends on whole valid batches (recovery).
#include <QDir>
#include <QTemporaryDir>
#include <QtTest>
#include <set>

#include "broker/broker_process.h"

using bs::test::BrokerProcess;
using bs::test::runTool;

namespace {

// confluent-kafka (librdkafka) producer printing "partition offset value" per acknowledged
// record, flushed, until killed or done.
const char* kAckedProducer = R"(
import sys
from confluent_kafka import Producer
p = Producer({'bootstrap.servers': sys.argv[1], 'acks': 'all', 'linger.ms': 2,
              'enable.idempotence': True, 'message.timeout.ms': 8000})
def acked(err, msg):
    if err is None:
        print(msg.partition(), msg.offset(), msg.value().decode(), flush=True)
for i in range(int(sys.argv[2])):
    while True:
        try:
            p.produce('stream', key=str(i % 13), value='v%d' % i, on_delivery=acked)
            break
        except BufferError:
            p.poll(0.05)
    p.poll(0)
p.flush(10)
)";

}  // namespace

class RestartTest : public QObject {
    Q_OBJECT

  private:
    static QByteArray consumeAll(const QString& bootstrap, const QString& topic) {
        return runTool("kcat", {"-C", "-b", bootstrap, "-t", topic, "-o", "beginning", "-e", "-q",
                                "-f", "%p %o %s\\n"})
            .out;
    }

  private slots:
    void sigtermKeepsEverything() {
        QTemporaryDir dir;
        QByteArray before;
        {
            BrokerProcess broker;
            QVERIFY(broker.start(dir.path(), {"--segment-bytes", "65536"}));
            QByteArray in;
            for (int i = 0; i < 3000; ++i)
                in += "k" + QByteArray::number(i % 7) + ":value-" + QByteArray::number(i) + "\n";
            QCOMPARE(
                runTool("kcat",
                        {"-P", "-b", broker.bootstrap(), "-t", "kept", "-K:", "-z", "snappy"}, in)
                    .exitCode,
                0);
            before = consumeAll(broker.bootstrap(), "kept");
            QCOMPARE(before.count('\n'), 3000);
            QCOMPARE(broker.terminate(), 0);
        }
        QVERIFY(QFileInfo::exists(dir.filePath("kept-0/00000000000000000000.log")));
        BrokerProcess again;
        QVERIFY(again.start(dir.path()));
        QByteArray after = consumeAll(again.bootstrap(), "kept");
        auto sorted = [](const QByteArray& b) {
            auto l = b.split('\n');
            std::sort(l.begin(), l.end());
            return l;
        };
        QCOMPARE(sorted(after), sorted(before));
        QCOMPARE(again.terminate(), 0);
    }

    void killDuringStreamKeepsAcknowledged() {
        QTemporaryDir dir;
        BrokerProcess broker;
        QVERIFY(broker.start(dir.path(), {"--topic", "stream:3"}));
        QProcess producer;
        producer.start("/usr/bin/python3", {"-c", kAckedProducer, broker.bootstrap(), "200000"});
        QVERIFY(producer.waitForStarted(10000));
        QByteArray acked;
        QElapsedTimer t;
        t.start();
        while (acked.count('\n') < 5000 && t.elapsed() < 40000) {
            producer.waitForReadyRead(200);
            acked += producer.readAllStandardOutput();
        }
        QVERIFY2(acked.count('\n') >= 5000, producer.readAllStandardError().constData());
        broker.kill();  // SIGKILL mid-stream
        producer.waitForFinished(30000);
        acked += producer.readAllStandardOutput();
        acked.truncate(acked.lastIndexOf('\n') + 1);

        BrokerProcess again;
        QVERIFY(again.start(dir.path()));
        const QByteArray stored = consumeAll(again.bootstrap(), "stream");
        std::set<QByteArray> have;
        for (const auto& l : stored.split('\n'))
            if (!l.isEmpty()) have.insert(l);
        int checked = 0;
        for (const auto& l : acked.split('\n')) {
            if (l.isEmpty()) continue;
            QVERIFY2(have.count(l), ("acknowledged record missing: " + l).constData());
            ++checked;
        }
        QVERIFY(checked >= 5000);
        // Every partition still accepts appends after recovery (the tail is a whole batch).
        QCOMPARE(
            runTool("kcat", {"-P", "-b", again.bootstrap(), "-t", "stream", "-p", "1"}, "after\n")
                .exitCode,
            0);
        QVERIFY(consumeAll(again.bootstrap(), "stream").contains("after\n"));
        QCOMPARE(again.terminate(), 0);
    }
};

QTEST_GUILESS_MAIN(RestartTest)
#include "test_restart.moc"
