// Cross-checks RecordBatch v2 against independent implementations: kafka-python's
// DefaultRecordBatch / DefaultRecordBatchBuilder (Debian's python3-kafka; gzip only, its other
// codecs need Python modules Debian 12 lacks), and librdkafka (python3-confluent-kafka) for
// every codec, through librdkafka's own mock cluster: raw bytes move with kafka-python's
// protocol classes (Fetch v4 / Produce v3).
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QtTest>

#include <string>
#include <vector>

#include "protocol/record/record_batch.h"

using namespace bs::protocol;

namespace {

constexpr int64_t kT = 1'700'000'000'000;

Bytes bytesOf(std::string_view s) {
    return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

// Runs a script with `input` on stdin; false (and `output` = the reason) when it fails.
bool runPython(const char* script, const QByteArray& input, QByteArray& output,
               const QStringList& args = {}) {
    QProcess python;
    python.start("/usr/bin/python3", QStringList{"-c", script} + args);
    if (!python.waitForStarted(30000)) {
        output = "cannot start /usr/bin/python3";
        return false;
    }
    python.write(input);
    python.closeWriteChannel();
    if (!python.waitForFinished(60000)) {
        output = "python timed out";
        return false;
    }
    if (python.exitCode() != 0) {
        output = python.readAllStandardError();
        return false;
    }
    output = python.readAllStandardOutput();
    return true;
}

// Parses a batch with kafka-python, checks its CRC and prints what it sees as JSON.
const char* kReadScript = R"(
import sys, json
from kafka.record.default_records import DefaultRecordBatch
b = DefaultRecordBatch(bytes.fromhex(sys.stdin.read().strip()))
assert b.validate_crc(), 'crc'
h = lambda v: None if v is None else bytes(v).hex()
out = {'baseOffset': b.base_offset, 'magic': b.magic, 'compression': b.compression_type,
       'transactional': b.is_transactional, 'firstTimestamp': b.first_timestamp,
       'maxTimestamp': b.max_timestamp, 'lastOffsetDelta': b.last_offset_delta,
       'producerId': b._header_data[9], 'producerEpoch': b._header_data[10],
       'baseSequence': b._header_data[11], 'count': b._header_data[12],
       'records': [{'offset': r.offset, 'timestamp': r.timestamp, 'key': h(r.key),
                    'value': h(r.value), 'headers': [[k, h(v)] for k, v in r.headers]}
                   for r in b]}
print(json.dumps(out))
)";

// Builds a batch with kafka-python from a JSON description and prints it as hex.
const char* kWriteScript = R"(
import sys, json
from kafka.record.default_records import DefaultRecordBatchBuilder
d = json.loads(sys.stdin.read())
b = DefaultRecordBatchBuilder(magic=2, compression_type=d['compression'],
        is_transactional=d['transactional'], producer_id=d['producerId'],
        producer_epoch=d['producerEpoch'], base_sequence=d['baseSequence'], batch_size=1 << 20)
u = lambda v: None if v is None else bytes.fromhex(v)
for i, r in enumerate(d['records']):
    assert b.append(i, timestamp=r['timestamp'], key=u(r['key']), value=u(r['value']),
                    headers=[(k, u(v)) for k, v in r['headers']]) is not None
print(bytes(b.build()).hex())
)";

// librdkafka produces `count` records with codec argv[1] to its mock cluster; the raw batches,
// fetched with Fetch v4, are printed as hex.
const char* kLibrdkafkaProduceScript = R"(
import sys, socket
from confluent_kafka import Producer
from kafka.protocol.fetch import FetchRequest
from kafka.protocol.parser import KafkaProtocol
codec, count = sys.argv[1], int(sys.argv[2])
p = Producer({'test.mock.num.brokers': 1, 'bootstrap.servers': 'unused:9092',
              'compression.type': codec, 'linger.ms': 20, 'log_level': 0})
for i in range(count):
    p.produce('t', key=b'k%d' % i, value=(b'value-%d-' % i) + b'x' * (i % 300), partition=0,
              headers=[('h', b'%d' % i)], timestamp=1700000000000 + i)
