// `perf`: kafka-producer-perf-test, same flags and the same progress and summary lines; plus
// --keys K to send K distinct keys.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "cmd_produce.h"
#include "commands.h"
#include "common/spin_lock.h"
#include "producer/kafka_producer.h"

namespace bs::cli {

namespace {

using Clock = std::chrono::steady_clock;

int64_t msSince(Clock::time_point t) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t).count();
}

// Java's ProducerPerformance.Stats: totals, a 5 s reporting window, all latencies for the
// percentiles. Callbacks record from the sender thread (a record failed inside send() from the
// sending thread): a spin lock, as nothing under it blocks but the 5 s line's printf.
struct Stats {
    explicit Stats(int64_t numRecords) { latencies.reserve(static_cast<size_t>(numRecords)); }
    void record(int64_t latencyMs, int64_t bytes) {
        std::lock_guard lock(mu);
        ++count;
        totalLatency += latencyMs;
        maxLatency = std::max(maxLatency, latencyMs);
        this->bytes += bytes;
        ++windowCount;
        windowLatency += latencyMs;
        windowMaxLatency = std::max(windowMaxLatency, latencyMs);
        windowBytes += bytes;
        latencies.push_back(static_cast<int32_t>(latencyMs));
        // The clock every 1 024 records, not per record: at a million records a second the
        // 5 s line comes at most a millisecond late.
        if ((windowCount & 1023) == 0 && msSince(windowStart) >= 5000) {
            double secs = static_cast<double>(msSince(windowStart)) / 1000.0;
            std::printf(
                "%lld records sent, %.1f records/sec (%.2f MB/sec), %.1f ms avg latency, "
                "%.1f ms max latency.\n",
                static_cast<long long>(windowCount), static_cast<double>(windowCount) / secs,
                static_cast<double>(windowBytes) / 1024.0 / 1024.0 / secs,
                static_cast<double>(windowLatency) / static_cast<double>(windowCount),
                static_cast<double>(windowMaxLatency));
            std::fflush(stdout);
            windowStart = Clock::now();
            windowCount = windowLatency = windowMaxLatency = windowBytes = 0;
        }
    }
    void printTotal() {
        std::lock_guard lock(mu);
        double secs = std::max(1e-3, static_cast<double>(msSince(start)) / 1000.0);
        std::sort(latencies.begin(), latencies.end());
        auto pct = [&](double p) -> int {
            if (latencies.empty()) return 0;
            size_t i = std::min(latencies.size() - 1,
                                static_cast<size_t>(p * static_cast<double>(latencies.size())));
            return latencies[i];
        };
        std::printf(
            "%lld records sent, %f records/sec (%.2f MB/sec), %.2f ms avg latency, %.2f ms "
            "max latency, %d ms 50th, %d ms 95th, %d ms 99th, %d ms 99.9th.\n",
            static_cast<long long>(count), static_cast<double>(count) / secs,
            static_cast<double>(bytes) / 1024.0 / 1024.0 / secs,
            count ? static_cast<double>(totalLatency) / static_cast<double>(count) : 0.0,
            static_cast<double>(maxLatency), pct(0.5), pct(0.95), pct(0.99), pct(0.999));
    }

    SpinLock mu;
    Clock::time_point start = Clock::now(), windowStart = Clock::now();
    int64_t count = 0, totalLatency = 0, maxLatency = 0, bytes = 0;
    int64_t windowCount = 0, windowLatency = 0, windowMaxLatency = 0, windowBytes = 0;
    std::vector<int32_t> latencies;
    int64_t errors = 0;
};

struct PerfArgs {
    ProducerOptions producer;
    std::string payloadFile;
    int64_t numRecords = 0, throughput = 0, recordSize = 0, keys = 0;
};

