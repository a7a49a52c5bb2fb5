// Our KafkaProducer vs librdkafka, same settings, against librdkafka's mock cluster (3 brokers),
// in the same run. One line: `--pairs` pairs of runs (ours and librdkafka, the order alternating
// pair by pair), each line printing the median and the range of records/s of each client and of
// the per-pair ratios. `--matrix`: the lines of issue 21's matrix, one factor at a time around
// the base line (1000 keys, acks=1, no compression, 1 thread, 100 B), each against a fresh mock.
// `--latency`: records one at a time at `--rate` records/s with linger.ms=0, each client's
// delivery latency (send() to its callback) p50/p95/p99/p99.9/max in microseconds.
// `--overload`: buffer.memory 32 MiB (librdkafka: queue.buffering.max.kbytes=32768), broker 1 of
// the mock answering `--rtt-ms` (2000) late, each client sending as fast as it can for
// `--seconds` (20) in a child process of its own; prints each one's peak RSS (VmHWM), the records
// sent and the time send() spent blocked on full buffers. `--heap-profile`: the same load, ours
// alone and in this process, for `heaptrack` (which follows one process).
//   bench_producer_vs_rdkafka [--records N] [--record-size B] [--keys K] [--batch-size B]
//       [--linger-ms L] [--acks 0|1|all] [--compression none|lz4|zstd|gzip] [--threads T]
//       [--pairs P] [--matrix] [--latency] [--rate R] [--mock-cluster PATH]
//       [--overload|--heap-profile [--seconds S] [--rtt-ms MS]]
// acks=all runs with enable.idempotence=true in both clients, acks 0 and 1 without.
#include <librdkafka/rdkafka.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "producer/kafka_producer.h"

namespace {

using Clock = std::chrono::steady_clock;

struct Options {
    long records = 300000;
    int recordSize = 100;
    int keys = 0;
    int batchSize = 16384;
    int lingerMs = 5;
    std::string acks = "all";
    std::string compression = "none";
    int threads = 1;
    int pairs = 5;
    bool matrix = false;
    bool latency = false;
    int rate = 1000;
    bool overload = false;
    int seconds = 20;
    int rttMs = 2000;
    bool heapProfile = false;  // --overload: ours alone, in this process
    std::string mockCluster = "tests/tools/mock_cluster";
};

int64_t nowNs() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch())
        .count();
}

double seconds(Clock::time_point t) {
    return std::chrono::duration<double>(Clock::now() - t).count();
}

std::string idempotence(const Options& o) {
    return o.acks == "all" ? "true" : "false";
}

// The keys of record i (shared by both clients).
std::vector<std::string> makeKeys(int n) {
    std::vector<std::string> keys;
    for (int i = 0; i < n; ++i)
        keys.push_back("key-" + std::to_string(i));
    return keys;
}

// ---------------------------------------------------------------- the mock cluster

// Nanoseconds on CPU of a process's threads, those that exited included.
double cpuClockNs(clockid_t clock) {
    timespec ts{};
    if (clock_gettime(clock, &ts) != 0) return 0;
    return static_cast<double>(ts.tv_sec) * 1e9 + static_cast<double>(ts.tv_nsec);
}

struct Mock {
    pid_t pid = -1;
    int toMock = -1;
    FILE* out = nullptr;
    std::string bootstrap;

    // Nanoseconds on CPU so far, all the mock's threads (0 if it is gone).
    double cpuNs() const {
        clockid_t clock;
        return clock_getcpuclockid(pid, &clock) == 0 ? cpuClockNs(clock) : 0;
    }

    // Sends one command line (see tests/tools/mock_cluster.c) and waits for its "ok".
    void command(const std::string& line) {
        const std::string l = line + "\n";
        if (write(toMock, l.data(), l.size()) != static_cast<ssize_t>(l.size()))
            throw std::runtime_error("mock_cluster: cannot write " + line);
        char answer[512];
        if (!fgets(answer, sizeof(answer), out) || std::strncmp(answer, "ok", 2) != 0)
            throw std::runtime_error("mock_cluster: " + line + ": " + answer);
    }

