#pragma once

// RecordBatch v2 (magic 2), the on-disk and on-wire unit of Kafka records (Java:
// DefaultRecordBatch, DefaultRecord, MemoryRecordsBuilder). All multi-byte header fields are
// big-endian; record fields use zig-zag varints.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/default_init_allocator.h"
#include "common/result.h"
#include "protocol/record/compression.h"

namespace bs::protocol {

using Bytes = std::span<const uint8_t>;

// Byte positions of the batch header fields.
inline constexpr size_t kBaseOffsetOffset = 0;
inline constexpr size_t kBatchLengthOffset = 8;
inline constexpr size_t kPartitionLeaderEpochOffset = 12;
inline constexpr size_t kMagicOffset = 16;
inline constexpr size_t kCrcOffset = 17;
inline constexpr size_t kAttributesOffset = 21;
inline constexpr size_t kLastOffsetDeltaOffset = 23;
inline constexpr size_t kBaseTimestampOffset = 27;
inline constexpr size_t kMaxTimestampOffset = 35;
inline constexpr size_t kProducerIdOffset = 43;
inline constexpr size_t kProducerEpochOffset = 51;
inline constexpr size_t kBaseSequenceOffset = 53;
inline constexpr size_t kRecordsCountOffset = 57;
inline constexpr size_t kRecordsOffset = 61;
// Header size; batchLength counts the bytes after the batchLength field.
inline constexpr size_t kRecordBatchOverhead = 61;
inline constexpr size_t kLogOverhead = 12;  // baseOffset + batchLength
inline constexpr size_t kMinBatchLength = kRecordBatchOverhead - kLogOverhead;

inline constexpr int8_t kMagicV2 = 2;
inline constexpr int64_t kNoProducerId = -1;
inline constexpr int16_t kNoProducerEpoch = -1;
inline constexpr int32_t kNoSequence = -1;
inline constexpr int32_t kNoPartitionLeaderEpoch = -1;
inline constexpr int64_t kNoTimestamp = -1;

// Attribute bits.
inline constexpr int16_t kCompressionCodecMask = 0x07;
inline constexpr int16_t kTimestampTypeMask = 0x08;
inline constexpr int16_t kTransactionalFlagMask = 0x10;
inline constexpr int16_t kControlFlagMask = 0x20;

// Default cap on a batch's decompressed records (a bomb guard): 64 MiB.
inline constexpr size_t kDefaultMaxDecompressedBytes = size_t{64} << 20;

enum class TimestampType : uint8_t { CreateTime = 0, LogAppendTime = 1 };
std::string_view timestampTypeName(TimestampType type);  // "CreateTime" / "LogAppendTime"

// One record header as written/read. `key` is UTF-8; a null value has valueNull set.
struct RecordHeader {
    std::string_view key;
    Bytes value;
    bool valueNull = false;
};

struct RecordBatchHeader {
    int64_t baseOffset = 0;
    int32_t batchLength = 0;
    int32_t partitionLeaderEpoch = kNoPartitionLeaderEpoch;
    int8_t magic = kMagicV2;
    uint32_t crc = 0;
    int16_t attributes = 0;
    int32_t lastOffsetDelta = 0;
    int64_t baseTimestamp = kNoTimestamp;
    int64_t maxTimestamp = kNoTimestamp;
    int64_t producerId = kNoProducerId;
    int16_t producerEpoch = kNoProducerEpoch;
    int32_t baseSequence = kNoSequence;
    int32_t recordCount = 0;

