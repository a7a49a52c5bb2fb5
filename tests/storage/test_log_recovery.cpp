#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "broker/storage/log.h"
#include "storage/storage_test_util.h"
#include "support/mock_clock.h"

using namespace bs;
using namespace bs::broker;
using namespace bs::storage_test;
using protocol::ErrorCode;

class LogRecoveryTest : public QObject {
    Q_OBJECT

  private:
    QTemporaryDir tmp_;
    MockClock clock_;
    int n_ = 0;

    std::string freshDir() { return tmp_.path().toStdString() + "/t-" + std::to_string(n_++); }

    std::unique_ptr<Log> openLog(const std::string& dir, LogConfig config = {}) {
        auto log = Log::open(dir, config, clock_);
        if (!log) qFatal("open failed: %s", log.error().message.c_str());
        return std::move(*log);
    }

    // Writes batches of 1..count records through a Log, closes it, returns the stored batches.
    std::vector<std::vector<uint8_t>> populate(const std::string& dir, int count,
                                               LogConfig config = {}) {
        std::vector<std::vector<uint8_t>> batches;
        auto log = openLog(dir, config);
        for (int i = 0; i < count; ++i) {
            batches.push_back(makeBatch(i + 1));
            if (!log->append(batches.back()).ok()) qFatal("append failed");
        }
        if (!log->close().ok()) qFatal("close failed");
        return batches;
    }

    static std::string segment0(const std::string& dir) {
        return dir + "/00000000000000000000.log";
    }

  private slots:
    void tornTailIsCut() {
        std::string dir = freshDir();
        auto batches = populate(dir, 3);  // offsets 0 | 1-2 | 3-5
        std::filesystem::resize_file(segment0(dir), std::filesystem::file_size(segment0(dir)) - 7);
        auto log = openLog(dir);
        QCOMPARE(log->logEndOffset(), int64_t{3});
        QCOMPARE(log->recoveryInfo().truncatedBytes, static_cast<int64_t>(batches[2].size() - 7));
        QVERIFY(log->recoveryInfo().truncationReason.find("torn") != std::string::npos);
        QCOMPARE(readFile(segment0(dir)), concat({batches[0], batches[1]}));
        QCOMPARE(log->read(0, 1 << 20).records, concat({batches[0], batches[1]}));
        std::vector<uint8_t> next = makeBatch(2);
        QCOMPARE(log->append(next).baseOffset, int64_t{3});
    }

    // A broker killed while running leaves its append zero fill past the last batch: recovery
    // cuts it without calling it damage. Zeros too short to be the fill (under a batch's 12
    // offset and length bytes) could be a torn batch, and nonzero bytes after zeros are damage.
    void zeroFillOfAKilledBrokerIsCutQuietly() {
        std::string dir = freshDir();
        std::vector<std::vector<uint8_t>> batches;
        {
            auto log = openLog(dir);
            for (int i = 0; i < 3; ++i) {
                batches.push_back(makeBatch(i + 1));
                QVERIFY(log->append(batches.back()).ok());
            }
            // What a kill -9 leaves: the files as they are while the log runs.
            std::filesystem::copy(dir, dir + "-killed");
            QCOMPARE(std::filesystem::file_size(segment0(dir + "-killed")), uintmax_t{128} << 10);
        }
        auto log = openLog(dir + "-killed");
        QCOMPARE(log->logEndOffset(), int64_t{6});
        QCOMPARE(log->recoveryInfo().truncatedBytes, int64_t{0});
        QCOMPARE(log->recoveryInfo().truncationReason, std::string());
        QCOMPARE(readFile(segment0(dir + "-killed")), concat(batches));
        log.reset();

        for (size_t zeros : {size_t{11}, size_t{12}, size_t{5000}}) {
            for (bool damaged : {false, true}) {
                std::vector<uint8_t> file = concat(batches);
                file.resize(file.size() + zeros);
                if (damaged) file.back() = 1;
                writeFile(segment0(dir), file);
                auto reopened = openLog(dir);
                const bool fill = zeros >= 12 && !damaged;
                QCOMPARE(reopened->recoveryInfo().truncatedBytes,
                         fill ? int64_t{0} : static_cast<int64_t>(zeros));
                QCOMPARE(reopened->logEndOffset(), int64_t{6});
                QCOMPARE(readFile(segment0(dir)), concat(batches));
            }
        }
    }

