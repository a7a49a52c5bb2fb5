#include <QTemporaryDir>
#include <QtTest>

#include <sys/resource.h>

#include <algorithm>
#include <csignal>
#include <filesystem>
#include <string>
#include <vector>

#include "broker/storage/index_file.h"
#include "broker/storage/log.h"
#include "storage/storage_test_util.h"
#include "support/mock_clock.h"

using namespace bs;
using namespace bs::broker;
using namespace bs::storage_test;
using protocol::ErrorCode;

class LogTest : public QObject {
    Q_OBJECT

  private:
    QTemporaryDir tmp_;
    MockClock clock_;
    int n_ = 0;

    std::string freshDir() { return tmp_.path().toStdString() + "/topic-" + std::to_string(n_++); }

    // Appends `n` batches of 4 records each to `log`; `batches` gets their bytes.
    void appendBatches(Log& log, int n, std::vector<std::vector<uint8_t>>& batches) {
        for (int i = 0; i < n; ++i) {
            batches.push_back(makeBatch(4));
            QVERIFY(log.append(batches.back()).ok());
        }
    }

    std::unique_ptr<Log> openLog(const std::string& dir, LogConfig config = {}) {
        auto log = Log::open(dir, config, clock_);
        if (!log) qFatal("open failed: %s", log.error().message.c_str());
        return std::move(*log);
    }

  private slots:
    // A disk with room for a batch but not its fill still takes the batch; a full one refuses
    // it whole. RLIMIT_FSIZE stands in for the disk: past it, writes fail with EFBIG.
    void nearlyFullDiskTakesBatchesWithoutTheFill() {
        std::string dir = freshDir();
        auto log = openLog(dir);
        std::vector<std::vector<uint8_t>> batches;
        const auto oldHandler = std::signal(SIGXFSZ, SIG_IGN);
        rlimit old{};
        QCOMPARE(::getrlimit(RLIMIT_FSIZE, &old), 0);
        rlimit small = old;
        small.rlim_cur = 64 << 10;
        QCOMPARE(::setrlimit(RLIMIT_FSIZE, &small), 0);
        int64_t stored = 0;
        AppendInfo refused;
        for (int i = 0; i < 1000 && refused.ok(); ++i) {
            std::vector<uint8_t> batch = makeBatch(20);
            refused = log->append(batch);
            if (refused.ok()) {
                batches.push_back(batch);
                stored += std::ssize(batch);
            }
        }
        QCOMPARE(::setrlimit(RLIMIT_FSIZE, &old), 0);
        std::signal(SIGXFSZ, oldHandler);
        QCOMPARE(refused.error, ErrorCode::KAFKA_STORAGE_ERROR);
        QVERIFY(stored > (48 << 10) && stored <= (64 << 10));
        const std::string path = dir + "/00000000000000000000.log";
        QCOMPARE(readFile(path), concat(batches));  // nothing half-written, no fill
        QCOMPARE(log->read(0, 1 << 20).records, concat(batches));
        std::vector<uint8_t> next = makeBatch(1);
        QVERIFY(log->append(next).ok());  // room again: the fill is back
        QCOMPARE(std::filesystem::file_size(path), uintmax_t{128} << 10);
    }

