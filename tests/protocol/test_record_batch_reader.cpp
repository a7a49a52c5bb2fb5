#include <QtTest>

#include <random>
#include <string>
#include <vector>

#include "protocol/record/record_batch.h"

using namespace bs::protocol;

namespace {

constexpr int64_t kT = 1'700'000'000'000;

Bytes bytesOf(std::string_view s) {
    return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

std::vector<uint8_t> buildBatch(CompressionType type, int records, int64_t baseOffset = 0) {
    std::vector<uint8_t> buffer(64 * 1024);
    RecordBatchBuilder builder(buffer, type);
    for (int i = 0; i < records; ++i) {
        const std::string value = "value-" + std::to_string(i);
        const RecordHeader headers[] = {{"h", bytesOf("v"), false}};
        if (!builder.tryAppend(kT + i, bytesOf("key"), bytesOf(value), headers)) qFatal("full");
    }
    auto built = builder.close();
    std::vector<uint8_t> out(built->begin(), built->end());
    setBaseOffset(out, baseOffset);
    return out;
}

void putBe32(std::vector<uint8_t>& b, size_t at, uint32_t v) {
    for (int i = 3; i >= 0; --i, v >>= 8)
        b[at + static_cast<size_t>(i)] = static_cast<uint8_t>(v);
}

// A one-record batch's header with `records` as its records section, `count` declared
// records, lastOffsetDelta count-1, lengths and CRC made consistent: only the records are bad.
std::vector<uint8_t> withRecords(const std::vector<uint8_t>& records, int32_t count,
                                 int32_t lastOffsetDelta = -2) {
    std::vector<uint8_t> batch = buildBatch(CompressionType::None, 1);
    batch.resize(kRecordsOffset);
    batch.insert(batch.end(), records.begin(), records.end());
    putBe32(batch, kBatchLengthOffset, static_cast<uint32_t>(batch.size() - kLogOverhead));
    putBe32(batch, kRecordsCountOffset, static_cast<uint32_t>(count));
    putBe32(
        batch, kLastOffsetDeltaOffset,
        static_cast<uint32_t>(lastOffsetDelta == -2 ? std::max(count - 1, 0) : lastOffsetDelta));
    if (!updateCrc(batch)) qFatal("updateCrc");
    return batch;
}

void varint(std::vector<uint8_t>& out, int64_t v) {
    uint64_t z = (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63);
    while (z >= 0x80) {
        out.push_back(static_cast<uint8_t>(z | 0x80));
        z >>= 7;
    }
    out.push_back(static_cast<uint8_t>(z));
}

// A well-formed record body (attributes.. headers) with the given offset delta.
std::vector<uint8_t> recordBody(int offsetDelta, std::string_view key, std::string_view value) {
    std::vector<uint8_t> body = {0};
    varint(body, 0);
    varint(body, offsetDelta);
    varint(body, static_cast<int64_t>(key.size()));
    body.insert(body.end(), key.begin(), key.end());
    varint(body, static_cast<int64_t>(value.size()));
    body.insert(body.end(), value.begin(), value.end());
    varint(body, 0);
    return body;
}

std::vector<uint8_t> record(const std::vector<uint8_t>& body) {
    std::vector<uint8_t> r;
    varint(r, static_cast<int64_t>(body.size()));
    r.insert(r.end(), body.begin(), body.end());
    return r;
}

// Reads everything; returns the error ("" when fine) and counts records.
std::string readAll(Bytes bytes, int* records = nullptr, size_t maxBytes = 1u << 20) {
    RecordBatchReader reader(bytes, maxBytes);
    Record r;
    int n = 0;
    while (reader.nextBatch()) {
        while (reader.nextRecord(r))
            ++n;
    }
    if (records) *records = n;
    return reader.error();
}

bool contains(const std::string& s, std::string_view part) {
    return s.find(part) != std::string::npos;
}

}  // namespace

class RecordBatchReaderTest : public QObject {
    Q_OBJECT
  private slots:
    void iteratesConcatenatedBatches() {
        std::vector<uint8_t> all;
        const CompressionType types[] = {CompressionType::None, CompressionType::Gzip,
                                         CompressionType::Snappy, CompressionType::Lz4,
                                         CompressionType::Zstd};
        std::vector<size_t> positions;
        int64_t base = 0;
        for (CompressionType t : types) {
            positions.push_back(all.size());
            const auto b = buildBatch(t, 3, base);
            all.insert(all.end(), b.begin(), b.end());
            base += 3;
        }
        RecordBatchReader reader(all);
        Record r;
        int64_t expectedOffset = 0;
        size_t batches = 0;
        while (reader.nextBatch()) {
            QCOMPARE(reader.batchPosition(), positions[batches]);
            QCOMPARE(reader.batch().compression(), types[batches]);
            while (reader.nextRecord(r)) {
                QCOMPARE(r.offset, expectedOffset);
                QCOMPARE(
                    std::string(reinterpret_cast<const char*>(r.value->data()), r.value->size()),
                    "value-" + std::to_string(expectedOffset % 3));
                ++expectedOffset;
            }
            ++batches;
        }
        QVERIFY2(reader.ok(), reader.error().c_str());
        QCOMPARE(batches, size_t{5});
        QCOMPARE(expectedOffset, int64_t{15});
        // Skipping records of a batch is fine: nextBatch moves on.
        RecordBatchReader skipper(all);
        int seen = 0;
        while (skipper.nextBatch())
            ++seen;
        QCOMPARE(seen, 5);
        QVERIFY(skipper.ok());
    }

