#include "broker/storage/log.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <filesystem>
#include <limits>
#include <system_error>

#include "broker/storage/file_io.h"
#include "protocol/record/record_batch.h"

namespace bs::broker {

using protocol::ErrorCode;
using protocol::RecordBatchHeader;

namespace {

constexpr int64_t kMaxRelativeOffset = std::numeric_limits<int32_t>::max();

AppendInfo failAppend(ErrorCode code, std::string message) {
    AppendInfo info;
    info.error = code;
    info.logStartOffset = -1;
    info.errorMessage = std::move(message);
    return info;
}

// A segment and the size that was published when the Log's mutex was held: readers look only
// below it, so they need no lock.
struct SegmentView {
    std::shared_ptr<LogSegment> segment;
    int64_t limit = 0;
    int64_t start = 0;  // where a scan begins (an index lookup)
};

// Cuts `bytes` after the last whole batch (batchLength at byte 8 of each batch).
size_t wholeBatchesPrefix(std::span<const uint8_t> bytes) {
    size_t pos = 0;
    while (pos + protocol::kLogOverhead <= bytes.size()) {
        auto length =
            static_cast<int32_t>(fileio::loadBE32(&bytes[pos + protocol::kBatchLengthOffset]));
        if (length < static_cast<int32_t>(protocol::kMinBatchLength)) break;
        size_t size = protocol::kLogOverhead + static_cast<size_t>(length);
        if (size > bytes.size() - pos) break;
        pos += size;
    }
    return pos;
}

}  // namespace

Log::Log(std::string dir, LogConfig config, const Clock& clock, Options options)
    : dir_(std::move(dir)),
      config_(config),
      clock_(clock),
      options_(options),
      producerState_(options.unknownProducerIdPolicy) {}

Log::~Log() = default;

std::string Log::dirName(std::string_view topic, int32_t partition) {
    return std::string(topic) + "-" + std::to_string(partition);
}

Result<std::unique_ptr<Log>> Log::open(std::string dir, LogConfig config, const Clock& clock,
                                       Options options) {
    auto valid = config.validate();
    if (!valid) return Error{"log " + dir + ": " + valid.message()};
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) return Error{"cannot create log directory " + dir + ": " + ec.message()};
    std::unique_ptr<Log> log(new Log(std::move(dir), config, clock, options));
    auto loaded = log->load();
    if (!loaded) return Error{loaded.message()};
    return log;
}

// Recovery: every segment's batch headers are walked in order (offsets and lengths checked, the
// index rebuilt if it disagrees, producer state replayed from each idempotent batch); the last
// segment - the only one a crash can leave torn, since older ones were complete when rolled -
// also gets its CRCs checked (all segments with Options::verifyAllSegments). The first bad
// batch and everything after it in that segment is cut off.
Status Log::load() {
    std::vector<int64_t> baseOffsets;
    std::error_code ec;
    for (std::filesystem::directory_iterator it(dir_, ec), end; !ec && it != end;
         it.increment(ec)) {
        if (!it->is_regular_file(ec)) continue;
        if (auto base = LogSegment::parseLogFileName(it->path().filename().string())) {
            baseOffsets.push_back(*base);
        }
    }
    if (ec) return Error{"cannot list log directory " + dir_ + ": " + ec.message()};
    std::sort(baseOffsets.begin(), baseOffsets.end());

    std::lock_guard lock(mutex_);
    auto replay = [this](const RecordBatchHeader& h) { producerState_.update(h); };
    for (size_t i = 0; i < baseOffsets.size(); ++i) {
        auto segment = LogSegment::open(dir_, baseOffsets[i], config_.indexIntervalBytes);
        if (!segment) return Error{segment.error().message};
        const bool last = i + 1 == baseOffsets.size();
        auto recovered = (*segment)->recover(last || options_.verifyAllSegments, last, replay);
        if (!recovered) return Error{recovered.error().message};
        if (recovered->zeroFillBytes > 0) {
            spdlog::info(
                "log {}: cut {} zero bytes past the last batch (the broker stopped "
                "without trimming its segment)",
                dir_, recovered->zeroFillBytes);
        }
        if (recovered->truncatedBytes > 0) {
            spdlog::warn("log {}: cut {} bytes {}", dir_, recovered->truncatedBytes,
                         recovered->truncationReason);
            recovery_.truncatedBytes += recovered->truncatedBytes;
            if (recovery_.truncationReason.empty()) {
                recovery_.truncationReason = recovered->truncationReason;
            }
        }
        if ((*segment)->indexWasRebuilt()) ++recovery_.indexesRebuilt;
        segments_.emplace(baseOffsets[i], std::move(*segment));
    }
    if (segments_.empty()) {
        auto segment = LogSegment::create(dir_, 0, config_.indexIntervalBytes);
        if (!segment) return Error{segment.error().message};
        segments_.emplace(0, std::move(*segment));
    }
    recovery_.segments = static_cast<int>(segments_.size());
    recovery_.producersRestored = producerState_.producerCount();
    for (const auto& [base, segment] : segments_)
        inactiveBytes_ += segment->sizeInBytes();
    inactiveBytes_ -= segments_.rbegin()->second->sizeInBytes();
    logStartOffset_ = segments_.begin()->first;
    logEndOffset_ = segments_.rbegin()->second->nextOffset();
    firstUnflushedSegment_ = segments_.rbegin()->first;
    lastFlushMs_ = clock_.nowMs();
    return Status::success();
}

