#include <QTemporaryDir>
#include <QtTest>

#include <limits>
#include <string>
#include <vector>

#include "broker/storage/log.h"
#include "broker/storage/producer_state.h"
#include "storage/storage_test_util.h"
#include "support/mock_clock.h"

using namespace bs;
using namespace bs::broker;
using namespace bs::storage_test;
using protocol::ErrorCode;

namespace {

protocol::RecordBatchHeader header(int64_t pid, int16_t epoch, int32_t seq, int records,
                                   int64_t baseOffset = 0) {
    protocol::RecordBatchHeader h;
    h.producerId = pid;
    h.producerEpoch = epoch;
    h.baseSequence = seq;
    h.recordCount = records;
    h.lastOffsetDelta = records - 1;
    h.baseOffset = baseOffset;
    h.maxTimestamp = 1000 + baseOffset;
    return h;
}

}  // namespace

class ProducerStateTest : public QObject {
    Q_OBJECT

  private:
    QTemporaryDir tmp_;
    MockClock clock_;
    int n_ = 0;

    std::string freshDir() { return tmp_.path().toStdString() + "/p-" + std::to_string(n_++); }

    std::unique_ptr<Log> openLog(const std::string& dir, Log::Options options = {}) {
        auto log = Log::open(dir, LogConfig{}, clock_, options);
        if (!log) qFatal("open failed: %s", log.error().message.c_str());
        return std::move(*log);
    }

    static AppendInfo send(Log& log, int64_t pid, int16_t epoch, int32_t seq, int records) {
        std::vector<uint8_t> batch = idempotentBatch(pid, epoch, seq, records);
        return log.append(batch);
    }

  private slots:
    void duplicateGetsOriginalOffsetsAndIsNotWritten() {
        std::string dir = freshDir();
        auto log = openLog(dir);
        QVERIFY(send(*log, 7, 0, 0, 3).ok());  // offsets 0-2, seq 0-2
        QVERIFY(send(*log, 7, 0, 3, 2).ok());  // offsets 3-4, seq 3-4
        const auto sizeBefore = log->sizeInBytes();
        AppendInfo dup = send(*log, 7, 0, 0, 3);
        QVERIFY(dup.ok());
        QVERIFY(dup.duplicate);
        QCOMPARE(dup.baseOffset, int64_t{0});
        QCOMPARE(dup.lastOffset, int64_t{2});
        AppendInfo dup2 = send(*log, 7, 0, 3, 2);
        QVERIFY(dup2.duplicate);
        QCOMPARE(dup2.baseOffset, int64_t{3});
        QCOMPARE(log->logEndOffset(), int64_t{5});
        QCOMPARE(log->sizeInBytes(), sizeBefore);
        AppendInfo next = send(*log, 7, 0, 5, 1);
        QVERIFY(next.ok());
        QVERIFY(!next.duplicate);
        QCOMPARE(next.baseOffset, int64_t{5});
    }

    void gapIsOutOfOrder() {
        auto log = openLog(freshDir());
        QVERIFY(send(*log, 1, 0, 0, 2).ok());
        AppendInfo gap = send(*log, 1, 0, 3, 1);  // expected 2
        QCOMPARE(gap.error, ErrorCode::OUT_OF_ORDER_SEQUENCE_NUMBER);
        QVERIFY(gap.errorMessage.find("expected sequence 2") != std::string::npos);
        // A retry of an older range that is not exactly a retained batch is also out of order.
        QCOMPARE(send(*log, 1, 0, 1, 1).error, ErrorCode::OUT_OF_ORDER_SEQUENCE_NUMBER);
        QCOMPARE(log->logEndOffset(), int64_t{2});
        QVERIFY(send(*log, 1, 0, 2, 1).ok());
    }