    explicit Mock(const std::string& path) {
        // It runs until its stdin closes: a pipe to it stays open while it is needed.
        int in[2], fromMock[2];
        if (pipe(in) != 0 || pipe(fromMock) != 0) throw std::runtime_error("pipe");
        pid = fork();
        if (pid == 0) {
            dup2(in[0], 0);
            dup2(fromMock[1], 1);
            close(in[1]);
            close(fromMock[0]);
            // Under --heap-profile a preloaded heap profiler profiles this process only.
            unsetenv("LD_PRELOAD");
            execl(path.c_str(), path.c_str(), "--brokers", "3", "--topic", "bench-ours:6",
                  "--topic", "bench-rdkafka:6", static_cast<char*>(nullptr));
            _exit(127);
        }
        close(in[0]);
        close(fromMock[1]);
        toMock = in[1];
        out = fdopen(fromMock[0], "r");
        char line[1024];
        if (!fgets(line, sizeof(line), out) || std::strncmp(line, "bootstrap.servers=", 18) != 0)
            throw std::runtime_error("mock_cluster did not start (" + path + ")");
        bootstrap = line + 18;
        while (!bootstrap.empty() && (bootstrap.back() == '\n' || bootstrap.back() == '\r'))
            bootstrap.pop_back();
    }
    ~Mock() {
        close(toMock);
        fclose(out);
        waitpid(pid, nullptr, 0);
    }
};

// ---------------------------------------------------------------- ours

// `extra`: settings on top of the common ones (they replace a common one of the same name).
std::unique_ptr<bs::producer::KafkaProducer> makeOurs(
    const Options& o, const std::string& bootstrap,
    const std::map<std::string, std::string>& extra = {}) {
    std::map<std::string, std::string> props{{"bootstrap.servers", bootstrap},
                                             {"batch.size", std::to_string(o.batchSize)},
                                             {"linger.ms", std::to_string(o.lingerMs)},
                                             {"acks", o.acks},
                                             {"enable.idempotence", idempotence(o)},
                                             {"compression.type", o.compression},
                                             {"key.serializer", "string"},
                                             {"value.serializer", "string"}};
    for (const auto& [k, v] : extra)
        props[k] = v;
    auto config = bs::producer::ProducerConfig::parse(props);
    if (!config) throw std::runtime_error(config.error().message);
    auto producer = bs::producer::KafkaProducer::create(*config);
    if (!producer) throw std::runtime_error(producer.error().message);
    // Metadata and connections before the clock starts (librdkafka's are warmed up the same way).
    if (auto p = (*producer)->partitionsFor("bench-ours"); !p)
        throw std::runtime_error(p.error().message);
    return std::move(*producer);
}

double processCpuNs() {
    return cpuClockNs(CLOCK_PROCESS_CPUTIME_ID);
}

// Time the producer's sending threads spent blocked in BufferPool.allocate() so far (its
// bufferpool-wait-time-ns-total metric).
double poolWaitNs(bs::producer::KafkaProducer& producer) {
    for (const auto& m : producer.metrics())
        if (m.name == "bufferpool-wait-time-ns-total" && m.group == "producer-metrics")
            return m.value;
    return 0;
}

// Records/s, and `poolWaitShare`: the share of the run the sending threads spent blocked in
// BufferPool.allocate() (buffer.memory full: the broker was taking the records slower than
// send() made them, so the broker, not the producer, bounded the rate).
double runOurs(const Options& o, const std::string& bootstrap, const std::string& payload,
               const std::vector<std::string>& keys, double* poolWaitShare = nullptr) {
    auto producer = makeOurs(o, bootstrap);
    std::atomic<long> errors{0};
    const long perThread = o.records / o.threads;
    auto start = Clock::now();
    std::vector<std::thread> threads;
    for (int t = 0; t < o.threads; ++t)
        threads.emplace_back([&, t] {
            bs::producer::ProducerRecord r;
            r.topic = "bench-ours";
            r.value = payload;
            for (long i = t * perThread; i < (t + 1) * perThread; ++i) {
                if (!keys.empty()) r.key = keys[static_cast<size_t>(i) % keys.size()];
                producer->sendWithoutFuture(
                    r, [&errors](const bs::producer::RecordMetadata&, const bs::Error* e) {
                        if (e) errors.fetch_add(1, std::memory_order_relaxed);
                    });
            }
        });
    for (auto& t : threads)
        t.join();
    producer->flush();
    double s = seconds(start);
    if (poolWaitShare) *poolWaitShare = poolWaitNs(*producer) / 1e9 / (s * o.threads);
    producer->close();
    if (errors) std::fprintf(stderr, "ours: %ld errors\n", errors.load());
    return static_cast<double>(perThread * o.threads) / s;
}