    void appendAssignsOffsetsAndReadsBack() {
        std::string dir = freshDir();
        auto log = openLog(dir);
        std::vector<std::vector<uint8_t>> batches = {makeBatch(2), makeBatch(3), makeBatch(1)};
        std::vector<int64_t> expectedBase = {0, 2, 5};
        for (size_t i = 0; i < batches.size(); ++i) {
            AppendInfo info = log->append(batches[i]);
            QVERIFY2(info.ok(), info.errorMessage.c_str());
            QCOMPARE(info.baseOffset, expectedBase[i]);
            QCOMPARE(info.lastOffset, expectedBase[i] + static_cast<int64_t>(i == 1   ? 2
                                                                             : i == 0 ? 1
                                                                                      : 0));
            QCOMPARE(info.logAppendTimeMs, int64_t{-1});
            QVERIFY(!info.duplicate);
        }
        QCOMPARE(log->logEndOffset(), int64_t{6});
        QCOMPARE(log->logStartOffset(), int64_t{0});

        // The file holds the batches exactly, with the assigned base offsets (outside the CRC),
        // then the zero fill of the running log (at least 12 bytes, up to a 128 KiB multiple).
        std::vector<uint8_t> file = readFile(dir + "/00000000000000000000.log");
        const std::vector<uint8_t> stored = concat(batches);
        QCOMPARE(file.size(), size_t{128} << 10);
        QCOMPARE(std::vector<uint8_t>(file.begin(), file.begin() + std::ssize(stored)), stored);
        QVERIFY(std::all_of(file.begin() + std::ssize(stored), file.end(),
                            [](uint8_t b) { return b == 0; }));
        file.resize(stored.size());
        QCOMPARE(batchBaseOffsets(file), expectedBase);

        LogReadResult all = log->read(0, 1 << 20);
        QVERIFY(all.ok());
        QCOMPARE(all.records, file);
        QCOMPARE(all.highWatermark, int64_t{6});
        QCOMPARE(all.logEndOffset, int64_t{6});

        // Records come back with their offsets and values.
        protocol::RecordBatchReader reader(all.records);
        std::vector<int64_t> offsets;
        std::vector<std::string> values;
        while (reader.nextBatch()) {
            protocol::Record record;
            while (reader.nextRecord(record)) {
                offsets.push_back(record.offset);
                values.emplace_back(reinterpret_cast<const char*>(record.value->data()), 2);
            }
        }
        QVERIFY(reader.ok());
        QCOMPARE(offsets, (std::vector<int64_t>{0, 1, 2, 3, 4, 5}));
        QCOMPARE(values, (std::vector<std::string>{"v0", "v1", "v0", "v1", "v2", "v0"}));

        // A fetch inside a batch starts at the batch that holds it.
        QCOMPARE(batchBaseOffsets(log->read(3, 1 << 20).records), (std::vector<int64_t>{2, 5}));
        QCOMPARE(batchBaseOffsets(log->read(5, 1 << 20).records), (std::vector<int64_t>{5}));

        // Closing cuts the fill: the file ends at its last batch, as Kafka's does.
        QVERIFY(log->close().ok());
        QCOMPARE(readFile(dir + "/00000000000000000000.log"), stored);
    }

    // The fill always runs to a 128 KiB multiple at least 12 bytes past the last batch, is
    // extended only when an append passes it, and is cut when the log is dropped without close().
    void zeroFillFollowsTheAppends() {
        std::string dir = freshDir();
        const std::string path = dir + "/00000000000000000000.log";
        auto log = openLog(dir);
        std::vector<std::vector<uint8_t>> batches;
        int64_t stored = 0;
        int64_t lastEnd = 0;
        while (stored < (int64_t{300} << 10)) {
            batches.push_back(makeBatch(100));
            QVERIFY(log->append(batches.back()).ok());
            stored += std::ssize(batches.back());
            const auto fileEnd = static_cast<int64_t>(std::filesystem::file_size(path));
            QCOMPARE(fileEnd % (int64_t{128} << 10), int64_t{0});
            QVERIFY2(fileEnd - stored >= 12, std::to_string(fileEnd - stored).c_str());
            QVERIFY(fileEnd - stored < (int64_t{128} << 10) + 12);
            QVERIFY(fileEnd >= lastEnd);
            lastEnd = fileEnd;
        }
        QCOMPARE(lastEnd, int64_t{384} << 10);
        log.reset();
        QCOMPARE(readFile(path), concat(batches));
    }

    void readOutOfRange() {
        auto log = openLog(freshDir());
        std::vector<uint8_t> batch = makeBatch(3);
        QVERIFY(log->append(batch).ok());
        LogReadResult atEnd = log->read(3, 1000);
        QVERIFY(atEnd.ok());
        QVERIFY(atEnd.records.empty());
        QCOMPARE(log->read(4, 1000).error, ErrorCode::OFFSET_OUT_OF_RANGE);
        QCOMPARE(log->read(-1, 1000).error, ErrorCode::OFFSET_OUT_OF_RANGE);
        QVERIFY(!log->read(4, 1000).errorMessage.empty());
        QVERIFY(!log->locate(3).ok());
        QVERIFY(!log->locate(-1).ok());
    }

