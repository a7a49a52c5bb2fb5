#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "protocol/errors.h"
#include "protocol/record/record_batch.h"

namespace bs::broker {

// The verdict on one partition's records in a Produce request.
struct ValidationResult {
    protocol::ErrorCode error = protocol::ErrorCode::NONE;
    std::string message;  // names what is wrong when error != NONE
    protocol::RecordBatchHeader header;
    bool ok() const { return error == protocol::ErrorCode::NONE; }
};

// What the broker checks before a client's records may touch the log (Kafka:
// UnifiedLog.analyzeAndValidateRecords + LogValidator for magic 2): exactly one RecordBatch v2
// spanning the whole records field, at most maxMessageBytes (MESSAGE_TOO_LARGE), a valid CRC32C
// and length (CORRUPT_MESSAGE), count == lastOffsetDelta + 1 > 0, no control batch, a sequence
// for idempotent batches (INVALID_RECORD), no transactional batch (INVALID_TXN_STATE: the
// embedded cluster has no transaction coordinator), and records that decompress and parse
// (CORRUPT_MESSAGE). Idempotence (sequence/epoch) is checked by the Log at append. Reentrant;
// decompression uses a thread-local scratch buffer.
ValidationResult validateProduceRecords(std::span<const uint8_t> records, int32_t maxMessageBytes);

}  // namespace bs::broker
