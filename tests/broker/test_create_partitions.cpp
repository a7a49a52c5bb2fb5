// CreatePartitions on the embedded cluster, driven by an independent client: kafka-python's
// KafkaAdminClient.create_partitions (v1 of the API, raising the topic's error), then its producer
// writes to a new partition. Kafka's controller messages for no increase, a decrease and an unknown
// topic; the new count survives a restart; the broker's stdin `partitions` command grows a topic
// too.
#include <QTemporaryDir>
#include <QtTest>

#include "broker/broker_process.h"

namespace {

const char* kAdmin = R"(
import sys
from kafka import KafkaConsumer, KafkaProducer
from kafka.admin import KafkaAdminClient, NewPartitions
from kafka.errors import KafkaError
boot = sys.argv[1].split(',')
admin = KafkaAdminClient(bootstrap_servers=boot, request_timeout_ms=10000)
def grow(topic, count, validate=False):
    try:
        r = admin.create_partitions({topic: NewPartitions(count)}, validate_only=validate)
        for name, code, message in r.topic_errors:
            print('grow', name, count, code, message, flush=True)
    except KafkaError as e:  # kafka-python raises the topic's error, the response in the text
        text = str(e)
        start = text.index('error_message=') + len('error_message=') + 1
        message = text[start:text.index(text[start - 1], start)]  # repr quotes it either way
        print('grow', topic, count, e.errno, message, flush=True)
def partitions():
    c = KafkaConsumer(bootstrap_servers=boot)
    print('partitions', len(c.partitions_for_topic('orders')), flush=True)
    c.close()
grow('orders', 8, validate=True)
partitions()
grow('orders', 8)
grow('orders', 8)
grow('orders', 5)
grow('nosuch', 3)
partitions()
p = KafkaProducer(bootstrap_servers=boot)
md = p.send('orders', key=b'k', value=b'in the new partition', partition=7).get(timeout=10)
print('sent', md.partition, md.offset, flush=True)
p.close()
)";

QStringList lines(const QByteArray& out) {
    return QString::fromUtf8(out).split('\n', Qt::SkipEmptyParts);
}

}  // namespace

class CreatePartitionsTest : public QObject {
    Q_OBJECT

  private slots:
    void kafkaPythonGrowsATopic() {
        QTemporaryDir dir;
        bs::test::BrokerProcess broker;
        QVERIFY(broker.start(dir.path(), {"--topic", "orders:6", "--auto-create", "false"}));
        const auto r = bs::test::runTool("/usr/bin/python3", {"-c", kAdmin, broker.bootstrap()});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QStringList got = lines(r.out);
        const QStringList want{
            "grow orders 8 0 None",  // validate_only: checked, nothing changes
            "partitions 6",
            "grow orders 8 0 None",
            "grow orders 8 37 Topic already has 8 partition(s).",
            "grow orders 5 37 The topic orders currently has 8 partition(s); 5 would not be an "
            "increase.",
            "grow nosuch 3 3 Topic 'nosuch' does not exist.",
            "partitions 8",
            "sent 7 0",
        };
        QCOMPARE(got, want);

        // The stdin command grows it further; the count is persisted across a restart.
        QCOMPARE(broker.command("partitions orders 9"),
                 QByteArray("ok: orders now has 9 partitions"));
        QVERIFY(broker.command("partitions orders 2").startsWith("error: INVALID_PARTITIONS: "));
        QCOMPARE(broker.terminate(), 0);
        bs::test::BrokerProcess again;
        QVERIFY(again.start(dir.path(), {"--auto-create", "false"}));
        const auto after = bs::test::runTool(
            "/usr/bin/python3", {"-c",
                                 "import sys\nfrom kafka import KafkaConsumer\n"
                                 "c = KafkaConsumer(bootstrap_servers=sys.argv[1].split(','))\n"
                                 "print(len(c.partitions_for_topic('orders')))\n",
                                 again.bootstrap()});
        QVERIFY2(after.exitCode == 0, after.err.constData());
        QCOMPARE(after.out.trimmed(), QByteArray("9"));
        QCOMPARE(again.terminate(), 0);
    }
};

QTEST_GUILESS_MAIN(CreatePartitionsTest)
#include "test_create_partitions.moc"