// ---------------------------------------------------------------- librdkafka

struct Rd {
    rd_kafka_t* rk = nullptr;
    rd_kafka_topic_t* rkt = nullptr;
    std::atomic<long> errors{0};
    std::vector<int64_t>* sentNs = nullptr;  // latency mode: send time by record index
    std::vector<int64_t>* latencyNs = nullptr;
};

void deliveryReport(rd_kafka_t*, const rd_kafka_message_t* m, void* opaque) {
    auto* rd = static_cast<Rd*>(opaque);
    if (m->err) rd->errors.fetch_add(1, std::memory_order_relaxed);
    if (rd->latencyNs) {
        const auto i = reinterpret_cast<uintptr_t>(m->_private);
        (*rd->latencyNs)[i] = nowNs() - (*rd->sentNs)[i];
    }
}

// `extra`: settings on top of the common ones (a later set overrides an earlier one).
void makeRdkafka(const Options& o, const std::string& bootstrap, Rd& rd,
                 const std::vector<std::pair<const char*, std::string>>& extra = {}) {
    char err[512];
    rd_kafka_conf_t* conf = rd_kafka_conf_new();
    auto set = [&](const char* k, const std::string& v) {
        if (rd_kafka_conf_set(conf, k, v.c_str(), err, sizeof(err)) != RD_KAFKA_CONF_OK)
            throw std::runtime_error(err);
    };
    set("bootstrap.servers", bootstrap);
    set("batch.size", std::to_string(o.batchSize));
    set("linger.ms", std::to_string(o.lingerMs));
    set("acks", o.acks);
    set("enable.idempotence", idempotence(o));
    set("compression.codec", o.compression);
    set("queue.buffering.max.messages", "1000000");
    for (const auto& [k, v] : extra)
        set(k, v);
    rd_kafka_conf_set_dr_msg_cb(conf, deliveryReport);
    rd_kafka_conf_set_opaque(conf, &rd);
    rd.rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof(err));
    if (!rd.rk) throw std::runtime_error(err);
    rd.rkt = rd_kafka_topic_new(rd.rk, "bench-rdkafka", nullptr);
    const rd_kafka_metadata_t* md = nullptr;
    if (rd_kafka_metadata(rd.rk, 0, rd.rkt, &md, 10000) == RD_KAFKA_RESP_ERR_NO_ERROR)
        rd_kafka_metadata_destroy(md);
}

void destroyRdkafka(Rd& rd) {
    rd_kafka_topic_destroy(rd.rkt);
    rd_kafka_destroy(rd.rk);
    if (rd.errors) std::fprintf(stderr, "librdkafka: %ld errors\n", rd.errors.load());
}

void produceRd(Rd& rd, const std::string& payload, const std::string* key, void* opaque) {
    for (;;) {
        int rc = rd_kafka_produce(rd.rkt, RD_KAFKA_PARTITION_UA, RD_KAFKA_MSG_F_COPY,
                                  const_cast<char*>(payload.data()), payload.size(),
                                  key ? key->data() : nullptr, key ? key->size() : 0, opaque);
        if (rc == 0 || rd_kafka_last_error() != RD_KAFKA_RESP_ERR__QUEUE_FULL) return;
        rd_kafka_poll(rd.rk, 10);
    }
}