    // A Fetch response may end with part of a batch: not an error, reported as a tail.
    void partialTailAtEveryCut() {
        const auto first = buildBatch(CompressionType::None, 2);
        const auto second = buildBatch(CompressionType::Lz4, 4, 2);
        std::vector<uint8_t> all = first;
        all.insert(all.end(), second.begin(), second.end());
        for (size_t cut = first.size(); cut < all.size(); ++cut) {
            RecordBatchReader reader(Bytes(all).first(cut));
            QVERIFY(reader.nextBatch());
            Record r;
            int n = 0;
            while (reader.nextRecord(r))
                ++n;
            QCOMPARE(n, 2);
            QVERIFY(!reader.nextBatch());
            QVERIFY2(reader.ok(), reader.error().c_str());
            QCOMPARE(reader.partialTailBytes(), cut - first.size());
        }
    }

    // Truncated at every byte offset: clean errors from the header functions, no UB anywhere.
    void truncatedAtEveryOffset() {
        const auto batch = buildBatch(CompressionType::Gzip, 5);
        for (size_t cut = 0; cut < batch.size(); ++cut) {
            const Bytes part = Bytes(batch).first(cut);
            QVERIFY(!validateBatch(part).ok());
            if (cut < kRecordBatchOverhead) {
                const auto h = parseBatchHeader(part);
                QVERIFY(!h.ok());
                QVERIFY(contains(h.error().message, "61"));
            }
            int n = -1;
            QCOMPARE(readAll(part, &n), std::string());
            QCOMPARE(n, 0);
        }
        QVERIFY(validateBatch(batch).ok());
    }

    void crcCoversAttributesToEnd() {
        const auto batch = buildBatch(CompressionType::None, 3);
        for (size_t i = kAttributesOffset; i < batch.size(); ++i) {
            auto bad = batch;
            bad[i] ^= 0x01;
            const bs::Status s = validateBatch(bad);
            if (s.ok()) QFAIL(qPrintable(QString("flip at %1 not detected").arg(i)));
            // Flipping the codec bits may name the codec first; everything else is the CRC.
            if (i != kAttributesOffset + 1) {
                QVERIFY2(contains(s.message(), "CRC32C mismatch at byte 17"), s.message().c_str());
            }
            QVERIFY(contains(readAll(bad), "batch at byte 0"));
        }
        // Base offset and leader epoch are outside the CRC.
        auto moved = batch;
        moved[3] ^= 0x40;
        moved[13] ^= 0x40;
        QVERIFY(validateBatch(moved).ok());
        // So is the CRC field itself: a flipped CRC byte is a mismatch.
        auto badCrc = batch;
        badCrc[kCrcOffset + 2] ^= 0x80;
        QVERIFY(contains(validateBatch(badCrc).message(), "CRC32C mismatch"));
    }

