// RecordBatch reading with each codec. Byte 0 picks the codec (none, gzip, snappy, lz4, zstd),
// byte 1 the mode:
//  - even: the rest is one batch; the harness sets magic 2, the codec bits, batchLength and the
//    CRC so the input reaches the decompressor and the record parser instead of stopping at
//    the CRC check. Invariants: validateBatchRecords accepting the batch means the reader reads
//    exactly its records without error, at consecutive offsets; those records rebuilt with
//    RecordBatchBuilder (same codec) read back identical.
//  - odd: the rest is a compressed stream: decompress (bounded), and what comes out compresses
//    and decompresses back to itself.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "fuzz_common.h"
#include "protocol/record/compression.h"
#include "protocol/record/record_batch.h"

using namespace bs;
using namespace bs::protocol;

namespace {

constexpr size_t kMaxOut = 1 << 20;

struct OwnedRecord {
    int64_t timestamp;
    std::optional<std::vector<uint8_t>> key, value;
    std::vector<std::pair<std::string, std::optional<std::vector<uint8_t>>>> headers;
    bool operator==(const OwnedRecord&) const = default;
};

std::optional<std::vector<uint8_t>> own(const std::optional<Bytes>& b) {
    if (!b) return std::nullopt;
    return std::vector<uint8_t>(b->begin(), b->end());
}

// Every record of every batch; nullopt when the reader stopped on an error.
std::optional<std::vector<OwnedRecord>> readAll(Bytes records, int& batches) {
    RecordBatchReader reader(records, kMaxOut);
    std::vector<OwnedRecord> out;
    Record r;
    batches = 0;
    while (reader.nextBatch()) {
        ++batches;
        while (reader.nextRecord(r)) {
            OwnedRecord o{r.timestamp, own(r.key), own(r.value), {}};
            RecordHeaderIterator it(r);
            RecordHeader h;
            int32_t headers = 0;
            while (it.next(h)) {
                ++headers;
                o.headers.emplace_back(std::string(h.key),
                                       h.valueNull ? std::nullopt
                                                   : std::optional(std::vector<uint8_t>(
                                                         h.value.begin(), h.value.end())));
            }
            fuzz::check(headers == r.headerCount, "header count differs from the headers walked");
            out.push_back(std::move(o));
        }
        if (!reader.ok()) return std::nullopt;
    }
    if (!reader.ok()) return std::nullopt;
    return out;
}

void rebuildAndCompare(const RecordBatchHeader& header, const std::vector<OwnedRecord>& records) {
    if (records.empty() || header.timestampType() != TimestampType::CreateTime) return;
    // The builder stores timestamps as deltas from the first: skip spans int64 cannot hold.
    for (const auto& r : records) {
        int64_t delta;
        if (__builtin_sub_overflow(r.timestamp, records.front().timestamp, &delta)) return;
    }
    size_t capacity = kRecordBatchOverhead;
    for (const auto& r : records) {
        capacity += 64 + (r.key ? r.key->size() : 0) + (r.value ? r.value->size() : 0);
        for (const auto& h : r.headers)
            capacity += 16 + h.first.size() + (h.second ? h.second->size() : 0);
    }
    std::vector<uint8_t> buf(capacity);
    RecordBatchBuilder b(buf, header.compression());
    for (const auto& r : records) {
        std::vector<RecordHeader> hs;
        for (const auto& h : r.headers) {
            hs.push_back({h.first, h.second ? Bytes(*h.second) : Bytes(), !h.second});
        }
        auto view = [](const std::optional<std::vector<uint8_t>>& v) -> std::optional<Bytes> {
            if (!v) return std::nullopt;
            return Bytes(*v);
        };
        fuzz::check(b.tryAppend(r.timestamp, view(r.key), view(r.value), hs),
                    "builder refused a record the reader accepted");
    }
    auto built = b.close();
    fuzz::check(built.ok(), "builder failed to close");
    int batches = 0;
    auto back = readAll(*built, batches);
    fuzz::check(back.has_value() && batches == 1, "rebuilt batch does not read back");
    fuzz::check(*back == records, "rebuilt batch reads back different records");
}

void fuzzBatch(CompressionType codec, std::span<const uint8_t> in) {
    std::vector<uint8_t> batch(in.begin(), in.end());
    if (batch.size() >= kRecordBatchOverhead) {
        batch[kMagicOffset] = static_cast<uint8_t>(kMagicV2);
        batch[kAttributesOffset + 1] = static_cast<uint8_t>(
            (batch[kAttributesOffset + 1] & ~kCompressionCodecMask) | static_cast<uint8_t>(codec));
        const uint32_t length = static_cast<uint32_t>(batch.size() - kLogOverhead);
        for (int i = 0; i < 4; ++i)
            batch[kBatchLengthOffset + static_cast<size_t>(i)] =
                static_cast<uint8_t>(length >> (24 - 8 * i));
        updateCrc(batch);
    }
    std::vector<uint8_t> scratch;
    const bool valid = validateBatchRecords(batch, scratch, kMaxOut).ok();
    int batches = 0;
    auto records = readAll(batch, batches);
    if (!valid) return;
    auto header = parseBatchHeader(batch);
    fuzz::check(header.ok(), "a valid batch whose header does not parse");
    fuzz::check(records.has_value() && batches == 1, "a valid batch the reader refuses");
    fuzz::check(static_cast<int32_t>(records->size()) == header->recordCount,
                "a valid batch with a record count the reader does not find");
    // Valid also means record i has offsetDelta i (the broker's check, made by a fast walk
    // over uncompressed batches and by the reader over the rest).
    RecordBatchReader again(batch, kMaxOut);
    Record r;
    uint64_t delta = 0;  // offsets wrap past int64 as Java's do
    fuzz::check(again.nextBatch(), "a valid batch the reader refuses");
    while (again.nextRecord(r)) {
        fuzz::check(
            static_cast<uint64_t>(r.offset) - static_cast<uint64_t>(header->baseOffset) == delta++,
            "a valid batch whose offsets are not consecutive");
    }
    rebuildAndCompare(*header, *records);
}

void fuzzStream(CompressionType codec, std::span<const uint8_t> in) {
    std::vector<uint8_t> plain;
    if (!decompress(codec, in, plain, kMaxOut).ok()) return;
    bs::UninitBytes packed;
    fuzz::check(compress(codec, defaultCompressionLevel(codec), plain, packed).ok(),
                "compressing decompressed bytes failed");
    std::vector<uint8_t> again;
    fuzz::check(decompress(codec, packed, again, kMaxOut).ok() && again == plain,
                "compress/decompress does not round-trip");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 2) return 0;
    const auto codec = static_cast<CompressionType>(data[0] % 5);
    const std::span<const uint8_t> rest(data + 2, size - 2);
    if (data[1] & 1)
        fuzzStream(codec, rest);
    else
        fuzzBatch(codec, rest);
    return 0;
}