double runRdkafka(const Options& o, const std::string& bootstrap, const std::string& payload,
                  const std::vector<std::string>& keys) {
    Rd rd;
    makeRdkafka(o, bootstrap, rd);
    const long perThread = o.records / o.threads;
    auto start = Clock::now();
    std::vector<std::thread> threads;
    for (int t = 0; t < o.threads; ++t)
        threads.emplace_back([&, t] {
            for (long i = t * perThread; i < (t + 1) * perThread; ++i) {
                produceRd(rd, payload,
                          keys.empty() ? nullptr : &keys[static_cast<size_t>(i) % keys.size()],
                          nullptr);
                if ((i & 1023) == 0) rd_kafka_poll(rd.rk, 0);
            }
        });
    for (auto& t : threads)
        t.join();
    rd_kafka_flush(rd.rk, 120000);
    double s = seconds(start);
    destroyRdkafka(rd);
    return static_cast<double>(perThread * o.threads) / s;
}

// ---------------------------------------------------------------- one line: pairs of runs

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const size_t n = v.size();
    return n == 0 ? 0 : n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

std::string describe(const Options& o) {
    char buf[256];
    std::snprintf(buf, sizeof(buf), "keys=%-4d acks=%-3s compression=%-4s threads=%d size=%-4d",
                  o.keys, o.acks.c_str(), o.compression.c_str(), o.threads, o.recordSize);
    return buf;
}

std::string payloadOf(int size) {
    std::string payload(static_cast<size_t>(size), 'x');
    for (size_t i = 0; i < payload.size(); ++i)
        payload[i] = static_cast<char>('A' + i * 7 % 26);
    return payload;
}

// Pair p of a line: librdkafka first in even pairs, ours first in odd ones, so neither client
// always runs on a warmer (or busier) machine.
template <class Ours, class Theirs>
void inPairOrder(int p, Ours&& ours, Theirs&& theirs) {
    if (p % 2 == 0) {
        theirs();
        ours();
    } else {
        ours();
        theirs();
    }
}

void runLine(const Options& o) {
    Mock mock(o.mockCluster);
    const std::string payload = payloadOf(o.recordSize);
    const auto keys = makeKeys(o.keys);
    std::vector<double> ours, rd, ratio, waits, oursCpu, rdCpu, oursMockCpu, rdMockCpu;
    // CPU per record of the client (this process; the mock is a process of its own) and of the
    // mock serving it. They vary less than records/s on a shared machine, so they show a change
    // in the producer's cost that the rate's noise hides; and where the two cores are full, the
    // rate follows their sum.
    auto cpuPerRecord = [&](auto&& run, std::vector<double>& client, std::vector<double>& server) {
        const double before = processCpuNs(), mockBefore = mock.cpuNs();
        run();
        const double clientAfter = processCpuNs();
        // The mock may still be working through what the client wrote (acks=0 returns once the
        // bytes are on the socket): its CPU is read once it stops rising, so that none of it is
        // counted against the next run, the other client's.
        double mockAfter = mock.cpuNs();
        for (int i = 0; i < 100; ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
            const double now = mock.cpuNs();
            const bool settled = now - mockAfter < 1e6;
            mockAfter = now;
            if (settled) break;
        }
        const auto n = static_cast<double>(o.records / o.threads * o.threads);
        client.push_back((clientAfter - before) / n);
        server.push_back((mockAfter - mockBefore) / n);
    };
    for (int p = 0; p < o.pairs; ++p) {
        double a = 0, b = 0, wait = 0;
        inPairOrder(
            p,
            [&] {
                cpuPerRecord([&] { a = runOurs(o, mock.bootstrap, payload, keys, &wait); }, oursCpu,
                             oursMockCpu);
            },
            [&] {
                cpuPerRecord([&] { b = runRdkafka(o, mock.bootstrap, payload, keys); }, rdCpu,
                             rdMockCpu);
            });
        waits.push_back(wait);
        ours.push_back(a);
        rd.push_back(b);
        ratio.push_back(a / b);
    }
    // "median [min-max]" in millions (rates) or as is (ratios).
    auto range = [](const std::vector<double>& v, bool rate) {
        const double scale = rate ? 1e6 : 1;
        char buf[96];
        std::snprintf(buf, sizeof(buf), "%.2f%s [%.2f-%.2f]", median(v) / scale, rate ? " M/s" : "",
                      *std::min_element(v.begin(), v.end()) / scale,
                      *std::max_element(v.begin(), v.end()) / scale);
        return std::string(buf);
    };
    // Each pair's ratio, and how much of ours' run it waited for buffer memory: a ratio held
    // down by a broker that could not keep up shows as a large wait.
    std::string perPair;
    for (size_t i = 0; i < ratio.size(); ++i) {
        char buf[48];
        std::snprintf(buf, sizeof(buf), "%s%.2f (pool wait %.0f%%)", i ? ", " : "", ratio[i],
                      100 * waits[i]);
        perPair += buf;
    }
    std::printf(
        "%s | ours %s | librdkafka %s | ratio %s (%d pairs)\n    pairs: %s\n"
        "    CPU per record, ns: client ours %s, librdkafka %s; the mock serving ours %s, "
        "librdkafka %s\n",
        describe(o).c_str(), range(ours, true).c_str(), range(rd, true).c_str(),
        range(ratio, false).c_str(), o.pairs, perPair.c_str(), range(oursCpu, false).c_str(),
        range(rdCpu, false).c_str(), range(oursMockCpu, false).c_str(),
        range(rdMockCpu, false).c_str());
    std::fflush(stdout);
}

