#include "broker/storage/offset_index.h"

#include <algorithm>
#include <limits>

#include "broker/storage/file_io.h"
#include "protocol/record/record_batch.h"

namespace bs::broker {

namespace {

constexpr int64_t kMaxRelativeOffset = std::numeric_limits<int32_t>::max();

void encodeEntry(uint8_t* out, const OffsetIndex::Entry& entry, int64_t baseOffset) {
    fileio::storeBE32(out, static_cast<uint32_t>(entry.offset - baseOffset));
    fileio::storeBE32(out + 4, static_cast<uint32_t>(entry.position));
}

}  // namespace

Result<std::unique_ptr<OffsetIndex>> OffsetIndex::open(std::string path, int64_t baseOffset,
                                                       int64_t logSize) {
    std::unique_ptr<OffsetIndex> index(new OffsetIndex(baseOffset));
    auto bytes = index->file_.open(std::move(path));
    if (!bytes) return bytes.error();
    // A torn or foreign file is not an error: the caller rebuilds the index from the log.
    // At most one entry per batch, and a batch has at least a 61-byte header.
    const size_t maxEntries = static_cast<size_t>(logSize) / protocol::kRecordBatchOverhead + 1;
    if (bytes->size() % kEntrySize != 0 || bytes->size() / kEntrySize > maxEntries) return index;
    std::vector<Entry> entries;
    entries.reserve(bytes->size() / kEntrySize);
    for (size_t i = 0; i < bytes->size(); i += kEntrySize) {
        auto relative = static_cast<int32_t>(fileio::loadBE32(&(*bytes)[i]));
        auto position = static_cast<int32_t>(fileio::loadBE32(&(*bytes)[i + 4]));
        Entry entry{baseOffset + relative, position};
        bool increasing = entries.empty() || (entry.offset > entries.back().offset &&
                                              entry.position > entries.back().position);
        if (relative < 0 || position < 0 || position >= logSize || !increasing) return index;
        entries.push_back(entry);
    }
    index->entries_ = std::move(entries);
    index->loadedCleanly_ = true;
    return index;
}

Status OffsetIndex::append(int64_t offset, int32_t position) {
    if (offset < baseOffset_ || offset - baseOffset_ > kMaxRelativeOffset) {
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
    Entry entry{offset, position};
    uint8_t bytes[kEntrySize];
    encodeEntry(bytes, entry, baseOffset_);
    auto written = file_.writeEntry(entries_.size(), bytes);
    if (!written) return written;
    entries_.push_back(entry);
    return Status::success();
}

OffsetIndex::Entry OffsetIndex::lookup(int64_t targetOffset) const {
    auto it = std::upper_bound(entries_.begin(), entries_.end(), targetOffset,
                               [](int64_t target, const Entry& e) { return target < e.offset; });
    if (it == entries_.begin()) return Entry{baseOffset_, 0};
    return *std::prev(it);
}

Status OffsetIndex::reset(std::span<const Entry> entries) {
    std::vector<uint8_t> bytes(entries.size() * kEntrySize);
    for (size_t i = 0; i < entries.size(); ++i) {
        encodeEntry(&bytes[i * kEntrySize], entries[i], baseOffset_);
    }
    auto written = file_.rewrite(bytes);
    if (!written) return written;
    entries_.assign(entries.begin(), entries.end());
    loadedCleanly_ = true;
    return Status::success();
}

}  // namespace bs::broker
