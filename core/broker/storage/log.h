#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "broker/storage/log_config.h"
#include "broker/storage/log_segment.h"
#include "broker/storage/producer_state.h"
#include "common/clock.h"
#include "common/result.h"
#include "protocol/errors.h"

namespace bs::broker {

// The outcome of Log::append (Kafka: LogAppendInfo). On error the log is unchanged.
struct AppendInfo {
    protocol::ErrorCode error = protocol::ErrorCode::NONE;
    std::string errorMessage;  // names what is wrong when error != NONE
    int64_t baseOffset = -1;   // assigned, or the original one for a duplicate; -1 on error
    int64_t lastOffset = -1;
    int64_t logAppendTimeMs = -1;  // the broker time for LogAppendTime topics, else -1 (Kafka)
    int64_t logStartOffset = -1;   // -1 on error, as Kafka's ProduceResponse
    int32_t recordCount = 0;
    bool duplicate = false;  // an idempotent retry: nothing was written

    bool ok() const { return error == protocol::ErrorCode::NONE; }
};

// Whole batches for a Fetch (Kafka: FetchDataInfo + the partition's offsets).
struct LogReadResult {
    protocol::ErrorCode error = protocol::ErrorCode::NONE;  // OFFSET_OUT_OF_RANGE, storage error
    std::string errorMessage;
    std::vector<uint8_t> records;  // copied out: whole batches only
    int64_t highWatermark = 0;     // = log end offset (no replication: appended = committed)
    int64_t logStartOffset = 0;
    int64_t logEndOffset = 0;

    bool ok() const { return error == protocol::ErrorCode::NONE; }
};

// What a Fetch reads (Log::read into it): whole batches in storage that is never zero-filled.
// A Fetch reads up to max.partition.fetch.bytes per partition, and a std::vector's fill before
// the pread cost as much as the pread itself (perf of bench_broker_ingest --fetch).
class ReadBuffer {
  public:
    std::span<const uint8_t> bytes() const { return {data_.get(), size_}; }
    bool empty() const { return size_ == 0; }
    size_t size() const { return size_; }
    void clear() { size_ = 0; }

  private:
    friend class Log;
    std::unique_ptr<uint8_t[]> data_;
    size_t capacity_ = 0;
    size_t size_ = 0;
};

// ListOffsets by timestamp (Kafka: TimestampAndOffset); offset -1 when no record is that late.
struct OffsetAndTimestamp {
    int64_t offset = -1;
    int64_t timestamp = -1;
};

// Where an offset is stored, for the topic inspector.
struct LogLocation {
    std::string segmentPath;  // the .log file
    int64_t segmentBaseOffset = 0;
    BatchLocation batch;  // position, size, base/last offset, maxTimestamp of the batch
};

// A snapshot of one segment, for the inspector.
struct SegmentInfo {
    int64_t baseOffset = 0;
    int64_t sizeInBytes = 0;
    std::string logPath;
    std::string indexPath;
    size_t indexEntries = 0;
    std::string timeIndexPath;
    size_t timeIndexEntries = 0;
};

// What open() did to get a consistent log.
struct LogRecoveryInfo {
    int segments = 0;
    int64_t truncatedBytes = 0;
    std::string truncationReason;  // "" when nothing was cut
    int indexesRebuilt = 0;
    size_t producersRestored = 0;
};

// One partition's log: directory `<topic>-<partition>/` of segments (.log, .index, .timeindex)
// (Kafka: UnifiedLog + its LocalLog). Offsets are assigned here, segments rolled at segment.bytes,
// oldest segments deleted past retention.bytes, and idempotent producers' sequences checked.
//
// Thread-safety: every public method may be called from any thread. `mutex_` guards the segment
// list, the offsets, the producer state and the flush bookkeeping. append() holds it for the
// checks and one write() into the page cache (as Kafka appends under its log lock). read(),
// locate() and offsetForTimestamp() take it only to pick the segment and snapshot its size,
// then pread() without it; a segment deleted by retention meanwhile stays readable through the
// shared_ptr (unlinked file, open descriptor).
class Log {
  public:
    // Options that are not Kafka topic configs.
    struct Options {
        UnknownProducerIdPolicy unknownProducerIdPolicy = UnknownProducerIdPolicy::Reject;
        // Recovery verifies CRCs of the last segment always; of every segment when true.
        bool verifyAllSegments = false;
    };

    ~Log();
    Log(const Log&) = delete;
    Log& operator=(const Log&) = delete;

    // "<topic>-<partition>", the directory name Kafka uses.
    static std::string dirName(std::string_view topic, int32_t partition);

    // Opens (creating if needed) the partition directory and recovers it: every `.log` named by
    // a 20-digit base offset is a segment, other files are left alone. The last segment's
    // batches are checked (header, length, CRC32C) and the file cut at the first bad one; indexes
    // are loaded if sane else rebuilt; producer state is rebuilt from the recovered batches of
    // all segments' headers (see docs in log.cpp). `clock` must outlive the Log.
    static Result<std::unique_ptr<Log>> open(std::string dir, LogConfig config, const Clock& clock,
                                             Options options);
    static Result<std::unique_ptr<Log>> open(std::string dir, LogConfig config,
                                             const Clock& clock) {
        return open(std::move(dir), std::move(config), clock, Options{});
    }