    // Bits 0-2 as a codec; only meaningful once parseBatchHeader accepted the batch (it rejects
    // ids 5..7).
    CompressionType compression() const {
        return static_cast<CompressionType>(attributes & kCompressionCodecMask);
    }
    TimestampType timestampType() const {
        return (attributes & kTimestampTypeMask) ? TimestampType::LogAppendTime
                                                 : TimestampType::CreateTime;
    }
    bool isTransactional() const { return (attributes & kTransactionalFlagMask) != 0; }
    bool isControl() const { return (attributes & kControlFlagMask) != 0; }
    // Whole batch size on the wire, including baseOffset and batchLength.
    size_t sizeInBytes() const { return kLogOverhead + static_cast<size_t>(batchLength); }
    int64_t lastOffset() const { return baseOffset + lastOffsetDelta; }
    int64_t nextOffset() const { return lastOffset() + 1; }
    // Sequence of the last record (Java: DefaultRecordBatch.lastSequence, wraps at INT32_MAX).
    int32_t lastSequence() const;
};

// Reads the 61-byte header. Checks only what the header alone can show: size >= 61, magic 2,
// batchLength >= 49, a known codec, recordCount >= 0, lastOffsetDelta >= 0. Does NOT check the
// CRC or that the whole batch is present (see validateBatch).
Result<RecordBatchHeader> parseBatchHeader(Bytes batch);

// parseBatchHeader plus: `batch` holds at least the whole batch (extra bytes after it are
// ignored) and the CRC32C over attributes..end matches. Does not look inside the records (see
// validateBatchRecords).
Status validateBatch(Bytes batch);

// validateBatch plus every record: decompresses (bounded), parses each record, checks the count
// matches the records present, offset deltas are 0..count-1 in order (what a producer sends)
// and lastOffsetDelta == count-1, and no bytes trail the last record. `scratch` is reused for
// decompression. This is what a broker runs on a Produce request's batches.
Status validateBatchRecords(Bytes batch, std::vector<uint8_t>& scratch,
                            size_t maxDecompressedBytes = kDefaultMaxDecompressedBytes);
// validateBatchRecords for a batch the caller has already passed through validateBatch (a
// broker checks the header and CRC first, to answer each failure with its own error code): the
// CRC is not computed again. perf of the broker's produce path had it computed three times.
Status validateCheckedBatchRecords(Bytes batch, std::vector<uint8_t>& scratch,
                                   size_t maxDecompressedBytes = kDefaultMaxDecompressedBytes);

// In-place header edits on a finished batch. They return false (changing nothing) when the span
// is shorter than a batch header or not magic 2. Fields under the CRC get the CRC recomputed.
bool rewriteProducerState(std::span<uint8_t> batch, int64_t producerId, int16_t producerEpoch,
                          int32_t baseSequence);
bool setBaseOffset(std::span<uint8_t> batch, int64_t baseOffset);  // not under CRC
bool setPartitionLeaderEpoch(std::span<uint8_t> batch, int32_t partitionLeaderEpoch);  // not CRC
// Broker-side LogAppendTime (Java: DefaultRecordBatch.setMaxTimestamp): sets the timestamp type
// bit and maxTimestamp, recomputes the CRC.
bool setMaxTimestamp(std::span<uint8_t> batch, TimestampType type, int64_t maxTimestamp);
// Recomputes and stores the CRC (after other in-place edits of CRC-covered fields).
bool updateCrc(std::span<uint8_t> batch);

// Builds one batch into a caller-owned buffer (Java: MemoryRecordsBuilder). Records are written
// uncompressed straight into the buffer after the header space: no per-record allocation.
// Thread ownership: a builder is used by one thread at a time (the accumulator holds its
// deque's lock while appending).
class RecordBatchBuilder {
  public:
    // `buffer`/`capacity`: where the batch is written; must outlive the builder and the span
    // close() returns. `writeLimit` (default = capacity) is the size tryAppend aims to stay under
    // (Java: batch.size); the first record is accepted whenever it fits the physical capacity.
    RecordBatchBuilder(uint8_t* buffer, size_t capacity, CompressionType compression,
                       TimestampType timestampType = TimestampType::CreateTime,
                       int compressionLevel = kDefaultCompressionLevel, size_t writeLimit = 0);
    RecordBatchBuilder(std::span<uint8_t> buffer, CompressionType compression,
                       TimestampType timestampType = TimestampType::CreateTime,
                       int compressionLevel = kDefaultCompressionLevel, size_t writeLimit = 0)
        : RecordBatchBuilder(buffer.data(), buffer.size(), compression, timestampType,
                             compressionLevel, writeLimit) {}

    RecordBatchBuilder(const RecordBatchBuilder&) = delete;
    RecordBatchBuilder& operator=(const RecordBatchBuilder&) = delete;

    // Appends one record with offsetDelta = recordCount(). The first record's timestamp becomes
    // the batch's baseTimestamp. Returns false (nothing written) when closed, when the record
    // would not fit the capacity (a compressed batch grows instead, see canGrow), or - except
    // for the first record - when the estimated batch size would exceed the write limit.
    bool tryAppend(int64_t timestampMs, std::optional<Bytes> key, std::optional<Bytes> value,
                   std::span<const RecordHeader> headers = {});
    // Java: MemoryRecordsBuilder.hasRoomFor.
    bool hasRoomFor(int64_t timestampMs, std::optional<Bytes> key, std::optional<Bytes> value,
                    std::span<const RecordHeader> headers = {}) const;

