#include <QtTest>

#include "protocol/api_keys.h"
#include "vector_check.h"
#include "vectors/schema_vectors.h"

using namespace bs::protocol;

// Cross-checks our hand-written message descriptions against Kafka's message schemas: a
// generic schema-driven encoder (vectors/gen_schema_vectors.py) encoded the sample values at
// every supported version, flexible ones and tagged fields included.
class SchemaVectorsTest : public QObject {
    Q_OBJECT
  private slots:
    void everyVersionMatchesTheSchemaEncoding() {
        size_t expectedCount = 0;
        for (const auto& r : supportedApis())
            expectedCount += 2 * (r.maxVersion - r.minVersion + 1);
        QCOMPARE(schema_vectors::kVectors.size(), expectedCount);
        for (const auto& vec : schema_vectors::kVectors) {
            bool known = vector_check::withMessageType(vec.message, [&](auto proto) {
                using T = typename decltype(proto)::type;
                vector_check::check("schema", vec.message, vec.version, vec.bytes,
                                    samples::sample<T>(vec.version));
            });
            QVERIFY2(known, vec.message);
            if (QTest::currentTestFailed()) return;
        }
    }
};

QTEST_GUILESS_MAIN(SchemaVectorsTest)
#include "test_messages_schema_vectors.moc"
