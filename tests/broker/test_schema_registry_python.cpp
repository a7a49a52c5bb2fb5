// confluent-kafka-python's SchemaRegistryClient (python3-confluent-kafka 1.7) against the
// embedded Schema Registry that `batchscope-cli broker` starts and prints as its second line:
// register, fetch by id, versions, lookup, compatibility (BACKWARD refusal as Confluent words
// it), delete; and the schemas survive a restart on the same data dir.
#include <QTemporaryDir>
#include <QtTest>

#include "broker/broker_process.h"

using bs::test::BrokerProcess;
using bs::test::runTool;

namespace {

const char* kScript = R"(
import sys, json
from confluent_kafka.schema_registry import SchemaRegistryClient, Schema
from confluent_kafka.schema_registry.error import SchemaRegistryError
c = SchemaRegistryClient({'url': sys.argv[1]})
v1 = '{"type":"record","name":"User","namespace":"demo","fields":[{"name":"name","type":"string"}]}'
v2 = '{"type":"record","name":"User","namespace":"demo","fields":[{"name":"name","type":"string"},{"name":"age","type":"int","default":0}]}'
bad = '{"type":"record","name":"User","namespace":"demo","fields":[{"name":"name","type":"string"},{"name":"email","type":"string"}]}'
a = c.register_schema('users-value', Schema(v1, 'AVRO'))
b = c.register_schema('copy-value', Schema(v1, 'AVRO'))
d = c.register_schema('users-value', Schema(v2, 'AVRO'))
print('ids', a, b, d, flush=True)
print('subjects', c.get_subjects(), flush=True)
print('versions', c.get_versions('users-value'), flush=True)
latest = c.get_latest_version('users-value')
print('latest', latest.version, latest.schema_id, json.loads(latest.schema.schema_str) == json.loads(v2), flush=True)
found = c.lookup_schema('users-value', Schema(v1, 'AVRO'))
print('lookup', found.version, found.schema_id, flush=True)
print('compat', c.get_compatibility(), flush=True)
print('test', c.test_compatibility('users-value', Schema(bad, 'AVRO')), flush=True)
try:
    c.register_schema('users-value', Schema(bad, 'AVRO'))
except SchemaRegistryError as e:
    print('refused', e.http_status_code, e.error_code, e.error_message, flush=True)
try:
    c.get_versions('nobody')
except SchemaRegistryError as e:
    print('missing', e.http_status_code, e.error_code, e.error_message, flush=True)
print('set', c.set_compatibility('users-value', 'NONE'), flush=True)
print('deleted', c.delete_version('users-value', 1), c.get_versions('users-value'), flush=True)
)";

// A fresh client after the restart: nothing cached, everything from the registry's file.
const char* kAfterRestart = R"(
import sys, json
from confluent_kafka.schema_registry import SchemaRegistryClient
c = SchemaRegistryClient({'url': sys.argv[1]})
s = c.get_schema(int(sys.argv[2]))
print('schema', s.schema_type, json.loads(s.schema_str)['fields'][0]['name'], flush=True)
print('versions', c.get_versions('users-value'), c.get_compatibility('users-value'), flush=True)
)";

}  // namespace

class SchemaRegistryPythonTest : public QObject {
    Q_OBJECT

  private slots:
    void confluentClientAgainstOurRegistry() {
        QTemporaryDir dir;
        BrokerProcess broker;
        QVERIFY(broker.start(dir.path()));
        QVERIFY2(broker.schemaRegistryUrl().startsWith("http://127.0.0.1:"),
                 qPrintable(broker.schemaRegistryUrl()));
        auto r = runTool("/usr/bin/python3", {"-c", kScript, broker.schemaRegistryUrl()});
        QVERIFY2(r.exitCode == 0, (r.out + r.err).constData());
        const QByteArray out = r.out;
        QVERIFY2(out.contains("ids 1 1 2\n"), out.constData());
        QVERIFY2(out.contains("subjects ['copy-value', 'users-value']"), out.constData());
        QVERIFY2(out.contains("versions [1, 2]"), out.constData());
        QVERIFY2(out.contains("latest 2 2 True"), out.constData());
        QVERIFY2(out.contains("lookup 1 1"), out.constData());
        QVERIFY2(out.contains("compat BACKWARD"), out.constData());
        QVERIFY2(out.contains("test False"), out.constData());
        QVERIFY2(out.contains("refused 409 409 Schema being registered is incompatible with an "
                              "earlier schema for subject \"users-value\""),
                 out.constData());
        QVERIFY2(out.contains("missing 404 40401 Subject 'nobody' not found."), out.constData());
        QVERIFY2(out.contains("set {'compatibility': 'NONE'}"), out.constData());
        QVERIFY2(out.contains("deleted 1 [2]"), out.constData());
        QCOMPARE(broker.terminate(), 0);

        BrokerProcess again;
        QVERIFY(again.start(dir.path()));
        r = runTool("/usr/bin/python3", {"-c", kAfterRestart, again.schemaRegistryUrl(), "1"});
        QVERIFY2(r.exitCode == 0, (r.out + r.err).constData());
        QVERIFY2(r.out.contains("schema AVRO name"), r.out.constData());
        QVERIFY2(r.out.contains("versions [2] NONE"), r.out.constData());
        QCOMPARE(again.terminate(), 0);
    }

    // Bad HTTP and oversized requests are answered 4xx; the registry keeps serving.
    void badRequestsAre4xx() {
        QTemporaryDir dir;
        BrokerProcess broker;
        QVERIFY(broker.start(dir.path()));
        const char* script = R"(
import sys, requests, socket
u = sys.argv[1]
r = requests.post(u + '/subjects/x/versions', data='{oops', headers={'Content-Type': 'application/json'})
print('badjson', r.status_code, r.json()['error_code'], flush=True)
r = requests.post(u + '/subjects/x/versions', data='x' * (17 * 1024 * 1024))
print('big', r.status_code, flush=True)
host, port = u[7:].split(':')
s = socket.create_connection((host, int(port)))
s.sendall(b'NOT HTTP AT ALL\r\n\r\n')
print('garbage', s.recv(100).split(b' ')[1].decode(), flush=True)
s.close()
r = requests.get(u + '/subjects')
print('still', r.status_code, r.json(), flush=True)
)";
        auto r = runTool("/usr/bin/python3", {"-c", script, broker.schemaRegistryUrl()});
        QVERIFY2(r.exitCode == 0, (r.out + r.err).constData());
        QVERIFY2(r.out.contains("badjson 400 400"), r.out.constData());
        QVERIFY2(r.out.contains("big 413"), r.out.constData());
        QVERIFY2(r.out.contains("garbage 400"), r.out.constData());
        QVERIFY2(r.out.contains("still 200 []"), r.out.constData());
        QCOMPARE(broker.terminate(), 0);
    }
};

QTEST_GUILESS_MAIN(SchemaRegistryPythonTest)
#include "test_schema_registry_python.moc"