    void staleEpochIsFencedAndNewEpochStartsAtZero() {
        auto log = openLog(freshDir());
        QVERIFY(send(*log, 9, 3, 0, 1).ok());
        QVERIFY(send(*log, 9, 3, 1, 1).ok());
        // A newer epoch must restart the sequence.
        QCOMPARE(send(*log, 9, 4, 2, 1).error, ErrorCode::OUT_OF_ORDER_SEQUENCE_NUMBER);
        QVERIFY(send(*log, 9, 4, 0, 1).ok());
        QCOMPARE(log->producerState(9)->producerEpoch(), int16_t{4});
        QCOMPARE(log->producerState(9)->batchCount(), size_t{1});  // new epoch cleared the window
        // The old epoch is now fenced, even for what was a duplicate before.
        AppendInfo stale = send(*log, 9, 3, 2, 1);
        QCOMPARE(stale.error, ErrorCode::INVALID_PRODUCER_EPOCH);
        QCOMPARE(send(*log, 9, 3, 1, 1).error, ErrorCode::INVALID_PRODUCER_EPOCH);
        QCOMPARE(log->logEndOffset(), int64_t{3});
    }

    void unknownProducerIdPerPolicy() {
        auto strict = openLog(freshDir());
        AppendInfo unknown = send(*strict, 42, 0, 5, 1);
        QCOMPARE(unknown.error, ErrorCode::UNKNOWN_PRODUCER_ID);
        QCOMPARE(strict->logEndOffset(), int64_t{0});
        QVERIFY(send(*strict, 42, 0, 0, 1).ok());
        // Other producers are independent.
        QCOMPARE(send(*strict, 43, 0, 1, 1).error, ErrorCode::UNKNOWN_PRODUCER_ID);

        Log::Options lenient;
        lenient.unknownProducerIdPolicy = UnknownProducerIdPolicy::Accept;
        auto log = openLog(freshDir(), lenient);
        QVERIFY(send(*log, 42, 0, 5, 1).ok());
        QCOMPARE(send(*log, 42, 0, 7, 1).error, ErrorCode::OUT_OF_ORDER_SEQUENCE_NUMBER);
        QVERIFY(send(*log, 42, 0, 6, 1).ok());
    }

    void onlyTheLastFiveBatchesAreRemembered() {
        auto log = openLog(freshDir());
        for (int i = 0; i < 6; ++i)
            QVERIFY(send(*log, 5, 0, 2 * i, 2).ok());
        QCOMPARE(log->producerState(5)->batchCount(), size_t{5});
        // The first batch fell out of the window: its retry is no longer recognised.
        QCOMPARE(send(*log, 5, 0, 0, 2).error, ErrorCode::OUT_OF_ORDER_SEQUENCE_NUMBER);
        for (int i = 1; i < 6; ++i) {
            AppendInfo dup = send(*log, 5, 0, 2 * i, 2);
            QVERIFY(dup.duplicate);
            QCOMPARE(dup.baseOffset, int64_t{2} * i);
            QCOMPARE(dup.lastOffset, int64_t{2} * i + 1);
        }
        QCOMPARE(log->logEndOffset(), int64_t{12});
    }

    void nonIdempotentBatchesAreNotTracked() {
        auto log = openLog(freshDir());
        for (int i = 0; i < 3; ++i) {
            std::vector<uint8_t> batch = makeBatch(2);
            AppendInfo info = log->append(batch);
            QVERIFY(info.ok());
            QVERIFY(!info.duplicate);
        }
        QCOMPARE(log->logEndOffset(), int64_t{6});
        QVERIFY(!log->producerState(protocol::kNoProducerId).has_value());
    }

