#include <QtTest>

#include <string>

#include "message_samples.h"
#include "protocol/reader.h"
#include "protocol/writer.h"
#include "vectors/kafka_python_vectors.h"

using namespace bs::protocol;

// Cross-checks the codec against an independent implementation: kafka-python encoded the
// same sample values (vectors/gen_kafka_python_vectors.py); we must decode its bytes to our
// sample and encode our sample to its bytes.
class KafkaPythonVectorsTest : public QObject {
    Q_OBJECT

    template <class T>
    static void check(const kafka_python::Vector& vec, const T& expected) {
        const QString what = QString("%1 v%2").arg(vec.message).arg(vec.version);
        Reader r(vec.bytes);
        T decoded;
        bs::Status s = decode(decoded, vec.version, r);
        QVERIFY2(s.ok(), qPrintable(what + ": " + s.message().c_str()));
        QVERIFY2(r.atEnd(), qPrintable(what + " left bytes unread"));
        QVERIFY2(decoded == expected, qPrintable(what + " decodes to other values"));
        std::vector<uint8_t> ours;
        Writer w(ours);
        encode(expected, vec.version, w);
        QVERIFY2(ours == vec.bytes, qPrintable(what + " encodes to other bytes"));
    }

    template <class T>
    static bool checkIf(const kafka_python::Vector& vec, const char* name) {
        if (std::string(vec.message) != name) return false;
        T expected = samples::sample<T>(vec.version);
        if constexpr (std::is_same_v<T, FetchRequest>) expected.forgottenTopicsData.clear();
        check(vec, expected);
        return true;
    }

  private slots:
    void kafkaPythonBytesMatchOurs() {
        QCOMPARE(kafka_python::kVectors.size(), size_t(13));
        for (const auto& vec : kafka_python::kVectors) {
            bool known = checkIf<MetadataRequest>(vec, "MetadataRequest") ||
                         checkIf<MetadataResponse>(vec, "MetadataResponse") ||
                         checkIf<ProduceRequest>(vec, "ProduceRequest") ||
                         checkIf<ProduceResponse>(vec, "ProduceResponse") ||
                         checkIf<FetchRequest>(vec, "FetchRequest") ||
                         checkIf<FetchResponse>(vec, "FetchResponse") ||
                         checkIf<ListOffsetsRequest>(vec, "ListOffsetsRequest") ||
                         checkIf<ListOffsetsResponse>(vec, "ListOffsetsResponse") ||
                         checkIf<ApiVersionsResponse>(vec, "ApiVersionsResponse") ||
                         checkIf<CreateTopicsRequest>(vec, "CreateTopicsRequest") ||
                         checkIf<CreateTopicsResponse>(vec, "CreateTopicsResponse");
            QVERIFY2(known, vec.message);
            if (QTest::currentTestFailed()) return;
        }
    }
};

QTEST_GUILESS_MAIN(KafkaPythonVectorsTest)
#include "test_messages_kafka_python.moc"