assert p.flush(30) == 0
b = list(p.list_topics(timeout=10).brokers.values())[0]
import struct
proto = KafkaProtocol(client_id='interop')
s = socket.create_connection((b.host, b.port))
out, offset = b'', 0
while offset < count:  # the mock broker answers a Fetch with one batch at a time
    proto.send_request(FetchRequest[4](-1, 100, 1, 64 << 20, 0, [('t', [(0, offset, 64 << 20)])]))
    s.sendall(proto.send_bytes())
    resps = []
    while not resps:
        resps = proto.receive_bytes(s.recv(1 << 20))
    part = resps[0][1].topics[0][1][0]
    assert part[1] == 0, 'fetch error %d' % part[1]
    records = bytes(part[-1])
    assert records, 'no records at offset %d' % offset
    pos = 0
    while pos + 61 <= len(records):
        base, length = struct.unpack_from('>qi', records, pos)
        if pos + 12 + length > len(records): break
        offset = base + struct.unpack_from('>i', records, pos + 23)[0] + 1
        out += records[pos:pos + 12 + length]
        pos += 12 + length
print(out.hex())
)";

// Our batches (hex lines on stdin) are produced raw (Produce v3) to librdkafka's mock cluster
// after one librdkafka-produced record, then consumed by librdkafka with check.crcs; prints one
// JSON line per record from offset 1 on (or the error).
const char* kLibrdkafkaConsumeScript = R"(
import sys, socket, json
from confluent_kafka import Producer, Consumer, TopicPartition
from kafka.protocol.produce import ProduceRequest
from kafka.protocol.parser import KafkaProtocol
expected = int(sys.argv[1])
batches = [bytes.fromhex(l) for l in sys.stdin.read().split()]
p = Producer({'test.mock.num.brokers': 1, 'bootstrap.servers': 'unused:9092', 'log_level': 0})
p.produce('t', value=b'first', partition=0)
assert p.flush(30) == 0
b = list(p.list_topics(timeout=10).brokers.values())[0]
proto = KafkaProtocol(client_id='interop')
s = socket.create_connection((b.host, b.port))
for batch in batches:
    proto.send_request(ProduceRequest[3](None, -1, 5000, [('t', [(0, batch)])]))
    s.sendall(proto.send_bytes())
    resps = []
    while not resps:
        resps = proto.receive_bytes(s.recv(1 << 20))
    assert resps[0][1].topics[0][1][0][1] == 0, 'produce error'
c = Consumer({'bootstrap.servers': '%s:%d' % (b.host, b.port), 'group.id': 'interop',
              'check.crcs': True, 'enable.auto.commit': False, 'log_level': 0})
c.assign([TopicPartition('t', 0, 1)])
seen = 0
while seen < expected:
    m = c.poll(20)
    if m is None:
        print(json.dumps({'error': 'timed out after %d records' % seen}))
        break
    if m.error():
        print(json.dumps({'error': str(m.error())}))
        break
    seen += 1
    print(json.dumps({'offset': m.offset(), 'key': None if m.key() is None else m.key().hex(),
                      'value': m.value().hex(), 'timestamp': m.timestamp()[1],
                      'headers': [[k, v.hex()] for k, v in (m.headers() or [])]}))
c.close()
)";

struct Sample {
    int64_t timestamp;
    std::optional<std::string> key;
    std::optional<std::string> value;
    std::vector<std::pair<std::string, std::optional<std::string>>> headers;
};

std::vector<Sample> samples() {
    std::vector<Sample> s;
    s.push_back({kT, "key", "value", {}});
    s.push_back({kT - 100, std::nullopt, std::string(300, 'z'), {{"trace", "abc"}, {"n", {}}}});
    s.push_back({kT + 5000, "k2", std::nullopt, {{"", ""}}});
    s.push_back({kT + 1, "", "", {}});
    for (int i = 0; i < 40; ++i) {
        s.push_back({kT + i * 37, "key-" + std::to_string(i), "v" + std::string(i * 11, 'q'), {}});
    }
    return s;
}