    // Appends exactly one RecordBatch v2 (the whole span), already validated by the caller
    // (validateBatchRecords: CRC, records, decompression). Checks size limits
    // (MESSAGE_TOO_LARGE above max.message.bytes, RECORD_LIST_TOO_LARGE above segment.bytes),
    // idempotence, then writes the batch into the caller's buffer: baseOffset = log end offset
    // and, for LogAppendTime, the timestamp type bit and maxTimestamp = now with a new CRC
    // (Kafka's LogValidator; records keep their deltas). Rolls, flushes per policy, applies
    // retention.
    AppendInfo append(std::span<uint8_t> batch);

    // Whole batches from the one holding fetchOffset, up to maxBytes, but at least that first
    // batch (Kafka's minOneMessage). fetchOffset == log end offset gives no bytes;
    // < logStartOffset or > log end offset gives OFFSET_OUT_OF_RANGE.
    LogReadResult read(int64_t fetchOffset, int32_t maxBytes) const;
    // The same batches read into `out` (records stays empty): the Fetch path's one copy out of
    // the segment file before the response frame.
    LogReadResult read(int64_t fetchOffset, int32_t maxBytes, ReadBuffer& out) const;

    // The first record whose timestamp >= timestampMs (Kafka's ListOffsets by timestamp): the
    // first segment whose largest timestamp is late enough, its time index and offset index to
    // a start position, a header walk to the first batch with maxTimestamp >= it, then its
    // records.
    Result<OffsetAndTimestamp> offsetForTimestamp(int64_t timestampMs) const;

    // The record with the largest timestamp (ListOffsets MAX_TIMESTAMP, -3): each segment's
    // largest batch maxTimestamp is known, so only the batch holding it is read. The first
    // record carrying that timestamp wins; {-1, -1} for an empty log.
    Result<OffsetAndTimestamp> maxTimestampOffset() const;

    // The batch holding `offset`; an error for offsets outside [logStartOffset, logEndOffset).
    Result<LogLocation> locate(int64_t offset) const;

    int64_t logStartOffset() const;
    int64_t logEndOffset() const;
    int64_t highWatermark() const { return logEndOffset(); }
    int64_t sizeInBytes() const;
    std::vector<SegmentInfo> segments() const;
    std::optional<ProducerStateEntry> producerState(int64_t producerId) const;
    const LogRecoveryInfo& recoveryInfo() const { return recovery_; }
    const std::string& dir() const { return dir_; }
    const LogConfig& config() const { return config_; }

    // Deletes oldest segments (never the active one) while the rest still holds at least
    // retention.bytes (Kafka's rule); advances logStartOffset. Returns how many were deleted.
    Result<int> deleteOldSegments();
    // fsync of the active segment when flush.ms has passed since the last flush (for a timer).
    Status maybeFlush();
    // Forgets idempotent producers whose last batch is older than expirationMs of wall clock
    // (Kafka: producer.id.expiration.ms, default 86400000, checked on a timer). Returns how many.
    size_t removeExpiredProducers(int64_t expirationMs);
    // fsync of every segment and index (durable shutdown).
    Status flush();
    // flush() and close the files (a durable shutdown); later calls fail with
    // KAFKA_STORAGE_ERROR. Destroying a Log without close() closes the files without fsync: what
    // was appended is in the page cache, which survives the process but not the machine.
    Status close();

  private:
    // read()'s work: `into(n)` gives n bytes to pread into; returns how many hold whole batches.
    size_t readBatches(int64_t fetchOffset, int32_t maxBytes, LogReadResult& result,
                       const std::function<std::span<uint8_t>(size_t)>& into) const;
    Log(std::string dir, LogConfig config, const Clock& clock, Options options);
    Status load();
    Status rollLocked();
    Result<int> deleteOldSegmentsLocked();
    Status flushLocked();
    std::shared_ptr<LogSegment> segmentForLocked(int64_t offset) const;

    const std::string dir_;
    const LogConfig config_;
    const Clock& clock_;
    const Options options_;
    LogRecoveryInfo recovery_;  // written by open() only

    mutable std::mutex mutex_;
    // Guarded by mutex_: segments by base offset; the last is the active one.
    std::map<int64_t, std::shared_ptr<LogSegment>> segments_;
    int64_t inactiveBytes_ = 0;  // total size of every segment but the active one
    int64_t logStartOffset_ = 0;
    int64_t logEndOffset_ = 0;
    ProducerStateManager producerState_;
    int64_t unflushedMessages_ = 0;
    int64_t firstUnflushedSegment_ = 0;  // base offset: segments from here on need an fsync
    int64_t lastFlushMs_ = 0;
    bool closed_ = false;
};

}  // namespace bs::broker
