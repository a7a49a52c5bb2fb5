#include <QtTest>

#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "protocol/record/crc32c.h"
#include "protocol/record/record_batch.h"

using namespace bs::protocol;

namespace {

Bytes bytesOf(std::string_view s) {
    return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}
std::string str(Bytes b) {
    return {reinterpret_cast<const char*>(b.data()), b.size()};
}

std::vector<uint8_t> be64(int64_t v) {
    std::vector<uint8_t> out(8);
    for (int i = 7; i >= 0; --i, v >>= 8)
        out[static_cast<size_t>(i)] = static_cast<uint8_t>(v);
    return out;
}

std::vector<uint8_t> concat(std::initializer_list<std::vector<uint8_t>> parts) {
    std::vector<uint8_t> out;
    for (const auto& p : parts)
        out.insert(out.end(), p.begin(), p.end());
    return out;
}

constexpr int64_t kT = 1'700'000'000'000;  // 0x0000018BCFE56800

}  // namespace

class RecordBatchTest : public QObject {
    Q_OBJECT
  private slots:
    // One record, key "key", value "value", no headers, no producer state: every byte derived by
    // hand from the RecordBatch v2 layout (DefaultRecordBatch / DefaultRecord). The CRC32C
    // constant was computed separately with a bitwise CRC over bytes 21..75.
    void goldenOneRecord() {
        const std::vector<uint8_t> expected = concat({
            {0, 0, 0, 0, 0, 0, 0, 0},  // baseOffset
            {0, 0, 0, 64},             // batchLength = 76 - 12
            {0xff, 0xff, 0xff, 0xff},  // partitionLeaderEpoch -1
            {2},                       // magic
            {0xdb, 0x5e, 0x9c, 0xdd},  // crc32c
            {0, 0},                    // attributes: none, CreateTime
            {0, 0, 0, 0},              // lastOffsetDelta
            be64(kT),                  // baseTimestamp
            be64(kT),                  // maxTimestamp
            be64(-1),                  // producerId
            {0xff, 0xff},              // producerEpoch
            {0xff, 0xff, 0xff, 0xff},  // baseSequence
            {0, 0, 0, 1},              // record count
            // record: length 14 (zigzag 28), attributes, tsDelta 0, offsetDelta 0,
            // key length 3 (zigzag 6) "key", value length 5 (zigzag 10) "value", 0 headers
            {0x1c, 0, 0, 0, 6, 'k', 'e', 'y', 10, 'v', 'a', 'l', 'u', 'e', 0},
        });
        QCOMPARE(expected.size(), size_t{76});
        std::vector<uint8_t> buffer(1024, 0xee);
        RecordBatchBuilder builder(buffer.data(), buffer.size(), CompressionType::None);
        QVERIFY(builder.tryAppend(kT, bytesOf("key"), bytesOf("value")));
        QCOMPARE(builder.sizeInBytes(), size_t{76});
        auto built = builder.close();
        QVERIFY(built.ok());
        QCOMPARE(built->data(), buffer.data());
        QCOMPARE(std::vector<uint8_t>(built->begin(), built->end()), expected);
    }

    // Two records: null key, null value, headers (one with a null value), a negative timestamp
    // delta, producer state. Hand-derived as above; CRC computed separately.
    void goldenTwoRecordsWithHeadersAndProducerState() {
        const std::vector<uint8_t> expected = concat({
            be64(0),
            {0, 0, 0, 73},
            {0xff, 0xff, 0xff, 0xff},
            {2},
            {0x95, 0xeb, 0x37, 0x73},
            {0, 0},
            {0, 0, 0, 1},  // lastOffsetDelta
            be64(kT),
            be64(kT),  // max of kT and kT-5
            be64(1000),
            {0, 5},
            {0, 0, 0, 7},
            {0, 0, 0, 2},
            // record 0: len 12, attr, ts 0, off 0, key null (-1 -> 1), value "a",
            // 1 header: key "h1", value "x"
            {0x18, 0, 0, 0, 1, 2, 'a', 2, 4, 'h', '1', 2, 'x'},
            // record 1: len 10, attr, ts -5 (zigzag 9), off 1 (2), key "k", value null,
            // 1 header: key "e", value null
            {0x14, 0, 9, 2, 2, 'k', 1, 2, 2, 'e', 1},
        });
        std::vector<uint8_t> buffer(200);
        RecordBatchBuilder builder(buffer, CompressionType::None);
        const RecordHeader h0[] = {{"h1", bytesOf("x"), false}};
        const RecordHeader h1[] = {{"e", {}, true}};
        builder.setProducerState(1000, 5, 7);
        QVERIFY(builder.tryAppend(kT, std::nullopt, bytesOf("a"), h0));
        QVERIFY(builder.tryAppend(kT - 5, bytesOf("k"), std::nullopt, h1));
        auto built = builder.close();
        QVERIFY(built.ok());
        QCOMPARE(std::vector<uint8_t>(built->begin(), built->end()), expected);
        QVERIFY(validateBatch(*built).ok());
        std::vector<uint8_t> scratch;
        QVERIFY(validateBatchRecords(*built, scratch).ok());
    }