// ---------------------------------------------------------------- latency at a low rate

struct Percentiles {
    double p50 = 0, p95 = 0, p99 = 0, p999 = 0, max = 0;
};

Percentiles percentilesUs(std::vector<int64_t> ns) {
    std::sort(ns.begin(), ns.end());
    auto at = [&](double q) {
        const size_t i = std::min(ns.size() - 1, static_cast<size_t>(q * double(ns.size())));
        return double(ns[i]) / 1000.0;
    };
    return {at(0.50), at(0.95), at(0.99), at(0.999), double(ns.back()) / 1000.0};
}

// Sends o.records records, record i at start + i / rate.
template <typename Send>
void paced(const Options& o, Send send) {
    const int64_t start = nowNs();
    const int64_t stepNs = 1'000'000'000 / o.rate;
    for (long i = 0; i < o.records; ++i) {
        const int64_t due = start + i * stepNs;
        for (int64_t now = nowNs(); now < due; now = nowNs())
            std::this_thread::sleep_for(std::chrono::nanoseconds(due - now));
        send(i);
    }
}

Percentiles latencyOurs(const Options& o, const std::string& bootstrap, const std::string& payload,
                        const std::vector<std::string>& keys) {
    auto producer = makeOurs(o, bootstrap);
    std::vector<int64_t> sent(static_cast<size_t>(o.records)), lat(sent.size(), -1);
    bs::producer::ProducerRecord r;
    r.topic = "bench-ours";
    r.value = payload;
    paced(o, [&](long i) {
        if (!keys.empty()) r.key = keys[static_cast<size_t>(i) % keys.size()];
        const auto idx = static_cast<size_t>(i);
        sent[idx] = nowNs();
        producer->send(r, [&lat, &sent, idx](const bs::producer::RecordMetadata&,
                                             const bs::Error*) { lat[idx] = nowNs() - sent[idx]; });
    });
    producer->flush();
    producer->close();
    return percentilesUs(lat);
}

Percentiles latencyRdkafka(const Options& o, const std::string& bootstrap,
                           const std::string& payload, const std::vector<std::string>& keys) {
    Rd rd;
    std::vector<int64_t> sent(static_cast<size_t>(o.records)), lat(sent.size(), -1);
    rd.sentNs = &sent;
    rd.latencyNs = &lat;
    makeRdkafka(o, bootstrap, rd);
    // Delivery reports are served as they arrive, as our sender thread runs callbacks.
    std::atomic<bool> stop{false};
    std::thread poller([&] {
        while (!stop.load())
            rd_kafka_poll(rd.rk, 100);
    });
    paced(o, [&](long i) {
        const auto idx = static_cast<uintptr_t>(i);
        sent[idx] = nowNs();
        produceRd(rd, payload, keys.empty() ? nullptr : &keys[idx % keys.size()],
                  reinterpret_cast<void*>(idx));
    });
    rd_kafka_flush(rd.rk, 120000);
    stop = true;
    poller.join();
    destroyRdkafka(rd);
    return percentilesUs(lat);
}