    void stateIsRebuiltOnReopen() {
        std::string dir = freshDir();
        {
            auto log = openLog(dir);
            QVERIFY(send(*log, 11, 2, 0, 2).ok());
            QVERIFY(send(*log, 12, 0, 0, 1).ok());
            QVERIFY(send(*log, 11, 2, 2, 3).ok());  // offsets 3-5
            QVERIFY(log->close().ok());
        }
        auto log = openLog(dir);
        QCOMPARE(log->recoveryInfo().producersRestored, size_t{2});
        AppendInfo dup = send(*log, 11, 2, 2, 3);
        QVERIFY(dup.duplicate);
        QCOMPARE(dup.baseOffset, int64_t{3});
        QCOMPARE(send(*log, 11, 1, 5, 1).error, ErrorCode::INVALID_PRODUCER_EPOCH);
        QCOMPARE(send(*log, 11, 2, 6, 1).error, ErrorCode::OUT_OF_ORDER_SEQUENCE_NUMBER);
        QCOMPARE(send(*log, 11, 2, 5, 1).baseOffset, int64_t{6});
        QCOMPARE(send(*log, 12, 0, 1, 1).baseOffset, int64_t{7});
    }

    void logForgetsExpiredProducers() {
        auto log = openLog(freshDir());
        BatchSpec spec;
        spec.producerId = 77;
        spec.producerEpoch = 0;
        spec.baseSequence = 0;
        spec.firstTimestamp = clock_.wallMs();
        std::vector<uint8_t> batch = makeBatch(spec);
        QVERIFY(log->append(batch).ok());
        clock_.sleepMs(999);
        QCOMPARE(log->removeExpiredProducers(1000), size_t{0});
        clock_.sleepMs(1);
        QCOMPARE(log->removeExpiredProducers(1000), size_t{1});
        QVERIFY(!log->producerState(77).has_value());
        QCOMPARE(send(*log, 77, 0, 1, 1).error, ErrorCode::UNKNOWN_PRODUCER_ID);
    }

    void sequenceWrapsAtIntMax() {
        ProducerStateManager state(UnknownProducerIdPolicy::Accept);
        const int32_t max = std::numeric_limits<int32_t>::max();
        auto first = header(3, 0, max - 1, 2, 0);  // sequences max-1, max
        QVERIFY(state.check(first).ok());
        state.update(first);
        QCOMPARE(state.find(3)->lastSeq(), max);
        QCOMPARE(state.check(header(3, 0, 1, 1, 2)).error, ErrorCode::OUT_OF_ORDER_SEQUENCE_NUMBER);
        auto wrapped = header(3, 0, 0, 3, 2);  // 0..2
        QVERIFY(state.check(wrapped).ok());
        state.update(wrapped);
        QCOMPARE(state.find(3)->lastSeq(), 2);
        // A batch that itself crosses INT32_MAX ends at a wrapped sequence.
        auto crossing = header(4, 0, max, 3, 10);  // max, 0, 1
        QVERIFY(state.check(crossing).ok());
        state.update(crossing);
        QCOMPARE(state.find(4)->lastSeq(), 1);
        QVERIFY(state.check(crossing).duplicateOf.has_value());
        QVERIFY(state.check(header(4, 0, 2, 1, 13)).ok());
    }

    void invalidIdempotentFieldsAreRejected() {
        ProducerStateManager state;
        QCOMPARE(state.check(header(3, 0, -1, 1)).error, ErrorCode::INVALID_RECORD);
        QCOMPARE(state.check(header(3, -1, 0, 1)).error, ErrorCode::INVALID_RECORD);
        QVERIFY(state.check(header(-1, -1, -1, 1)).ok());
    }

    void expiredProducersAreForgotten() {
        ProducerStateManager state;
        state.update(header(1, 0, 0, 1, 0));    // maxTimestamp 1000
        state.update(header(2, 0, 0, 1, 500));  // maxTimestamp 1500
        QCOMPARE(state.removeExpiredProducers(2000, 1000), size_t{1});
        QVERIFY(state.find(1) == nullptr);
        QVERIFY(state.find(2) != nullptr);
    }
};

QTEST_GUILESS_MAIN(ProducerStateTest)
#include "test_producer_state.moc"