    // The broker checks a produced batch's CRC once (validateBatch), then its records without
    // computing the CRC again; the records are still checked.
    void checkedBatchRecordsSkipOnlyTheCrc() {
        std::vector<uint8_t> buffer(200);
        RecordBatchBuilder builder(buffer, CompressionType::None);
        QVERIFY(builder.tryAppend(kT, bytesOf("k"), bytesOf("v"), {}));
        QVERIFY(builder.tryAppend(kT, bytesOf("k2"), bytesOf("v2"), {}));
        auto built = builder.close();
        QVERIFY(built.ok());
        std::vector<uint8_t> batch(built->begin(), built->end());
        std::vector<uint8_t> scratch;
        QVERIFY(validateCheckedBatchRecords(batch, scratch).ok());

        batch[kCrcOffset] ^= 0xff;  // a CRC the caller would have refused
        QVERIFY(!validateBatchRecords(batch, scratch).ok());
        QVERIFY(validateCheckedBatchRecords(batch, scratch).ok());

        batch[kCrcOffset] ^= 0xff;
        batch[batch.size() - 1] = 0x7f;  // the last record's header count: now past the end
        const bs::Status bad = validateCheckedBatchRecords(batch, scratch);
        QVERIFY(!bad.ok());
        QVERIFY2(bad.message().find("CRC") == std::string::npos, bad.message().c_str());
        batch.resize(batch.size() - 1);  // shorter than batchLength says
        QVERIFY(!validateCheckedBatchRecords(batch, scratch).ok());
    }

    void roundTripEveryCodec_data() {
        QTest::addColumn<int>("codec");
        for (int c = 0; c <= 4; ++c) {
            QTest::newRow(compressionName(static_cast<CompressionType>(c)).data()) << c;
        }
    }
    void roundTripEveryCodec() {
        QFETCH(int, codec);
        const auto type = static_cast<CompressionType>(codec);
        std::vector<uint8_t> buffer(256 * 1024);
        RecordBatchBuilder builder(buffer, type);
        builder.setProducerState(42, 3, INT32_MAX - 10);  // sequences wrap past INT32_MAX
        std::vector<std::string> values;
        const RecordHeader headers[] = {{"trace", bytesOf("abc"), false}, {"n", {}, true}};
        int n = 0;
        while (n < 500) {
            std::string value = "value-" + std::to_string(n) + std::string(n % 50, 'x');
            const std::string key = "key-" + std::to_string(n % 7);
            const bool ok = builder.tryAppend(
                kT + (n % 5) - 2, n % 3 == 0 ? std::nullopt : std::optional<Bytes>(bytesOf(key)),
                bytesOf(value),
                n % 2 ? std::span<const RecordHeader>(headers) : std::span<const RecordHeader>());
            if (!ok) break;
            values.push_back(std::move(value));
            ++n;
        }
        QCOMPARE(builder.recordCount(), n);
        auto built = builder.close();
        QVERIFY2(built.ok(), built.ok() ? "" : built.error().message.c_str());
        auto header = parseBatchHeader(*built);
        QVERIFY(header.ok());
        QCOMPARE(header->compression(), type);
        QCOMPARE(header->recordCount, n);
        QCOMPARE(header->lastOffsetDelta, n - 1);
        QCOMPARE(header->baseTimestamp, kT - 2);
        QCOMPARE(header->maxTimestamp, kT + 2);
        QCOMPARE(header->producerId, int64_t{42});
        QCOMPARE(header->producerEpoch, int16_t{3});
        QCOMPARE(header->lastSequence(), n - 1 - 11);  // wrapped past INT32_MAX
        QCOMPARE(builder.sizeInBytes(), built->size());
        if (type != CompressionType::None) {
            QVERIFY(built->size() < builder.uncompressedRecordsBytes() / 2);
        }

        std::vector<uint8_t> wire(built->begin(), built->end());
        QVERIFY(setBaseOffset(wire, 1000));
        RecordBatchReader reader(wire);
        QVERIFY(reader.nextBatch());
        QCOMPARE(reader.batch().baseOffset, int64_t{1000});
        Record r;
        int i = 0;
        while (reader.nextRecord(r)) {
            QCOMPARE(r.offset, int64_t{1000 + i});
            QCOMPARE(r.timestamp, kT + (i % 5) - 2);
            QCOMPARE(r.key.has_value(), i % 3 != 0);
            if (r.key) QCOMPARE(str(*r.key), "key-" + std::to_string(i % 7));
            QVERIFY(r.value.has_value());
            QCOMPARE(str(*r.value), values[static_cast<size_t>(i)]);
            QCOMPARE(r.sequence, i <= 10 ? INT32_MAX - 10 + i : i - 11);
            QCOMPARE(r.headerCount, i % 2 ? 2 : 0);
            RecordHeaderIterator it(r);
            RecordHeader h;
            if (i % 2) {
                QVERIFY(it.next(h));
                QCOMPARE(h.key, std::string_view("trace"));
                QCOMPARE(str(h.value), std::string("abc"));
                QVERIFY(!h.valueNull);
                QVERIFY(it.next(h));
                QCOMPARE(h.key, std::string_view("n"));
                QVERIFY(h.valueNull);
            }
            QVERIFY(!it.next(h));
            ++i;
        }
        QVERIFY2(reader.ok(), reader.error().c_str());
        QCOMPARE(i, n);
        QVERIFY(!reader.nextBatch());
        QVERIFY(reader.ok());
        QCOMPARE(reader.partialTailBytes(), size_t{0});
        std::vector<uint8_t> scratch;
        QVERIFY(validateBatchRecords(wire, scratch).ok());
    }