void printPercentiles(const char* who, const Percentiles& p) {
    std::printf("  %s p50 %7.0f us  p95 %7.0f us  p99 %7.0f us  p99.9 %7.0f us  max %7.0f us\n",
                who, p.p50, p.p95, p.p99, p.p999, p.max);
}

void runLatency(Options o) {
    o.lingerMs = 0;
    Mock mock(o.mockCluster);
    const std::string payload = payloadOf(o.recordSize);
    const auto keys = makeKeys(o.keys);
    std::printf("latency: %ld records at %d/s, linger.ms=0, %s\n", o.records, o.rate,
                describe(o).c_str());
    for (int p = 0; p < o.pairs; ++p) {
        Percentiles ours, rd;
        inPairOrder(
            p, [&] { ours = latencyOurs(o, mock.bootstrap, payload, keys); },
            [&] { rd = latencyRdkafka(o, mock.bootstrap, payload, keys); });
        printPercentiles("ours      ", ours);
        printPercentiles("librdkafka", rd);
        std::fflush(stdout);
    }
}

// ---------------------------------------------------------------- memory under overload

constexpr int64_t kBufferMemory = 32 * 1024 * 1024;

// What one client's child process reports back through a pipe.
struct OverloadResult {
    long sent = 0;           // send()/produce calls that returned accepted
    long acknowledged = 0;   // callbacks without error when the time was up
    long failed = 0;         // callbacks with an error when the time was up
    double blockedS = 0;     // time inside send() (ours) or waiting on QUEUE_FULL (librdkafka)
    long baselineKb = 0;     // VmRSS before the client was created
    long peakKb = 0;         // VmHWM when the time was up
    int64_t poolWaitNs = 0;  // ours: bufferpool-wait-time-ns-total
};

long statusKb(const char* field) {
    std::ifstream in("/proc/self/status");
    std::string line;
    const size_t n = std::strlen(field);
    while (std::getline(in, line))
        if (line.compare(0, n, field) == 0) return std::atol(line.c_str() + n + 1);
    return -1;
}

OverloadResult overloadOurs(const Options& o, const std::string& bootstrap,
                            const std::string& payload, const std::vector<std::string>& keys) {
    OverloadResult r;
    r.baselineKb = statusKb("VmRSS");
    // Never destroyed: its destructor would wait for the slow broker; the child exits with _exit.
    bs::producer::KafkaProducer* producer =
        makeOurs(o, bootstrap,
                 {{"buffer.memory", std::to_string(kBufferMemory)}, {"max.block.ms", "600000"}})
            .release();
    std::atomic<long> ok{0}, failed{0};
    bs::producer::ProducerRecord rec;
    rec.topic = "bench-ours";
    rec.value = payload;
    const auto end = Clock::now() + std::chrono::seconds(o.seconds);
    int64_t blockedNs = 0;
    for (long i = 0; Clock::now() < end; ++i) {
        if (!keys.empty()) rec.key = keys[static_cast<size_t>(i) % keys.size()];
        const int64_t t0 = nowNs();
        producer->send(rec,
                       [&ok, &failed](const bs::producer::RecordMetadata&, const bs::Error* e) {
                           (e ? failed : ok).fetch_add(1, std::memory_order_relaxed);
                       });
        blockedNs += nowNs() - t0;
        ++r.sent;
    }
    r.blockedS = double(blockedNs) / 1e9;
    r.acknowledged = ok.load();
    r.failed = failed.load();
    r.peakKb = statusKb("VmHWM");
    r.poolWaitNs = static_cast<int64_t>(poolWaitNs(*producer));
    return r;
}

