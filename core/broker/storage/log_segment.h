#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "broker/storage/offset_index.h"
#include "broker/storage/time_index.h"
#include "common/result.h"
#include "protocol/record/record_batch.h"

namespace bs::broker {

// Where one batch sits in a segment.
struct BatchLocation {
    int64_t position = 0;  // byte position of the batch in the .log
    int32_t sizeInBytes = 0;
    int64_t baseOffset = 0;
    int64_t lastOffset = 0;
    int64_t maxTimestamp = protocol::kNoTimestamp;
};

// What recover() found.
struct SegmentRecovery {
    int64_t validBytes = 0;      // the .log length kept
    int64_t truncatedBytes = 0;  // bytes cut off the tail
    int32_t batches = 0;
    std::optional<int64_t> nextOffset;  // last valid batch's lastOffset + 1; none when empty
    int64_t maxTimestamp = protocol::kNoTimestamp;
    std::string truncationReason;  // why the tail was cut ("" when nothing was)
    int64_t zeroFillBytes = 0;     // zeros past the last batch, left by append()'s fill, cut
};

// One `<20-digit base offset>.log` file of RecordBatch v2 bytes exactly as stored by Kafka,
// plus its `.index` and `.timeindex` (Kafka: LogSegment).
// Thread ownership: append/recover/flush/deleteFiles and index use run under the owning Log's
// mutex. The read-side methods marked "concurrent" use pread on the immutable descriptor and
// only look below a size the caller snapshotted under the Log's mutex, so they may run without
// the lock while appends continue (bytes below a published size never change).
class LogSegment {
  public:
    ~LogSegment();
    LogSegment(const LogSegment&) = delete;
    LogSegment& operator=(const LogSegment&) = delete;

    // "00000000000000000042.log" for (42, ".log").
    static std::string fileName(int64_t baseOffset, std::string_view suffix);
    // The base offset of a "<20 digits>.log" name, or nullopt for any other name.
    static std::optional<int64_t> parseLogFileName(std::string_view name);

    // Creates an empty segment in `dir` (an existing non-empty .log is an error).
    static Result<std::shared_ptr<LogSegment>> create(const std::string& dir, int64_t baseOffset,
                                                      int32_t indexIntervalBytes);
    // Opens an existing segment and loads its index if sane. Call recover() next: it walks the
    // batches, cuts a bad tail and rebuilds the index when it does not match the log.
    static Result<std::shared_ptr<LogSegment>> open(const std::string& dir, int64_t baseOffset,
                                                    int32_t indexIntervalBytes);

    // Walks every batch from the start: header sane (magic 2, lengths, offsets increasing and
    // within int32 of the base offset), whole batch present, and when `verifyCrc` the CRC32C.
    // Truncates the .log at the first bad batch, rewrites the indexes if they differ from what
    // the log implies (`active`: the segment still takes appends, so its time index has no
    // final entry yet; an inactive segment's indexes are sealed afterwards). `onBatch` sees each
    // kept batch header in order (producer state).
    Result<SegmentRecovery> recover(
        bool verifyCrc, bool active,
        const std::function<void(const protocol::RecordBatchHeader&)>& onBatch = {});

    // Writes one batch (base offset already assigned) with a single write at the end of the
    // file; adds an index entry every indexIntervalBytes. A failed write is rolled back.
    Status append(std::span<const uint8_t> batch, const protocol::RecordBatchHeader& header);

    // Concurrent: copies up to out.size() bytes from `position`, stopping at `limit` (a size
    // snapshot). Returns the number of bytes read.
    Result<size_t> readAt(int64_t position, std::span<uint8_t> out, int64_t limit) const;
    // Concurrent: the location of the batch at `position` (header only).
    Result<BatchLocation> batchAt(int64_t position, int64_t limit) const;
    // Concurrent: walks headers from `startPosition` (an index lookup result) to the first batch
    // whose last offset >= targetOffset; nullopt when none below `limit`.
    Result<std::optional<BatchLocation>> findBatch(int64_t targetOffset, int64_t startPosition,
                                                   int64_t limit) const;
    // Concurrent: first batch whose maxTimestamp >= timestampMs, walking headers from
    // `startPosition` (a lookupTimestampPosition result).
    Result<std::optional<BatchLocation>> findBatchByTimestamp(int64_t timestampMs,
                                                              int64_t startPosition,
                                                              int64_t limit) const;

    // Under the Log's mutex: index lookup -> a batch position at or before targetOffset's batch.
    int64_t lookupPosition(int64_t targetOffset) const;
    // Under the Log's mutex: time index + offset index -> a batch position at or before the first
    // batch whose maxTimestamp >= timestampMs (Kafka: LogSegment.findOffsetByTimestamp).
    int64_t lookupTimestampPosition(int64_t timestampMs) const;
    // The segment stops taking appends (roll): the time index gets its final entry, then both
    // indexes close their descriptors (see IndexFile::seal).
    Status onBecomeInactive();
    // Cuts append()'s zero fill off the file (Kafka: FileRecords.trim), so that a closed
    // segment file ends at its last batch. Also done by onBecomeInactive() and the destructor.
    Status trimZeroFill();

    Status flush();
    // Unlinks both files; descriptors stay valid for readers still holding this segment.
    Status deleteFiles();

    int64_t baseOffset() const { return baseOffset_; }
    // Bytes of whole batches in the .log (published after each append completes).
    int64_t sizeInBytes() const { return size_.load(std::memory_order_acquire); }
    // Offset after the last batch (baseOffset when empty). Under the Log's mutex.
    int64_t nextOffset() const { return nextOffset_; }
    // Largest batch maxTimestamp seen, kNoTimestamp if unknown/empty. Under the Log's mutex.
    int64_t maxTimestamp() const { return maxTimestamp_; }
    bool indexWasRebuilt() const { return indexRebuilt_; }
    const std::string& logPath() const { return logPath_; }
    const std::string& indexPath() const { return index_->path(); }
    const std::string& timeIndexPath() const { return timeIndex_->path(); }
    const OffsetIndex& index() const { return *index_; }
    const TimeIndex& timeIndex() const { return *timeIndex_; }

  private:
    LogSegment(std::string logPath, int fd, int64_t baseOffset, int64_t size,
               std::unique_ptr<OffsetIndex> index, std::unique_ptr<TimeIndex> timeIndex,
               int32_t indexIntervalBytes);
    static Result<std::shared_ptr<LogSegment>> make(const std::string& dir, int64_t baseOffset,
                                                    int32_t indexIntervalBytes, bool create);
    Result<protocol::RecordBatchHeader> readHeader(int64_t position, int64_t limit) const;

    std::string logPath_;
    int fd_;
    int64_t baseOffset_;
    std::atomic<int64_t> size_;
    int64_t fileEnd_;  // size_ plus append()'s zero fill; same owner as append()
    std::unique_ptr<OffsetIndex> index_;
    std::unique_ptr<TimeIndex> timeIndex_;
    int32_t indexIntervalBytes_;
    int64_t bytesSinceLastIndexEntry_ = 0;
    int64_t nextOffset_;
    int64_t maxTimestamp_ = protocol::kNoTimestamp;
    int64_t offsetOfMaxTimestamp_;  // last offset of the first batch carrying maxTimestamp_
    bool indexRebuilt_ = false;
};

}  // namespace bs::broker
