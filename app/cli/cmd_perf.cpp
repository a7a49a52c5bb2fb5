// `perf`: kafka-producer-perf-test, same flags and the same progress and summary lines; plus
// --keys K to send K distinct keys.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <mutex>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "cmd_produce.h"
#include "commands.h"
#include "producer/kafka_producer.h"

namespace bs::cli {

namespace {

using Clock = std::chrono::steady_clock;

int64_t msSince(Clock::time_point t) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t).count();
}

// Java's ProducerPerformance.Stats: totals, a 5 s reporting window, all latencies for the
// percentiles. Callbacks record from the sender thread; guarded by mu.
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
        if (msSince(windowStart) >= 5000) {
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

    std::mutex mu;
    Clock::time_point start = Clock::now(), windowStart = Clock::now();
    int64_t count = 0, totalLatency = 0, maxLatency = 0, bytes = 0;
    int64_t windowCount = 0, windowLatency = 0, windowMaxLatency = 0, windowBytes = 0;
    std::vector<int32_t> latencies;
    int64_t errors = 0;
};

void usage(std::FILE* out) {
    std::fprintf(
        out,
        "usage: batchscope-cli perf --topic TOPIC --num-records N --throughput T\n"
        "  (--record-size BYTES | --payload-file FILE) [options]\n"
        "Like kafka-producer-perf-test, with the same progress and summary lines.\n"
        "\n"
        "  --topic TOPIC              topic to produce to (required)\n"
        "  --num-records N            records to send (required)\n"
        "  --throughput T             records/s cap; -1 means no throttling (required)\n"
        "  --record-size BYTES        size of each record's value (one of this or\n"
        "                             --payload-file is required)\n"
        "  --payload-file FILE        values taken from FILE's lines (default: none)\n"
        "  --keys K                   send K distinct keys; 0 sends keyless records\n"
        "                             (default: 0)\n"
        "  --producer-props K=V ...   producer config properties, bootstrap.servers among\n"
        "                             them (default: Java producer defaults)\n"
        "  --producer.config FILE     producer properties file (default: none)\n"
        "  -h, --help                 show this help\n");
}

}  // namespace

int runPerf(int argc, char** argv) {
    std::string topic, configFile, payloadFile;
    int64_t numRecords = -1, throughput = 0, recordSize = -1, keys = 0;
    bool haveThroughput = false;
    std::vector<std::string> props;
    for (int i = 0; i < argc; ++i) {
        std::string a = argv[i];
        auto next = [&]() -> const char* { return i + 1 < argc ? argv[++i] : nullptr; };
        const char* v = nullptr;
        try {
            if (a == "--help" || a == "-h") {
                usage(stdout);
                return 0;
            } else if (a == "--topic" && (v = next())) {
                topic = v;
            } else if (a == "--num-records" && (v = next())) {
                numRecords = std::stoll(v);
            } else if (a == "--throughput" && (v = next())) {
                throughput = std::stoll(v);
                haveThroughput = true;
            } else if (a == "--record-size" && (v = next())) {
                recordSize = std::stoll(v);
            } else if (a == "--keys" && (v = next())) {
                keys = std::stoll(v);
            } else if (a == "--payload-file" && (v = next())) {
                payloadFile = v;
            } else if (a == "--producer.config" && (v = next())) {
                configFile = v;
            } else if (a == "--producer-props") {
                while (i + 1 < argc && argv[i + 1][0] != '-')
                    props.push_back(argv[++i]);
            } else {
                std::fprintf(stderr, "perf: unknown or incomplete option '%s'\n", a.c_str());
                usage(stderr);
                return 2;
            }
        } catch (const std::exception&) {
            std::fprintf(stderr, "perf: %s needs a number, got '%s'\n", a.c_str(), v ? v : "");
            return 2;
        }
    }
    if (topic.empty() || numRecords < 0 || !haveThroughput ||
        (recordSize < 0 && payloadFile.empty()) || keys < 0) {
        std::fprintf(stderr,
                     "perf: --topic, --num-records, --throughput and one of "
                     "--record-size/--payload-file are required\n");
        usage(stderr);
        return 2;
    }
    std::vector<std::string> payloads;
    if (!payloadFile.empty()) {
        std::ifstream in(payloadFile);
        if (!in) {
            std::fprintf(stderr, "perf: cannot read %s\n", payloadFile.c_str());
            return 2;
        }
        for (std::string line; std::getline(in, line);)
            if (!line.empty()) payloads.push_back(line);
        if (payloads.empty()) {
            std::fprintf(stderr, "perf: %s has no payloads\n", payloadFile.c_str());
            return 2;
        }
    } else {
        // Java fills the payload with random uppercase letters.
        std::mt19937 rng(42);
        std::string p(static_cast<size_t>(recordSize), 'A');
        for (auto& c : p)
            c = static_cast<char>('A' + rng() % 26);
        payloads.push_back(std::move(p));
    }
    auto config = buildProducerConfig(
        configFile, props, {{"key.serializer", "string"}, {"value.serializer", "string"}});
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
        const auto sendStart = Clock::now();
        producer.send(record,
                      [&stats, sendStart, bytes](const producer::RecordMetadata&, const Error* e) {
                          if (e) {
                              std::lock_guard lock(stats.mu);
                              if (stats.errors++ == 0)
                                  std::fprintf(stderr, "perf: %s\n", e->message.c_str());
                              return;
                          }
                          stats.record(msSince(sendStart), bytes);
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

}  // namespace bs::cli
