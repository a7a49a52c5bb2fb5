#include <QTemporaryDir>
#include <QtTest>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "broker/storage/log.h"
#include "storage/storage_test_util.h"
#include "support/mock_clock.h"

using namespace bs;
using namespace bs::broker;
using namespace bs::storage_test;
using protocol::ErrorCode;

// Reads run without the Log's mutex while appends, rolls and retention continue: every read
// must still see only whole, valid batches with contiguous offsets.
class LogConcurrencyTest : public QObject {
    Q_OBJECT

  private slots:
    void readsDuringAppendsSeeWholeBatches() {
        QTemporaryDir tmp;
        MockClock clock;
        const auto batchSize = static_cast<int64_t>(makeBatch(2).size());
        LogConfig config;
        config.segmentBytes = batchSize * 8;
        config.retentionBytes = batchSize * 40;
        config.indexIntervalBytes = 0;
        auto opened = Log::open(tmp.path().toStdString() + "/c-0", config, clock);
        QVERIFY(opened.ok());
        Log& log = **opened;

        constexpr int kBatches = 400;
        std::atomic<bool> writerDone{false};
        std::atomic<int> failures{0};
        std::thread writer([&] {
            for (int i = 0; i < kBatches; ++i) {
                std::vector<uint8_t> batch = makeBatch(1 + i % 3);
                if (!log.append(batch).ok()) failures++;
            }
            writerDone = true;
        });

        int64_t offset = 0;
        int64_t batchesSeen = 0;
        int outOfRange = 0;
        std::string problem;
        for (;;) {
            const bool done = writerDone.load();
            LogReadResult r = log.read(offset, static_cast<int32_t>(batchSize * 3));
            if (r.error == ErrorCode::OFFSET_OUT_OF_RANGE) {  // retention passed us: restart
                ++outOfRange;
                offset = log.logStartOffset();
                continue;
            }
            if (!r.ok()) {
                problem = r.errorMessage;
                break;
            }
            protocol::RecordBatchReader reader(r.records);
            bool first = true;
            while (reader.nextBatch()) {
                const auto& b = reader.batch();
                const bool contiguous = first ? b.baseOffset <= offset && offset <= b.lastOffset()
                                              : b.baseOffset == offset;
                if (!contiguous)
                    problem = "batch " + std::to_string(b.baseOffset) + " does not continue at " +
                              std::to_string(offset);
                offset = b.nextOffset();
                first = false;
                ++batchesSeen;
            }
            if (!reader.ok()) problem = reader.error();
            if (reader.partialTailBytes() != 0) problem = "partial batch in a read";
            if (!problem.empty()) break;
            if (done && offset == log.logEndOffset()) break;
        }
        writer.join();
        QVERIFY2(problem.empty(), problem.c_str());
        QCOMPARE(failures.load(), 0);
        QVERIFY(batchesSeen > 0);
        QCOMPARE(offset, int64_t{(kBatches / 3) * 6 + 1});  // 133 full 1+2+3 cycles, then 1
        QVERIFY(log.logStartOffset() > 0);
    }
};

QTEST_GUILESS_MAIN(LogConcurrencyTest)
#include "test_log_concurrency.moc"