QJsonValue hexOrNull(const std::optional<std::string>& v) {
    if (!v) return QJsonValue::Null;
    return QString::fromLatin1(QByteArray::fromStdString(*v).toHex());
}
QJsonValue hexOrNull(const std::optional<Bytes>& v) {
    if (!v) return QJsonValue::Null;
    return QString::fromLatin1(
        QByteArray(reinterpret_cast<const char*>(v->data()), static_cast<qsizetype>(v->size()))
            .toHex());
}

}  // namespace

class RecordBatchInteropTest : public QObject {
    Q_OBJECT
  private slots:
    void kafkaPythonReadsOurBatches_data() {
        QTest::addColumn<int>("codec");
        QTest::newRow("none") << 0;
        QTest::newRow("gzip") << 1;
    }
    void kafkaPythonReadsOurBatches() {
        QFETCH(int, codec);
        const auto all = samples();
        std::vector<uint8_t> buffer(64 * 1024);
        RecordBatchBuilder builder(buffer, static_cast<CompressionType>(codec));
        builder.setProducerState(123456789, 7, 1000, true);
        std::vector<RecordHeader> headers;
        for (const Sample& s : all) {
            headers.clear();
            for (const auto& [k, v] : s.headers) {
                headers.push_back({k, v ? bytesOf(*v) : Bytes{}, !v.has_value()});
            }
            QVERIFY(builder.tryAppend(
                s.timestamp, s.key ? std::optional<Bytes>(bytesOf(*s.key)) : std::nullopt,
                s.value ? std::optional<Bytes>(bytesOf(*s.value)) : std::nullopt, headers));
        }
        auto built = builder.close();
        QVERIFY(built.ok());
        std::vector<uint8_t> batch(built->begin(), built->end());
        QVERIFY(setBaseOffset(batch, 500));
        const QByteArray hex =
            QByteArray(reinterpret_cast<const char*>(batch.data()), qsizetype(batch.size()))
                .toHex();
        QByteArray json;
        QVERIFY2(runPython(kReadScript, hex, json), json.constData());
        const QJsonObject seen = QJsonDocument::fromJson(json).object();
        QCOMPARE(seen["count"].toInt(), int(all.size()));
        QCOMPARE(seen["baseOffset"].toInteger(), 500);
        QCOMPARE(seen["magic"].toInt(), 2);
        QCOMPARE(seen["compression"].toInt(), codec);
        QCOMPARE(seen["transactional"].toBool(), true);
        QCOMPARE(seen["firstTimestamp"].toInteger(), kT);
        QCOMPARE(seen["maxTimestamp"].toInteger(), kT + 5000);
        QCOMPARE(seen["lastOffsetDelta"].toInt(), int(all.size()) - 1);
        QCOMPARE(seen["producerId"].toInteger(), 123456789);
        QCOMPARE(seen["producerEpoch"].toInt(), 7);
        QCOMPARE(seen["baseSequence"].toInt(), 1000);
        const QJsonArray records = seen["records"].toArray();
        QCOMPARE(records.size(), qsizetype(all.size()));
        for (qsizetype i = 0; i < records.size(); ++i) {
            const QJsonObject r = records[i].toObject();
            const Sample& s = all[static_cast<size_t>(i)];
            QCOMPARE(r["offset"].toInteger(), 500 + i);
            QCOMPARE(r["timestamp"].toInteger(), s.timestamp);
            QCOMPARE(r["key"], hexOrNull(s.key));
            QCOMPARE(r["value"], hexOrNull(s.value));
            const QJsonArray hs = r["headers"].toArray();
            QCOMPARE(hs.size(), qsizetype(s.headers.size()));
            for (qsizetype j = 0; j < hs.size(); ++j) {
                const auto& [k, v] = s.headers[static_cast<size_t>(j)];
                QCOMPARE(hs[j].toArray()[0].toString(), QString::fromStdString(k));
                QCOMPARE(hs[j].toArray()[1], hexOrNull(v));
            }
        }
    }

