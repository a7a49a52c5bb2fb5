#include <QtTest>

#include <string>
#include <vector>

#include "message_samples.h"
#include "protocol/api_keys.h"
#include "protocol/reader.h"
#include "protocol/writer.h"

using namespace bs::protocol;

using samples::encoded;

namespace {

template <class T>
QString name(int16_t v) {
    return QStringLiteral("%1 v%2").arg(samples::kName<T>).arg(v);
}

}  // namespace

class MessagesRoundTripTest : public QObject {
    Q_OBJECT
  private slots:
    // Every supported version of every message (covers oldest, newest and the flexible
    // boundary on both sides).
    void everyVersionRoundTrips() {
        int checked = 0;
        samples::forEachMessageType([&](auto proto) {
            using T = typename decltype(proto)::type;
            auto range = supportedRange(T::kApiKey);
            QVERIFY(range.has_value());
            for (int16_t v = range->minVersion; v <= range->maxVersion; ++v) {
                const T original = samples::sample<T>(v);
                std::vector<uint8_t> bytes = encoded(original, v);
                Reader r(bytes);
                T decoded;
                bs::Status s = decode(decoded, v, r);
                QVERIFY2(s.ok(), qPrintable(name<T>(v) + ": " + s.message().c_str()));
                QVERIFY2(r.atEnd(), qPrintable(name<T>(v) + " left bytes unread"));
                QVERIFY2(decoded == original, qPrintable(name<T>(v) + " differs after decode"));
                QVERIFY2(encoded(decoded, v) == bytes, qPrintable(name<T>(v) + " re-encodes"));
                ++checked;
            }
        });
        QCOMPARE(checked, 2 * (4 + 13 + 9 + 9 + 7 + 5 + 6 + 5 + 2 + 3) +
                              2 * (10 + 6 + 5 + 6 + 9 + 9 + 5 + 6 + 3) +  // the group APIs
                              2 * 4);                                     // CreatePartitions
    }

    void samplesCarryNonDefaultValues() {
        // Guards the round trip above: a sample equal to the default would prove nothing.
        samples::forEachMessageType([&](auto proto) {
            using T = typename decltype(proto)::type;
            auto range = supportedRange(T::kApiKey);
            for (int16_t v : {range->minVersion, range->maxVersion}) {
                if (std::is_same_v<T, ApiVersionsRequest> && v < 3) continue;  // no fields
                if (std::is_same_v<T, ListGroupsRequest> && v < 4) continue;
                QVERIFY2(!(samples::sample<T>(v) == T{}), qPrintable(name<T>(v)));
            }
        });
    }

    void recordsAreViewsIntoTheInput() {
        auto req = samples::sample<ProduceRequest>(9);
        std::vector<uint8_t> bytes = encoded(req, 9);
        Reader r(bytes);
        ProduceRequest decoded;
        QVERIFY(decode(decoded, 9, r).ok());
        const RecordsView& rec = decoded.topicData[0].partitionData[0].records;
        QVERIFY(rec.bytes.data() >= bytes.data());
        QVERIFY(rec.bytes.data() + rec.bytes.size() <= bytes.data() + bytes.size());
        QCOMPARE(rec.size(), sizeof(samples::kRecordsA));
        QVERIFY(decoded.topicData[0].partitionData[1].records.isNull);
    }

    void versionDependentFieldsAreOmittedInOlderVersions() {
        // The same (newest-version) content encodes smaller in old versions: fields are dropped.
        auto full = samples::sample<ProduceResponse>(11);
        QVERIFY(encoded(full, 3).size() < encoded(full, 8).size());
        ProduceResponse decoded;
        std::vector<uint8_t> v3 = encoded(full, 3);
        Reader r(v3);
        QVERIFY(decode(decoded, 3, r).ok());
        QCOMPARE(decoded.responses[0].partitionResponses[0].logStartOffset, int64_t(-1));
        QVERIFY(!decoded.responses[0].partitionResponses[0].currentLeader.has_value());
        QCOMPARE(decoded.responses[0].partitionResponses[0].baseOffset, 1234567890123);
    }

    void unsupportedVersionsAreRejectedOnDecode() {
        std::vector<uint8_t> bytes{0, 0, 0, 0};
        Reader r(bytes);
        MetadataRequest m;
        bs::Status s = decode(m, 13, r);
        QVERIFY(!s.ok());
        QVERIFY(QString::fromStdString(s.message()).contains("unsupported version 13"));
        Reader r2(bytes);
        ProduceRequest p;
        QVERIFY(!decode(p, 12, r2).ok());
    }
};

QTEST_GUILESS_MAIN(MessagesRoundTripTest)
#include "test_messages_roundtrip.moc"
