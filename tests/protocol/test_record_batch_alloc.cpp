// The record hot path allocates nothing per record: appends into the caller's buffer and
// iteration over a batch's records. Counted with a replaced global operator new (this program
// only).
#include <QtTest>

#include <atomic>
#include <cstdlib>
#include <new>
#include <string>
#include <vector>

#include "protocol/record/record_batch.h"

namespace {
std::atomic<long> allocations{0};
}

void* operator new(std::size_t size) {
    allocations.fetch_add(1, std::memory_order_relaxed);
    if (void* p = std::malloc(size ? size : 1)) return p;
    throw std::bad_alloc();
}
void operator delete(void* p) noexcept {
    std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
    std::free(p);
}

using namespace bs::protocol;

Q_DECLARE_METATYPE(CompressionType)

class RecordBatchAllocTest : public QObject {
    Q_OBJECT
  private slots:
    void noAllocationPerRecord_data() {
        QTest::addColumn<CompressionType>("type");
        QTest::newRow("none") << CompressionType::None;
        QTest::newRow("zstd") << CompressionType::Zstd;
    }
    void noAllocationPerRecord() {
        QFETCH(CompressionType, type);
        std::vector<uint8_t> buffer(1 << 20);
        const std::string value(100, 'v');
        const Bytes v(reinterpret_cast<const uint8_t*>(value.data()), value.size());
        const Bytes k(reinterpret_cast<const uint8_t*>("key"), 3);
        const RecordHeader headers[] = {{"trace-id", k, false}};
        RecordBatchBuilder builder(buffer, type);

        const long beforeAppends = allocations.load();
        for (int i = 0; i < 2000; ++i) {
            if (!builder.tryAppend(1'700'000'000'000 + i, k, v, headers)) break;
        }
        const long appendAllocations = allocations.load() - beforeAppends;
        QCOMPARE(builder.recordCount(), 2000);
        QCOMPARE(appendAllocations, 0L);

        auto built = builder.close();
        QVERIFY(built.ok());
        RecordBatchReader reader(*built);
        QVERIFY(reader.nextBatch());
        Record r;
        QVERIFY(reader.nextRecord(r));  // decompresses (per batch, may allocate)
        const long beforeReads = allocations.load();
        int n = 1;
        size_t bytes = 0;
        while (reader.nextRecord(r)) {
            RecordHeaderIterator it(r);
            RecordHeader h;
            while (it.next(h))
                bytes += h.value.size();
            bytes += r.value->size();
            ++n;
        }
        const long readAllocations = allocations.load() - beforeReads;
        QVERIFY(reader.ok());
        QCOMPARE(n, 2000);
        QCOMPARE(bytes, size_t{1999 * 103});
        QCOMPARE(readAllocations, 0L);
    }

    // A compressed batch held uncompressed past batch.size grows once, to where its estimated
    // ratio will close it, not by doublings that each copy the records again.
    void compressedBatchGrowsOnceToItsEstimate() {
        std::vector<uint8_t> buffer(16384);
        const std::string value(100, 'v');
        const Bytes v(reinterpret_cast<const uint8_t*>(value.data()), value.size());
        RecordBatchBuilder builder(buffer, CompressionType::Gzip);
        builder.setEstimatedCompressionRatio(0.05f);  // a batch of ~300 KB of records
        const long before = allocations.load();
        int n = 0;
        while (builder.tryAppend(1'700'000'000'000 + n, std::nullopt, v))
            ++n;
        QCOMPARE(allocations.load() - before, 1L);
        QVERIFY(builder.uncompressedRecordsBytes() > 250'000);
        QVERIFY(builder.sizeInBytes() <= 16384);
        auto built = builder.close();
        QVERIFY(built.ok());
        QCOMPARE(parseBatchHeader(*built)->recordCount, n);
        std::vector<uint8_t> scratch;
        QVERIFY(validateBatchRecords(*built, scratch).ok());  // every record decodes
    }
};

QTEST_GUILESS_MAIN(RecordBatchAllocTest)
#include "test_record_batch_alloc.moc"