    void readHonoursMaxBytesInWholeBatches() {
        auto log = openLog(freshDir());
        std::vector<std::vector<uint8_t>> batches;
        appendBatches(*log, 3, batches);
        const auto batchSize = static_cast<int32_t>(batches[0].size());
        // The first batch comes back whole even when larger than maxBytes (minOneMessage).
        QCOMPARE(log->read(0, 10).records, batches[0]);
        QCOMPARE(log->read(0, 0).records, batches[0]);
        // Never a partial batch at the end.
        QCOMPARE(log->read(0, batchSize + batchSize / 2).records, batches[0]);
        QCOMPARE(log->read(0, 2 * batchSize).records, concat({batches[0], batches[1]}));
        QCOMPARE(log->read(4, 1 << 20).records, concat({batches[1], batches[2]}));
    }

    // The Fetch path's read into a reused ReadBuffer: the same whole batches as read(), the
    // buffer's size shrinking with a smaller read, nothing kept after an error or at the end.
    void readIntoReadBufferMatchesRead() {
        auto log = openLog(freshDir());
        std::vector<std::vector<uint8_t>> batches;
        appendBatches(*log, 3, batches);
        const auto batchSize = static_cast<int32_t>(batches[0].size());
        auto bytes = [](const ReadBuffer& b) {
            return std::vector<uint8_t>(b.bytes().begin(), b.bytes().end());
        };
        ReadBuffer buffer;
        LogReadResult all = log->read(0, 1 << 20, buffer);
        QVERIFY(all.ok());
        QVERIFY(all.records.empty());
        QCOMPARE(all.highWatermark, int64_t{12});
        QCOMPARE(bytes(buffer), concat({batches[0], batches[1], batches[2]}));
        QVERIFY(log->read(4, batchSize + batchSize / 2, buffer).ok());
        QCOMPARE(bytes(buffer), batches[1]);
        QVERIFY(log->read(0, 10, buffer).ok());  // minOneMessage
        QCOMPARE(bytes(buffer), batches[0]);
        for (int32_t maxBytes : {0, batchSize, 2 * batchSize + 1, 1 << 20})
            for (int64_t offset : {0, 3, 4, 11}) {
                QVERIFY(log->read(offset, maxBytes, buffer).ok());
                QCOMPARE(bytes(buffer), log->read(offset, maxBytes).records);
            }
        QCOMPARE(log->read(13, 100, buffer).error, ErrorCode::OFFSET_OUT_OF_RANGE);
        QVERIFY(buffer.empty());
        QVERIFY(log->read(0, 1 << 20, buffer).ok());
        QVERIFY(log->read(12, 100, buffer).ok());  // at the log end: no bytes
        QVERIFY(buffer.empty());
    }

    void reopenKeepsOffsetsAndContents() {
        std::string dir = freshDir();
        std::vector<uint8_t> before;
        {
            auto log = openLog(dir);
            for (int i = 1; i <= 4; ++i) {
                std::vector<uint8_t> batch = makeBatch(i);
                QVERIFY(log->append(batch).ok());
            }
            before = log->read(0, 1 << 20).records;
            QVERIFY(log->close().ok());
            QCOMPARE(log->read(0, 100).error, ErrorCode::KAFKA_STORAGE_ERROR);
            std::vector<uint8_t> late = makeBatch(1);
            QCOMPARE(log->append(late).error, ErrorCode::KAFKA_STORAGE_ERROR);
        }
        auto log = openLog(dir);
        QCOMPARE(log->logEndOffset(), int64_t{10});
        QCOMPARE(log->read(0, 1 << 20).records, before);
        QCOMPARE(log->recoveryInfo().truncatedBytes, int64_t{0});
        std::vector<uint8_t> next = makeBatch(2);
        QCOMPARE(log->append(next).baseOffset, int64_t{10});
    }