AppendInfo Log::append(std::span<uint8_t> batch) {
    auto parsed = protocol::parseBatchHeader(batch);
    if (!parsed) return failAppend(ErrorCode::CORRUPT_MESSAGE, parsed.error().message);
    RecordBatchHeader header = *parsed;
    const size_t size = batch.size();
    if (header.sizeInBytes() != size) {
        return failAppend(
            header.sizeInBytes() > size ? ErrorCode::CORRUPT_MESSAGE : ErrorCode::INVALID_RECORD,
            "expected exactly one batch: its length says " + std::to_string(header.sizeInBytes()) +
                " bytes, got " + std::to_string(size));
    }
    if (static_cast<int64_t>(size) > config_.maxMessageBytes) {
        return failAppend(ErrorCode::MESSAGE_TOO_LARGE,
                          "batch of " + std::to_string(size) + " bytes exceeds max.message.bytes " +
                              std::to_string(config_.maxMessageBytes));
    }
    if (static_cast<int64_t>(size) > config_.segmentBytes) {
        return failAppend(ErrorCode::RECORD_LIST_TOO_LARGE,
                          "batch of " + std::to_string(size) + " bytes exceeds segment.bytes " +
                              std::to_string(config_.segmentBytes));
    }
    if (header.recordCount <= 0 || header.lastOffsetDelta != header.recordCount - 1) {
        return failAppend(ErrorCode::INVALID_RECORD, "batch has " +
                                                         std::to_string(header.recordCount) +
                                                         " records but lastOffsetDelta " +
                                                         std::to_string(header.lastOffsetDelta));
    }
    if (header.isControl()) {
        return failAppend(ErrorCode::INVALID_RECORD, "clients may not write control batches");
    }
    if (header.isTransactional()) {
        return failAppend(ErrorCode::INVALID_TXN_STATE,
                          "transactional batches are not supported by this broker");
    }
    if (header.timestampType() == protocol::TimestampType::LogAppendTime) {
        return failAppend(ErrorCode::INVALID_TIMESTAMP,
                          "producers must not set the LogAppendTime timestamp type");
    }

    std::lock_guard lock(mutex_);
    if (closed_) return failAppend(ErrorCode::KAFKA_STORAGE_ERROR, "log " + dir_ + " is closed");
    auto check = producerState_.check(header);
    if (!check.ok()) return failAppend(check.error, "log " + dir_ + ": " + check.message);
    AppendInfo info;
    info.recordCount = header.recordCount;
    if (check.duplicateOf) {
        info.duplicate = true;
        info.baseOffset = check.duplicateOf->firstOffset;
        info.lastOffset = check.duplicateOf->lastOffset;
        info.logStartOffset = logStartOffset_;
        return info;
    }

    LogSegment* active = segments_.rbegin()->second.get();
    const bool full = active->sizeInBytes() + static_cast<int64_t>(size) > config_.segmentBytes;
    const bool offsetsOverflow =
        logEndOffset_ + header.lastOffsetDelta - active->baseOffset() > kMaxRelativeOffset;
    if (active->sizeInBytes() > 0 && (full || offsetsOverflow)) {
        auto rolled = rollLocked();
        if (!rolled) return failAppend(ErrorCode::KAFKA_STORAGE_ERROR, rolled.message());
        active = segments_.rbegin()->second.get();
    }

    protocol::setBaseOffset(batch, logEndOffset_);
    header.baseOffset = logEndOffset_;
    if (config_.messageTimestampType == protocol::TimestampType::LogAppendTime) {
        // Kafka's LogValidator: type bit + maxTimestamp = now, new CRC; records keep deltas.
        const int64_t now = clock_.wallMs();
        protocol::setMaxTimestamp(batch, protocol::TimestampType::LogAppendTime, now);
        header.attributes |= protocol::kTimestampTypeMask;
        header.maxTimestamp = now;
        info.logAppendTimeMs = now;
    }
    auto written = active->append(batch, header);
    if (!written) return failAppend(ErrorCode::KAFKA_STORAGE_ERROR, written.message());

    logEndOffset_ = header.nextOffset();
    producerState_.update(header);
    info.baseOffset = header.baseOffset;
    info.lastOffset = header.lastOffset();

    unflushedMessages_ += header.recordCount;
    if (unflushedMessages_ >= config_.flushMessages ||
        clock_.nowMs() - lastFlushMs_ >= config_.flushMs) {
        auto flushed = flushLocked();
        if (!flushed) spdlog::warn("log {}: {}", dir_, flushed.message());
    }
    auto deleted = deleteOldSegmentsLocked();
    if (!deleted) spdlog::warn("log {}: retention: {}", dir_, deleted.error().message);
    info.logStartOffset = logStartOffset_;
    return info;
}