    void tornHeaderIsCut() {
        std::string dir = freshDir();
        auto batches = populate(dir, 2);
        std::vector<uint8_t> file = readFile(segment0(dir));
        file.resize(batches[0].size() + 30);  // half a header of the second batch
        writeFile(segment0(dir), file);
        auto log = openLog(dir);
        QCOMPARE(log->logEndOffset(), int64_t{1});
        QCOMPARE(readFile(segment0(dir)), batches[0]);
    }

    void flippedByteInLastBatchIsCut() {
        std::string dir = freshDir();
        auto batches = populate(dir, 3);
        std::vector<uint8_t> file = readFile(segment0(dir));
        file[file.size() - 3] ^= 0x40;  // inside the last record: only the CRC can tell
        writeFile(segment0(dir), file);
        auto log = openLog(dir);
        QCOMPARE(log->logEndOffset(), int64_t{3});
        QVERIFY(log->recoveryInfo().truncationReason.find("CRC") != std::string::npos);
        QCOMPARE(log->read(0, 1 << 20).records, concat({batches[0], batches[1]}));
    }

    void flippedByteInMiddleCutsFromThere() {
        std::string dir = freshDir();
        auto batches = populate(dir, 4);
        std::vector<uint8_t> file = readFile(segment0(dir));
        file[batches[0].size() + 40] ^= 0x01;  // a CRC-covered header byte of batch 2
        writeFile(segment0(dir), file);
        auto log = openLog(dir);
        QCOMPARE(log->logEndOffset(), int64_t{1});
        QCOMPARE(readFile(segment0(dir)), batches[0]);
    }

    void garbageNeverCrashes() {
        std::mt19937 rng(1234);
        for (int round = 0; round < 40; ++round) {
            std::string dir = freshDir();
            std::filesystem::create_directories(dir);
            std::vector<uint8_t> junk(rng() % 5000);
            for (auto& b : junk)
                b = static_cast<uint8_t>(rng());
            if (round % 4 == 1 && junk.size() > 20) {
                junk[16] = 2;  // plausible magic, random lengths
            }
            std::vector<uint8_t> prefix;
            if (round % 2 == 0) prefix = makeBatch(1 + round % 3);  // a valid batch, then junk
            std::vector<uint8_t> content = concat({prefix, junk});
            writeFile(segment0(dir), content);
            std::vector<uint8_t> indexJunk(rng() % 64);
            for (auto& b : indexJunk)
                b = static_cast<uint8_t>(rng());
            writeFile(dir + "/00000000000000000000.index", indexJunk);
            writeFile(dir + "/not-a-segment.log", junk);

            auto log = openLog(dir);
            QCOMPARE(log->logEndOffset(), prefix.empty() ? int64_t{0} : int64_t{1 + round % 3});
            QCOMPARE(readFile(segment0(dir)), prefix);
            LogReadResult r = log->read(0, 1 << 20);
            QVERIFY(r.ok());
            QCOMPARE(r.records, prefix);
            std::vector<uint8_t> next = makeBatch(1);
            const int64_t end = log->logEndOffset();
            QCOMPARE(log->append(next).baseOffset, end);
            QCOMPARE(readFile(dir + "/not-a-segment.log"), junk);  // foreign files left alone
        }
    }