    void rollsAtSegmentBytes() {
        std::string dir = freshDir();
        const auto batchSize = static_cast<int64_t>(makeBatch(2).size());
        LogConfig config;
        config.segmentBytes = batchSize * 5 / 2;  // two batches per segment
        auto log = openLog(dir, config);
        for (int i = 0; i < 7; ++i) {
            std::vector<uint8_t> batch = makeBatch(2);
            AppendInfo info = log->append(batch);
            QVERIFY(info.ok());
            QCOMPARE(info.baseOffset, int64_t{2} * i);
        }
        std::vector<SegmentInfo> segments = log->segments();
        QCOMPARE(segments.size(), size_t{4});
        std::vector<int64_t> bases = {0, 4, 8, 12};
        for (size_t i = 0; i < bases.size(); ++i) {
            QCOMPARE(segments[i].baseOffset, bases[i]);
            std::string name = std::filesystem::path(segments[i].logPath).filename().string();
            char expected[32];
            std::snprintf(expected, sizeof expected, "%020lld.log",
                          static_cast<long long>(bases[i]));
            QCOMPARE(name, std::string(expected));
            QVERIFY(std::filesystem::exists(dir + "/" + name));
            QVERIFY(std::filesystem::exists(segments[i].indexPath));
            QVERIFY(std::filesystem::exists(segments[i].timeIndexPath));
            QVERIFY(segments[i].sizeInBytes <= config.segmentBytes);
            // A rolled segment's file was cut to its batches; the active one has its fill.
            std::vector<uint8_t> file = readFile(segments[i].logPath);
            QCOMPARE(static_cast<int64_t>(file.size()),
                     i + 1 < bases.size() ? segments[i].sizeInBytes : int64_t{128} << 10);
            file.resize(static_cast<size_t>(segments[i].sizeInBytes));
            QCOMPARE(batchBaseOffsets(file).front(), bases[i]);
        }
        // Reads cross segment boundaries one segment at a time, from any offset.
        for (int64_t offset = 0; offset < 14; ++offset) {
            LogReadResult r = log->read(offset, 1 << 20);
            QVERIFY(r.ok());
            QCOMPARE(batchBaseOffsets(r.records).front(), offset / 2 * 2);
        }
        // A batch larger than a segment can never be stored.
        LogConfig tiny;
        tiny.segmentBytes = batchSize - 1;
        auto small = openLog(freshDir(), tiny);
        std::vector<uint8_t> batch = makeBatch(2);
        QCOMPARE(small->append(batch).error, ErrorCode::RECORD_LIST_TOO_LARGE);
        QCOMPARE(small->logEndOffset(), int64_t{0});
    }

    void retentionDeletesOldestSegments() {
        std::string dir = freshDir();
        const auto batchSize = static_cast<int64_t>(makeBatch(1).size());
        LogConfig config;
        config.segmentBytes = batchSize * 2;    // two batches per segment
        config.retentionBytes = batchSize * 3;  // keep at least three batches' worth
        auto log = openLog(dir, config);
        for (int i = 0; i < 10; ++i) {
            std::vector<uint8_t> batch = makeBatch(1);
            AppendInfo info = log->append(batch);
            QVERIFY(info.ok());
            QCOMPARE(info.logStartOffset, log->logStartOffset());
        }
        // Segments [0,1] [2,3] [4,5] [6,7] [8,9]: Kafka deletes the oldest while what remains
        // still holds retention.bytes, so [6,7] [8,9] would be 4 batches >= 3, [8,9] 2 < 3.
        QCOMPARE(log->logStartOffset(), int64_t{6});
        QCOMPARE(log->segments().size(), size_t{2});
        QVERIFY(log->sizeInBytes() >= config.retentionBytes);
        QVERIFY(!std::filesystem::exists(dir + "/00000000000000000000.log"));
        QVERIFY(!std::filesystem::exists(dir + "/00000000000000000004.index"));
        QVERIFY(!std::filesystem::exists(dir + "/00000000000000000002.timeindex"));
        QVERIFY(std::filesystem::exists(dir + "/00000000000000000006.log"));
        QCOMPARE(log->read(5, 1000).error, ErrorCode::OFFSET_OUT_OF_RANGE);
        QCOMPARE(batchBaseOffsets(log->read(6, 1 << 20).records), (std::vector<int64_t>{6, 7}));
        QCOMPARE(log->locate(6)->segmentBaseOffset, int64_t{6});
        log.reset();
        auto reopened = openLog(dir, config);
        QCOMPARE(reopened->logStartOffset(), int64_t{6});
        QCOMPARE(reopened->logEndOffset(), int64_t{10});
        int64_t onDisk = 0;
        for (const auto& segment : reopened->segments()) {
            onDisk += static_cast<int64_t>(std::filesystem::file_size(segment.logPath));
        }
        QCOMPARE(reopened->sizeInBytes(), onDisk);
        QCOMPARE(onDisk, batchSize * 4);
    }

