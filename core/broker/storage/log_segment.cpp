#include "broker/storage/log_segment.h"

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <limits>
#include <vector>

#include "broker/storage/file_io.h"
#include "protocol/record/crc32c.h"

namespace bs::broker {

using protocol::kRecordBatchOverhead;
using protocol::RecordBatchHeader;

namespace {

constexpr int64_t kMaxRelativeOffset = std::numeric_limits<int32_t>::max();
constexpr size_t kBaseOffsetDigits = 20;
// Recovery reads the log sequentially through a window of this size.
constexpr size_t kRecoveryWindowBytes = size_t{1} << 20;
// An append that passes the file's end also writes zeros up to a multiple of this (as Kafka's
// file.preallocate does for a whole segment). The kernel then allocates the page cache in large
// folios for the whole step, and the next appends only copy into it: with 16 KiB batches the
// write costs about a third less CPU than growing the file batch by batch (see
// docs/PERFORMANCE.md). Larger steps measured slower: the zeros stop fitting the CPU's cache.
constexpr int64_t kZeroFillStep = int64_t{128} << 10;
// The fill is never shorter than a batch's offset and length fields: zeros that long cannot be
// the start of a torn batch (its batchLength is never 0), so recovery can tell the two apart.
constexpr int64_t kMinZeroFill = static_cast<int64_t>(protocol::kLogOverhead);
static_assert(kZeroFillStep + kMinZeroFill <= static_cast<int64_t>(fileio::kMaxZeroFill));

std::string joinPath(const std::string& dir, const std::string& name) {
    return dir.empty() || dir.back() == '/' ? dir + name : dir + "/" + name;
}

BatchLocation locationOf(const RecordBatchHeader& h, int64_t position) {
    return BatchLocation{position, static_cast<int32_t>(h.sizeInBytes()), h.baseOffset,
                         h.lastOffset(), h.maxTimestamp};
}

// Sequential reader over a file for recovery: hands out spans of up to capacity() bytes, the
// file's size up to kRecoveryWindowBytes (a small segment does not cost a zeroed 1 MiB).
class WindowReader {
  public:
    WindowReader(int fd, const std::string& path, int64_t fileSize)
        : fd_(fd),
          path_(path),
          buf_(static_cast<size_t>(
              std::clamp<int64_t>(fileSize, static_cast<int64_t>(protocol::kRecordBatchOverhead),
                                  static_cast<int64_t>(kRecoveryWindowBytes)))) {}
    size_t capacity() const { return buf_.size(); }

    // `n` bytes at `position`, or an error if the file ends first.
    Result<std::span<const uint8_t>> get(int64_t position, size_t n) {
        if (position < start_ ||
            position + static_cast<int64_t>(n) > start_ + static_cast<int64_t>(len_)) {
            auto got = fileio::readAt(fd_, path_, position, buf_);
            if (!got) return got.error();
            start_ = position;
            len_ = *got;
            if (len_ < n) return Error{"file ended"};
        }
        return std::span<const uint8_t>(buf_.data() + (position - start_), n);
    }