    void garbageInOlderSegmentIsCutToo() {
        std::string dir = freshDir();
        const auto batchSize = static_cast<int64_t>(makeBatch(1).size());
        LogConfig config;
        config.segmentBytes = batchSize * 2;
        config.retentionBytes = -1;
        populate(dir, 1, config);
        {
            auto log = openLog(dir, config);
            for (int i = 0; i < 4; ++i) {
                std::vector<uint8_t> batch = makeBatch(1);
                QVERIFY(log->append(batch).ok());
            }
            QCOMPARE(log->segments().size(), size_t{3});  // [0,1] [2,3] [4]
        }
        std::string older = dir + "/00000000000000000002.log";
        std::vector<uint8_t> file = readFile(older);
        file[20] ^= 0xff;  // CRC field of its first batch: headers still parse
        file[16] = 7;      // bad magic
        writeFile(older, file);
        auto log = openLog(dir, config);
        QCOMPARE(log->logEndOffset(), int64_t{5});
        QCOMPARE(std::filesystem::file_size(older), uintmax_t{0});
        // Offsets 2 and 3 are gone; a fetch there gets the next batch that exists.
        QCOMPARE(batchBaseOffsets(log->read(2, 1 << 20).records), (std::vector<int64_t>{4}));
    }

    void crcOfOlderSegmentsIsCheckedOnlyWhenAsked() {
        std::string dir = freshDir();
        const auto batchSize = static_cast<int64_t>(makeBatch(1).size());
        LogConfig config;
        config.segmentBytes = batchSize;  // one batch per segment
        config.retentionBytes = -1;
        populate(dir, 1, config);
        {
            auto log = openLog(dir, config);
            for (int i = 0; i < 2; ++i) {
                std::vector<uint8_t> batch = makeBatch(1);
                QVERIFY(log->append(batch).ok());
            }
        }
        std::string older = dir + "/00000000000000000001.log";
        std::vector<uint8_t> file = readFile(older);
        file.back() ^= 0x20;  // a record byte: headers still walk, only the CRC can tell
        writeFile(older, file);
        {
            auto log = openLog(dir, config);  // older segments: header walk only
            QCOMPARE(log->recoveryInfo().truncatedBytes, int64_t{0});
            QCOMPARE(std::filesystem::file_size(older), static_cast<uintmax_t>(batchSize));
        }
        Log::Options options;
        options.verifyAllSegments = true;
        auto log = Log::open(dir, config, clock_, options);
        QVERIFY(log.ok());
        QCOMPARE((*log)->recoveryInfo().truncatedBytes, batchSize);
        QCOMPARE(std::filesystem::file_size(older), uintmax_t{0});
        QCOMPARE((*log)->logEndOffset(), int64_t{3});
    }

    void missingOrCorruptIndexIsRebuilt() {
        std::string dir = freshDir();
        LogConfig config;
        config.indexIntervalBytes = 0;
        populate(dir, 6, config);
        std::string index = dir + "/00000000000000000000.index";
        const std::vector<uint8_t> good = readFile(index);
        QCOMPARE(good.size(), size_t{5 * 8});
        {
            auto log = openLog(dir, config);
            QCOMPARE(log->recoveryInfo().indexesRebuilt, 0);
        }
        std::filesystem::remove(index);
        {
            auto log = openLog(dir, config);
            QCOMPARE(log->recoveryInfo().indexesRebuilt, 1);
            QCOMPARE(readFile(index), good);
        }
        std::vector<uint8_t> bad = good;
        bad[5] ^= 0x10;  // a position pointing elsewhere: no longer increasing/inside
        bad[13] ^= 0x10;
        writeFile(index, bad);
        auto log = openLog(dir, config);
        QCOMPARE(log->recoveryInfo().indexesRebuilt, 1);
        QCOMPARE(readFile(index), good);
        for (int64_t offset = 0; offset < 21; ++offset) {
            QVERIFY(log->locate(offset).ok());
        }
    }

    void indexOfTruncatedLogIsTrimmed() {
        std::string dir = freshDir();
        LogConfig config;
        config.indexIntervalBytes = 0;
        auto batches = populate(dir, 4, config);  // index entries for batches 2, 3, 4
        std::filesystem::resize_file(segment0(dir), batches[0].size() + batches[1].size() + 5);
        auto log = openLog(dir, config);
        QCOMPARE(log->logEndOffset(), int64_t{3});
        QCOMPARE(log->segments().front().indexEntries, size_t{1});
        QCOMPARE(std::filesystem::file_size(dir + "/00000000000000000000.index"), uintmax_t{8});
    }
};

QTEST_GUILESS_MAIN(LogRecoveryTest)
#include "test_log_recovery.moc"