    void weReadKafkaPythonBatches_data() { kafkaPythonReadsOurBatches_data(); }
    void weReadKafkaPythonBatches() {
        QFETCH(int, codec);
        const auto all = samples();
        QJsonArray records;
        for (const Sample& s : all) {
            QJsonArray hs;
            for (const auto& [k, v] : s.headers) {
                hs.append(QJsonArray{QString::fromStdString(k), hexOrNull(v)});
            }
            records.append(QJsonObject{{"timestamp", qint64(s.timestamp)},
                                       {"key", hexOrNull(s.key)},
                                       {"value", hexOrNull(s.value)},
                                       {"headers", hs}});
        }
        const QJsonObject spec{{"compression", codec}, {"transactional", false},
                               {"producerId", 77},     {"producerEpoch", 1},
                               {"baseSequence", 5},    {"records", records}};
        QByteArray hex;
        QVERIFY2(runPython(kWriteScript, QJsonDocument(spec).toJson(), hex), hex.constData());
        const QByteArray raw = QByteArray::fromHex(hex.trimmed());
        const Bytes batch(reinterpret_cast<const uint8_t*>(raw.data()), size_t(raw.size()));
        const bs::Status valid = validateBatch(batch);
        QVERIFY2(valid.ok(), valid.message().c_str());
        std::vector<uint8_t> scratch;
        QVERIFY(validateBatchRecords(batch, scratch).ok());
        RecordBatchReader reader(batch);
        QVERIFY(reader.nextBatch());
        QCOMPARE(int(reader.batch().compression()), codec);
        QCOMPARE(reader.batch().producerId, int64_t{77});
        QCOMPARE(reader.batch().baseSequence, 5);
        Record r;
        size_t i = 0;
        while (reader.nextRecord(r)) {
            const Sample& s = all[i];
            QCOMPARE(r.offset, int64_t(i));
            QCOMPARE(r.timestamp, s.timestamp);
            QCOMPARE(r.sequence, int32_t(5 + i));
            QCOMPARE(hexOrNull(r.key), hexOrNull(s.key));
            QCOMPARE(hexOrNull(r.value), hexOrNull(s.value));
            QCOMPARE(r.headerCount, int32_t(s.headers.size()));
            RecordHeaderIterator it(r);
            RecordHeader h;
            for (const auto& [k, v] : s.headers) {
                QVERIFY(it.next(h));
                QCOMPARE(std::string(h.key), k);
                QCOMPARE(h.valueNull, !v.has_value());
                if (v) QCOMPARE(hexOrNull(std::optional<Bytes>(h.value)), hexOrNull(v));
            }
            ++i;
        }
        QVERIFY2(reader.ok(), reader.error().c_str());
        QCOMPARE(i, all.size());
    }
    void librdkafkaBatchesDecode_data() {
        QTest::addColumn<QString>("codec");
        for (const char* c : {"none", "gzip", "snappy", "lz4", "zstd"})
            QTest::newRow(c) << c;
    }
    // librdkafka writes raw snappy (no xerial header): the other branch of our snappy decoder.
    void librdkafkaBatchesDecode() {
        QFETCH(QString, codec);
        constexpr int kCount = 500;
        QByteArray hex;
        QVERIFY2(runPython(kLibrdkafkaProduceScript, {}, hex, {codec, QString::number(kCount)}),
                 hex.constData());
        const QByteArray raw = QByteArray::fromHex(hex.trimmed());
        RecordBatchReader reader(
            Bytes(reinterpret_cast<const uint8_t*>(raw.data()), static_cast<size_t>(raw.size())));
        std::vector<uint8_t> scratch;
        Record r;
        int i = 0;
        int codecBatches = 0;
        while (reader.nextBatch()) {
            // librdkafka sends a batch uncompressed when compressing does not shrink it.
            const std::string name(compressionName(reader.batch().compression()));
            QVERIFY2(name == codec.toStdString() || name == "none", name.c_str());
            if (name == codec.toStdString()) ++codecBatches;
            QVERIFY(validateBatchRecords(reader.batchBytes(), scratch).ok());
            while (reader.nextRecord(r)) {
                const std::string value = "value-" + std::to_string(i) + "-" +
                                          std::string(static_cast<size_t>(i % 300), 'x');
                QCOMPARE(r.offset, int64_t{i});
                QCOMPARE(r.timestamp, kT + i);
                QCOMPARE(hexOrNull(r.key),
                         hexOrNull(std::optional<std::string>("k" + std::to_string(i))));
                QCOMPARE(hexOrNull(r.value), hexOrNull(std::optional<std::string>(value)));
                RecordHeaderIterator it(r);
                RecordHeader h;
                QVERIFY(it.next(h));
                QCOMPARE(std::string(h.key), std::string("h"));
                QCOMPARE(std::string(reinterpret_cast<const char*>(h.value.data()), h.value.size()),
                         std::to_string(i));
                ++i;
            }
        }
        QVERIFY2(reader.ok(), reader.error().c_str());
        QCOMPARE(reader.partialTailBytes(), size_t{0});
        QCOMPARE(i, kCount);
        QVERIFY(codecBatches > 0);
    }