OverloadResult overloadRdkafka(const Options& o, const std::string& bootstrap,
                               const std::string& payload, const std::vector<std::string>& keys) {
    OverloadResult r;
    r.baselineKb = statusKb("VmRSS");
    Rd rd;
    // The byte bound binds, not the message count (librdkafka's default is 100 000 messages).
    makeRdkafka(o, bootstrap, rd,
                {{"queue.buffering.max.kbytes", std::to_string(kBufferMemory / 1024)},
                 {"queue.buffering.max.messages", "10000000"}});
    const auto end = Clock::now() + std::chrono::seconds(o.seconds);
    int64_t blockedNs = 0;
    for (long i = 0; Clock::now() < end; ++i) {
        const std::string* key =
            keys.empty() ? nullptr : &keys[static_cast<size_t>(i) % keys.size()];
        for (;;) {
            int rc = rd_kafka_produce(rd.rkt, RD_KAFKA_PARTITION_UA, RD_KAFKA_MSG_F_COPY,
                                      const_cast<char*>(payload.data()), payload.size(),
                                      key ? key->data() : nullptr, key ? key->size() : 0, nullptr);
            if (rc == 0) {
                ++r.sent;
                break;
            }
            if (rd_kafka_last_error() != RD_KAFKA_RESP_ERR__QUEUE_FULL) break;
            // librdkafka never blocks in produce: waiting here is its back-pressure.
            const int64_t t0 = nowNs();
            rd_kafka_poll(rd.rk, 10);
            blockedNs += nowNs() - t0;
            if (Clock::now() >= end) break;
        }
        if ((i & 1023) == 0) rd_kafka_poll(rd.rk, 0);
    }
    r.blockedS = double(blockedNs) / 1e9;
    r.failed = rd.errors.load();
    r.acknowledged = r.sent - rd_kafka_outq_len(rd.rk) - r.failed;
    r.peakKb = statusKb("VmHWM");
    return r;
}

// Broker 1 of `mock` answers o.rttMs late and leads 2 of each topic's 6 partitions (the mock
// picks leaders at random: pinned).
void slowBroker(const Options& o, Mock& mock) {
    for (const char* topic : {"bench-ours", "bench-rdkafka"})
        for (int p = 0; p < 6; ++p)
            mock.command("leader " + std::string(topic) + " " + std::to_string(p) + " " +
                         std::to_string(p % 3 + 1));
    mock.command("rtt 1 " + std::to_string(o.rttMs));
}

// Runs `client` in a child process (so each peak RSS is its own) against a fresh mock whose
// broker 1 answers o.rttMs late.
template <typename Client>
OverloadResult inChild(const Options& o, Client client) {
    Mock mock(o.mockCluster);
    slowBroker(o, mock);
    int fds[2];
    if (pipe(fds) != 0) throw std::runtime_error("pipe");
    std::fflush(stdout);
    const pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        OverloadResult r;
        try {
            r = client(mock.bootstrap);
        } catch (const std::exception& e) {
            std::fprintf(stderr, "%s\n", e.what());
            _exit(1);
        }
        if (write(fds[1], &r, sizeof(r)) != static_cast<ssize_t>(sizeof(r))) _exit(1);
        _exit(0);  // no destructors: the producers still hold minutes of slow-broker work
    }
    close(fds[1]);
    OverloadResult r;
    const bool got = read(fds[0], &r, sizeof(r)) == static_cast<ssize_t>(sizeof(r));
    close(fds[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    if (!got) throw std::runtime_error("overload child failed");
    return r;
}

void runOverload(const Options& o) {
    const std::string payload = payloadOf(o.recordSize);
    const auto keys = makeKeys(o.keys);
    const double boundMiB = double(kBufferMemory) / 1048576 + 64;
    std::printf(
        "overload: buffer.memory %lld MiB, broker 1 of 3 answering %d ms late, %d s of "
        "send() as fast as possible, %s\n",
        static_cast<long long>(kBufferMemory >> 20), o.rttMs, o.seconds, describe(o).c_str());
    auto print = [&](const char* who, const OverloadResult& r) {
        std::printf(
            "  %-10s peak RSS %7.1f MiB (baseline %5.1f, bound %.0f: %s)  sent %9ld  "
            "acked %9ld  failed %ld  in send()/blocked %5.1f s",
            who, double(r.peakKb) / 1024, double(r.baselineKb) / 1024, boundMiB,
            double(r.peakKb) / 1024 <= boundMiB ? "ok" : "OVER", r.sent, r.acknowledged, r.failed,
            r.blockedS);
        if (r.poolWaitNs) std::printf(" (buffer pool wait %.1f s)", double(r.poolWaitNs) / 1e9);
        std::printf("\n");
        std::fflush(stdout);
    };
    if (o.heapProfile) {
        // One run of ours in this process (no fork), for `heaptrack bench_producer_vs_rdkafka
        // --heap-profile`: the allocations behind the peak RSS.
        Mock mock(o.mockCluster);
        slowBroker(o, mock);
        print("ours", overloadOurs(o, mock.bootstrap, payload, keys));
        std::exit(0);  // the producer still holds minutes of slow-broker work: not joined
    }
    for (int p = 0; p < o.pairs; ++p) {
        auto ours = [&] {
            print("ours", inChild(o, [&](const std::string& b) {
                      return overloadOurs(o, b, payload, keys);
                  }));
        };
        auto rd = [&] {
            print("librdkafka", inChild(o, [&](const std::string& b) {
                      return overloadRdkafka(o, b, payload, keys);
                  }));
        };
        inPairOrder(p, ours, rd);
    }
}

}  // namespace

