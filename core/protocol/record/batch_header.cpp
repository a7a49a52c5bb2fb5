// Batch header parsing, validation and in-place edits (Java: DefaultRecordBatch).
#include <cstdint>
#include <cstdio>
#include <string>

#include "protocol/record/crc32c.h"
#include "protocol/record/record_batch.h"
#include "protocol/record/record_encoding.h"

namespace bs::protocol {

using detail::getBe16;
using detail::getBe32;
using detail::getBe64;

std::string_view timestampTypeName(TimestampType type) {
    return type == TimestampType::LogAppendTime ? "LogAppendTime" : "CreateTime";
}

int32_t RecordBatchHeader::lastSequence() const {
    if (baseSequence == kNoSequence) return kNoSequence;
    // Java: DefaultRecordBatch.incrementSequence - sequences wrap from INT32_MAX to 0.
    const int64_t s = int64_t{baseSequence} + lastOffsetDelta;
    return static_cast<int32_t>(s > INT32_MAX ? s - INT32_MAX - 1 : s);
}

Result<RecordBatchHeader> parseBatchHeader(Bytes batch) {
    if (batch.size() < kRecordBatchOverhead) {
        return Error{"record batch: header needs " + std::to_string(kRecordBatchOverhead) +
                     " bytes, only " + std::to_string(batch.size()) + " present"};
    }
    const uint8_t* p = batch.data();
    RecordBatchHeader h;
    h.baseOffset = static_cast<int64_t>(getBe64(p + kBaseOffsetOffset));
    h.batchLength = static_cast<int32_t>(getBe32(p + kBatchLengthOffset));
    h.partitionLeaderEpoch = static_cast<int32_t>(getBe32(p + kPartitionLeaderEpochOffset));
    h.magic = static_cast<int8_t>(p[kMagicOffset]);
    h.crc = getBe32(p + kCrcOffset);
    h.attributes = static_cast<int16_t>(getBe16(p + kAttributesOffset));
    h.lastOffsetDelta = static_cast<int32_t>(getBe32(p + kLastOffsetDeltaOffset));
    h.baseTimestamp = static_cast<int64_t>(getBe64(p + kBaseTimestampOffset));
    h.maxTimestamp = static_cast<int64_t>(getBe64(p + kMaxTimestampOffset));
    h.producerId = static_cast<int64_t>(getBe64(p + kProducerIdOffset));
    h.producerEpoch = static_cast<int16_t>(getBe16(p + kProducerEpochOffset));
    h.baseSequence = static_cast<int32_t>(getBe32(p + kBaseSequenceOffset));
    h.recordCount = static_cast<int32_t>(getBe32(p + kRecordsCountOffset));
    if (h.magic != kMagicV2) {
        return Error{"record batch: unsupported magic " + std::to_string(h.magic) + " at byte " +
                     std::to_string(kMagicOffset) + " (only RecordBatch v2, magic 2)"};
    }
    if (h.batchLength < static_cast<int32_t>(kMinBatchLength)) {
        return Error{"record batch: batchLength " + std::to_string(h.batchLength) + " at byte " +
                     std::to_string(kBatchLengthOffset) + " is below the minimum " +
                     std::to_string(kMinBatchLength)};
    }
    const int codec = h.attributes & kCompressionCodecMask;
    if (!isValidCompressionId(codec)) {
        return Error{"record batch: unknown compression codec id " + std::to_string(codec) +
                     " in attributes at byte " + std::to_string(kAttributesOffset)};
    }
    if (h.recordCount < 0) {
        return Error{"record batch: negative record count " + std::to_string(h.recordCount) +
                     " at byte " + std::to_string(kRecordsCountOffset)};
    }
    if (h.lastOffsetDelta < 0) {
        return Error{"record batch: negative lastOffsetDelta " + std::to_string(h.lastOffsetDelta) +
                     " at byte " + std::to_string(kLastOffsetDeltaOffset)};
    }
    // No log holds an offset past INT64_MAX; refusing here keeps lastOffset()/nextOffset()
    // defined for every accepted header (found by fuzzing).
    if (h.baseOffset > INT64_MAX - 1 - h.lastOffsetDelta) {
        return Error{"record batch: baseOffset " + std::to_string(h.baseOffset) +
                     " + lastOffsetDelta " + std::to_string(h.lastOffsetDelta) +
                     " overflows the offset range"};
    }
    return h;
}

Status validateBatch(Bytes batch) {
    auto header = parseBatchHeader(batch);
    if (!header) return header.error();
    const size_t size = header->sizeInBytes();
    if (batch.size() < size) {
        return Error{"record batch: batchLength " + std::to_string(header->batchLength) +
                     " at byte " + std::to_string(kBatchLengthOffset) + " needs " +
                     std::to_string(size) + " bytes, only " + std::to_string(batch.size()) +
                     " present"};
    }
    const uint32_t crc = crc32c(batch.data() + kAttributesOffset, size - kAttributesOffset);
    if (crc != header->crc) {
        char buf[96];
        std::snprintf(buf, sizeof buf, "stored 0x%08x, computed 0x%08x", header->crc, crc);
        return Error{"record batch: CRC32C mismatch at byte " + std::to_string(kCrcOffset) + " (" +
                     buf + "): corrupt batch"};
    }
    return Status::success();
}

namespace {
bool editable(std::span<uint8_t> batch) {
    return batch.size() >= kRecordBatchOverhead && batch[kMagicOffset] == kMagicV2;
}
}  // namespace

bool updateCrc(std::span<uint8_t> batch) {
    if (!editable(batch)) return false;
    const auto length = static_cast<int32_t>(getBe32(batch.data() + kBatchLengthOffset));
    if (length < static_cast<int32_t>(kMinBatchLength) ||
        static_cast<size_t>(length) + kLogOverhead > batch.size()) {
        return false;
    }
    const size_t size = static_cast<size_t>(length) + kLogOverhead;
    detail::putBe32(batch.data() + kCrcOffset,
                    crc32c(batch.data() + kAttributesOffset, size - kAttributesOffset));
    return true;
}

bool rewriteProducerState(std::span<uint8_t> batch, int64_t producerId, int16_t producerEpoch,
                          int32_t baseSequence) {
    if (!editable(batch)) return false;
    std::span<uint8_t> header = batch.first(kRecordBatchOverhead);
    const uint64_t oldPid = getBe64(header.data() + kProducerIdOffset);
    const uint16_t oldEpoch = getBe16(header.data() + kProducerEpochOffset);
    const uint32_t oldSeq = getBe32(header.data() + kBaseSequenceOffset);
    detail::putBe64(header.data() + kProducerIdOffset, static_cast<uint64_t>(producerId));
    detail::putBe16(header.data() + kProducerEpochOffset, static_cast<uint16_t>(producerEpoch));
    detail::putBe32(header.data() + kBaseSequenceOffset, static_cast<uint32_t>(baseSequence));
    if (!updateCrc(batch)) {  // never leave a half-applied change behind
        detail::putBe64(header.data() + kProducerIdOffset, oldPid);
        detail::putBe16(header.data() + kProducerEpochOffset, oldEpoch);
        detail::putBe32(header.data() + kBaseSequenceOffset, oldSeq);
        return false;
    }
    return true;
}

bool setBaseOffset(std::span<uint8_t> batch, int64_t baseOffset) {
    if (!editable(batch)) return false;
    detail::putBe64(batch.data() + kBaseOffsetOffset, static_cast<uint64_t>(baseOffset));
    return true;
}

bool setPartitionLeaderEpoch(std::span<uint8_t> batch, int32_t partitionLeaderEpoch) {
    if (!editable(batch)) return false;
    detail::putBe32(batch.data() + kPartitionLeaderEpochOffset,
                    static_cast<uint32_t>(partitionLeaderEpoch));
    return true;
}

bool setMaxTimestamp(std::span<uint8_t> batch, TimestampType type, int64_t maxTimestamp) {
    if (!editable(batch)) return false;
    uint8_t* p = batch.data();
    const uint16_t oldAttributes = getBe16(p + kAttributesOffset);
    const uint64_t oldMax = getBe64(p + kMaxTimestampOffset);
    uint16_t attributes = oldAttributes & static_cast<uint16_t>(~kTimestampTypeMask);
    if (type == TimestampType::LogAppendTime) attributes |= kTimestampTypeMask;
    detail::putBe16(p + kAttributesOffset, attributes);
    detail::putBe64(p + kMaxTimestampOffset, static_cast<uint64_t>(maxTimestamp));
    if (!updateCrc(batch)) {
        detail::putBe16(p + kAttributesOffset, oldAttributes);
        detail::putBe64(p + kMaxTimestampOffset, oldMax);
        return false;
    }
    return true;
}

}  // namespace bs::protocol
