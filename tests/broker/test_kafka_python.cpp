// kafka-python 2.0.2 (python3-kafka) produces and consumes (assign(), no groups) with no
// api_version given: its version probe (ApiVersions v0 with Metadata v0) must succeed.
#include <QTemporaryDir>
#include <QtTest>

#include "broker/broker_process.h"

using bs::test::BrokerProcess;
using bs::test::runTool;

namespace {

const char* kScript = R"(
import sys
from kafka import KafkaProducer, KafkaConsumer, TopicPartition
boot = sys.argv[1].split(',')
p = KafkaProducer(bootstrap_servers=boot, acks='all', compression_type='gzip', linger_ms=5)
print('probed', p.config['api_version'], flush=True)
futures = [p.send('py', key=b'k%d' % (i % 5), value=b'v%d' % i) for i in range(500)]
p.flush()
acked = [f.get(timeout=30) for f in futures]
print('acked', len(acked), flush=True)
c = KafkaConsumer(bootstrap_servers=boot, enable_auto_commit=False, consumer_timeout_ms=5000)
parts = [TopicPartition('py', p) for p in c.partitions_for_topic('py')]
c.assign(parts)
c.seek_to_beginning()
got = {}
for m in c:
    got[(m.partition, m.offset)] = m.value
    if len(got) == 500:
        break
ok = all(got.get((r.partition, r.offset)) == b'v%d' % i for i, r in enumerate(acked))
print('consumed', len(got), 'match', ok, flush=True)
)";

}  // namespace

class KafkaPythonTest : public QObject {
    Q_OBJECT

  private slots:
    void produceAndConsume() {
        QTemporaryDir dir;
        BrokerProcess broker;
        QVERIFY(broker.start(dir.path()));
        auto r = runTool("/usr/bin/python3", {"-c", kScript, broker.bootstrap()});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(r.out.contains("probed (2, "), (r.out + r.err).constData());
        QVERIFY2(r.out.contains("acked 500"), r.out.constData());
        QVERIFY2(r.out.contains("consumed 500 match True"), (r.out + r.err).constData());
        QCOMPARE(broker.terminate(), 0);
    }
};

QTEST_GUILESS_MAIN(KafkaPythonTest)
#include "test_kafka_python.moc"
