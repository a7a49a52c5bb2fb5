#pragma once

#include <algorithm>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "broker/storage/index_file.h"
#include "common/result.h"

namespace bs::broker {

// A segment's sparse offset index in Kafka's `.index` format: 8-byte big-endian entries
// (int32 offset relative to the segment's base offset, int32 byte position of a batch in the
// `.log`), one every index.interval.bytes of log, offsets and positions strictly increasing.
// Like Kafka the entry names a batch's LAST offset. Entries are also kept in memory, so lookups
// do no I/O.
// Thread ownership: mutated only under the owning Log's mutex; lookups also run under it.
class OffsetIndex {
  public:
    static constexpr size_t kEntrySize = 8;

    struct Entry {
        int64_t offset = 0;    // absolute
        int32_t position = 0;  // byte position in the segment's .log
        bool operator==(const Entry&) const = default;
    };

    // Opens or creates `path`. Existing entries are loaded only if they are sane for a log of
    // `logSize` bytes (whole entries, offsets increasing from baseOffset, positions increasing and
    // inside the log); `loadedCleanly()` says whether they were, else the index starts empty and
    // the caller rebuilds it from the log.
    static Result<std::unique_ptr<OffsetIndex>> open(std::string path, int64_t baseOffset,
                                                     int64_t logSize);

    // Adds an entry; `offset` must be above the last entry and within int32 of the base offset.
    Status append(int64_t offset, int32_t position);
    // Largest entry whose offset <= target, or {baseOffset, 0} when there is none.
    Entry lookup(int64_t targetOffset) const;
    // Replaces the whole content (recovery), one write.
    Status reset(std::span<const Entry> entries);
    // Whether these entries are what the file holds (recovery compares before rewriting).
    bool holds(std::span<const Entry> entries) const {
        return loadedCleanly_ &&
               std::equal(entries.begin(), entries.end(), entries_.begin(), entries_.end());
    }

    Status flush() { return file_.flush(); }
    // Unlinks the file (the descriptor stays valid until destruction).
    Status deleteFile() { return file_.deleteFile(); }

    bool loadedCleanly() const { return loadedCleanly_; }
    size_t entryCount() const { return entries_.size(); }
    const std::vector<Entry>& entries() const { return entries_; }
    int64_t baseOffset() const { return baseOffset_; }
    const std::string& path() const { return file_.path(); }

  private:
    explicit OffsetIndex(int64_t baseOffset) : baseOffset_(baseOffset) {}

    IndexFile file_;
    int64_t baseOffset_;
    bool loadedCleanly_ = false;
    std::vector<Entry> entries_;
};

}  // namespace bs::broker