    void headerErrorsNamePositions() {
        auto batch = buildBatch(CompressionType::None, 1);
        auto badMagic = batch;
        badMagic[kMagicOffset] = 1;
        QVERIFY(contains(parseBatchHeader(badMagic).error().message, "magic 1 at byte 16"));
        QVERIFY(contains(readAll(badMagic), "magic 1 at byte 16"));

        auto shortLength = batch;
        putBe32(shortLength, kBatchLengthOffset, 48);
        QVERIFY(
            contains(parseBatchHeader(shortLength).error().message, "batchLength 48 at byte 8"));
        QVERIFY(contains(readAll(shortLength), "batchLength 48"));

        auto codec = batch;
        codec[kAttributesOffset + 1] = 5;
        QVERIFY(updateCrc(codec));
        QVERIFY(contains(parseBatchHeader(codec).error().message, "codec id 5"));

        auto negativeCount = batch;
        putBe32(negativeCount, kRecordsCountOffset, 0xffffffff);
        QVERIFY(updateCrc(negativeCount));
        QVERIFY(contains(validateBatch(negativeCount).message(), "negative record count -1"));

        // The second batch's errors name its own position.
        auto two = buildBatch(CompressionType::None, 1);
        const size_t second = two.size();
        two.insert(two.end(), badMagic.begin(), badMagic.end());
        QVERIFY2(contains(readAll(two), "batch at byte " + std::to_string(second)),
                 readAll(two).c_str());
    }

    void recordCountMustMatchRecords() {
        const auto one = record(recordBody(0, "k", "v"));
        const auto two = record(recordBody(1, "k", "w"));
        std::vector<uint8_t> both = one;
        both.insert(both.end(), two.begin(), two.end());
        int n = 0;
        QCOMPARE(readAll(withRecords(both, 2), &n), std::string());
        QCOMPARE(n, 2);

        const std::string tooMany = readAll(withRecords(both, 3));
        QVERIFY2(contains(tooMany, "declares 3 records but the records end after 2 at byte " +
                                       std::to_string(61 + both.size())),
                 tooMany.c_str());
        const std::string tooFew = readAll(withRecords(both, 1));
        QVERIFY2(contains(tooFew, std::to_string(two.size()) + " bytes follow the last of the 1"),
                 tooFew.c_str());
        QVERIFY(contains(tooFew, "at byte " + std::to_string(61 + one.size())));
        // A zero-record batch with bytes in it is the same error.
        QVERIFY(contains(readAll(withRecords(both, 0)), "bytes follow"));
        // An empty batch (as compaction leaves) is fine, even with a codec set.
        auto empty = withRecords({}, 0, 3);
        empty[kAttributesOffset + 1] = static_cast<uint8_t>(CompressionType::Zstd);
        QVERIFY(updateCrc(empty));
        n = -1;
        QCOMPARE(readAll(empty, &n), std::string());
        QCOMPARE(n, 0);
        QVERIFY(contains(readAll(withRecords({}, 2)), "declares 2 records but the records end"));
    }

