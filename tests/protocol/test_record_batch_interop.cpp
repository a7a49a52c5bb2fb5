// Cross-checks RecordBatch v2 against an independent implementation: kafka-python's
// DefaultRecordBatch / DefaultRecordBatchBuilder (Debian's python3-kafka; it has gzip built in,
// the other codecs need Python modules Debian 12 does not ship with it).
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
bool runPython(const char* script, const QByteArray& input, QByteArray& output) {
    QProcess python;
    python.start("/usr/bin/python3", {"-c", script});
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
};

QTEST_GUILESS_MAIN(RecordBatchInteropTest)
#include "test_record_batch_interop.moc"
