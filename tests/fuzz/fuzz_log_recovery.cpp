// Segment and index recovery from arbitrary file contents. Byte 0: flags (bit 0: verify every
// segment's CRCs, not only the last one's). Then chunks of [file id, u16 big-endian length,
// bytes]: ids 0-2 are the .log, .index and .timeindex of the segment at offset 0, 3-5 those of
// the segment at offset 100. Log::open recovers the directory; invariants when it opens:
// offsets are ordered, every offset in the log is readable and locatable, reads return whole
// batches (CRC-valid ones when every segment was verified), an append lands at the log end, and
// a clean close then reopen recovers the same log with nothing to cut.

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <span>
#include <string>
#include <vector>

#include "broker/storage/log.h"
#include "broker/storage/log_segment.h"
#include "fuzz_common.h"
#include "protocol/record/record_batch.h"
#include "support/mock_clock.h"

using namespace bs;
using namespace bs::broker;
namespace fs = std::filesystem;

namespace {

fs::path scratchDir() {
    const fs::path base = fs::exists("/dev/shm") ? fs::path("/dev/shm") : fs::temp_directory_path();
    return base / ("bs-fuzz-log-" + std::to_string(::getpid()));
}

struct Cleanup {
    ~Cleanup() {
        std::error_code ec;
        fs::remove_all(scratchDir(), ec);
    }
};

void writeFile(const fs::path& p, std::span<const uint8_t> bytes) {
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(bytes.data()),
              static_cast<std::streamsize>(bytes.size()));
}

std::vector<uint8_t> oneBatch() {
    std::vector<uint8_t> buf(256);
    protocol::RecordBatchBuilder b(buf, protocol::CompressionType::None);
    const uint8_t v[] = {'f', 'u', 'z', 'z'};
    b.tryAppend(1'700'000'000'000, std::nullopt, protocol::Bytes(v));
    auto bytes = b.close();
    return {bytes->begin(), bytes->end()};
}

// Walks the log from its start to its end through read().
void readEverything(const Log& log, bool verified) {
    int64_t offset = log.logStartOffset();
    const int64_t end = log.logEndOffset();
    for (int guard = 0; offset < end; ++guard) {
        fuzz::check(guard < 100000, "reading the log does not make progress");
        auto loc = log.locate(offset);
        auto r = log.read(offset, 1 << 20);
        fuzz::check(r.ok(), "an offset inside the log is not readable");
        if (r.records.empty()) {
            // Offsets with no batch (a gap) are not locatable; nothing more can be read.
            fuzz::check(!loc.ok(), "a located offset reads no bytes");
            return;
        }
        auto first = protocol::parseBatchHeader(r.records);
        fuzz::check(first.ok(), "read returned bytes that are not a batch");
        fuzz::check(first->lastOffset() >= offset, "read returned a batch before the offset");
        int64_t next = offset;
        protocol::RecordBatchReader reader(r.records, 1 << 20);
        size_t bytes = 0;
        while (reader.nextBatch()) {
            next = reader.batch().nextOffset();
            bytes += reader.batch().sizeInBytes();
        }
        if (verified) {
            fuzz::check(reader.ok() && bytes == r.records.size(),
                        "a verified log returned a batch the reader refuses");
        }
        if (!reader.ok()) {
            next = first->nextOffset();
        }
        fuzz::check(next > offset, "read made no progress");
        offset = next;
    }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    spdlog::set_level(spdlog::level::off);
    static Cleanup cleanup;
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 1) return 0;
    const bool verifyAll = data[0] & 1;
    const fs::path dir = scratchDir() / "t-0";
    std::error_code ec;
    fs::remove_all(dir, ec);
    fs::create_directories(dir);

    const char* suffixes[] = {".log", ".index", ".timeindex"};
    std::vector<uint8_t> files[6];
    for (size_t pos = 1; pos + 3 <= size;) {
        const size_t id = data[pos] % 6;
        const size_t len =
            std::min<size_t>((size_t{data[pos + 1]} << 8) | data[pos + 2], size - pos - 3);
        files[id].assign(data + pos + 3, data + pos + 3 + len);
        pos += 3 + len;
    }
    for (size_t id = 0; id < 6; ++id) {
        if (files[id].empty() && id % 3 != 0) continue;  // a segment may lack its indexes
        if (id >= 3 && files[3].empty() && files[4].empty() && files[5].empty()) continue;
        const int64_t base = id < 3 ? 0 : 100;
        writeFile(dir / LogSegment::fileName(base, suffixes[id % 3]), files[id]);
    }

    MockClock clock;
    LogConfig config;
    config.indexIntervalBytes = 64;  // dense indexes: more entries to check
    Log::Options options;
    options.verifyAllSegments = verifyAll;
    options.unknownProducerIdPolicy = UnknownProducerIdPolicy::Accept;
    auto opened = Log::open(dir.string(), config, clock, options);
    if (!opened.ok()) return 0;
    auto& log = *opened;
    const int64_t start = log->logStartOffset();
    const int64_t end = log->logEndOffset();
    fuzz::check(start <= end, "log start offset after the log end offset");
    readEverything(*log, verifyAll);
    (void)log->offsetForTimestamp(0);
    (void)log->maxTimestampOffset();

    auto batch = oneBatch();
    AppendInfo info = log->append(batch);
    int64_t endAfter = end;
    if (info.ok()) {
        fuzz::check(info.baseOffset == end, "append did not land at the log end");
        endAfter = log->logEndOffset();
        fuzz::check(endAfter == end + 1, "append of one record moved the end by another amount");
    }
    fuzz::check(log->close().ok(), "close failed");
    log.reset();

    auto again = Log::open(dir.string(), config, clock, options);
    fuzz::check(again.ok(), "a log that opened and closed cleanly does not reopen");
    fuzz::check((*again)->recoveryInfo().truncatedBytes == 0,
                "reopening a cleanly closed log cut bytes");
    fuzz::check((*again)->logEndOffset() == endAfter, "reopened log has another end offset");
    fuzz::check((*again)->logStartOffset() == start, "reopened log has another start offset");
    return 0;
}