    void librdkafkaReadsOurBatches_data() { librdkafkaBatchesDecode_data(); }
    // Our xerial snappy, LZ4 frames, zstd and gzip, and our CRCs, as librdkafka's consumer sees
    // them (check.crcs=true).
    void librdkafkaReadsOurBatches() {
        QFETCH(QString, codec);
        const auto type = *parseCompressionType(codec.toStdString());
        std::vector<std::string> values;
        QByteArray input;
        std::vector<uint8_t> buffer(256 * 1024);
        int n = 0;
        for (int b = 0; b < 3; ++b) {
            RecordBatchBuilder builder(buffer, type);
            const RecordHeader headers[] = {{"h", bytesOf("hv"), false}};
            for (int j = 0; j < 150; ++j, ++n) {
                values.push_back("our-" + std::to_string(n) +
                                 std::string(static_cast<size_t>(n % 200), 'y'));
                QVERIFY(builder.tryAppend(kT + n, bytesOf("key"), bytesOf(values.back()), headers));
            }
            auto built = builder.close();
            QVERIFY(built.ok());
            input += QByteArray(reinterpret_cast<const char*>(built->data()),
                                static_cast<qsizetype>(built->size()))
                         .toHex() +
                     "\n";
        }
        QByteArray out;
        QVERIFY2(runPython(kLibrdkafkaConsumeScript, input, out, {QString::number(n)}),
                 out.constData());
        const QList<QByteArray> lines = out.trimmed().split('\n');
        QCOMPARE(lines.size(), qsizetype(n));
        for (int i = 0; i < n; ++i) {
            const QJsonObject m = QJsonDocument::fromJson(lines[i]).object();
            QVERIFY2(!m.contains("error"), lines[i].constData());
            QCOMPARE(m["offset"].toInteger(), 1 + i);
            QCOMPARE(m["timestamp"].toInteger(), kT + i);
            QCOMPARE(m["key"], hexOrNull(std::optional<std::string>("key")));
            QCOMPARE(m["value"],
                     hexOrNull(std::optional<std::string>(values[static_cast<size_t>(i)])));
            QCOMPARE(m["headers"].toArray()[0].toArray()[1],
                     hexOrNull(std::optional<std::string>("hv")));
        }
    }

    // The consumer really checks: a batch with a wrong CRC is refused.
    void librdkafkaRejectsBadCrc() {
        std::vector<uint8_t> buffer(4096);
        RecordBatchBuilder builder(buffer, CompressionType::None);
        QVERIFY(builder.tryAppend(kT, bytesOf("k"), bytesOf("v")));
        auto built = builder.close();
        std::vector<uint8_t> batch(built->begin(), built->end());
        batch[kCrcOffset] ^= 0x01;
        QByteArray out;
        QVERIFY2(runPython(kLibrdkafkaConsumeScript,
                           QByteArray(reinterpret_cast<const char*>(batch.data()),
                                      qsizetype(batch.size()))
                               .toHex(),
                           out, {"1"}),
                 out.constData());
        const QJsonObject m = QJsonDocument::fromJson(out.trimmed().split('\n').first()).object();
        QVERIFY2(m["error"].toString().contains("CRC", Qt::CaseInsensitive), out.constData());
    }
};

QTEST_GUILESS_MAIN(RecordBatchInteropTest)
#include "test_record_batch_interop.moc"