Status Log::rollLocked() {
    auto inactive = segments_.rbegin()->second->onBecomeInactive();
    if (!inactive) return inactive;
    auto segment = LogSegment::create(dir_, logEndOffset_, config_.indexIntervalBytes);
    if (!segment) return Error{segment.error().message};
    inactiveBytes_ += segments_.rbegin()->second->sizeInBytes();
    segments_.emplace(logEndOffset_, std::move(*segment));
    return Status::success();
}

Result<int> Log::deleteOldSegments() {
    std::lock_guard lock(mutex_);
    if (closed_) return Error{"log " + dir_ + " is closed"};
    return deleteOldSegmentsLocked();
}

Result<int> Log::deleteOldSegmentsLocked() {
    if (config_.retentionBytes < 0) return 0;
    const int64_t total = inactiveBytes_ + segments_.rbegin()->second->sizeInBytes();
    // Kafka's rule: drop the oldest segment only if what remains still holds retention.bytes.
    int64_t excess = total - config_.retentionBytes;
    int deleted = 0;
    while (segments_.size() > 1) {
        auto oldest = segments_.begin();
        if (excess - oldest->second->sizeInBytes() < 0) break;
        auto removed = oldest->second->deleteFiles();
        if (!removed) return Error{removed.message()};
        excess -= oldest->second->sizeInBytes();
        inactiveBytes_ -= oldest->second->sizeInBytes();
        segments_.erase(oldest);
        ++deleted;
    }
    if (deleted > 0) logStartOffset_ = std::max(logStartOffset_, segments_.begin()->first);
    return deleted;
}

std::shared_ptr<LogSegment> Log::segmentForLocked(int64_t offset) const {
    auto it = segments_.upper_bound(offset);
    if (it == segments_.begin()) return nullptr;
    return std::prev(it)->second;
}

LogReadResult Log::read(int64_t fetchOffset, int32_t maxBytes) const {
    LogReadResult result;
    const size_t kept = readBatches(fetchOffset, maxBytes, result, [&](size_t n) {
        result.records.resize(n);
        return std::span<uint8_t>(result.records);
    });
    result.records.resize(kept);
    return result;
}

LogReadResult Log::read(int64_t fetchOffset, int32_t maxBytes, ReadBuffer& out) const {
    LogReadResult result;
    out.size_ = readBatches(fetchOffset, maxBytes, result, [&](size_t n) {
        if (out.capacity_ < n) {
            out.data_.reset(new uint8_t[n]);  // uninitialised on purpose: pread fills it
            out.capacity_ = n;
        }
        return std::span<uint8_t>(out.data_.get(), n);
    });
    return result;
}