    void malformedRecordsNameTheirPosition() {
        struct Case {
            const char* name;
            std::vector<uint8_t> records;
            const char* expected;
        };
        std::vector<Case> cases;
        // A varint running past 5 bytes.
        cases.push_back({"length varint overflow",
                         {0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 0, 0, 0},
                         "record 0: malformed or truncated record length varint at byte 61"});
        // A varint cut by the end of the batch.
        cases.push_back({"length varint truncated", {0x80}, "record length varint at byte 61"});
        {
            std::vector<uint8_t> r;
            varint(r, 100);
            r.insert(r.end(), {0, 0, 0});
            cases.push_back({"length beyond batch", r,
                             "record length 100 exceeds the 3 bytes left in the batch at byte 61"});
        }
        {
            std::vector<uint8_t> r;
            varint(r, -5);
            cases.push_back({"negative length", r, "record length -5"});
        }
        {
            std::vector<uint8_t> body = {0};
            body.insert(body.end(), 11, 0xff);  // varlong longer than 10 bytes
            cases.push_back({"timestamp varlong overflow", record(body),
                             "malformed timestampDelta varlong at byte 63"});
        }
        {
            std::vector<uint8_t> body = {0, 0, 0};
            varint(body, 50);  // key length beyond the record
            body.insert(body.end(), {'a', 'b'});
            cases.push_back(
                {"key beyond record", record(body), "key: length beyond the record at byte 65"});
        }
        {
            std::vector<uint8_t> body = {0, 0, 0};
            varint(body, -2);
            cases.push_back({"key length -2", record(body), "key: negative length at byte 65"});
        }
        {
            std::vector<uint8_t> body = {0, 0, 0, 1, 1};
            varint(body, -1);
            cases.push_back({"negative header count", record(body), "negative header count"});
        }
        {
            std::vector<uint8_t> body = {0, 0, 0, 1, 1, 2, 1, 1};  // header key null
            cases.push_back({"null header key", record(body), "null header key at byte 68"});
        }
        {
            auto body = recordBody(0, "k", "v");
            body.push_back(0x42);  // a byte the fields do not account for
            cases.push_back({"length disagrees", record(body), "disagrees with its fields"});
        }
        {
            std::vector<uint8_t> body = {0, 0};
            varint(body, -3);  // negative offsetDelta
            body.insert(body.end(), {1, 1, 0});
            cases.push_back({"negative offsetDelta", record(body), "negative offsetDelta"});
        }
        for (const Case& c : cases) {
            const std::string error = readAll(withRecords(c.records, 1));
            if (!contains(error, c.expected)) {
                QFAIL(qPrintable(QString("%1: got '%2', expected '%3'")
                                     .arg(c.name, QString::fromStdString(error), c.expected)));
            }
            std::vector<uint8_t> scratch;
            QVERIFY(!validateBatchRecords(withRecords(c.records, 1), scratch).ok());
        }
    }

    void validateBatchRecordsChecksOffsets() {
        std::vector<uint8_t> records = record(recordBody(0, "k", "a"));
        const auto gap = record(recordBody(2, "k", "b"));
        records.insert(records.end(), gap.begin(), gap.end());
        const auto batch = withRecords(records, 2, 2);
        QCOMPARE(readAll(batch), std::string());  // readers accept gaps (compacted logs)
        std::vector<uint8_t> scratch;
        const bs::Status s = validateBatchRecords(batch, scratch);
        QVERIFY(!s.ok());
        QVERIFY2(contains(s.message(), "record 1 has offsetDelta 2, expected 1"),
                 s.message().c_str());
        std::vector<uint8_t> contiguous = record(recordBody(0, "k", "a"));
        const auto next = record(recordBody(1, "k", "b"));
        contiguous.insert(contiguous.end(), next.begin(), next.end());
        const bs::Status wrongLast = validateBatchRecords(withRecords(contiguous, 2, 5), scratch);
        QVERIFY(contains(wrongLast.message(), "lastOffsetDelta 5"));
        QVERIFY(validateBatchRecords(withRecords(contiguous, 2), scratch).ok());
    }