    void estimateIsAnUpperBound() {
        std::vector<uint8_t> buffer(64 * 1024);
        RecordBatchBuilder builder(buffer, CompressionType::None);
        const std::string headerValue(200, 'h');
        const RecordHeader headers[] = {{"k", bytesOf(headerValue), false}};
        for (int i = 0; i < 100; ++i) {
            const std::string value(static_cast<size_t>(i * 7), 'v');
            const size_t before = builder.sizeInBytes();
            const size_t estimate =
                RecordBatchBuilder::estimateRecordSize(bytesOf("key"), bytesOf(value), headers);
            QVERIFY(builder.tryAppend(kT + i * 100000, bytesOf("key"), bytesOf(value), headers));
            QVERIFY(builder.sizeInBytes() - before <= estimate);
            QVERIFY(builder.sizeInBytes() - before + 16 >= estimate);
        }
        QCOMPARE(RecordBatchBuilder::estimateBatchSize(std::nullopt, std::nullopt),
                 size_t{61 + 21 + 3});
    }

    void fullBatchRefusesAndFirstRecordAlwaysFits() {
        const std::string big(900, 'b');
        // Write limit (batch.size) 500 but physical room for 1000: the first record is
        // accepted although it is over the limit, the second is not.
        std::vector<uint8_t> buffer(1000);
        RecordBatchBuilder builder(buffer.data(), buffer.size(), CompressionType::None,
                                   TimestampType::CreateTime, kDefaultCompressionLevel, 500);
        QVERIFY(builder.tryAppend(kT, std::nullopt, bytesOf(big)));
        QVERIFY(builder.isFull());
        QVERIFY(!builder.tryAppend(kT, std::nullopt, bytesOf("x")));
        QCOMPARE(builder.recordCount(), 1);
        // A record larger than the physical capacity never fits.
        std::vector<uint8_t> small(200);
        RecordBatchBuilder tiny(small, CompressionType::None);
        QVERIFY(!tiny.tryAppend(kT, std::nullopt, bytesOf(big)));
        QCOMPARE(tiny.recordCount(), 0);
        auto none = tiny.close();
        QVERIFY(none.ok());
        QVERIFY(none->empty());
        // A buffer smaller than the header takes nothing.
        std::vector<uint8_t> header(60);
        RecordBatchBuilder nothing(header, CompressionType::None);
        QVERIFY(!nothing.tryAppend(kT, std::nullopt, std::nullopt));
        // Fill exactly: records until refused, then the batch is exactly within capacity.
        std::vector<uint8_t> exact(1000);
        RecordBatchBuilder filler(exact, CompressionType::None);
        while (filler.tryAppend(kT, bytesOf("k"), bytesOf("0123456789"))) {
        }
        QVERIFY(filler.sizeInBytes() <= 1000);
        QVERIFY(filler.sizeInBytes() > 1000 - 20);
        auto done = filler.close();
        QVERIFY(done.ok());
        QVERIFY(validateBatch(*done).ok());
    }