int runPerf(const PerfArgs& a) {
    const std::string& topic = a.producer.topic;
    const int64_t numRecords = a.numRecords, throughput = a.throughput, keys = a.keys;
    std::vector<std::string> payloads;
    if (!a.payloadFile.empty()) {
        std::ifstream in(a.payloadFile);
        if (!in) {
            std::fprintf(stderr, "perf: cannot read %s\n", a.payloadFile.c_str());
            return 2;
        }
        for (std::string line; std::getline(in, line);)
            if (!line.empty()) payloads.push_back(line);
        if (payloads.empty()) {
            std::fprintf(stderr, "perf: %s has no payloads\n", a.payloadFile.c_str());
            return 2;
        }
    } else {
        // Java fills the payload with random uppercase letters.
        std::mt19937 rng(42);
        std::string p(static_cast<size_t>(a.recordSize), 'A');
        for (auto& c : p)
            c = static_cast<char>('A' + rng() % 26);
        payloads.push_back(std::move(p));
    }
    auto config = a.producer.config({{"key.serializer", "string"}, {"value.serializer", "string"}});
    if (!config) {
        std::fprintf(stderr, "perf: %s\n", config.error().message.c_str());
        return 2;
    }
    auto created = producer::KafkaProducer::create(*config);
    if (!created) {
        std::fprintf(stderr, "perf: %s\n", created.error().message.c_str());
        return 1;
    }
    auto& producer = **created;
    Stats stats(numRecords);
    std::mt19937 rng(7);
    producer::ProducerRecord record;
    record.topic = topic;
    record.value = payloads.front();
    const auto start = Clock::now();
    for (int64_t i = 0; i < numRecords; ++i) {
        if (payloads.size() > 1) record.value = payloads[rng() % payloads.size()];
        if (keys > 0) record.key = std::to_string(i % keys);
        const int64_t bytes = static_cast<int64_t>(std::get<std::string>(record.value).size());
        // The future would be dropped: sendWithoutFuture spares its reference count. The
        // latency is the producer's own (send() to completion, as Java's perf times it from
        // before send()), so this loop and the callback read no clock per record.
        producer.sendWithoutFuture(
            record, [&stats, bytes](const producer::RecordMetadata& md, const Error* e) {
                if (e) {
                    std::lock_guard lock(stats.mu);
                    if (stats.errors++ == 0) std::fprintf(stderr, "perf: %s\n", e->message.c_str());
                    return;
                }
                stats.record(md.latencyUs / 1000, bytes);
            });
        // Java's ThroughputThrottler: sleep when ahead of the target rate.
        if (throughput > 0) {
            int64_t elapsed = msSince(start);
            int64_t due = (i + 1) * 1000 / throughput;
            if (due > elapsed)
                std::this_thread::sleep_for(std::chrono::milliseconds(due - elapsed));
        }
    }
    producer.flush();
    stats.printTotal();
    producer.close();
    return stats.errors == 0 ? 0 : 1;
}

}  // namespace

void addPerf(CLI::App& app, Outcome& out) {
    auto args = std::make_shared<PerfArgs>();
    auto* cmd = addProducerCommand(
        app, "perf", "measure the producer like kafka-producer-perf-test",
        "Like kafka-producer-perf-test, with the same progress and summary lines; plus --keys K\n"
        "to send K distinct keys.",
        args->producer, PropertiesFlag::ProducerProps);
    cmd->add_option("--num-records", args->numRecords, "records to send")
        ->required()
        ->check(CLI::NonNegativeNumber)
        ->type_name("N");
    cmd->add_option("--throughput", args->throughput, "records/s cap; -1 means no throttling")
        ->required()
        ->type_name("T");
    auto* size = cmd->add_option("--record-size", args->recordSize, "size of each record's value")
                     ->check(CLI::NonNegativeNumber)
                     ->type_name("BYTES");
    auto* file =
        cmd->add_option("--payload-file", args->payloadFile, "values taken from FILE's lines")
            ->type_name("FILE");
    size->excludes(file);
    cmd->add_option("--keys", args->keys, "send K distinct keys; 0 sends keyless records")
        ->check(CLI::NonNegativeNumber)
        ->capture_default_str()
        ->type_name("K");
    cmd->callback([args, size, file, &out] {
        if (size->count() == 0 && file->count() == 0)
            throw CLI::RequiredError("--record-size or --payload-file");
        out.exitCode = runPerf(*args);
    });
}

}  // namespace bs::cli