int main(int argc, char** argv) {
    Options o;
    bool recordsGiven = false;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "--matrix") {
            o.matrix = true;
            continue;
        }
        if (a == "--latency") {
            o.latency = true;
            continue;
        }
        if (a == "--overload") {
            o.overload = true;
            continue;
        }
        if (a == "--heap-profile") {
            o.overload = o.heapProfile = true;
            continue;
        }
        if (i + 1 >= argc) {
            std::fprintf(stderr, "%s needs a value\n", a.c_str());
            return 2;
        }
        std::string v = argv[++i];
        if (a == "--records") {
            o.records = std::stol(v);
            recordsGiven = true;
        } else if (a == "--record-size")
            o.recordSize = std::stoi(v);
        else if (a == "--keys")
            o.keys = std::stoi(v);
        else if (a == "--batch-size")
            o.batchSize = std::stoi(v);
        else if (a == "--linger-ms")
            o.lingerMs = std::stoi(v);
        else if (a == "--acks")
            o.acks = v;
        else if (a == "--compression")
            o.compression = v;
        else if (a == "--threads")
            o.threads = std::max(1, std::stoi(v));
        else if (a == "--pairs")
            o.pairs = std::max(1, std::stoi(v));
        else if (a == "--rate")
            o.rate = std::max(1, std::stoi(v));
        else if (a == "--mock-cluster")
            o.mockCluster = v;
        else if (a == "--seconds")
            o.seconds = std::max(1, std::stoi(v));
        else if (a == "--rtt-ms")
            o.rttMs = std::max(0, std::stoi(v));
        else {
            std::fprintf(stderr, "unknown option %s\n", a.c_str());
            return 2;
        }
    }
    if (o.acks != "0" && o.acks != "1" && o.acks != "all" && o.acks != "-1") {
        std::fprintf(stderr, "--acks: 0, 1 or all, not %s\n", o.acks.c_str());
        return 2;
    }
    try {
        if (o.overload) {
            runOverload(o);
            return 0;
        }
        if (o.latency) {
            if (!recordsGiven) o.records = 5000;
            runLatency(o);
            return 0;
        }
        std::printf("records=%ld batch.size=%d linger.ms=%d, median [min-max] of %d pairs\n",
                    o.records, o.batchSize, o.lingerMs, o.pairs);
        if (!o.matrix) {
            runLine(o);
            return 0;
        }
        // One factor at a time around the base line.
        Options base = o;
        base.keys = 1000;
        base.acks = "1";
        base.compression = "none";
        base.threads = 1;
        base.recordSize = 100;
        std::vector<Options> lines{base};
        auto vary = [&](auto change) {
            Options l = base;
            change(l);
            lines.push_back(l);
        };
        vary([](Options& l) { l.keys = 0; });
        vary([](Options& l) { l.acks = "0"; });
        vary([](Options& l) { l.acks = "all"; });
        for (const char* c : {"lz4", "zstd", "gzip"})
            vary([c](Options& l) { l.compression = c; });
        vary([](Options& l) { l.threads = 2; });
        vary([](Options& l) { l.threads = 4; });
        vary([](Options& l) { l.recordSize = 1000; });
        for (const Options& l : lines)
            runLine(l);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "%s\n", e.what());
        return 1;
    }
    return 0;
}