size_t Log::readBatches(int64_t fetchOffset, int32_t maxBytes, LogReadResult& result,
                        const std::function<std::span<uint8_t>(size_t)>& into) const {
    std::vector<SegmentView> views;
    int64_t startPosition = 0;
    {
        std::lock_guard lock(mutex_);
        result.logStartOffset = logStartOffset_;
        result.logEndOffset = logEndOffset_;
        result.highWatermark = logEndOffset_;
        if (closed_) {
            result.error = ErrorCode::KAFKA_STORAGE_ERROR;
            result.errorMessage = "log " + dir_ + " is closed";
            return 0;
        }
        if (fetchOffset < logStartOffset_ || fetchOffset > logEndOffset_) {
            result.error = ErrorCode::OFFSET_OUT_OF_RANGE;
            result.errorMessage = "offset " + std::to_string(fetchOffset) + " is outside [" +
                                  std::to_string(logStartOffset_) + ", " +
                                  std::to_string(logEndOffset_) + "] of " + dir_;
            return 0;
        }
        if (fetchOffset == logEndOffset_) return 0;
        auto it = std::prev(segments_.upper_bound(fetchOffset));
        startPosition = it->second->lookupPosition(fetchOffset);
        for (; it != segments_.end(); ++it)
            views.push_back({it->second, it->second->sizeInBytes()});
    }
    for (size_t i = 0; i < views.size(); ++i) {
        const SegmentView& view = views[i];
        auto found = view.segment->findBatch(fetchOffset, i == 0 ? startPosition : 0, view.limit);
        if (!found) {
            result.error = ErrorCode::KAFKA_STORAGE_ERROR;
            result.errorMessage = found.error().message;
            return 0;
        }
        if (!*found) continue;  // the offset lies past this segment's last batch
        const BatchLocation& first = **found;
        const int64_t available = view.limit - first.position;
        const int64_t want = std::max<int64_t>(first.sizeInBytes,
                                               std::min<int64_t>(std::max(maxBytes, 0), available));
        const std::span<uint8_t> buffer = into(static_cast<size_t>(want));
        auto got = view.segment->readAt(first.position, buffer, view.limit);
        if (!got) {
            result.error = ErrorCode::KAFKA_STORAGE_ERROR;
            result.errorMessage = got.error().message;
            return 0;
        }
        return wholeBatchesPrefix(buffer.first(*got));
    }
    return 0;
}

Result<OffsetAndTimestamp> Log::offsetForTimestamp(int64_t timestampMs) const {
    std::vector<SegmentView> views;
    {
        std::lock_guard lock(mutex_);
        if (closed_) return Error{"log " + dir_ + " is closed"};
        for (const auto& [base, segment] : segments_) {
            // Every segment's maxTimestamp is known after recovery or appends: skip early ones.
            if (segment->maxTimestamp() >= timestampMs) {
                views.push_back({segment, segment->sizeInBytes(),
                                 segment->lookupTimestampPosition(timestampMs)});
            }
        }
    }
    std::vector<uint8_t> bytes;
    for (const SegmentView& view : views) {
        auto found = view.segment->findBatchByTimestamp(timestampMs, view.start, view.limit);
        if (!found) return found.error();
        if (!*found) continue;
        const BatchLocation& loc = **found;
        bytes.resize(static_cast<size_t>(loc.sizeInBytes));
        auto got = view.segment->readAt(loc.position, bytes, view.limit);
        if (!got) return got.error();
        protocol::RecordBatchReader reader(std::span<const uint8_t>(bytes.data(), *got));
        if (!reader.nextBatch()) {
            return Error{"cannot read batch at byte " + std::to_string(loc.position) + " of " +
                         view.segment->logPath() + ": " + reader.error()};
        }
        if (reader.batch().timestampType() == protocol::TimestampType::LogAppendTime) {
            return OffsetAndTimestamp{loc.baseOffset, loc.maxTimestamp};
        }
        protocol::Record record;
        while (reader.nextRecord(record)) {
            if (record.timestamp >= timestampMs) {
                return OffsetAndTimestamp{record.offset, record.timestamp};
            }
        }
        if (!reader.ok()) return Error{reader.error()};
    }
    return OffsetAndTimestamp{};
}

