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

OffsetIndex::OffsetIndex(std::string path, int fd, int64_t baseOffset)
    : path_(std::move(path)), fd_(fd), baseOffset_(baseOffset) {}

OffsetIndex::~OffsetIndex() {
    fileio::closeQuietly(fd_);
}

Result<std::unique_ptr<OffsetIndex>> OffsetIndex::open(std::string path, int64_t baseOffset,
                                                       int64_t logSize) {
    auto fd = fileio::openReadWrite(path, /*create=*/true);
    if (!fd) return fd.error();
    std::unique_ptr<OffsetIndex> index(new OffsetIndex(std::move(path), *fd, baseOffset));
    auto size = fileio::fileSize(index->fd_, index->path_);
    if (!size) return size.error();
    // A torn or foreign file is not an error: the caller rebuilds the index from the log.
    // At most one entry per batch, and a batch has at least a 61-byte header.
    const auto entrySize = static_cast<int64_t>(kEntrySize);
    const int64_t maxEntries = logSize / static_cast<int64_t>(protocol::kRecordBatchOverhead) + 1;
    if (*size % entrySize != 0 || *size / entrySize > maxEntries) {
        return index;
    }
    std::vector<uint8_t> bytes(static_cast<size_t>(*size));
    auto got = fileio::readAt(index->fd_, index->path_, 0, bytes);
    if (!got) return got.error();
    if (*got != bytes.size()) return index;
    std::vector<Entry> entries;
    entries.reserve(bytes.size() / kEntrySize);
    for (size_t i = 0; i < bytes.size(); i += kEntrySize) {
        auto relative = static_cast<int32_t>(fileio::loadBE32(&bytes[i]));
        auto position = static_cast<int32_t>(fileio::loadBE32(&bytes[i + 4]));
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
        return Error{"index " + path_ + ": offset " + std::to_string(offset) +
                     " is outside the int32 range of base offset " + std::to_string(baseOffset_)};
    }
    if (!entries_.empty() &&
        (offset <= entries_.back().offset || position <= entries_.back().position)) {
        return Error{"index " + path_ + ": entry (" + std::to_string(offset) + ", " +
                     std::to_string(position) + ") does not follow the last entry (" +
                     std::to_string(entries_.back().offset) + ", " +
                     std::to_string(entries_.back().position) + ")"};
    }
    Entry entry{offset, position};
    uint8_t bytes[kEntrySize];
    encodeEntry(bytes, entry, baseOffset_);
    auto written = fileio::writeAt(fd_, path_, static_cast<int64_t>(entries_.size() * kEntrySize),
                                   std::span<const uint8_t>(bytes, kEntrySize));
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
    for (size_t i = 0; i < entries.size(); ++i)
        encodeEntry(&bytes[i * kEntrySize], entries[i], baseOffset_);
    auto truncated = fileio::truncate(fd_, path_, 0);
    if (!truncated) return truncated;
    auto written = fileio::writeAt(fd_, path_, 0, bytes);
    if (!written) return written;
    entries_.assign(entries.begin(), entries.end());
    return Status::success();
}

Status OffsetIndex::flush() {
    return fileio::sync(fd_, path_);
}

Status OffsetIndex::deleteFile() {
    return fileio::removeFile(path_);
}

}  // namespace bs::broker
