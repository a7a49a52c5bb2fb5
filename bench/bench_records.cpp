// RecordBatch v2 write/read throughput per codec (100-byte values) and CRC32C speed of both
// paths. Usage: bench_records [batch bytes (default 16384, Kafka's batch.size)] [records]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "protocol/record/crc32c.h"
#include "protocol/record/record_batch.h"

using namespace bs::protocol;
using Clock = std::chrono::steady_clock;

namespace {

double secondsSince(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

// JSON-ish 100-byte values: realistic redundancy (field names) plus varying digits.
std::vector<std::string> makeValues(size_t count) {
    std::mt19937 rng(100);
    std::vector<std::string> values;
    values.reserve(count);
    for (size_t i = 0; i < count; ++i) {
        std::string v = "{\"id\":" + std::to_string(rng() % 1000000) + ",\"user\":\"user-" +
                        std::to_string(rng() % 5000) +
                        "\",\"event\":\"click\",\"amount\":" + std::to_string(rng() % 100000) +
                        ",\"pad\":\"";
        while (v.size() < 98)
            v.push_back(static_cast<char>('a' + rng() % 26));
        v += "\"}";
        values.push_back(std::move(v));
    }
    return values;
}

struct Result {
    double writeSeconds = 0;
    double readSeconds = 0;
    size_t wireBytes = 0;
    size_t batches = 0;
};

// `wire` arrives with its pages already touched, so no codec pays first-touch page faults.
Result run(CompressionType type, const std::vector<std::string>& values, size_t batchBytes,
           std::vector<uint8_t>& wire) {
    Result result;
    // As Java: batch.size is the write limit on the ESTIMATED compressed size, so compressed
    // batches hold more uncompressed records than batch.size; give them room for that.
    const bool compressed = type != CompressionType::None;
    std::vector<uint8_t> buffer(compressed ? 4 * batchBytes : batchBytes);
    wire.clear();
    float ratio = 1.0f;  // as Java's CompressionRatioEstimator, learned from closed batches
    const auto writeStart = Clock::now();
    size_t i = 0;
    while (i < values.size()) {
        RecordBatchBuilder builder(buffer, type, TimestampType::CreateTime,
                                   kDefaultCompressionLevel, batchBytes);
        builder.setEstimatedCompressionRatio(ratio);
        for (; i < values.size(); ++i) {
            const auto& v = values[i];
            if (!builder.tryAppend(1'700'000'000'000 + static_cast<int64_t>(i), std::nullopt,
                                   Bytes(reinterpret_cast<const uint8_t*>(v.data()), v.size()))) {
                break;
            }
        }
        auto built = builder.close();
        if (!built.ok()) {
            std::fprintf(stderr, "close failed: %s\n", built.error().message.c_str());
            std::exit(1);
        }
        ratio = builder.compressionRatio();
        wire.insert(wire.end(), built->begin(), built->end());
        ++result.batches;
    }
    result.writeSeconds = secondsSince(writeStart);
    result.wireBytes = wire.size();

    const auto readStart = Clock::now();
    RecordBatchReader reader(wire);
    Record record;
    size_t records = 0;
    size_t valueBytes = 0;
    while (reader.nextBatch()) {
        while (reader.nextRecord(record)) {
            ++records;
            valueBytes += record.value ? record.value->size() : 0;
        }
    }
    result.readSeconds = secondsSince(readStart);
    if (!reader.ok() || records != values.size() || valueBytes != values.size() * 100) {
        std::fprintf(stderr, "read back failed: %s (%zu records)\n", reader.error().c_str(),
                     records);
        std::exit(1);
    }
    return result;
}

double crcGbPerSecond(uint32_t (*fn)(const void*, size_t, uint32_t), size_t totalBytes) {
    std::vector<uint8_t> data(1u << 20);
    std::mt19937 rng(1);
    for (auto& b : data)
        b = static_cast<uint8_t>(rng());
    uint32_t crc = 0;
    const auto start = Clock::now();
    for (size_t done = 0; done < totalBytes; done += data.size()) {
        crc = fn(data.data(), data.size(), crc);
    }
    const double s = secondsSince(start);
    std::printf("  (checksum %08x)\n", crc);
    return static_cast<double>(totalBytes) / s / 1e9;
}

}  // namespace

int main(int argc, char** argv) {
    const size_t batchBytes = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 16384;
    const size_t count = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 500000;
    const auto values = makeValues(count);
    std::printf("RecordBatch v2: %zu records, 100-byte values, no key, batches of %zu bytes\n",
                count, batchBytes);
    std::printf("%-7s %9s %12s %9s %12s %9s %8s\n", "codec", "batches", "write rec/s", "MB/s",
                "read rec/s", "MB/s", "ratio");
    std::vector<uint8_t> wire(count * 120 + (1u << 20));
    for (int c = 0; c <= 4; ++c) {
        const auto type = static_cast<CompressionType>(c);
        const Result r = run(type, values, batchBytes, wire);
        const double mb = static_cast<double>(count) * 100 / 1e6;  // value payload
        std::printf("%-7s %9zu %12.0f %9.1f %12.0f %9.1f %8.3f\n",
                    std::string(compressionName(type)).c_str(), r.batches,
                    static_cast<double>(count) / r.writeSeconds, mb / r.writeSeconds,
                    static_cast<double>(count) / r.readSeconds, mb / r.readSeconds,
                    static_cast<double>(r.wireBytes) / (static_cast<double>(count) * 100));
    }
    std::printf(
        "(MB/s counts value payload; ratio = wire bytes / value bytes; write includes "
        "compression, header and CRC; read includes CRC check, decompression, parsing)\n");
    std::printf("CRC32C portable (slicing-by-8):\n");
    const double portable = crcGbPerSecond(crc32cPortable, size_t{1} << 30);
    std::printf("  %.2f GB/s\n", portable);
    if (crc32cHardwareAvailable()) {
        std::printf("CRC32C hardware (SSE4.2):\n");
        const double hw = crcGbPerSecond(crc32cHardware, size_t{4} << 30);
        std::printf("  %.2f GB/s\n", hw);
    } else {
        std::printf("CRC32C hardware: not available on this CPU\n");
    }
    return 0;
}