    void inactiveSegmentsHoldOneDescriptor() {
        auto openFds = [] {
            return std::distance(std::filesystem::directory_iterator("/proc/self/fd"),
                                 std::filesystem::directory_iterator{});
        };
        const auto batchSize = static_cast<int64_t>(makeBatch(1).size());
        LogConfig config;
        config.segmentBytes = batchSize;
        config.retentionBytes = -1;
        std::string dir = freshDir();
        const auto before = openFds();
        {
            auto log = openLog(dir, config);
            for (int i = 0; i < 20; ++i) {
                std::vector<uint8_t> batch = makeBatch(1);
                QVERIFY(log->append(batch).ok());
            }
            QCOMPARE(log->segments().size(), size_t{20});
            // 19 rolled segments x 1 (.log) + the active one x 3 (.log, .index, .timeindex).
            QCOMPARE(openFds() - before, 19 + 3);
        }
        auto reopened = openLog(dir, config);
        QCOMPARE(openFds() - before, 19 + 3);
        QCOMPARE(reopened->logEndOffset(), int64_t{20});
        QCOMPARE(reopened->recoveryInfo().indexesRebuilt, 0);
        QCOMPARE(batchBaseOffsets(reopened->read(7, 1).records), (std::vector<int64_t>{7}));
    }

    void unlimitedRetentionKeepsEverything() {
        const auto batchSize = static_cast<int64_t>(makeBatch(1).size());
        LogConfig config;
        config.segmentBytes = batchSize;
        config.retentionBytes = -1;
        auto log = openLog(freshDir(), config);
        for (int i = 0; i < 6; ++i) {
            std::vector<uint8_t> batch = makeBatch(1);
            QVERIFY(log->append(batch).ok());
        }
        QCOMPARE(log->segments().size(), size_t{6});
        QCOMPARE(log->logStartOffset(), int64_t{0});
    }

    static bool appendOne(Log& log) {
        std::vector<uint8_t> batch = makeBatch(1);
        return log.append(batch).ok();
    }

    // A produce request's batch each past index.interval.bytes made an index write each: the
    // entries now go to the file in groups of IndexFile::kPendingBytes.
    void indexEntriesAreWrittenInGroups() {
        LogConfig config;
        config.indexIntervalBytes = 0;
        auto log = openLog(freshDir(), config);
        const size_t perGroup = IndexFile::kPendingBytes / 8;
        for (size_t i = 0; i < perGroup; ++i)  // the first batch makes no entry
            QVERIFY(appendOne(*log));
        const std::string path = log->segments().front().indexPath;
        QCOMPARE(std::filesystem::file_size(path), std::uintmax_t{0});
        QVERIFY(appendOne(*log));
        QCOMPARE(std::filesystem::file_size(path), std::uintmax_t{IndexFile::kPendingBytes});
        QVERIFY(appendOne(*log));
        QCOMPARE(std::filesystem::file_size(path), std::uintmax_t{IndexFile::kPendingBytes});
        QVERIFY(log->flush().ok());
        QCOMPARE(std::filesystem::file_size(path), std::uintmax_t{IndexFile::kPendingBytes + 8});
    }

    void indexMakesEveryOffsetReachable() {
        std::string dir = freshDir();
        LogConfig config;
        config.indexIntervalBytes = 0;  // an entry for every batch after the first
        auto log = openLog(dir, config);
        std::vector<int64_t> positions;
        int64_t position = 0;
        for (int i = 0; i < 20; ++i) {
            std::vector<uint8_t> batch = makeBatch(1 + i % 3);
            positions.push_back(position);
            position += static_cast<int64_t>(batch.size());
            QVERIFY(log->append(batch).ok());
        }
        SegmentInfo segment = log->segments().front();
        QCOMPARE(segment.indexEntries, size_t{19});
        // Entries reach the file IndexFile::kPendingBytes at a time, and all of them at flush.
        QCOMPARE(std::filesystem::file_size(segment.indexPath), std::uintmax_t{0});
        QVERIFY(log->flush().ok());
        QCOMPARE(static_cast<size_t>(std::filesystem::file_size(segment.indexPath)),
                 size_t{19 * 8});
        // locate() finds each batch's byte position through the index.
        int64_t offset = 0;
        for (int i = 0; i < 20; ++i) {
            const int records = 1 + i % 3;
            for (int r = 0; r < records; ++r) {
                auto where = log->locate(offset + r);
                QVERIFY(where.ok());
                QCOMPARE(where->batch.position, positions[static_cast<size_t>(i)]);
                QCOMPARE(where->batch.baseOffset, offset);
                QCOMPARE(where->batch.lastOffset, offset + records - 1);
                QCOMPARE(where->segmentPath, segment.logPath);
                QCOMPARE(batchBaseOffsets(log->read(offset + r, 1).records).front(), offset);
            }
            offset += records;
        }
    }

