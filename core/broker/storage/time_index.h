#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "broker/storage/index_file.h"
#include "common/result.h"

namespace bs::broker {

// One time index entry (Kafka: TimestampOffset).
struct TimestampOffset {
    int64_t timestamp = -1;
    int64_t offset = 0;  // absolute
    bool operator==(const TimestampOffset&) const = default;
    // 12 bytes big-endian: int64 timestamp, int32 offset relative to the base offset.
    static void encode(uint8_t* out, const TimestampOffset& entry, int64_t baseOffset);
    static TimestampOffset decode(const uint8_t* in, int64_t baseOffset);
};

// A segment's sparse time index in Kafka's `.timeindex` format. Written next to each offset
// index entry as (largest timestamp so far, last offset of the batch that carried it), only
// when the timestamp grew, plus a final entry when the segment stops being active - so
// timestamps increase and offsets never decrease (Kafka: TimeIndex.maybeAppend).
// Thread ownership: mutated and looked up only under the owning Log's mutex.
class TimeIndex : public SegmentIndex<TimestampOffset, 12> {
  public:
    // Opens or creates `path`; entries are loaded only if sane (whole entries, at most
    // `maxEntries`, timestamps increasing, offsets non-decreasing from baseOffset), see
    // loadedCleanly().
    static Result<std::unique_ptr<TimeIndex>> open(std::string path, int64_t baseOffset,
                                                   int64_t maxEntries);

    // Appends only when timestamp > the last entry's (an empty index counts as -1).
    Status maybeAppend(int64_t timestamp, int64_t offset);
    // Largest entry whose timestamp <= target, or {-1, baseOffset}.
    Entry lookup(int64_t targetTimestamp) const;
    // The last entry, or {-1, baseOffset}.
    Entry lastEntry() const;

  private:
    using SegmentIndex::SegmentIndex;
};

}  // namespace bs::broker