    // Upper bound of one record's encoded size (Java: DefaultRecord
    // .estimateSizeInBytesUpperBound), independent of deltas.
    static size_t estimateRecordSize(std::optional<Bytes> key, std::optional<Bytes> value,
                                     std::span<const RecordHeader> headers = {});
    // Upper bound of a batch holding just this record (Java: estimateSizeInBytesUpperBound).
    static size_t estimateBatchSize(std::optional<Bytes> key, std::optional<Bytes> value,
                                    std::span<const RecordHeader> headers = {}) {
        return kRecordBatchOverhead + estimateRecordSize(key, value, headers);
    }

    // Producer id/epoch/base sequence and the transactional bit; settable until close().
    void setProducerState(int64_t producerId, int16_t producerEpoch, int32_t baseSequence,
                          bool isTransactional = false);

    int32_t recordCount() const { return recordCount_; }
    // Estimated size of the finished batch so far: exact when uncompressed; for codecs the
    // uncompressed records times the estimated compression ratio (Java: estimatedBytesWritten).
    // After close(): the finished batch's real size.
    size_t sizeInBytes() const;
    // Bytes of uncompressed records written so far (after the header).
    size_t uncompressedRecordsBytes() const { return writePos_ - kRecordsOffset; }
    bool isFull() const;
    bool isClosed() const { return closed_; }
    size_t capacity() const { return capacity_; }
    size_t writeLimit() const { return writeLimit_; }
    CompressionType compression() const { return compression_; }
    int64_t baseTimestamp() const { return baseTimestamp_; }
    int64_t maxTimestamp() const { return maxTimestamp_; }
    // Java's CompressionRatioEstimator value for this topic/codec (default 1.0).
    void setEstimatedCompressionRatio(float ratio) { estimatedRatio_ = ratio > 0 ? ratio : 1.0f; }
    // Actual ratio (finished size of records / uncompressed records size) after close().
    float compressionRatio() const { return actualRatio_; }

    // Finishes the batch: compresses the records section if asked, fills the header (baseOffset
    // 0, leader epoch -1, magic 2, attributes, deltas, timestamps, producer state, count) and
    // the CRC32C. Returns the finished batch bytes, which live in the caller's buffer - except
    // when a compressed batch is larger than the capacity, then in the builder's own scratch
    // (valid until the builder is destroyed). With zero records it returns an empty span.
    // Idempotent: later calls return the same span. A codec failure is an error.
    Result<Bytes> close();

    // A finished, uncompressed copy of the batch as it would be if closed now (header, CRC and
    // the records appended so far), for viewers that read an open batch with RecordBatchReader.
    // Before close() only: then the buffer holds uncompressed records. Allocates `out`.
    void copyOpenBatch(std::vector<uint8_t>& out) const;

  private:
    bool canGrow() const;
    // Moves the records into grown_, of at least `needed` bytes.
    void grow(size_t needed);
    // Fills the header of the `size`-byte batch at `batch` and its CRC.
    void writeHeader(uint8_t* batch, size_t size, CompressionType codec) const;
    // Record size minus its length varint (Java: DefaultRecord.sizeOfBodyInBytes).
    size_t recordBodySize(int64_t timestampMs, std::optional<Bytes> key, std::optional<Bytes> value,
                          std::span<const RecordHeader> headers) const;