    // Found by fuzzing (tests/fuzz/corpus/record_batch/regress-offset-overflow): offsets past
    // INT64_MAX overflowed baseOffset + delta. A header whose last offset would is refused; a
    // record delta beyond lastOffsetDelta wraps as in Java instead of overflowing.
    void offsetsNeverOverflow() {
        auto batch = buildBatch(CompressionType::None, 3, INT64_MAX - 2);
        auto header = parseBatchHeader(batch);
        QVERIFY(!header.ok());
        QVERIFY2(contains(header.error().message, "overflows the offset range"),
                 header.error().message.c_str());
        QVERIFY(contains(readAll(batch), "overflows the offset range"));
        QVERIFY(parseBatchHeader(buildBatch(CompressionType::None, 3, INT64_MAX - 3)).ok());

        // lastOffsetDelta 0 but the second record says delta 5, at the top of the range.
        std::vector<uint8_t> records = record(recordBody(0, "k", "a"));
        const auto far = record(recordBody(5, "k", "b"));
        records.insert(records.end(), far.begin(), far.end());
        auto wide = withRecords(records, 2, 0);
        setBaseOffset(wide, INT64_MAX - 1);
        RecordBatchReader reader(wide);
        Record r;
        QVERIFY(reader.nextBatch());
        QVERIFY(reader.nextRecord(r));
        QCOMPARE(r.offset, INT64_MAX - 1);
        QVERIFY(reader.nextRecord(r));
        QCOMPARE(r.offset, INT64_MIN + 3);  // wrapped, as Java's long arithmetic
        // The broker's check names the delta without overflowing (UBSan found the old
        // subtraction with the record_batch fuzzer).
        std::vector<uint8_t> scratch;
        const bs::Status checked = validateCheckedBatchRecords(wide, scratch);
        QVERIFY(!checked.ok());
        QVERIFY2(contains(checked.message(), "record 1 has offsetDelta 5, expected 1"),
                 checked.message().c_str());
    }

    // A batch whose records section inflates to 10 MiB against a 1 MiB limit.
    void compressedBombInBatch() {
        std::vector<uint8_t> zeros(10u << 20, 0);
        bs::UninitBytes section;
        QVERIFY(compress(CompressionType::Zstd, kDefaultCompressionLevel, zeros, section).ok());
        auto batch = withRecords({section.begin(), section.end()}, 1);
        batch[kAttributesOffset + 1] = static_cast<uint8_t>(CompressionType::Zstd);
        QVERIFY(updateCrc(batch));
        const std::string error = readAll(batch, nullptr, 1u << 20);
        QVERIFY2(contains(error,
                          "records section at byte 61: zstd: decompressed data exceeds the "
                          "limit of 1048576"),
                 error.c_str());
        // Garbage in a compressed section.
        auto garbage = withRecords({1, 2, 3, 4, 5, 6, 7, 8}, 1);
        garbage[kAttributesOffset + 1] = static_cast<uint8_t>(CompressionType::Gzip);
        QVERIFY(updateCrc(garbage));
        QVERIFY(contains(readAll(garbage), "records section at byte 61: gzip:"));
        // Decompressed records are checked like plain ones (positions are decompressed).
        std::vector<uint8_t> plain = {0xff, 0xff, 0xff, 0xff, 0xff, 0x01};
        bs::UninitBytes packed;
        QVERIFY(compress(CompressionType::Lz4, kDefaultCompressionLevel, plain, packed).ok());
        auto lz = withRecords({packed.begin(), packed.end()}, 1);
        lz[kAttributesOffset + 1] = static_cast<uint8_t>(CompressionType::Lz4);
        QVERIFY(updateCrc(lz));
        QVERIFY2(contains(readAll(lz), "at decompressed byte 0 of the lz4 batch at byte 0"),
                 readAll(lz).c_str());
    }

    // Random mutations with the CRC made valid again: the reader must end cleanly each time.
    void fuzzedBatchesNeverCrash() {
        std::mt19937 rng(61);
        for (CompressionType type : {CompressionType::None, CompressionType::Snappy}) {
            const auto batch = buildBatch(type, 20);
            for (int round = 0; round < 3000; ++round) {
                auto bad = batch;
                const int flips = 1 + static_cast<int>(rng() % 4);
                for (int f = 0; f < flips; ++f) {
                    const size_t at = kAttributesOffset + rng() % (bad.size() - kAttributesOffset);
                    bad[at] = static_cast<uint8_t>(rng());
                }
                updateCrc(bad);
                int n = 0;
                const std::string error = readAll(bad, &n);
                // Ending without an error means every declared record was read.
                if (error.empty()) QCOMPARE(n, parseBatchHeader(bad)->recordCount);
                std::vector<uint8_t> scratch;
                (void)validateBatchRecords(bad, scratch, 1u << 20);
            }
        }
    }
};

QTEST_GUILESS_MAIN(RecordBatchReaderTest)
#include "test_record_batch_reader.moc"
