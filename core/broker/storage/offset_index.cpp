#include "broker/storage/offset_index.h"

#include <algorithm>
#include <limits>

#include "broker/storage/file_io.h"
#include "protocol/record/record_batch.h"

namespace bs::broker {

void OffsetPosition::encode(uint8_t* out, const OffsetPosition& entry, int64_t baseOffset) {
    fileio::storeBE32(out, static_cast<uint32_t>(entry.offset - baseOffset));
    fileio::storeBE32(out + 4, static_cast<uint32_t>(entry.position));
}

OffsetPosition OffsetPosition::decode(const uint8_t* in, int64_t baseOffset) {
    return {baseOffset + static_cast<int32_t>(fileio::loadBE32(in)),
            static_cast<int32_t>(fileio::loadBE32(in + 4))};
}

Result<std::unique_ptr<OffsetIndex>> OffsetIndex::open(std::string path, int64_t baseOffset,
                                                       int64_t logSize) {
    std::unique_ptr<OffsetIndex> index(new OffsetIndex(baseOffset));
    // At most one entry per batch, and a batch has at least a 61-byte header.
    const size_t maxEntries = static_cast<size_t>(logSize) / protocol::kRecordBatchOverhead + 1;
    auto loaded =
        index->load(std::move(path), maxEntries, [&](const Entry& e, const Entry* previous) {
            return e.offset >= baseOffset && e.position >= 0 && e.position < logSize &&
                   (previous == nullptr ||
                    (e.offset > previous->offset && e.position > previous->position));
        });
    if (!loaded) return Error{loaded.message()};
    return index;
}

Status OffsetIndex::append(int64_t offset, int32_t position) {
    if (offset < baseOffset_ || offset - baseOffset_ > std::numeric_limits<int32_t>::max()) {
        return Error{"index " + path() + ": offset " + std::to_string(offset) +
                     " is outside the int32 range of base offset " + std::to_string(baseOffset_)};
    }
    if (!entries_.empty() &&
        (offset <= entries_.back().offset || position <= entries_.back().position)) {
        return Error{"index " + path() + ": entry (" + std::to_string(offset) + ", " +
                     std::to_string(position) + ") does not follow the last entry (" +
                     std::to_string(entries_.back().offset) + ", " +
                     std::to_string(entries_.back().position) + ")"};
    }
    return appendEntry({offset, position});
}

OffsetIndex::Entry OffsetIndex::lookup(int64_t targetOffset) const {
    auto it = std::upper_bound(entries_.begin(), entries_.end(), targetOffset,
                               [](int64_t target, const Entry& e) { return target < e.offset; });
    if (it == entries_.begin()) return Entry{baseOffset_, 0};
    return *std::prev(it);
}

}  // namespace bs::broker