Result<OffsetAndTimestamp> Log::maxTimestampOffset() const {
    int64_t maxTimestamp = protocol::kNoTimestamp;
    {
        std::lock_guard lock(mutex_);
        if (closed_) return Error{"log " + dir_ + " is closed"};
        for (const auto& [base, segment] : segments_) {
            maxTimestamp = std::max(maxTimestamp, segment->maxTimestamp());
        }
    }
    if (maxTimestamp < 0) return OffsetAndTimestamp{};
    return offsetForTimestamp(maxTimestamp);
}

Result<LogLocation> Log::locate(int64_t offset) const {
    std::vector<SegmentView> views;
    int64_t startPosition = 0;
    {
        std::lock_guard lock(mutex_);
        if (closed_) return Error{"log " + dir_ + " is closed"};
        if (offset < logStartOffset_ || offset >= logEndOffset_) {
            return Error{"offset " + std::to_string(offset) + " is not in " + dir_ + " [" +
                         std::to_string(logStartOffset_) + ", " + std::to_string(logEndOffset_) +
                         ")"};
        }
        auto it = std::prev(segments_.upper_bound(offset));
        startPosition = it->second->lookupPosition(offset);
        for (; it != segments_.end(); ++it)
            views.push_back({it->second, it->second->sizeInBytes()});
    }
    for (size_t i = 0; i < views.size(); ++i) {
        auto found =
            views[i].segment->findBatch(offset, i == 0 ? startPosition : 0, views[i].limit);
        if (!found) return found.error();
        if (*found) {
            return LogLocation{views[i].segment->logPath(), views[i].segment->baseOffset(),
                               **found};
        }
    }
    return Error{"offset " + std::to_string(offset) + " of " + dir_ + " is in a gap of the log"};
}

int64_t Log::logStartOffset() const {
    std::lock_guard lock(mutex_);
    return logStartOffset_;
}

int64_t Log::logEndOffset() const {
    std::lock_guard lock(mutex_);
    return logEndOffset_;
}

int64_t Log::sizeInBytes() const {
    std::lock_guard lock(mutex_);
    if (segments_.empty()) return 0;
    return inactiveBytes_ + segments_.rbegin()->second->sizeInBytes();
}

size_t Log::removeExpiredProducers(int64_t expirationMs) {
    std::lock_guard lock(mutex_);
    return producerState_.removeExpiredProducers(clock_.wallMs(), expirationMs);
}

std::vector<SegmentInfo> Log::segments() const {
    std::lock_guard lock(mutex_);
    std::vector<SegmentInfo> out;
    out.reserve(segments_.size());
    for (const auto& [base, segment] : segments_) {
        out.push_back({base, segment->sizeInBytes(), segment->logPath(), segment->indexPath(),
                       segment->index().entryCount(), segment->timeIndexPath(),
                       segment->timeIndex().entryCount()});
    }
    return out;
}

std::optional<ProducerStateEntry> Log::producerState(int64_t producerId) const {
    std::lock_guard lock(mutex_);
    const ProducerStateEntry* entry = producerState_.find(producerId);
    if (entry == nullptr) return std::nullopt;
    return *entry;
}

Status Log::flushLocked() {
    for (auto it = segments_.lower_bound(firstUnflushedSegment_); it != segments_.end(); ++it) {
        auto flushed = it->second->flush();
        if (!flushed) return flushed;
    }
    firstUnflushedSegment_ = segments_.rbegin()->first;
    unflushedMessages_ = 0;
    lastFlushMs_ = clock_.nowMs();
    return Status::success();
}

Status Log::maybeFlush() {
    std::lock_guard lock(mutex_);
    if (closed_) return Error{"log " + dir_ + " is closed"};
    if (clock_.nowMs() - lastFlushMs_ < config_.flushMs) return Status::success();
    return flushLocked();
}

Status Log::flush() {
    std::lock_guard lock(mutex_);
    if (closed_) return Error{"log " + dir_ + " is closed"};
    return flushLocked();
}

Status Log::close() {
    std::lock_guard lock(mutex_);
    if (closed_) return Status::success();
    firstUnflushedSegment_ = segments_.begin()->first;  // a durable shutdown syncs everything
    auto flushed = segments_.rbegin()->second->trimZeroFill();  // the file ends at its last batch
    if (flushed) flushed = flushLocked();
    closed_ = true;
    segments_.clear();  // descriptors close once readers drop their references
    return flushed;
}

}  // namespace bs::broker
