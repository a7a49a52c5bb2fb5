#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "broker/storage/index_file.h"
#include "common/result.h"

namespace bs::broker {

// A segment's sparse time index in Kafka's `.timeindex` format: 12-byte big-endian entries
// (int64 timestamp, int32 offset relative to the segment's base offset). Written next to each
// offset index entry as (largest timestamp so far, last offset of the batch that carried it),
// only when the timestamp grew, plus a final entry when the segment stops being active - so
// timestamps and offsets never decrease (Kafka: TimeIndex.maybeAppend).
// Thread ownership: mutated and looked up only under the owning Log's mutex.
class TimeIndex {
  public:
    static constexpr size_t kEntrySize = 12;

    struct Entry {
        int64_t timestamp = -1;
        int64_t offset = 0;  // absolute
        bool operator==(const Entry&) const = default;
    };

    // Opens or creates `path`; entries are loaded only if sane (whole entries, at most
    // `maxEntries`, timestamps increasing, offsets non-decreasing from baseOffset), see
    // loadedCleanly(); else the index starts empty and the caller rebuilds it.
    static Result<std::unique_ptr<TimeIndex>> open(std::string path, int64_t baseOffset,
                                                   int64_t maxEntries);

    // Appends only when timestamp > the last entry's (an empty index counts as -1).
    Status maybeAppend(int64_t timestamp, int64_t offset);
    // Largest entry whose timestamp <= target, or {-1, baseOffset}.
    Entry lookup(int64_t targetTimestamp) const;
    // The last entry, or {-1, baseOffset}.
    Entry lastEntry() const;
    Status reset(std::span<const Entry> entries);
    // Whether these entries are what the file holds (recovery compares before rewriting).
    bool holds(std::span<const Entry> entries) const;

    Status flush() { return file_.flush(); }
    Status deleteFile() { return file_.deleteFile(); }

    bool loadedCleanly() const { return loadedCleanly_; }
    size_t entryCount() const { return entries_.size(); }
    const std::vector<Entry>& entries() const { return entries_; }
    const std::string& path() const { return file_.path(); }

  private:
    explicit TimeIndex(int64_t baseOffset) : baseOffset_(baseOffset) {}

    IndexFile file_;
    int64_t baseOffset_;
    bool loadedCleanly_ = false;
    std::vector<Entry> entries_;
};

}  // namespace bs::broker
