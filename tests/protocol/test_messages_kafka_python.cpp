#include <QtTest>

#include "vector_check.h"
#include "vectors/kafka_python_vectors.h"

using namespace bs::protocol;

// Cross-checks the codec against an independent implementation: kafka-python encoded the
// same sample values (vectors/gen_kafka_python_vectors.py); we must decode its bytes to our
// sample and encode our sample to its bytes.
class KafkaPythonVectorsTest : public QObject {
    Q_OBJECT
  private slots:
    void kafkaPythonBytesMatchOurs() {
        QCOMPARE(kafka_python::kVectors.size(), size_t(15));
        for (const auto& vec : kafka_python::kVectors) {
            bool known = vector_check::withMessageType(vec.message, [&](auto proto) {
                using T = typename decltype(proto)::type;
                T expected = samples::sample<T>(vec.version);
                // kafka-python cannot encode forgotten topics (see the generator).
                if constexpr (std::is_same_v<T, FetchRequest>) expected.forgottenTopicsData.clear();
                vector_check::check("kafka-python", vec.message, vec.version, vec.bytes, expected);
            });
            QVERIFY2(known, vec.message);
            if (QTest::currentTestFailed()) return;
        }
    }
};

QTEST_GUILESS_MAIN(KafkaPythonVectorsTest)
#include "test_messages_kafka_python.moc"
