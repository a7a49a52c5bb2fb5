#include "broker/storage/time_index.h"

#include <algorithm>
#include <limits>

#include "broker/storage/file_io.h"

namespace bs::broker {

namespace {

void encodeEntry(uint8_t* out, const TimeIndex::Entry& entry, int64_t baseOffset) {
    const auto ts = static_cast<uint64_t>(entry.timestamp);
    fileio::storeBE32(out, static_cast<uint32_t>(ts >> 32));
    fileio::storeBE32(out + 4, static_cast<uint32_t>(ts));
    fileio::storeBE32(out + 8, static_cast<uint32_t>(entry.offset - baseOffset));
}

TimeIndex::Entry decodeEntry(const uint8_t* in, int64_t baseOffset) {
    const uint64_t ts = (uint64_t{fileio::loadBE32(in)} << 32) | fileio::loadBE32(in + 4);
    const auto relative = static_cast<int32_t>(fileio::loadBE32(in + 8));
    return {static_cast<int64_t>(ts), baseOffset + relative};
}

}  // namespace

Result<std::unique_ptr<TimeIndex>> TimeIndex::open(std::string path, int64_t baseOffset,
                                                   int64_t maxEntries) {
    std::unique_ptr<TimeIndex> index(new TimeIndex(baseOffset));
    auto bytes = index->file_.open(std::move(path));
    if (!bytes) return bytes.error();
    if (bytes->size() % kEntrySize != 0 ||
        bytes->size() / kEntrySize > static_cast<size_t>(std::max<int64_t>(maxEntries, 0))) {
        return index;  // rebuilt from the log by the caller
    }
    std::vector<Entry> entries;
    for (size_t i = 0; i < bytes->size(); i += kEntrySize) {
        Entry e = decodeEntry(&(*bytes)[i], baseOffset);
        const bool ordered = entries.empty() ? e.timestamp >= 0
                                             : e.timestamp > entries.back().timestamp &&
                                                   e.offset >= entries.back().offset;
        if (e.offset < baseOffset || !ordered) return index;
        entries.push_back(e);
    }
    index->entries_ = std::move(entries);
    index->loadedCleanly_ = true;
    return index;
}

Status TimeIndex::maybeAppend(int64_t timestamp, int64_t offset) {
    const Entry last = lastEntry();
    if (timestamp <= last.timestamp) return Status::success();
    if (offset < last.offset || offset < baseOffset_ ||
        offset - baseOffset_ > std::numeric_limits<int32_t>::max()) {
        return Error{"time index " + path() + ": offset " + std::to_string(offset) +
                     " does not follow " + std::to_string(last.offset)};
    }
    Entry entry{timestamp, offset};
    uint8_t bytes[kEntrySize];
    encodeEntry(bytes, entry, baseOffset_);
    auto written = file_.writeEntry(entries_.size(), bytes);
    if (!written) return written;
    entries_.push_back(entry);
    return Status::success();
}

TimeIndex::Entry TimeIndex::lookup(int64_t targetTimestamp) const {
    auto it = std::upper_bound(entries_.begin(), entries_.end(), targetTimestamp,
                               [](int64_t ts, const Entry& e) { return ts < e.timestamp; });
    if (it == entries_.begin()) return Entry{-1, baseOffset_};
    return *std::prev(it);
}

TimeIndex::Entry TimeIndex::lastEntry() const {
    return entries_.empty() ? Entry{-1, baseOffset_} : entries_.back();
}

bool TimeIndex::holds(std::span<const Entry> entries) const {
    return loadedCleanly_ &&
           std::equal(entries.begin(), entries.end(), entries_.begin(), entries_.end());
}

Status TimeIndex::reset(std::span<const Entry> entries) {
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
