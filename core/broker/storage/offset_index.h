#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "broker/storage/index_file.h"
#include "common/result.h"

namespace bs::broker {

// One offset index entry (Kafka: OffsetPosition).
struct OffsetPosition {
    int64_t offset = 0;    // absolute
    int32_t position = 0;  // byte position in the segment's .log
    bool operator==(const OffsetPosition&) const = default;
    // 8 bytes big-endian: int32 offset relative to the base offset, int32 position.
    static void encode(uint8_t* out, const OffsetPosition& entry, int64_t baseOffset);
    static OffsetPosition decode(const uint8_t* in, int64_t baseOffset);
};

// A segment's sparse offset index in Kafka's `.index` format: one entry every
// index.interval.bytes of log, offsets and positions strictly increasing. Like Kafka the entry
// names a batch's LAST offset. Entries are also kept in memory, so lookups do no I/O.
// Thread ownership: mutated only under the owning Log's mutex; lookups also run under it.
class OffsetIndex : public SegmentIndex<OffsetPosition, 8> {
  public:
    // Opens or creates `path`. Existing entries are loaded only if they are sane for a log of
    // `logSize` bytes (whole entries, offsets increasing from baseOffset, positions increasing and
    // inside the log); see loadedCleanly().
    static Result<std::unique_ptr<OffsetIndex>> open(std::string path, int64_t baseOffset,
                                                     int64_t logSize);

    // Adds an entry; `offset` must be above the last entry and within int32 of the base offset.
    Status append(int64_t offset, int32_t position);
    // Largest entry whose offset <= target, or {baseOffset, 0} when there is none.
    Entry lookup(int64_t targetOffset) const;

  private:
    using SegmentIndex::SegmentIndex;
};

}  // namespace bs::broker
