#include "consumer/log_dump.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string_view>
#include <utility>
#include <vector>

#include "protocol/record/crc32c.h"
#include "protocol/record/record_batch.h"

namespace bs::consumer {

namespace {

using namespace protocol;

// A read-only file read with pread; closes itself.
class File {
  public:
    explicit File(const std::string& path) : fd_(::open(path.c_str(), O_RDONLY | O_CLOEXEC)) {}
    ~File() {
        if (fd_ >= 0) ::close(fd_);
    }
    File(const File&) = delete;
    File& operator=(const File&) = delete;
    bool ok() const { return fd_ >= 0; }
    int64_t size() const {
        struct stat st {};
        return ::fstat(fd_, &st) == 0 ? static_cast<int64_t>(st.st_size) : -1;
    }
    // Reads exactly n bytes at pos; false on a short read or error.
    bool read(int64_t pos, size_t n, std::vector<uint8_t>& buf) const {
        buf.resize(n);
        size_t done = 0;
        while (done < n) {
            ssize_t r = ::pread(fd_, buf.data() + done, n - done, static_cast<off_t>(pos) + done);
            if (r < 0 && errno == EINTR) continue;
            if (r <= 0) return false;
            done += static_cast<size_t>(r);
        }
        return true;
    }

  private:
    int fd_;
};

// Whether [pos, size) is the fill our broker writes past a segment's last batch while it runs
// (and Kafka's file.preallocate leaves): zeros only, and at least a batch's offset and length
// fields of them, so that it cannot be a torn batch (whose batchLength is never 0).
bool isZeroFill(const File& f, int64_t pos, int64_t size) {
    if (size - pos < static_cast<int64_t>(kLogOverhead)) return false;
    std::vector<uint8_t> buf;
    while (pos < size) {
        const auto n = static_cast<size_t>(std::min<int64_t>(size - pos, int64_t{1} << 20));
        if (!f.read(pos, n, buf)) return false;
        if (std::any_of(buf.begin(), buf.end(), [](uint8_t b) { return b != 0; })) return false;
        pos += static_cast<int64_t>(n);
    }
    return true;
}

int64_t be64(const uint8_t* p) {
    uint64_t v = 0;
    for (int i = 0; i < 8; ++i)
        v = (v << 8) | p[i];
    return static_cast<int64_t>(v);
}
int32_t be32(const uint8_t* p) {
    return static_cast<int32_t>((uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) |
                                (uint32_t{p[2]} << 8) | p[3]);
}
int16_t be16(const uint8_t* p) {
    return static_cast<int16_t>((p[0] << 8) | p[1]);
}

const char* boolText(bool b) {
    return b ? "true" : "false";
}

std::string fileName(const std::string& path) {
    return std::filesystem::path(path).filename().string();
}

// The base offset a segment file name encodes ("00000000000000000042.log" -> 42), or nullopt.
std::optional<int64_t> baseOffsetOf(const std::string& path) {
    const std::string name = fileName(path);
    const std::string stem = name.substr(0, name.find('.'));
    if (stem.empty() || stem.size() > 20) return std::nullopt;
    int64_t v = 0;
    for (char c : stem) {
        if (c < '0' || c > '9') return std::nullopt;
        if (v > (INT64_MAX - (c - '0')) / 10) return std::nullopt;
        v = v * 10 + (c - '0');
    }
    return v;
}

// Kafka's EndTransactionMarker / ControlRecordType text for a control record.
std::string controlText(const Record& r) {
    if (!r.key || r.key->size() < 4) return " controlType: UNKNOWN(-1)";
    const int16_t type = be16(r.key->data() + 2);
    if ((type == 0 || type == 1) && r.value && r.value->size() >= 6)
        return std::string(" endTxnMarker: ") + (type == 0 ? "ABORT" : "COMMIT") +
               " coordinatorEpoch: " + std::to_string(be32(r.value->data() + 2));
    return " controlType: UNKNOWN(" + std::to_string(type) + ")";
}

void printBatchLine(std::FILE* out, const RecordBatchHeader& h, int64_t position, bool valid) {
    // deleteHorizonMs is set by compaction (attribute bit 6) and kept in baseTimestamp.
    std::string horizon = (h.attributes & 0x40)
                              ? "OptionalLong[" + std::to_string(h.baseTimestamp) + "]"
                              : std::string("OptionalLong.empty");
    std::fprintf(out,
                 "baseOffset: %lld lastOffset: %lld count: %d baseSequence: %d lastSequence: %d "
                 "producerId: %lld producerEpoch: %d partitionLeaderEpoch: %d isTransactional: %s "
                 "isControl: %s deleteHorizonMs: %s position: %lld %s: %lld size: %zu magic: %d "
                 "compresscodec: %s crc: %u isvalid: %s\n",
                 static_cast<long long>(h.baseOffset), static_cast<long long>(h.lastOffset()),
                 h.recordCount, h.baseSequence, h.lastSequence(),
                 static_cast<long long>(h.producerId), h.producerEpoch, h.partitionLeaderEpoch,
                 boolText(h.isTransactional()), boolText(h.isControl()), horizon.c_str(),
                 static_cast<long long>(position),
                 std::string(timestampTypeName(h.timestampType())).c_str(),
                 static_cast<long long>(h.maxTimestamp), h.sizeInBytes(), h.magic,
                 std::string(compressionName(h.compression())).c_str(), h.crc, boolText(valid));
}

void printRecords(std::FILE* out, std::FILE* err, const std::string& path,
                  const std::vector<uint8_t>& batch, int64_t position, const RecordBatchHeader& h,
                  const DumpLogOptions& o, int64_t& lastOffset,
                  std::vector<std::pair<int64_t, int64_t>>& gaps) {
    RecordBatchReader reader(batch);
    Record r;
    if (!reader.nextBatch()) {
        std::fprintf(err, "error: %s: batch at position %lld: cannot read its records: %s\n",
                     path.c_str(), static_cast<long long>(position), reader.error().c_str());
        return;
    }
    while (reader.nextRecord(r)) {
        if (lastOffset != -1 && r.offset != lastOffset + 1) gaps.push_back({lastOffset, r.offset});
        lastOffset = r.offset;
        std::string line = "|";
        std::string prefix = " ";
        if (!o.skipRecordMetadata) {
            line += " offset: " + std::to_string(r.offset) + " " +
                    std::string(timestampTypeName(h.timestampType())) + ": " +
                    std::to_string(r.timestamp) + " keySize: " +
                    std::to_string(r.key ? static_cast<int64_t>(r.key->size()) : -1) +
                    " valueSize: " +
                    std::to_string(r.value ? static_cast<int64_t>(r.value->size()) : -1) +
                    " sequence: " + std::to_string(r.sequence) + " headerKeys: [";
            RecordHeaderIterator it(r);
            RecordHeader hd;
            bool first = true;
            while (it.next(hd)) {
                line += (first ? "" : ",") + std::string(hd.key);
                first = false;
            }
            line += "]";
            if (h.isControl()) line += controlText(r);
        }
        if (o.printDataLog && !h.isControl()) {
            if (r.key) {
                line += prefix + "key: " +
                        std::string(reinterpret_cast<const char*>(r.key->data()), r.key->size());
            }
            if (r.value)
                line += " payload: " + std::string(reinterpret_cast<const char*>(r.value->data()),
                                                   r.value->size());
        }
        line += '\n';
        std::fwrite(line.data(), 1, line.size(), out);
    }
    if (!reader.ok())
        std::fprintf(err,
                     "error: %s: batch at position %lld: %s (record positions are relative "
                     "to the batch start)\n",
                     path.c_str(), static_cast<long long>(position), reader.error().c_str());
}

bool dumpLog(const std::string& path, const DumpLogOptions& o, std::FILE* out, std::FILE* err) {
    File f(path);
    const int64_t size = f.ok() ? f.size() : -1;
    if (size < 0) {
        std::fprintf(err, "error: cannot read %s: %s\n", path.c_str(), std::strerror(errno));
        return false;
    }
    if (auto base = baseOffsetOf(path))
        std::fprintf(out, "Log starting offset: %lld\n", static_cast<long long>(*base));
    const bool deep = o.deepIteration || o.printDataLog;
    std::vector<uint8_t> buf;
    int64_t pos = 0;
    int64_t lastOffset = -1;
    std::vector<std::pair<int64_t, int64_t>> gaps;
    bool zeroFill = false;  // the tail from pos is the broker's fill: said below, not an error
    auto stop = [&](const std::string& why) {
        zeroFill = isZeroFill(f, pos, size);
        if (zeroFill) return;
        std::fprintf(err, "error: %s: batch at position %lld: %s\n", path.c_str(),
                     static_cast<long long>(pos), why.c_str());
    };
    while (pos < size) {
        const int64_t remaining = size - pos;
        if (remaining < static_cast<int64_t>(kRecordBatchOverhead)) {
            stop("truncated: " + std::to_string(remaining) + " bytes remain, fewer than a " +
                 std::to_string(kRecordBatchOverhead) + "-byte batch header");
            break;
        }
        if (!f.read(pos, kRecordBatchOverhead, buf)) {
            stop(std::string("read failed: ") + std::strerror(errno));
            break;
        }
        const int32_t batchLength = be32(buf.data() + kBatchLengthOffset);
        const int8_t magic = static_cast<int8_t>(buf[kMagicOffset]);
        if (batchLength < static_cast<int32_t>(kMinBatchLength)) {
            stop("batchLength " + std::to_string(batchLength) + " is smaller than the minimum " +
                 std::to_string(kMinBatchLength));
            break;
        }
        const int64_t batchSize = int64_t{batchLength} + static_cast<int64_t>(kLogOverhead);
        if (batchSize > remaining) {
            stop("truncated: batchLength " + std::to_string(batchLength) + " needs " +
                 std::to_string(batchSize) + " bytes, only " + std::to_string(remaining) +
                 " remain");
            break;
        }
        if (magic != kMagicV2) {
            stop("magic " + std::to_string(magic) +
                 " is not 2 (only RecordBatch v2 is supported; the rest of the file is skipped)");
            break;
        }
        if (!f.read(pos, static_cast<size_t>(batchSize), buf)) {
            stop(std::string("read failed: ") + std::strerror(errno));
            break;
        }
        auto header = parseBatchHeader(buf);
        if (!header) {
            stop(header.error().message);
            break;
        }
        const uint32_t computed =
            crc32c(buf.data() + kAttributesOffset, buf.size() - kAttributesOffset);
        const bool valid = computed == header->crc;
        printBatchLine(out, *header, pos, valid);
        if (!valid)
            stop("CRC mismatch: stored " + std::to_string(header->crc) + ", computed " +
                 std::to_string(computed) + " (bytes " + std::to_string(pos + kAttributesOffset) +
                 ".." + std::to_string(pos + batchSize - 1) + " are damaged)");
        else if (deep)
            printRecords(out, err, path, buf, pos, *header, o, lastOffset, gaps);
        pos += batchSize;
    }
    if (size - pos > 0 && zeroFill)
        std::fprintf(out,
                     "%lld zero bytes follow the last batch of %s: space a running broker "
                     "filled ahead of its appends, not data\n",
                     static_cast<long long>(size - pos), fileName(path).c_str());
    else if (size - pos > 0)
        std::fprintf(out, "Found %lld invalid bytes at the end of %s\n",
                     static_cast<long long>(size - pos), fileName(path).c_str());
    if (!gaps.empty()) {
        std::fprintf(err, "Non-consecutive offsets in %s\n",
                     std::filesystem::absolute(path).string().c_str());
        for (auto [a, b] : gaps)
            std::fprintf(err, "  %lld is followed by %lld\n", static_cast<long long>(a),
                         static_cast<long long>(b));
    }
    return true;
}

// `.index` (8-byte entries: relative offset, position) or `.timeindex` (12-byte entries:
// timestamp, relative offset). Offset index entries are checked against the segment's .log.
bool dumpIndex(const std::string& path, bool timeIndex, std::FILE* out, std::FILE* err) {
    File f(path);
    const int64_t size = f.ok() ? f.size() : -1;
    std::vector<uint8_t> buf;
    if (size < 0 || !f.read(0, static_cast<size_t>(size), buf)) {
        std::fprintf(err, "error: cannot read %s: %s\n", path.c_str(), std::strerror(errno));
        return false;
    }
    const size_t entrySize = timeIndex ? 12 : 8;
    const size_t entries = buf.size() / entrySize;
    const int64_t base = baseOffsetOf(path).value_or(0);
    if (entries == 0) {
        std::fprintf(out, "%s is empty.\n", path.c_str());
    }
    std::filesystem::path logPath = std::filesystem::path(path).replace_extension(".log");
    File log(logPath.string());
    const int64_t logSize = log.ok() ? log.size() : -1;
    std::vector<std::pair<int64_t, int64_t>> mismatches;
    std::vector<uint8_t> hdr;
    for (size_t i = 0; i < entries; ++i) {
        const uint8_t* e = buf.data() + i * entrySize;
        if (timeIndex) {
            const int64_t ts = be64(e);
            const int64_t off = base + be32(e + 8);
            if (off == base && i > 0) break;  // zero-filled (preallocated) tail
            std::fprintf(out, "timestamp: %lld offset: %lld\n", static_cast<long long>(ts),
                         static_cast<long long>(off));
            continue;
        }
        const int64_t off = base + be32(e);
        const int32_t position = be32(e + 4);
        if (off == base && i > 0) break;
        if (logSize >= 0) {
            if (position < 0 || position + static_cast<int64_t>(kRecordBatchOverhead) > logSize ||
                !log.read(position, kRecordBatchOverhead, hdr)) {
                std::fprintf(err,
                             "error: %s: entry %zu at position %zu points at %d, outside %s "
                             "(%lld bytes)\n",
                             path.c_str(), i, i * entrySize, position, logPath.string().c_str(),
                             static_cast<long long>(logSize));
            } else {
                const int64_t last = be64(hdr.data()) + be32(hdr.data() + kLastOffsetDeltaOffset);
                if (last != off) mismatches.push_back({off, last});
            }
        }
        std::fprintf(out, "offset: %lld position: %d\n", static_cast<long long>(off), position);
    }
    if (buf.size() % entrySize != 0)
        std::fprintf(err,
                     "error: %s: %zu trailing bytes at position %zu are not a whole %zu-byte "
                     "index entry\n",
                     path.c_str(), buf.size() % entrySize, entries * entrySize, entrySize);
    if (!timeIndex && logSize < 0)
        std::fprintf(err, "warning: %s not found; index entries not verified\n",
                     logPath.string().c_str());
    if (!mismatches.empty()) {
        std::fprintf(err, "Mismatches in :%s\n", std::filesystem::absolute(path).string().c_str());
        for (auto [a, b] : mismatches)
            std::fprintf(err, "  Index offset: %lld, log offset: %lld\n", static_cast<long long>(a),
                         static_cast<long long>(b));
    }
    return true;
}

}  // namespace

bool dumpLogFile(const std::string& path, const DumpLogOptions& options, std::FILE* out,
                 std::FILE* err) {
    std::fprintf(out, "Dumping %s\n", path.c_str());
    const std::string name = fileName(path);
    const size_t dot = name.rfind('.');
    const std::string suffix = dot == std::string::npos ? "" : name.substr(dot);
    if (suffix == ".log") return dumpLog(path, options, out, err);
    if (suffix == ".index") return dumpIndex(path, false, out, err);
    if (suffix == ".timeindex") return dumpIndex(path, true, out, err);
    std::fprintf(err, "Ignoring unknown file %s\n", path.c_str());
    return true;
}

}  // namespace bs::consumer