    void logAppendTimeRewritesTimestamps() {
        LogConfig config;
        config.messageTimestampType = protocol::TimestampType::LogAppendTime;
        auto log = openLog(freshDir(), config);
        std::vector<uint8_t> batch = makeBatch(3);
        const auto original = *protocol::parseBatchHeader(batch);
        clock_.sleepMs(5000);
        AppendInfo info = log->append(batch);
        QVERIFY(info.ok());
        QCOMPARE(info.logAppendTimeMs, clock_.wallMs());
        std::vector<uint8_t> stored = log->read(0, 1 << 20).records;
        QVERIFY2(protocol::validateBatch(stored).ok(), "CRC must be valid after the rewrite");
        auto header = *protocol::parseBatchHeader(stored);
        QCOMPARE(header.timestampType(), protocol::TimestampType::LogAppendTime);
        QCOMPARE(header.maxTimestamp, clock_.wallMs());
        QCOMPARE(header.baseTimestamp, original.baseTimestamp);  // deltas untouched, as Kafka
        QVERIFY(header.crc != original.crc);
        protocol::RecordBatchReader reader(stored);
        QVERIFY(reader.nextBatch());
        protocol::Record record;
        while (reader.nextRecord(record))
            QCOMPARE(record.timestamp, clock_.wallMs());
        QVERIFY(reader.ok());

        // CreateTime keeps the producer's timestamps.
        auto createTime = openLog(freshDir());
        std::vector<uint8_t> other = makeBatch(3);
        QCOMPARE(createTime->append(other).logAppendTimeMs, int64_t{-1});
        auto kept = *protocol::parseBatchHeader(createTime->read(0, 1 << 20).records);
        QCOMPARE(kept.maxTimestamp, original.maxTimestamp);
        QCOMPARE(kept.timestampType(), protocol::TimestampType::CreateTime);
    }

    void rejectedBatchesLeaveTheLogUntouched() {
        std::string dir = freshDir();
        LogConfig config;
        std::vector<uint8_t> good = makeBatch(2);
        config.maxMessageBytes = static_cast<int32_t>(good.size()) + 10;
        auto log = openLog(dir, config);
        QVERIFY(log->append(good).ok());
        const std::vector<uint8_t> fileBefore = readFile(dir + "/00000000000000000000.log");

        BatchSpec big;
        big.records = 2;
        big.valueBytes = 100;
        std::vector<uint8_t> tooLarge = makeBatch(big);
        AppendInfo info = log->append(tooLarge);
        QCOMPARE(info.error, ErrorCode::MESSAGE_TOO_LARGE);
        QVERIFY(info.errorMessage.find("max.message.bytes") != std::string::npos);

        std::vector<uint8_t> truncated = makeBatch(1);
        truncated.pop_back();
        QCOMPARE(log->append(truncated).error, ErrorCode::CORRUPT_MESSAGE);

        std::vector<uint8_t> two = concat({makeBatch(1), makeBatch(1)});
        QCOMPARE(log->append(two).error, ErrorCode::INVALID_RECORD);

        std::vector<uint8_t> garbage(10, 0xab);
        QCOMPARE(log->append(garbage).error, ErrorCode::CORRUPT_MESSAGE);

        std::vector<uint8_t> appendTime = makeBatch(1);
        QVERIFY(protocol::setMaxTimestamp(appendTime, protocol::TimestampType::LogAppendTime, 5));
        QCOMPARE(log->append(appendTime).error, ErrorCode::INVALID_TIMESTAMP);

        QCOMPARE(log->logEndOffset(), int64_t{2});
        QCOMPARE(readFile(dir + "/00000000000000000000.log"), fileBefore);
    }

