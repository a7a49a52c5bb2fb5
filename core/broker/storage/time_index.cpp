#include "broker/storage/time_index.h"

#include <algorithm>
#include <limits>

#include "broker/storage/file_io.h"

namespace bs::broker {

void TimestampOffset::encode(uint8_t* out, const TimestampOffset& entry, int64_t baseOffset) {
    const auto ts = static_cast<uint64_t>(entry.timestamp);
    fileio::storeBE32(out, static_cast<uint32_t>(ts >> 32));
    fileio::storeBE32(out + 4, static_cast<uint32_t>(ts));
    fileio::storeBE32(out + 8, static_cast<uint32_t>(entry.offset - baseOffset));
}

TimestampOffset TimestampOffset::decode(const uint8_t* in, int64_t baseOffset) {
    const uint64_t ts = (uint64_t{fileio::loadBE32(in)} << 32) | fileio::loadBE32(in + 4);
    const auto relative = static_cast<int32_t>(fileio::loadBE32(in + 8));
    return {static_cast<int64_t>(ts), baseOffset + relative};
}

Result<std::unique_ptr<TimeIndex>> TimeIndex::open(std::string path, int64_t baseOffset,
                                                   int64_t maxEntries) {
    std::unique_ptr<TimeIndex> index(new TimeIndex(baseOffset));
    auto loaded =
        index->load(std::move(path), static_cast<size_t>(std::max<int64_t>(maxEntries, 0)),
                    [&](const Entry& e, const Entry* previous) {
                        if (e.offset < baseOffset) return false;
                        return previous == nullptr ? e.timestamp >= 0
                                                   : e.timestamp > previous->timestamp &&
                                                         e.offset >= previous->offset;
                    });
    if (!loaded) return Error{loaded.message()};
    return index;
}

Status TimeIndex::maybeAppend(int64_t timestamp, int64_t offset) {
    const Entry last = lastEntry();
    if (timestamp <= last.timestamp) return Status::success();
    if (offset < last.offset || offset - baseOffset_ > std::numeric_limits<int32_t>::max()) {
        return Error{"time index " + path() + ": offset " + std::to_string(offset) +
                     " does not follow " + std::to_string(last.offset)};
    }
    return appendEntry({timestamp, offset});
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

}  // namespace bs::broker