    void compressedEstimateUsesRatio() {
        std::vector<uint8_t> buffer(100'000);
        RecordBatchBuilder builder(buffer.data(), buffer.size(), CompressionType::Lz4,
                                   TimestampType::CreateTime, kDefaultCompressionLevel, 10'000);
        builder.setEstimatedCompressionRatio(0.25f);
        const std::string value(100, 'a');
        int n = 0;
        while (builder.tryAppend(kT, std::nullopt, bytesOf(value)))
            ++n;
        // About 10000 / (0.25 * 1.05) uncompressed bytes fit, far more than 10000.
        QVERIFY(builder.uncompressedRecordsBytes() > 30'000);
        QVERIFY(builder.sizeInBytes() <= 10'000 + 120);
        auto built = builder.close();
        QVERIFY(built.ok());
        QVERIFY(built->size() < 10'000);
        QVERIFY(builder.compressionRatio() < 0.25f);
        RecordBatchReader reader(*built);
        QVERIFY(reader.nextBatch());
        Record r;
        int count = 0;
        while (reader.nextRecord(r))
            ++count;
        QVERIFY(reader.ok());
        QCOMPARE(count, n);
    }

    // A compressed batch whose estimated ratio lets it hold more uncompressed bytes than its
    // buffer grows instead of refusing (Java's ByteBufferOutputStream grows past batch.size);
    // an uncompressed one never does.
    void compressedBatchOutgrowsItsBuffer() {
        std::vector<uint8_t> buffer(10'000);
        RecordBatchBuilder builder(buffer, CompressionType::Zstd);
        builder.setEstimatedCompressionRatio(0.25f);
        const std::string value(100, 'a');
        int n = 0;
        while (builder.tryAppend(kT, std::nullopt, bytesOf(value)))
            ++n;
        QVERIFY(builder.uncompressedRecordsBytes() > 30'000);
        QVERIFY(builder.sizeInBytes() <= 10'000);
        auto built = builder.close();
        QVERIFY(built.ok());
        QVERIFY(validateBatch(*built).ok());
        RecordBatchReader reader(*built);
        QVERIFY(reader.nextBatch());
        Record r;
        int count = 0;
        while (reader.nextRecord(r))
            ++count;
        QCOMPARE(count, n);
        std::vector<uint8_t> plain(10'000);
        RecordBatchBuilder none(plain, CompressionType::None);
        while (none.tryAppend(kT, std::nullopt, bytesOf(value))) {
        }
        QVERIFY(none.sizeInBytes() <= 10'000);
    }

    void closeIsIdempotentAndFinal() {
        std::vector<uint8_t> buffer(1000);
        RecordBatchBuilder builder(buffer, CompressionType::Gzip);
        QVERIFY(builder.tryAppend(kT, bytesOf("k"), bytesOf("v")));
        auto a = builder.close();
        auto b = builder.close();
        QVERIFY(a.ok() && b.ok());
        QCOMPARE(a->data(), b->data());
        QCOMPARE(a->size(), b->size());
        QVERIFY(builder.isClosed());
        QVERIFY(!builder.tryAppend(kT, bytesOf("k"), bytesOf("v")));
        builder.setProducerState(1, 1, 1);  // ignored after close
        QCOMPARE(parseBatchHeader(*a)->producerId, int64_t{-1});
    }

    // A viewer's copy of an open batch: a valid uncompressed batch of the records so far (even
    // for a gzip builder), equal to what close() then writes in every record; the builder goes
    // on appending as if nothing happened, and a closed builder gives no copy.
    void copyOpenBatch() {
        std::vector<uint8_t> buffer(1000);
        RecordBatchBuilder builder(buffer, CompressionType::Gzip);
        std::vector<uint8_t> copy;
        builder.copyOpenBatch(copy);
        QVERIFY(copy.empty());
        QVERIFY(builder.tryAppend(kT, bytesOf("k0"), bytesOf("v0")));
        QVERIFY(builder.tryAppend(kT + 5, std::nullopt, bytesOf("v1")));
        builder.copyOpenBatch(copy);
        std::vector<uint8_t> scratch;
        QVERIFY(validateBatchRecords(copy, scratch).ok());
        const auto header = parseBatchHeader(copy);
        QVERIFY(header.ok());
        QCOMPARE(header->compression(), CompressionType::None);
        QCOMPARE(header->recordCount, 2);
        QCOMPARE(header->maxTimestamp, kT + 5);
        RecordBatchReader reader(copy);
        QVERIFY(reader.nextBatch());
        Record r;
        QVERIFY(reader.nextRecord(r));
        QCOMPARE(r.offset, int64_t{0});
        QCOMPARE(str(*r.key), std::string("k0"));
        QVERIFY(reader.nextRecord(r));
        QCOMPARE(r.offset, int64_t{1});
        QVERIFY(!r.key);
        QCOMPARE(str(*r.value), std::string("v1"));
        QVERIFY(!reader.nextRecord(r));
        QVERIFY(builder.tryAppend(kT, bytesOf("k2"), bytesOf("v2")));
        auto built = builder.close();
        QVERIFY(built.ok());
        QCOMPARE(parseBatchHeader(*built)->recordCount, 3);
        builder.copyOpenBatch(copy);
        QVERIFY(copy.empty());
    }

    // Incompressible records filling the capacity: the compressed batch is larger than the
    // buffer and lives in the builder's scratch, still valid.
    void compressedLargerThanCapacity() {
        std::vector<uint8_t> value(900);
        uint32_t x = 1;
        for (auto& b : value)
            b = static_cast<uint8_t>((x = x * 1103515245 + 12345) >> 16);
        std::vector<uint8_t> buffer(61 + 3 + 900 + 8);
        RecordBatchBuilder builder(buffer, CompressionType::Gzip);
        QVERIFY(builder.tryAppend(kT, std::nullopt, value));
        auto built = builder.close();
        QVERIFY(built.ok());
        QVERIFY(built->size() > buffer.size());
        QVERIFY(built->data() != buffer.data());
        QVERIFY(validateBatch(*built).ok());
        std::vector<uint8_t> scratch;
        QVERIFY(validateBatchRecords(*built, scratch).ok());
    }

    void headerEdits() {
        std::vector<uint8_t> buffer(1000);
        RecordBatchBuilder builder(buffer, CompressionType::None);
        QVERIFY(builder.tryAppend(kT, bytesOf("k"), bytesOf("v")));
        QVERIFY(builder.tryAppend(kT + 10, bytesOf("k"), bytesOf("v")));
        auto built = builder.close();
        std::vector<uint8_t> batch(built->begin(), built->end());
        const uint32_t crc0 = parseBatchHeader(batch)->crc;

        QVERIFY(setBaseOffset(batch, 77));
        QVERIFY(setPartitionLeaderEpoch(batch, 9));
        QCOMPARE(parseBatchHeader(batch)->crc, crc0);  // not under the CRC
        QVERIFY(validateBatch(batch).ok());

        QVERIFY(rewriteProducerState(batch, 5000, 2, 100));
        auto h = parseBatchHeader(batch);
        QCOMPARE(h->baseOffset, int64_t{77});
        QCOMPARE(h->partitionLeaderEpoch, 9);
        QCOMPARE(h->producerId, int64_t{5000});
        QCOMPARE(h->producerEpoch, int16_t{2});
        QCOMPARE(h->baseSequence, 100);
        QVERIFY(h->crc != crc0);
        QVERIFY(validateBatch(batch).ok());

        QVERIFY(setMaxTimestamp(batch, TimestampType::LogAppendTime, kT + 999));
        QVERIFY(validateBatch(batch).ok());
        RecordBatchReader reader(batch);
        QVERIFY(reader.nextBatch());
        QCOMPARE(reader.batch().timestampType(), TimestampType::LogAppendTime);
        Record r;
        QVERIFY(reader.nextRecord(r));
        QCOMPARE(r.timestamp, kT + 999);
        QCOMPARE(r.offset, int64_t{77});
        QCOMPARE(r.sequence, 100);
        QVERIFY(reader.nextRecord(r));
        QCOMPARE(r.sequence, 101);

        // Too short or not magic 2: nothing changes.
        std::vector<uint8_t> shortSpan(batch.begin(), batch.begin() + 60);
        const auto before = shortSpan;
        QVERIFY(!rewriteProducerState(shortSpan, 1, 1, 1));
        QVERIFY(!setBaseOffset(shortSpan, 1));
        QCOMPARE(shortSpan, before);
        // Header present but body cut: the CRC cannot be recomputed, the edit is undone.
        std::vector<uint8_t> cut(batch.begin(), batch.end() - 1);
        const auto cutBefore = cut;
        QVERIFY(!rewriteProducerState(cut, 1, 1, 1));
        QCOMPARE(cut, cutBefore);
        batch[kMagicOffset] = 1;
        QVERIFY(!setPartitionLeaderEpoch(batch, 1));
    }
};

QTEST_GUILESS_MAIN(RecordBatchTest)
#include "test_record_batch.moc"
