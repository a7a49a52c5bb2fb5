// RecordBatchBuilder (Java: MemoryRecordsBuilder + DefaultRecord.writeTo).
#include <algorithm>
#include <cstring>
#include <limits>
#include <string>

#include "protocol/record/crc32c.h"
#include "protocol/record/record_batch.h"
#include "protocol/record/record_encoding.h"

namespace bs::protocol {

using detail::sizeOfVarint;
using detail::sizeOfVarlong;

namespace {

// Java: DefaultRecord.MAX_RECORD_OVERHEAD - length, attributes, timestampDelta, offsetDelta
// at their largest varint sizes.
constexpr size_t kMaxRecordOverhead = 5 + 1 + 10 + 5;
// Java: MemoryRecordsBuilder.COMPRESSION_RATE_ESTIMATION_FACTOR.
constexpr float kCompressionRateEstimationFactor = 1.05f;
constexpr double kMaxPredictedCapacity = 4 << 20;
// Smallest possible record: every field one byte.
constexpr size_t kMinRecordSize = 7;

size_t sizeOfBytes(std::optional<Bytes> b) {
    if (!b) return 1;
    return sizeOfVarint(static_cast<int32_t>(b->size())) + b->size();
}

// Key, value and headers, i.e. the body minus attributes and the two deltas.
size_t sizeOfPayload(std::optional<Bytes> key, std::optional<Bytes> value,
                     std::span<const RecordHeader> headers) {
    size_t n =
        sizeOfBytes(key) + sizeOfBytes(value) + sizeOfVarint(static_cast<int32_t>(headers.size()));
    for (const RecordHeader& h : headers) {
        n += sizeOfVarint(static_cast<int32_t>(h.key.size())) + h.key.size();
        n += h.valueNull ? 1 : sizeOfVarint(static_cast<int32_t>(h.value.size())) + h.value.size();
    }
    return n;
}

bool fitsInt32(std::optional<Bytes> key, std::optional<Bytes> value,
               std::span<const RecordHeader> headers) {
    constexpr size_t kMax = std::numeric_limits<int32_t>::max() / 2;
    size_t total = (key ? key->size() : 0) + (value ? value->size() : 0) + headers.size();
    for (const RecordHeader& h : headers)
        total += h.key.size() + h.value.size();
    return total < kMax;
}

// Java's long subtraction wraps; so must ours, without signed-overflow UB.
int64_t wrappingDelta(int64_t a, int64_t b) {
    return static_cast<int64_t>(static_cast<uint64_t>(a) - static_cast<uint64_t>(b));
}

uint8_t* writeBytes(uint8_t* p, std::optional<Bytes> b) {
    if (!b) return detail::writeVarint(p, -1);
    p = detail::writeVarint(p, static_cast<int32_t>(b->size()));
    if (!b->empty()) std::memcpy(p, b->data(), b->size());
    return p + b->size();
}

}  // namespace

RecordBatchBuilder::RecordBatchBuilder(uint8_t* buffer, size_t capacity,
                                       CompressionType compression, TimestampType timestampType,
                                       int compressionLevel, size_t writeLimit)
    : buffer_(buffer),
      capacity_(buffer ? capacity : 0),
      writeLimit_(writeLimit == 0 ? capacity_ : writeLimit),
      compression_(compression),
      timestampType_(timestampType),
      compressionLevel_(compressionLevel) {
    // A buffer too small for even the header can never take a record.
    if (capacity_ < kRecordBatchOverhead) closed_ = true;
}

size_t RecordBatchBuilder::estimateRecordSize(std::optional<Bytes> key, std::optional<Bytes> value,
                                              std::span<const RecordHeader> headers) {
    return kMaxRecordOverhead + sizeOfPayload(key, value, headers);
}

size_t RecordBatchBuilder::recordBodySize(int64_t timestampMs, std::optional<Bytes> key,
                                          std::optional<Bytes> value,
                                          std::span<const RecordHeader> headers) const {
    const int64_t base = recordCount_ == 0 ? timestampMs : baseTimestamp_;
    return 1 + sizeOfVarlong(wrappingDelta(timestampMs, base)) + sizeOfVarint(recordCount_) +
           sizeOfPayload(key, value, headers);
}

void RecordBatchBuilder::setProducerState(int64_t producerId, int16_t producerEpoch,
                                          int32_t baseSequence, bool isTransactional) {
    if (closed_) return;
    producerId_ = producerId;
    producerEpoch_ = producerEpoch;
    baseSequence_ = baseSequence;
    transactional_ = isTransactional;
}

size_t RecordBatchBuilder::sizeInBytes() const {
    if (closed_ && !built_.empty()) return built_.size();
    const size_t records = uncompressedRecordsBytes();
    if (compression_ == CompressionType::None) return kRecordsOffset + records;
    return kRecordsOffset + static_cast<size_t>(static_cast<double>(records) * estimatedRatio_ *
                                                kCompressionRateEstimationFactor);
}

bool RecordBatchBuilder::isFull() const {
    return closed_ || (!canGrow() && capacity_ - writePos_ < kMinRecordSize) ||
           (recordCount_ > 0 && writeLimit_ <= sizeInBytes());
}

bool RecordBatchBuilder::canGrow() const {
    // Compressed records are held uncompressed until close(), and the write limit counts their
    // estimated compressed size: the buffer must be able to outgrow the limit (as Java's
    // ByteBufferOutputStream grows past batch.size).
    return compression_ != CompressionType::None;
}

void RecordBatchBuilder::grow(size_t needed) {
    // Straight to where the write limit will close the batch if the compression estimate holds
    // (the estimate is fixed for the batch's life), not by doublings: a gzip batch of
    // compressible records reaches 20 times batch.size, and each doubling copied the records
    // into fresh pages. Past kMaxPredictedCapacity it doubles.
    const double recordsAtLimit =
        static_cast<double>(writeLimit_ > kRecordsOffset ? writeLimit_ - kRecordsOffset : 0) /
        (static_cast<double>(estimatedRatio_) * kCompressionRateEstimationFactor);
    const size_t predicted =
        kRecordsOffset + static_cast<size_t>(std::min(recordsAtLimit, kMaxPredictedCapacity));
    UninitBytes bigger(std::max({needed, capacity_ * 2, predicted}));
    std::memcpy(bigger.data(), buffer_, writePos_);
    grown_ = std::move(bigger);
    buffer_ = grown_.data();
    capacity_ = grown_.size();
}

bool RecordBatchBuilder::hasRoomFor(int64_t timestampMs, std::optional<Bytes> key,
                                    std::optional<Bytes> value,
                                    std::span<const RecordHeader> headers) const {
    if (closed_ || recordCount_ == std::numeric_limits<int32_t>::max()) return false;
    if (!fitsInt32(key, value, headers)) return false;
    const size_t body = recordBodySize(timestampMs, key, value, headers);
    const size_t size = sizeOfVarint(static_cast<int32_t>(body)) + body;
    if (size > capacity_ - writePos_ && !canGrow()) return false;
    if (recordCount_ == 0) return true;
    return writeLimit_ >= sizeInBytes() + size;
}

bool RecordBatchBuilder::tryAppend(int64_t timestampMs, std::optional<Bytes> key,
                                   std::optional<Bytes> value,
                                   std::span<const RecordHeader> headers) {
    if (!hasRoomFor(timestampMs, key, value, headers)) return false;
    if (recordCount_ == 0) baseTimestamp_ = timestampMs;
    const size_t body = recordBodySize(timestampMs, key, value, headers);
    if (const size_t size = sizeOfVarint(static_cast<int32_t>(body)) + body;
        size > capacity_ - writePos_)
        grow(writePos_ + size);
    const int64_t timestampDelta = wrappingDelta(timestampMs, baseTimestamp_);
    uint8_t* p = buffer_ + writePos_;
    p = detail::writeVarint(p, static_cast<int32_t>(body));
    *p++ = 0;  // record attributes: unused
    p = detail::writeVarlong(p, timestampDelta);
    p = detail::writeVarint(p, recordCount_);
    p = writeBytes(p, key);
    p = writeBytes(p, value);
    p = detail::writeVarint(p, static_cast<int32_t>(headers.size()));
    for (const RecordHeader& h : headers) {
        p = writeBytes(p, Bytes(reinterpret_cast<const uint8_t*>(h.key.data()), h.key.size()));
        p = writeBytes(p, h.valueNull ? std::nullopt : std::optional<Bytes>(h.value));
    }
    writePos_ = static_cast<size_t>(p - buffer_);
    ++recordCount_;
    if (recordCount_ == 1 || timestampMs > maxTimestamp_) maxTimestamp_ = timestampMs;
    return true;
}

Result<Bytes> RecordBatchBuilder::close() {
    if (closed_) return built_;
    closed_ = true;
    if (recordCount_ == 0) return built_;
    uint8_t* batch = buffer_;
    size_t size = writePos_;
    if (compression_ != CompressionType::None) {
        const Bytes records(buffer_ + kRecordsOffset, writePos_ - kRecordsOffset);
        scratch_.assign(kRecordsOffset, 0);
        if (Status s = compress(compression_, compressionLevel_, records, scratch_); !s) {
            closed_ = false;  // nothing changed; the caller may retry or drop the batch
            return Error{"record batch: compressing " + std::to_string(recordCount_) +
                         " records failed: " + s.message()};
        }
        size = scratch_.size();
        if (size - kLogOverhead > static_cast<size_t>(std::numeric_limits<int32_t>::max())) {
            closed_ = false;
            return Error{"record batch: " + std::to_string(size) + " bytes exceed the limit"};
        }
        actualRatio_ = static_cast<float>(size - kRecordsOffset) /
                       static_cast<float>(std::max<size_t>(records.size(), 1));
        if (size <= capacity_) {
            std::memcpy(buffer_ + kRecordsOffset, scratch_.data() + kRecordsOffset,
                        size - kRecordsOffset);
            scratch_ = {};
        } else {
            batch = scratch_.data();
        }
    }
    if (size - kLogOverhead > static_cast<size_t>(std::numeric_limits<int32_t>::max())) {
        closed_ = false;
        return Error{"record batch: " + std::to_string(size) + " bytes exceed the limit"};
    }
    writeHeader(batch, size, compression_);
    built_ = Bytes(batch, size);
    return built_;
}

void RecordBatchBuilder::copyOpenBatch(std::vector<uint8_t>& out) const {
    out.clear();
    if (closed_ || recordCount_ == 0) return;
    out.assign(buffer_, buffer_ + writePos_);
    writeHeader(out.data(), out.size(), CompressionType::None);
}

void RecordBatchBuilder::writeHeader(uint8_t* batch, size_t size, CompressionType codec) const {
    int16_t attributes = static_cast<int16_t>(codec);
    if (timestampType_ == TimestampType::LogAppendTime) attributes |= kTimestampTypeMask;
    if (transactional_) attributes |= kTransactionalFlagMask;
    using detail::putBe16;
    using detail::putBe32;
    using detail::putBe64;
    putBe64(batch + kBaseOffsetOffset, 0);
    putBe32(batch + kBatchLengthOffset, static_cast<uint32_t>(size - kLogOverhead));
    putBe32(batch + kPartitionLeaderEpochOffset, static_cast<uint32_t>(kNoPartitionLeaderEpoch));
    batch[kMagicOffset] = static_cast<uint8_t>(kMagicV2);
    putBe16(batch + kAttributesOffset, static_cast<uint16_t>(attributes));
    putBe32(batch + kLastOffsetDeltaOffset, static_cast<uint32_t>(recordCount_ - 1));
    putBe64(batch + kBaseTimestampOffset, static_cast<uint64_t>(baseTimestamp_));
    putBe64(batch + kMaxTimestampOffset, static_cast<uint64_t>(maxTimestamp_));
    putBe64(batch + kProducerIdOffset, static_cast<uint64_t>(producerId_));
    putBe16(batch + kProducerEpochOffset, static_cast<uint16_t>(producerEpoch_));
    putBe32(batch + kBaseSequenceOffset, static_cast<uint32_t>(baseSequence_));
    putBe32(batch + kRecordsCountOffset, static_cast<uint32_t>(recordCount_));
    putBe32(batch + kCrcOffset, crc32c(batch + kAttributesOffset, size - kAttributesOffset));
}

}  // namespace bs::protocol
