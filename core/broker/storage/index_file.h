#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "common/result.h"

namespace bs::broker {

// The file half of a segment index (.index, .timeindex): fixed-size entries appended at the
// end and rewritten whole by recovery. Written at its exact size, so there is no preallocated
// tail to trim on close (Kafka preallocates and mmaps; we keep entries in memory instead).
// Appended entries are written kPendingBytes at a time (and at flush, seal and close): with a
// produce request's batches each past index.interval.bytes, a write per entry was two of every
// three pwrite calls of the broker. Entries lost in a crash are what recovery rebuilds anyway.
// Thread ownership: that of the index owning it (the Log's mutex).
class IndexFile {
  public:
    IndexFile() = default;
    IndexFile(const IndexFile&) = delete;
    IndexFile& operator=(const IndexFile&) = delete;
    ~IndexFile();

    // Opens or creates the file and returns its whole content.
    Result<std::vector<uint8_t>> open(std::string path);
    // Writes one entry of entry.size() bytes in slot `slot`.
    Status writeEntry(size_t slot, std::span<const uint8_t> entry);
    Status rewrite(std::span<const uint8_t> content);
    // A no-op once sealed.
    Status flush();
    Status deleteFile();
    // Closes the descriptor of an index that takes no more entries (a rolled segment), so an
    // inactive segment holds one descriptor (its .log) instead of three. Later writes fail.
    // Durability is not at stake: recovery rebuilds any index that disagrees with its log.
    void seal();
    const std::string& path() const { return path_; }

    static constexpr size_t kPendingBytes = 512;

  private:
    Status writePending();

    std::string path_;
    int fd_ = -1;
    std::vector<uint8_t> pending_;  // entries appended since the last write, from pendingSlot_
    size_t pendingSlot_ = 0;
    size_t entrySize_ = 0;
};

// What the offset and time indexes share: entries of one type, in memory and in an IndexFile.
// `EntryT` provides `static void encode(uint8_t*, const EntryT&, int64_t baseOffset)`,
// `static EntryT decode(const uint8_t*, int64_t baseOffset)` and operator==.
// Thread ownership: the owning Log's mutex.
template <class EntryT, size_t EntrySize>
class SegmentIndex {
  public:
    using Entry = EntryT;
    static constexpr size_t kEntrySize = EntrySize;

    // Replaces the whole content (recovery), one write.
    Status reset(std::span<const Entry> entries) {
        std::vector<uint8_t> bytes(entries.size() * EntrySize);
        for (size_t i = 0; i < entries.size(); ++i) {
            Entry::encode(&bytes[i * EntrySize], entries[i], baseOffset_);
        }
        auto written = file_.rewrite(bytes);
        if (!written) return written;
        entries_.assign(entries.begin(), entries.end());
        loadedCleanly_ = true;
        return Status::success();
    }
    // Whether these entries are what the file holds (recovery compares before rewriting).
    bool holds(std::span<const Entry> entries) const {
        return loadedCleanly_ &&
               std::equal(entries.begin(), entries.end(), entries_.begin(), entries_.end());
    }

    Status flush() { return file_.flush(); }
    // Unlinks the file (the descriptor stays valid until destruction).
    Status deleteFile() { return file_.deleteFile(); }
    void seal() { file_.seal(); }

    // False when the file was torn or insane at open: the index then starts empty and the
    // segment's recovery rebuilds it from the log.
    bool loadedCleanly() const { return loadedCleanly_; }
    size_t entryCount() const { return entries_.size(); }
    const std::vector<Entry>& entries() const { return entries_; }
    int64_t baseOffset() const { return baseOffset_; }
    const std::string& path() const { return file_.path(); }

  protected:
    explicit SegmentIndex(int64_t baseOffset) : baseOffset_(baseOffset) {}

    // Opens the file; keeps its entries only if whole, at most maxEntries, and each accepted by
    // `follows(entry, previous-or-null)`.
    template <class Follows>
    Status load(std::string path, size_t maxEntries, Follows follows) {
        auto bytes = file_.open(std::move(path));
        if (!bytes) return bytes.error();
        if (bytes->size() % EntrySize != 0 || bytes->size() / EntrySize > maxEntries) {
            return Status::success();
        }
        std::vector<Entry> entries;
        entries.reserve(bytes->size() / EntrySize);
        for (size_t i = 0; i < bytes->size(); i += EntrySize) {
            Entry entry = Entry::decode(&(*bytes)[i], baseOffset_);
            if (!follows(entry, entries.empty() ? nullptr : &entries.back())) {
                return Status::success();
            }
            entries.push_back(entry);
        }
        entries_ = std::move(entries);
        loadedCleanly_ = true;
        return Status::success();
    }

    Status appendEntry(const Entry& entry) {
        uint8_t bytes[EntrySize];
        Entry::encode(bytes, entry, baseOffset_);
        auto written = file_.writeEntry(entries_.size(), bytes);
        if (!written) return written;
        entries_.push_back(entry);
        return Status::success();
    }

    IndexFile file_;
    int64_t baseOffset_;
    bool loadedCleanly_ = false;
    std::vector<Entry> entries_;
};

}  // namespace bs::broker
