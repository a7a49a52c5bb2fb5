// RecordBatchReader (Java: ByteBufferLogInputStream + DefaultRecordBatch iterators +
// DefaultRecord.readFrom), and the broker-side deep validation built on it.
#include <string>

#include "protocol/record/record_batch.h"
#include "protocol/record/record_encoding.h"

namespace bs::protocol {

namespace {

int64_t wrappingAdd(int64_t a, int64_t b) {
    return static_cast<int64_t>(static_cast<uint64_t>(a) + static_cast<uint64_t>(b));
}

// Java: DefaultRecordBatch.incrementSequence.
int32_t incrementSequence(int32_t sequence, int32_t increment) {
    if (sequence > INT32_MAX - increment) return increment - (INT32_MAX - sequence) - 1;
    return sequence + increment;
}

// Reads a varint length-prefixed byte field; -1 means null. Returns a reason on failure.
const char* readBytesField(detail::ByteCursor& c, std::optional<Bytes>& out) {
    int32_t length = 0;
    if (!c.readVarint(length)) return "malformed or truncated varint length";
    if (length < -1) return "negative length";
    if (length == -1) {
        out.reset();
        return nullptr;
    }
    if (static_cast<size_t>(length) > c.remaining()) return "length beyond the record";
    out = Bytes(c.data + c.pos, static_cast<size_t>(length));
    c.pos += static_cast<size_t>(length);
    return nullptr;
}

// The broker's per-record check of an uncompressed batch without building Records: every
// record's length, fields and headers fit, record i has offsetDelta i, nothing follows the
// last. True when all hold; on false the Record reader runs to say what is wrong, so both
// accept and refuse exactly the same batches.
bool walkRecords(Bytes records, int32_t count) {
    detail::ByteCursor c{records.data(), records.size(), 0};
    std::optional<Bytes> skipped;
    for (int32_t i = 0; i < count; ++i) {
        int32_t length = 0;
        if (!c.readVarint(length) || length < 1 || static_cast<size_t>(length) > c.remaining())
            return false;
        const size_t bodyEnd = c.pos + static_cast<size_t>(length);
        detail::ByteCursor body{records.data(), bodyEnd, c.pos + 1};  // past the attributes
        int64_t timestampDelta = 0;
        int32_t offsetDelta = 0;
        int32_t headers = 0;
        if (!body.readVarlong(timestampDelta) || !body.readVarint(offsetDelta) ||
            offsetDelta != i || readBytesField(body, skipped) || readBytesField(body, skipped) ||
            !body.readVarint(headers) || headers < 0) {
            return false;
        }
        for (int32_t h = 0; h < headers; ++h) {
            if (readBytesField(body, skipped) || !skipped || readBytesField(body, skipped))
                return false;
        }
        if (body.pos != bodyEnd) return false;
        c.pos = bodyEnd;
    }
    return c.pos == records.size();
}

}  // namespace

bool RecordHeaderIterator::next(RecordHeader& out) {
    if (remaining_ <= 0) return false;
    detail::ByteCursor c{bytes_.data(), bytes_.size(), pos_};
    std::optional<Bytes> key;
    std::optional<Bytes> value;
    // Validated when the record was read, so these cannot fail; stop cleanly if they do.
    if (readBytesField(c, key) || !key || readBytesField(c, value)) {
        remaining_ = 0;
        return false;
    }
    out.key = std::string_view(reinterpret_cast<const char*>(key->data()), key->size());
    out.valueNull = !value.has_value();
    out.value = value ? *value : Bytes{};
    pos_ = c.pos;
    --remaining_;
    return true;
}

bool RecordBatchReader::fail(std::string message) {
    if (error_.empty()) error_ = std::move(message);
    return false;
}

std::string RecordBatchReader::where(size_t recordsPos) const {
    if (header_.compression() == CompressionType::None) {
        return "byte " + std::to_string(recordsBase_ + recordsPos);
    }
    return "decompressed byte " + std::to_string(recordsPos) + " of the " +
           std::string(compressionName(header_.compression())) + " batch at byte " +
           std::to_string(batchPos_);
}

bool RecordBatchReader::nextBatch() {
    if (!ok() || pos_ >= records_.size() || partialTail_ > 0) return false;
    const size_t remaining = records_.size() - pos_;
    const Bytes rest = records_.subspan(pos_);
    if (remaining < kLogOverhead) {
        partialTail_ = remaining;
        return false;
    }
    const auto length = static_cast<int32_t>(detail::getBe32(rest.data() + kBatchLengthOffset));
    if (length < static_cast<int32_t>(kMinBatchLength)) {
        return fail("record batch at byte " + std::to_string(pos_) + ": batchLength " +
                    std::to_string(length) + " is below the minimum " +
                    std::to_string(kMinBatchLength));
    }
    const size_t size = kLogOverhead + static_cast<size_t>(length);
    if (remaining < size) {
        partialTail_ = remaining;  // as a Fetch response may end: not an error
        return false;
    }
    const Bytes batch = rest.first(size);
    if (checkCrc_) {
        if (Status s = validateBatch(batch); !s) {
            return fail("batch at byte " + std::to_string(pos_) + ": " + s.message());
        }
    }
    auto header = parseBatchHeader(batch);
    if (!header)
        return fail("batch at byte " + std::to_string(pos_) + ": " + header.error().message);
    header_ = *header;
    batchBytes_ = batch;
    batchPos_ = pos_;
    pos_ += size;
    recordsReady_ = false;
    recordsBytes_ = {};
    recordPos_ = 0;
    recordsRead_ = 0;
    return true;
}

bool RecordBatchReader::prepareRecords() {
    const Bytes section = batchBytes_.subspan(kRecordsOffset);
    recordsBase_ = batchPos_ + kRecordsOffset;
    // Empty sections (e.g. batches emptied by compaction) have nothing to decompress.
    if (header_.compression() == CompressionType::None || section.empty()) {
        recordsBytes_ = section;
    } else {
        scratch_->clear();
        if (Status s = decompress(header_.compression(), section, *scratch_, maxDecompressedBytes_);
            !s) {
            return fail("batch at byte " + std::to_string(batchPos_) +
                        ": records section at byte " + std::to_string(recordsBase_) + ": " +
                        s.message());
        }
        recordsBytes_ = Bytes(scratch_->data(), scratch_->size());
    }
    recordsReady_ = true;
    return true;
}

bool RecordBatchReader::nextRecord(Record& out) {
    if (!ok() || batchBytes_.empty()) return false;
    if (!recordsReady_ && !prepareRecords()) return false;
    // Built only on failure: the success path allocates nothing per record.
    auto batchName = [this] { return "batch at byte " + std::to_string(batchPos_); };
    if (recordsRead_ == header_.recordCount) {
        if (recordPos_ != recordsBytes_.size()) {
            return fail(batchName() + ": " + std::to_string(recordsBytes_.size() - recordPos_) +
                        " bytes follow the last of the " + std::to_string(header_.recordCount) +
                        " records the header declares, at " + where(recordPos_));
        }
        return false;
    }
    if (recordPos_ >= recordsBytes_.size()) {
        return fail(batchName() + ": the header declares " + std::to_string(header_.recordCount) +
                    " records but the records end after " + std::to_string(recordsRead_) + " at " +
                    where(recordPos_));
    }
    const size_t start = recordPos_;
    detail::ByteCursor c{recordsBytes_.data(), recordsBytes_.size(), start};
    auto bad = [&](const char* what, size_t at) {
        return fail(batchName() + ": record " + std::to_string(recordsRead_) + ": " + what +
                    " at " + where(at));
    };
    int32_t length = 0;
    if (!c.readVarint(length)) return bad("malformed or truncated record length varint", start);
    if (length < 0 || static_cast<size_t>(length) > c.remaining()) {
        return bad(("record length " + std::to_string(length) + " exceeds the " +
                    std::to_string(c.remaining()) + " bytes left in the batch")
                       .c_str(),
                   start);
    }
    const size_t bodyEnd = c.pos + static_cast<size_t>(length);
    detail::ByteCursor body{recordsBytes_.data(), bodyEnd, c.pos};
    int64_t timestampDelta = 0;
    int32_t offsetDelta = 0;
    if (!body.readInt8(out.attributes)) return bad("truncated attributes", body.pos);
    size_t at = body.pos;
    if (!body.readVarlong(timestampDelta)) return bad("malformed timestampDelta varlong", at);
    at = body.pos;
    if (!body.readVarint(offsetDelta)) return bad("malformed offsetDelta varint", at);
    if (offsetDelta < 0) return bad("negative offsetDelta", at);
    at = body.pos;
    if (const char* e = readBytesField(body, out.key))
        return bad((std::string("key: ") + e).c_str(), at);
    at = body.pos;
    if (const char* e = readBytesField(body, out.value)) {
        return bad((std::string("value: ") + e).c_str(), at);
    }
    at = body.pos;
    int32_t headerCount = 0;
    if (!body.readVarint(headerCount)) return bad("malformed header count varint", at);
    if (headerCount < 0) return bad("negative header count", at);
    const size_t headersStart = body.pos;
    for (int32_t i = 0; i < headerCount; ++i) {
        std::optional<Bytes> key;
        std::optional<Bytes> value;
        at = body.pos;
        if (const char* e = readBytesField(body, key)) {
            return bad((std::string("header key: ") + e).c_str(), at);
        }
        if (!key) return bad("null header key", at);
        at = body.pos;
        if (const char* e = readBytesField(body, value)) {
            return bad((std::string("header value: ") + e).c_str(), at);
        }
    }
    if (body.pos != bodyEnd) {
        return bad(("record length " + std::to_string(length) + " disagrees with its fields (" +
                    std::to_string(bodyEnd - body.pos) + " bytes unread)")
                       .c_str(),
                   body.pos);
    }
    // A record's delta is not bound by lastOffsetDelta here: wrap as Java's long addition does
    // instead of overflowing (found by fuzzing).
    out.offset = wrappingAdd(header_.baseOffset, offsetDelta);
    out.timestamp = header_.timestampType() == TimestampType::LogAppendTime
                        ? header_.maxTimestamp
                        : wrappingAdd(header_.baseTimestamp, timestampDelta);
    out.sequence = header_.baseSequence == kNoSequence
                       ? kNoSequence
                       : incrementSequence(header_.baseSequence, offsetDelta);
    out.headerCount = headerCount;
    out.headerBytes = Bytes(recordsBytes_.data() + headersStart, bodyEnd - headersStart);
    out.sizeInBytes = bodyEnd - start;
    recordPos_ = bodyEnd;
    ++recordsRead_;
    return true;
}

Status validateBatchRecords(Bytes batch, std::vector<uint8_t>& scratch,
                            size_t maxDecompressedBytes) {
    if (Status s = validateBatch(batch); !s) return s;
    return validateCheckedBatchRecords(batch, scratch, maxDecompressedBytes);
}

Status validateCheckedBatchRecords(Bytes batch, std::vector<uint8_t>& scratch,
                                   size_t maxDecompressedBytes) {
    auto parsed = parseBatchHeader(batch);
    if (!parsed) return parsed.error();
    const RecordBatchHeader header = *parsed;
    if (batch.size() < header.sizeInBytes()) return validateBatch(batch);  // says what is short
    if (header.compression() == CompressionType::None &&
        (header.recordCount == 0 || header.lastOffsetDelta == header.recordCount - 1) &&
        walkRecords(batch.subspan(kRecordsOffset, header.sizeInBytes() - kRecordsOffset),
                    header.recordCount)) {
        return Status::success();
    }
    RecordBatchReader reader(batch.first(header.sizeInBytes()), maxDecompressedBytes, scratch);
    reader.skipCrcCheck();
    if (!reader.nextBatch()) return reader.status();
    Record record;
    int32_t index = 0;
    while (reader.nextRecord(record)) {
        // The reader wrapped baseOffset + offsetDelta as Java does: unwrap the same way.
        const auto delta = static_cast<int64_t>(static_cast<uint64_t>(record.offset) -
                                                static_cast<uint64_t>(header.baseOffset));
        if (delta != index) {
            return Error{"record batch: record " + std::to_string(index) + " has offsetDelta " +
                         std::to_string(delta) + ", expected " + std::to_string(index)};
        }
        ++index;
    }
    if (!reader.ok()) return reader.status();
    if (header.recordCount > 0 && header.lastOffsetDelta != header.recordCount - 1) {
        return Error{"record batch: lastOffsetDelta " + std::to_string(header.lastOffsetDelta) +
                     " at byte " + std::to_string(kLastOffsetDeltaOffset) + " disagrees with " +
                     std::to_string(header.recordCount) + " records"};
    }
    return Status::success();
}

}  // namespace bs::protocol