    void offsetForTimestampFindsFirstLaterRecord() {
        QFETCH(int, indexIntervalBytes);
        const auto batchSize = static_cast<int64_t>(makeBatch(3).size());
        LogConfig config;
        config.segmentBytes = batchSize * 2;
        config.indexIntervalBytes = indexIntervalBytes;
        auto log = openLog(freshDir(), config);
        for (int i = 0; i < 4; ++i) {
            BatchSpec spec;
            spec.records = 3;
            spec.firstTimestamp = 1000 + 100 * i;  // records at 1000,1001,1002, 1100,...
            std::vector<uint8_t> batch = makeBatch(spec);
            QVERIFY(log->append(batch).ok());
        }
        auto at = [&](int64_t ts) { return *log->offsetForTimestamp(ts); };
        QCOMPARE(at(0).offset, int64_t{0});
        QCOMPARE(at(0).timestamp, int64_t{1000});
        QCOMPARE(at(1001).offset, int64_t{1});
        QCOMPARE(at(1003).offset, int64_t{3});
        QCOMPARE(at(1003).timestamp, int64_t{1100});
        QCOMPARE(at(1302).offset, int64_t{11});
        QCOMPARE(at(1303).offset, int64_t{-1});
        QCOMPARE(at(1303).timestamp, int64_t{-1});
        auto max = log->maxTimestampOffset();
        QVERIFY(max.ok());
        QCOMPARE(max->offset, int64_t{11});
        QCOMPARE(max->timestamp, int64_t{1302});
        QCOMPARE(openLog(freshDir())->maxTimestampOffset()->offset, int64_t{-1});
    }

    void offsetForTimestampFindsFirstLaterRecord_data() {
        QTest::addColumn<int>("indexIntervalBytes");
        QTest::newRow("sparse index") << 4096;
        QTest::newRow("index entry per batch") << 0;
    }

    void timeIndexFollowsKafkasRules() {
        std::string dir = freshDir();
        const auto batchSize = static_cast<int64_t>(makeBatch(1).size());
        LogConfig config;
        config.indexIntervalBytes = 0;
        config.segmentBytes = batchSize * 4;
        // Batch max timestamps 100, 300, 200, 400 | 500: entries only when the maximum grows,
        // at index points (batches 2..4), plus a final entry at the roll.
        const int64_t timestamps[] = {100, 300, 200, 400, 500};
        std::vector<std::vector<uint8_t>> stored;
        {
            auto log = openLog(dir, config);
            for (int64_t ts : timestamps) {
                BatchSpec spec;
                spec.firstTimestamp = ts;
                stored.push_back(makeBatch(spec));
                QVERIFY(log->append(stored.back()).ok());
            }
            QCOMPARE(log->segments().size(), size_t{2});
            QCOMPARE(log->offsetForTimestamp(250)->offset, int64_t{1});
            QCOMPARE(log->offsetForTimestamp(301)->offset, int64_t{3});
            QCOMPARE(log->offsetForTimestamp(450)->offset, int64_t{4});
        }
        // (300 @ offset 1), (400 @ offset 3); 300 again at batch 3 adds nothing; the roll would
        // add (400 @ 3) which is already last.
        QCOMPARE(readFile(dir + "/00000000000000000000.timeindex"),
                 (std::vector<uint8_t>{0, 0, 0, 0, 0, 0, 1, 44,  0, 0, 0, 1,  //
                                       0, 0, 0, 0, 0, 0, 1, 144, 0, 0, 0, 3}));
        auto reopened = openLog(dir, config);
        QCOMPARE(reopened->recoveryInfo().indexesRebuilt, 0);
        QCOMPARE(reopened->segments()[0].timeIndexEntries, size_t{2});
        QCOMPARE(reopened->offsetForTimestamp(201)->offset, int64_t{1});
    }

    void invalidConfigIsRejected() {
        LogConfig config;
        config.segmentBytes = 0;
        auto log = Log::open(freshDir(), config, clock_);
        QVERIFY(!log.ok());
        QVERIFY(log.error().message.find("segment.bytes") != std::string::npos);
        QCOMPARE(Log::dirName("orders", 3), std::string("orders-3"));
    }
};

QTEST_GUILESS_MAIN(LogTest)
#include "test_log.moc"