    uint8_t* buffer_;
    size_t capacity_;
    size_t writeLimit_;
    CompressionType compression_;
    TimestampType timestampType_;
    int compressionLevel_;
    size_t writePos_ = kRecordsOffset;
    int32_t recordCount_ = 0;
    int64_t baseTimestamp_ = kNoTimestamp;
    int64_t maxTimestamp_ = kNoTimestamp;
    int64_t producerId_ = kNoProducerId;
    int16_t producerEpoch_ = kNoProducerEpoch;
    int32_t baseSequence_ = kNoSequence;
    bool transactional_ = false;
    bool closed_ = false;
    float estimatedRatio_ = 1.0f;
    float actualRatio_ = 1.0f;
    Bytes built_;
    UninitBytes scratch_;  // compression output; allocated once, at close()
    // A compressed batch's records once they outgrew the caller's buffer (buffer_ then points
    // here; the caller's buffer is left unused). Not zero-filled: records of a compressible
    // batch grow it to hundreds of KiB, and the fill was a quarter of the sending thread.
    UninitBytes grown_;
};

// One record as read: spans point into the batch (uncompressed) or into the reader's scratch
// (compressed), valid until the reader moves to the next batch.
struct Record {
    int64_t offset = 0;
    int64_t timestamp = 0;
    int32_t sequence = kNoSequence;  // baseSequence + offsetDelta, or -1
    int8_t attributes = 0;
    std::optional<Bytes> key;
    std::optional<Bytes> value;
    int32_t headerCount = 0;
    Bytes headerBytes;  // the encoded headers, already validated; walk with RecordHeaderIterator
    size_t sizeInBytes = 0;  // encoded size including the length varint
};

// Walks the (validated) headers of a Record without allocating.
class RecordHeaderIterator {
  public:
    explicit RecordHeaderIterator(const Record& record)
        : bytes_(record.headerBytes), remaining_(record.headerCount) {}
    bool next(RecordHeader& out);

  private:
    Bytes bytes_;
    int32_t remaining_;
    size_t pos_ = 0;
};

// Iterates the batches of a MemoryRecords byte range (concatenated batches, as in a Produce
// request, a Fetch response or a log segment) and the records of each batch. Validates each
// batch (header, length, CRC) before exposing it and each record while iterating. Errors are
// sticky and name the byte position within the range. A trailing partial batch (Fetch responses
// may end with one) ends iteration without an error; partialTailBytes() reports it.
// Thread ownership: one thread at a time.
class RecordBatchReader {
  public:
    explicit RecordBatchReader(Bytes records,
                               size_t maxDecompressedBytes = kDefaultMaxDecompressedBytes)
        : records_(records), maxDecompressedBytes_(maxDecompressedBytes), scratch_(&ownScratch_) {}
    // Decompresses into the caller's `scratch` (reused across readers, e.g. per connection).
    RecordBatchReader(Bytes records, size_t maxDecompressedBytes, std::vector<uint8_t>& scratch)
        : records_(records), maxDecompressedBytes_(maxDecompressedBytes), scratch_(&scratch) {}
    RecordBatchReader(const RecordBatchReader&) = delete;
    RecordBatchReader& operator=(const RecordBatchReader&) = delete;

    // For bytes whose every batch has passed validateBatch already: nextBatch() then checks
    // the header only, not the CRC again.
    void skipCrcCheck() { checkCrc_ = false; }

    // Moves to the next batch. False at the end, at a partial tail, or on error (check ok()).
    bool nextBatch();
    const RecordBatchHeader& batch() const { return header_; }
    Bytes batchBytes() const { return batchBytes_; }
    size_t batchPosition() const { return batchPos_; }  // byte position in the range

    // Next record of the current batch. False after the last record or on error (check ok()):
    // a count that disagrees with the records present, a malformed varint, a length beyond the
    // batch, bytes after the last record, a codec error or a bomb are errors.
    bool nextRecord(Record& out);

    bool ok() const { return error_.empty(); }
    const std::string& error() const { return error_; }
    Status status() const { return ok() ? Status::success() : Status(Error{error_}); }
    size_t partialTailBytes() const { return partialTail_; }

  private:
    bool fail(std::string message);
    bool prepareRecords();
    std::string where(size_t recordsPos) const;

    Bytes records_;
    size_t maxDecompressedBytes_;
    bool checkCrc_ = true;
    size_t pos_ = 0;
    size_t batchPos_ = 0;
    size_t partialTail_ = 0;
    RecordBatchHeader header_;
    Bytes batchBytes_;
    Bytes recordsBytes_;      // uncompressed records section of the current batch
    size_t recordsBase_ = 0;  // position of recordsBytes_[0] in the range (uncompressed)
    bool recordsReady_ = false;
    size_t recordPos_ = 0;
    int32_t recordsRead_ = 0;
    std::string error_;
    std::vector<uint8_t> ownScratch_;
    std::vector<uint8_t>* scratch_;  // decompressed records, reused across batches
};

}  // namespace bs::protocol
