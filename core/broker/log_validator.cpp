#include "broker/log_validator.h"

#include <vector>

namespace bs::broker {

using protocol::ErrorCode;

namespace {

ValidationResult reject(ErrorCode error, std::string message) {
    ValidationResult r;
    r.error = error;
    r.message = std::move(message);
    return r;
}

// Keeps the scratch of a thread bounded after an unusually large batch.
constexpr size_t kScratchKeepBytes = size_t{4} << 20;

}  // namespace

ValidationResult validateProduceRecords(std::span<const uint8_t> records, int32_t maxMessageBytes) {
    using namespace protocol;
    if (records.empty())
        return reject(ErrorCode::INVALID_RECORD, "Record batch has no batches at all");
    if (records.size() > kMagicOffset && records[kMagicOffset] != kMagicV2) {
        return reject(ErrorCode::INVALID_RECORD,
                      "Produce v3+ requires record batch magic 2, got magic " +
                          std::to_string(static_cast<int8_t>(records[kMagicOffset])));
    }
    if (records.size() < kRecordBatchOverhead) {
        return reject(ErrorCode::CORRUPT_MESSAGE,
                      "Records of " + std::to_string(records.size()) +
                          " bytes are shorter than a record batch header (61 bytes)");
    }
    auto parsed = parseBatchHeader(records);
    if (!parsed) return reject(ErrorCode::CORRUPT_MESSAGE, parsed.error().message);
    const RecordBatchHeader& h = *parsed;
    if (h.sizeInBytes() > records.size()) {
        return reject(ErrorCode::CORRUPT_MESSAGE,
                      "Record batch length " + std::to_string(h.batchLength) + " needs " +
                          std::to_string(h.sizeInBytes()) + " bytes, but only " +
                          std::to_string(records.size()) + " were sent");
    }
    if (h.sizeInBytes() < records.size()) {
        return reject(ErrorCode::INVALID_RECORD,
                      "Records hold more than one batch (or trailing bytes): batch is " +
                          std::to_string(h.sizeInBytes()) + " of " +
                          std::to_string(records.size()) + " bytes");
    }
    if (records.size() > static_cast<size_t>(maxMessageBytes)) {
        return reject(ErrorCode::MESSAGE_TOO_LARGE,
                      "Record batch of " + std::to_string(records.size()) +
                          " bytes exceeds max.message.bytes " + std::to_string(maxMessageBytes));
    }
    if (auto s = validateBatch(records); !s) return reject(ErrorCode::CORRUPT_MESSAGE, s.message());
    if (h.recordCount <= 0) {
        return reject(ErrorCode::INVALID_RECORD,
                      "Invalid reported count for record batch: " + std::to_string(h.recordCount));
    }
    if (static_cast<int64_t>(h.lastOffsetDelta) + 1 != h.recordCount) {
        return reject(ErrorCode::INVALID_RECORD,
                      "Inconsistent batch offset range [0, " + std::to_string(h.lastOffsetDelta) +
                          "] and count of records " + std::to_string(h.recordCount));
    }
    if (h.isControl()) {
        return reject(ErrorCode::INVALID_RECORD,
                      "Clients are not allowed to write control records");
    }
    if (h.isTransactional()) {
        return reject(ErrorCode::INVALID_TXN_STATE,
                      "Transactional batches are not supported: the embedded cluster has no "
                      "transaction coordinator");
    }
    if (h.producerId >= 0 && h.baseSequence < 0) {
        return reject(ErrorCode::INVALID_RECORD,
                      "Invalid sequence number " + std::to_string(h.baseSequence) +
                          " in record batch with producerId " + std::to_string(h.producerId));
    }
    thread_local std::vector<uint8_t> scratch;
    Status recordsStatus = validateCheckedBatchRecords(records, scratch);  // CRC checked above
    if (scratch.capacity() > kScratchKeepBytes) std::vector<uint8_t>().swap(scratch);
    if (!recordsStatus) return reject(ErrorCode::CORRUPT_MESSAGE, recordsStatus.message());
    ValidationResult ok;
    ok.header = h;
    return ok;
}

}  // namespace bs::broker