  private:
    int fd_;
    const std::string& path_;
    std::vector<uint8_t> buf_;
    int64_t start_ = 0;
    size_t len_ = 0;
};

// Zeros only from `pos` to the end, at least kMinZeroFill of them: the tail append()'s fill
// leaves after the last batch.
Result<bool> isZeroFill(WindowReader& reader, int64_t pos, int64_t size) {
    if (size - pos < kMinZeroFill) return false;
    while (pos < size) {
        const size_t n = static_cast<size_t>(
            std::min<int64_t>(size - pos, static_cast<int64_t>(reader.capacity())));
        auto chunk = reader.get(pos, n);
        if (!chunk) return chunk.error();
        if (std::any_of(chunk->begin(), chunk->end(), [](uint8_t b) { return b != 0; })) {
            return false;
        }
        pos += static_cast<int64_t>(n);
    }
    return true;
}

}  // namespace

std::string LogSegment::fileName(int64_t baseOffset, std::string_view suffix) {
    char digits[32];
    std::snprintf(digits, sizeof digits, "%020" PRId64, baseOffset);
    return std::string(digits) + std::string(suffix);
}

std::optional<int64_t> LogSegment::parseLogFileName(std::string_view name) {
    constexpr std::string_view kSuffix = ".log";
    if (name.size() != kBaseOffsetDigits + kSuffix.size() || !name.ends_with(kSuffix)) {
        return std::nullopt;
    }
    int64_t value = 0;
    for (size_t i = 0; i < kBaseOffsetDigits; ++i) {
        char c = name[i];
        if (c < '0' || c > '9') return std::nullopt;
        if (value > (std::numeric_limits<int64_t>::max() - (c - '0')) / 10) return std::nullopt;
        value = value * 10 + (c - '0');
    }
    return value;
}

LogSegment::LogSegment(std::string logPath, int fd, int64_t baseOffset, int64_t size,
                       std::unique_ptr<OffsetIndex> index, std::unique_ptr<TimeIndex> timeIndex,
                       int32_t indexIntervalBytes)
    : logPath_(std::move(logPath)),
      fd_(fd),
      baseOffset_(baseOffset),
      size_(size),
      fileEnd_(size),
      index_(std::move(index)),
      timeIndex_(std::move(timeIndex)),
      indexIntervalBytes_(indexIntervalBytes),
      nextOffset_(baseOffset),
      offsetOfMaxTimestamp_(baseOffset) {}

LogSegment::~LogSegment() {
    (void)trimZeroFill();
    fileio::closeQuietly(fd_);
}

Result<std::shared_ptr<LogSegment>> LogSegment::make(const std::string& dir, int64_t baseOffset,
                                                     int32_t indexIntervalBytes, bool create) {
    std::string logPath = joinPath(dir, fileName(baseOffset, ".log"));
    auto fd = fileio::openReadWrite(logPath, create);
    if (!fd) return fd.error();
    // The descriptor is closed by the segment, or here on any failure before it exists.
    std::unique_ptr<int, void (*)(int*)> guard(&*fd, [](int* f) { fileio::closeQuietly(*f); });
    auto size = fileio::fileSize(*fd, logPath);
    if (!size) return size.error();
    if (create && *size != 0) {
        return Error{"cannot create segment " + logPath + ": it already holds " +
                     std::to_string(*size) + " bytes"};
    }
    auto index =
        OffsetIndex::open(joinPath(dir, fileName(baseOffset, ".index")), baseOffset, *size);
    if (!index) return index.error();
    const int64_t maxEntries = *size / static_cast<int64_t>(kRecordBatchOverhead) + 2;
    auto timeIndex =
        TimeIndex::open(joinPath(dir, fileName(baseOffset, ".timeindex")), baseOffset, maxEntries);
    if (!timeIndex) return timeIndex.error();
    if (create) {
        // Leftover index files of a segment that never got data describe nothing.
        if (!(*index)->holds({})) {
            auto cleared = (*index)->reset({});
            if (!cleared) return Error{cleared.message()};
        }
        if (!(*timeIndex)->holds({})) {
            auto cleared = (*timeIndex)->reset({});
            if (!cleared) return Error{cleared.message()};
        }
    }
    guard.release();
    return std::shared_ptr<LogSegment>(new LogSegment(std::move(logPath), *fd, baseOffset, *size,
                                                      std::move(*index), std::move(*timeIndex),
                                                      indexIntervalBytes));
}

Result<std::shared_ptr<LogSegment>> LogSegment::create(const std::string& dir, int64_t baseOffset,
                                                       int32_t indexIntervalBytes) {
    return make(dir, baseOffset, indexIntervalBytes, /*create=*/true);
}

Result<std::shared_ptr<LogSegment>> LogSegment::open(const std::string& dir, int64_t baseOffset,
                                                     int32_t indexIntervalBytes) {
    return make(dir, baseOffset, indexIntervalBytes, /*create=*/false);
}

Result<SegmentRecovery> LogSegment::recover(
    bool verifyCrc, bool active, const std::function<void(const RecordBatchHeader&)>& onBatch) {
    auto fileSize = fileio::fileSize(fd_, logPath_);
    if (!fileSize) return fileSize.error();
    const int64_t size = *fileSize;

    SegmentRecovery out;
    WindowReader reader(fd_, logPath_, size);
    std::vector<OffsetIndex::Entry> entries;
    std::vector<TimeIndex::Entry> timeEntries;
    int64_t sinceIndexEntry = 0;
    int64_t nextOffset = baseOffset_;
    int64_t offsetOfMaxTimestamp = baseOffset_;
    int64_t pos = 0;
    auto stop = [&](std::string why) {
        out.truncationReason = "at byte " + std::to_string(pos) + " of " + logPath_ + ": " + why;
    };
    // Kafka's TimeIndex.maybeAppend rule: only a larger timestamp makes an entry.
    auto addTimeEntry = [&] {
        if (out.maxTimestamp > (timeEntries.empty() ? -1 : timeEntries.back().timestamp)) {
            timeEntries.push_back({out.maxTimestamp, offsetOfMaxTimestamp});
        }
    };
    while (pos < size) {
        if (size - pos < static_cast<int64_t>(kRecordBatchOverhead)) {
            stop("torn batch header (" + std::to_string(size - pos) + " bytes left)");
            break;
        }
        auto headerBytes = reader.get(pos, kRecordBatchOverhead);
        if (!headerBytes) return headerBytes.error();
        auto header = protocol::parseBatchHeader(*headerBytes);
        if (!header) {
            stop(header.error().message);
            break;
        }
        const RecordBatchHeader& h = *header;
        const auto batchSize = static_cast<int64_t>(h.sizeInBytes());
        if (batchSize > size - pos) {
            stop("torn batch: " + std::to_string(batchSize) + " bytes long, " +
                 std::to_string(size - pos) + " left");
            break;
        }
        if (h.lastOffsetDelta < 0 || h.baseOffset < nextOffset ||
            h.lastOffset() - baseOffset_ > kMaxRelativeOffset) {
            stop("batch offsets " + std::to_string(h.baseOffset) + ".." +
                 std::to_string(h.lastOffset()) + " do not follow offset " +
                 std::to_string(nextOffset) + " in segment " + std::to_string(baseOffset_));
            break;
        }
        if (verifyCrc) {
            uint32_t crc = 0;
            int64_t p = pos + static_cast<int64_t>(protocol::kAttributesOffset);
            const int64_t end = pos + batchSize;
            while (p < end) {
                size_t n = static_cast<size_t>(
                    std::min<int64_t>(end - p, static_cast<int64_t>(reader.capacity())));
                auto chunk = reader.get(p, n);
                if (!chunk) return chunk.error();
                crc = protocol::crc32c(chunk->data(), chunk->size(), crc);
                p += static_cast<int64_t>(n);
            }
            if (crc != h.crc) {
                stop("CRC32C mismatch in batch at offset " + std::to_string(h.baseOffset));
                break;
            }
        }
        if (h.maxTimestamp > out.maxTimestamp) {
            out.maxTimestamp = h.maxTimestamp;
            offsetOfMaxTimestamp = h.lastOffset();
        }
        // Kafka's rule: entries for the batch that starts after more than interval bytes.
        if (sinceIndexEntry > indexIntervalBytes_) {
            entries.push_back({h.lastOffset(), static_cast<int32_t>(pos)});
            addTimeEntry();
            sinceIndexEntry = 0;
        }
        sinceIndexEntry += batchSize;
        if (onBatch) onBatch(h);
        ++out.batches;
        nextOffset = h.nextOffset();
        out.nextOffset = nextOffset;
        pos += batchSize;
    }
    if (!active) addTimeEntry();  // what onBecomeInactive() wrote at the roll, then sealed
    if (pos < size) {
        auto zeros = isZeroFill(reader, pos, size);
        if (!zeros) return zeros.error();
        auto cut = fileio::truncate(fd_, logPath_, pos);
        if (!cut) return Error{cut.message()};
        if (*zeros) {
            out.zeroFillBytes = size - pos;  // what a broker stopped without a trim leaves
            out.truncationReason.clear();
        } else {
            out.truncatedBytes = size - pos;
        }
    }
    fileEnd_ = pos;
    out.validBytes = pos;
    if (!index_->holds(entries)) {
        auto rebuilt = index_->reset(entries);
        if (!rebuilt) return Error{rebuilt.message()};
        indexRebuilt_ = true;
    }
    if (!timeIndex_->holds(timeEntries)) {
        auto rebuilt = timeIndex_->reset(timeEntries);
        if (!rebuilt) return Error{rebuilt.message()};
        indexRebuilt_ = true;
    }
    size_.store(pos, std::memory_order_release);
    bytesSinceLastIndexEntry_ = sinceIndexEntry;
    nextOffset_ = nextOffset;
    maxTimestamp_ = out.maxTimestamp;
    offsetOfMaxTimestamp_ = offsetOfMaxTimestamp;
    if (!active) {
        index_->seal();
        timeIndex_->seal();
    }
    return out;
}

Status LogSegment::append(std::span<const uint8_t> batch, const RecordBatchHeader& header) {
    const int64_t pos = size_.load(std::memory_order_relaxed);
    if (header.lastOffset() - baseOffset_ > kMaxRelativeOffset) {
        return Error{"segment " + logPath_ + ": offset " + std::to_string(header.lastOffset()) +
                     " is beyond int32 of its base offset"};
    }
    if (pos + static_cast<int64_t>(batch.size()) > std::numeric_limits<int32_t>::max()) {
        return Error{"segment " + logPath_ + ": positions beyond 2 GiB do not fit the index"};
    }
    const int64_t end = pos + static_cast<int64_t>(batch.size());
    int64_t fillTo = end <= fileEnd_
                         ? fileEnd_
                         : (end + kMinZeroFill + kZeroFillStep - 1) / kZeroFillStep * kZeroFillStep;
    auto written = end <= fileEnd_ ? fileio::writeAt(fd_, logPath_, pos, batch)
                                   : fileio::writeAtThenZeros(fd_, logPath_, pos, batch,
                                                              static_cast<size_t>(fillTo - end));
    if (!written && end > fileEnd_ && fileio::truncate(fd_, logPath_, pos)) {
        fillTo = end;  // a nearly full disk may still take the batch without its fill
        written = fileio::writeAt(fd_, logPath_, pos, batch);
    }
    const bool newMax = header.maxTimestamp > maxTimestamp_;
    const int64_t maxTimestamp = newMax ? header.maxTimestamp : maxTimestamp_;
    const int64_t offsetOfMax = newMax ? header.lastOffset() : offsetOfMaxTimestamp_;
    if (written && bytesSinceLastIndexEntry_ > indexIntervalBytes_) {
        written = timeIndex_->maybeAppend(maxTimestamp, offsetOfMax);
        if (written) written = index_->append(header.lastOffset(), static_cast<int32_t>(pos));
        if (written) bytesSinceLastIndexEntry_ = 0;
    }
    if (!written) {
        // Never leave half a batch (or a batch without its index entry) behind; a time index
        // entry already written stays harmless (it only narrows a later scan's start).
        // If the cut fails too, the bytes past pos stay counted, so trimZeroFill() retries it.
        fileEnd_ = fileio::truncate(fd_, logPath_, pos) ? pos : std::max(fileEnd_, fillTo);
        return written;
    }
    fileEnd_ = fillTo;
    bytesSinceLastIndexEntry_ += static_cast<int64_t>(batch.size());
    nextOffset_ = header.nextOffset();
    maxTimestamp_ = maxTimestamp;
    offsetOfMaxTimestamp_ = offsetOfMax;
    size_.store(pos + static_cast<int64_t>(batch.size()), std::memory_order_release);
    return Status::success();
}

Status LogSegment::trimZeroFill() {
    const int64_t size = size_.load(std::memory_order_relaxed);
    if (fileEnd_ == size) return Status::success();
    auto cut = fileio::truncate(fd_, logPath_, size);
    if (cut) fileEnd_ = size;
    return cut;
}

Status LogSegment::onBecomeInactive() {
    auto trimmed = trimZeroFill();
    if (!trimmed) return trimmed;
    auto appended = timeIndex_->maybeAppend(maxTimestamp_, offsetOfMaxTimestamp_);
    if (!appended) return appended;
    index_->seal();
    timeIndex_->seal();
    return Status::success();
}

Result<size_t> LogSegment::readAt(int64_t position, std::span<uint8_t> out, int64_t limit) const {
    if (position < 0 || position >= limit) return size_t{0};
    size_t n =
        static_cast<size_t>(std::min<int64_t>(static_cast<int64_t>(out.size()), limit - position));
    return fileio::readAt(fd_, logPath_, position, out.first(n));
}

Result<RecordBatchHeader> LogSegment::readHeader(int64_t position, int64_t limit) const {
    uint8_t bytes[kRecordBatchOverhead];
    if (position < 0 || position + static_cast<int64_t>(kRecordBatchOverhead) > limit) {
        return Error{"no batch header at byte " + std::to_string(position) + " of " + logPath_};
    }
    auto got = fileio::readAt(fd_, logPath_, position, bytes);
    if (!got) return got.error();
    if (*got != kRecordBatchOverhead) {
        return Error{"short read at byte " + std::to_string(position) + " of " + logPath_};
    }
    auto header = protocol::parseBatchHeader(bytes);
    if (!header) {
        return Error{"bad batch at byte " + std::to_string(position) + " of " + logPath_ + ": " +
                     header.error().message};
    }
    if (position + static_cast<int64_t>(header->sizeInBytes()) > limit) {
        return Error{"batch at byte " + std::to_string(position) + " of " + logPath_ +
                     " runs past the end of the segment"};
    }
    return header;
}

Result<BatchLocation> LogSegment::batchAt(int64_t position, int64_t limit) const {
    auto header = readHeader(position, limit);
    if (!header) return header.error();
    return locationOf(*header, position);
}

Result<std::optional<BatchLocation>> LogSegment::findBatch(int64_t targetOffset,
                                                           int64_t startPosition,
                                                           int64_t limit) const {
    for (int64_t pos = startPosition; pos < limit;) {
        auto header = readHeader(pos, limit);
        if (!header) return header.error();
        if (header->lastOffset() >= targetOffset) {
            return std::optional<BatchLocation>(locationOf(*header, pos));
        }
        pos += static_cast<int64_t>(header->sizeInBytes());
    }
    return std::optional<BatchLocation>();
}

Result<std::optional<BatchLocation>> LogSegment::findBatchByTimestamp(int64_t timestampMs,
                                                                      int64_t startPosition,
                                                                      int64_t limit) const {
    for (int64_t pos = startPosition; pos < limit;) {
        auto header = readHeader(pos, limit);
        if (!header) return header.error();
        if (header->maxTimestamp >= timestampMs) {
            return std::optional<BatchLocation>(locationOf(*header, pos));
        }
        pos += static_cast<int64_t>(header->sizeInBytes());
    }
    return std::optional<BatchLocation>();
}

int64_t LogSegment::lookupPosition(int64_t targetOffset) const {
    return index_->lookup(targetOffset).position;
}

int64_t LogSegment::lookupTimestampPosition(int64_t timestampMs) const {
    return index_->lookup(timeIndex_->lookup(timestampMs).offset).position;
}

Status LogSegment::flush() {
    auto synced = fileio::sync(fd_, logPath_);
    if (synced) synced = index_->flush();
    if (synced) synced = timeIndex_->flush();
    return synced;
}

Status LogSegment::deleteFiles() {
    auto removed = fileio::removeFile(logPath_);
    if (removed) removed = index_->deleteFile();
    if (removed) removed = timeIndex_->deleteFile();
    return removed;
}

}  // namespace bs::broker
