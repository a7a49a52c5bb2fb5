// kafka-python 2.0.2 (python3-kafka) produces and consumes over SASL_SSL with PLAIN,
// SCRAM-SHA-256 and SCRAM-SHA-512 against `batchscope-cli broker` (it sends SaslHandshake v0
// and raw SASL tokens), checking the broker's certificate and host name against a CA made by
// the openssl CLI; a wrong password is refused.
#include <QTemporaryDir>
#include <QtTest>

#include "broker/broker_process.h"
#include "broker/test_certs.h"

using bs::test::BrokerProcess;
using bs::test::runTool;
using bs::test::TestCerts;

namespace {

const char* kScript = R"(
import sys, logging
logging.basicConfig(level=logging.ERROR)
from kafka import KafkaProducer, KafkaConsumer, TopicPartition
boot, mechanism, password, cafile = sys.argv[1].split(','), sys.argv[2], sys.argv[3], sys.argv[4]
sec = dict(security_protocol='SASL_SSL', sasl_mechanism=mechanism, sasl_plain_username='alice',
           sasl_plain_password=password, ssl_cafile=cafile, ssl_check_hostname=True,
           api_version=(2, 0))
topic = 'py-' + mechanism
# With api_version given the constructor does not connect: a refused login shows on the first
# send, which waits max_block_ms for metadata that never comes.
try:
    p = KafkaProducer(bootstrap_servers=boot, acks='all', linger_ms=5, max_block_ms=10000, **sec)
    futures = [p.send(topic, value=b'v%d' % i) for i in range(200)]
    p.flush()
    acked = [f.get(timeout=30) for f in futures]
except Exception as e:
    print('refused', type(e).__name__, flush=True)
    sys.exit(3)
print('acked', len(acked), flush=True)
c = KafkaConsumer(bootstrap_servers=boot, enable_auto_commit=False, consumer_timeout_ms=5000,
                  **sec)
c.assign([TopicPartition(topic, q) for q in c.partitions_for_topic(topic)])
c.seek_to_beginning()
got = {}
for m in c:
    got[(m.partition, m.offset)] = m.value
    if len(got) == 200:
        break
ok = all(got.get((r.partition, r.offset)) == b'v%d' % i for i, r in enumerate(acked))
print('consumed', len(got), 'match', ok, flush=True)
)";

}  // namespace

class SecureKafkaPythonTest : public QObject {
    Q_OBJECT

    QTemporaryDir certDir_;
    QTemporaryDir data_;
    TestCerts certs_;
    BrokerProcess broker_;

  private slots:
    void initTestCase() {
        QVERIFY(certDir_.isValid() && data_.isValid());
        QVERIFY(certs_.create(certDir_.path()));
        QVERIFY(broker_.start(
            data_.path(),
            {"--security-protocol", "SASL_SSL", "--ssl-cert", certs_.path("server.pem"),
             "--ssl-key", certs_.path("server.key"), "--sasl-mechanisms",
             "PLAIN,SCRAM-SHA-256,SCRAM-SHA-512", "--sasl-user", "alice:alice-secret"}));
    }

    void produceAndConsume_data() {
        QTest::addColumn<QString>("mechanism");
        for (const char* m : {"PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"})
            QTest::newRow(m) << m;
    }
    void produceAndConsume() {
        QFETCH(QString, mechanism);
        auto r = runTool("/usr/bin/python3", {"-c", kScript, broker_.bootstrap(), mechanism,
                                              "alice-secret", certs_.path("ca.pem")});
        QVERIFY2(r.exitCode == 0, (r.out + r.err).constData());
        QVERIFY2(r.out.contains("acked 200"), r.out.constData());
        QVERIFY2(r.out.contains("consumed 200 match True"), (r.out + r.err).constData());
    }

    void wrongPasswordIsRefused_data() { produceAndConsume_data(); }
    void wrongPasswordIsRefused() {
        QFETCH(QString, mechanism);
        auto r = runTool("/usr/bin/python3", {"-c", kScript, broker_.bootstrap(), mechanism,
                                              "wrong-password", certs_.path("ca.pem")});
        QVERIFY2(r.exitCode == 3, (r.out + r.err).constData());
        QVERIFY2(r.out.contains("refused"), r.out.constData());
        // kafka-python sends SaslHandshake v0 and raw tokens: as Kafka does, the broker answers a
        // failed login by closing the connection, which kafka-python logs for a connection in
        // its <authenticating> state (never after it, and not as a network fault earlier).
        QVERIFY2(r.err.contains("<authenticating>") &&
                     r.err.contains("Error receiving reply from server"),
                 r.err.constData());
        QVERIFY2(!r.err.contains("<connected>"), r.err.constData());
    }

    void cleanupTestCase() { QCOMPARE(broker_.terminate(), 0); }
};

QTEST_GUILESS_MAIN(SecureKafkaPythonTest)
#include "test_secure_kafka_python.moc"
