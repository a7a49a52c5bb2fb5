// Ingest throughput, librdkafka and our KafkaProducer as the producer: the embedded cluster
// (writing segment files) vs librdkafka's own mock cluster (in memory), in the same run, the
// order alternating round by round. Usage: bench_broker_ingest [--records N] [--value-size B]
//   [--acks all|1|0] [--compression none|lz4|...] [--client both|librdkafka|ours] [--rounds R]
//   [--fetch] [--data-dir DIR] [--io-threads N]
// --io-threads: the embedded cluster's network threads (default: ClusterConfig's).
// --data-dir: where the embedded cluster's segment files go (default: the system's temporary
// directory). A tmpfs there shows what the file system's part of the price is.
// --fetch: after each run a librdkafka consumer reads every record back (Fetch from offset 0 of
// the 6 partitions) and its records/s is printed too.
// Besides records/s, each run prints the server's CPU per record: the on-CPU time
// (/proc/self/task/*/schedstat) of the embedded cluster's network threads (bs-network-*) or of
// the mock's thread (rdk:mock) during the produce, over the records delivered. It varies less
// than throughput on a shared machine, where the client and the server compete for cores.
// "rest" is the rest of the process's CPU in the same span: the producer, mostly.
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "broker/embedded_cluster.h"
#include "producer/kafka_producer.h"

namespace {

struct Options {
    long records = 500000;
    int valueSize = 100;
    std::string acks = "all";
    std::string compression = "none";
    std::string client = "both";
    int rounds = 1;
    bool fetch = false;
    std::filesystem::path dataDir = std::filesystem::temp_directory_path();
    int ioThreads = bs::broker::ClusterConfig{}.ioThreads;
};

struct Run {
    double seconds = 0;
    long delivered = 0;
    long failed = 0;
    double serverNsPerRecord = 0;
    double clientNsPerRecord = 0;  // the rest of the process: the producer, mostly
};

// Nanoseconds on CPU, summed over this process's threads whose name starts with `prefix`.
int64_t threadsCpuNs(const std::string& prefix) {
    int64_t total = 0;
    for (const auto& task : std::filesystem::directory_iterator("/proc/self/task")) {
        std::ifstream comm(task.path() / "comm");
        std::string name;
        std::getline(comm, name);
        if (name.rfind(prefix, 0) != 0) continue;
        std::ifstream stat(task.path() / "schedstat");
        int64_t ns = 0;
        if (stat >> ns) total += ns;
    }
    return total;
}

// Measures one produce: CPU of the server's threads (named `prefix`) and of the rest of the
// process, each per record delivered.
class CpuMeter {
  public:
    explicit CpuMeter(std::string prefix)
        : prefix_(std::move(prefix)), server_(threadsCpuNs(prefix_)), process_(processCpuNs()) {}
    void stop(Run& run) const {
        const int64_t server = threadsCpuNs(prefix_) - server_;
        const int64_t process = processCpuNs() - process_;
        const auto records = static_cast<double>(std::max(run.delivered, 1L));
        run.serverNsPerRecord = static_cast<double>(server) / records;
        run.clientNsPerRecord = static_cast<double>(process - server) / records;
    }

  private:
    static int64_t processCpuNs() {
        timespec ts{};
        ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
        return int64_t{ts.tv_sec} * 1'000'000'000 + ts.tv_nsec;
    }
    std::string prefix_;
    int64_t server_;
    int64_t process_;
};

void onDelivery(rd_kafka_t*, const rd_kafka_message_t* m, void* opaque) {
    auto* run = static_cast<Run*>(opaque);
    if (m->err) {
        ++run->failed;
    } else {
        ++run->delivered;
    }
}

bool set(rd_kafka_conf_t* conf, const char* k, const std::string& v) {
    char err[256];
    if (rd_kafka_conf_set(conf, k, v.c_str(), err, sizeof err) != RD_KAFKA_CONF_OK) {
        std::fprintf(stderr, "%s: %s\n", k, err);
        return false;
    }
    return true;
}

// Produces `records` keyed records to topic "bench" and waits for every delivery report.
Run produce(const std::string& bootstrap, const Options& o) {
    Run run;
    rd_kafka_conf_t* conf = rd_kafka_conf_new();
    set(conf, "bootstrap.servers", bootstrap);
    set(conf, "acks", o.acks);
    set(conf, "compression.codec", o.compression);
    set(conf, "linger.ms", "5");
    set(conf, "queue.buffering.max.messages", "1000000");
    rd_kafka_conf_set_dr_msg_cb(conf, onDelivery);
    rd_kafka_conf_set_opaque(conf, &run);
    char err[256];
    rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
    if (rk == nullptr) {
        std::fprintf(stderr, "rd_kafka_new: %s\n", err);
        std::exit(1);
    }
    // Warm up: metadata and connections before the clock starts.
    rd_kafka_producev(rk, RD_KAFKA_V_TOPIC("bench"), RD_KAFKA_V_VALUE(const_cast<char*>("w"), 1),
                      RD_KAFKA_V_END);
    rd_kafka_flush(rk, 30000);
    run.delivered = 0;
    run.failed = 0;
    std::vector<char> value(static_cast<size_t>(o.valueSize), 'x');
    const auto start = std::chrono::steady_clock::now();
    for (long i = 0; i < o.records; ++i) {
        const std::string key = std::to_string(i % 1000);
        for (;;) {
            auto e = rd_kafka_producev(rk, RD_KAFKA_V_TOPIC("bench"),
                                       RD_KAFKA_V_KEY(const_cast<char*>(key.data()), key.size()),
                                       RD_KAFKA_V_VALUE(value.data(), value.size()),
                                       RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
            if (e != RD_KAFKA_RESP_ERR__QUEUE_FULL) break;
            rd_kafka_poll(rk, 10);
        }
        if ((i & 1023) == 0) rd_kafka_poll(rk, 0);
    }
    rd_kafka_flush(rk, 120000);
    run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    rd_kafka_destroy(rk);
    return run;
}

// The same load through our KafkaProducer (linger.ms 5, idempotence only with acks=all).
Run produceOurs(const std::string& bootstrap, const Options& o) {
    Run run;
    auto config = bs::producer::ProducerConfig::parse(std::map<std::string, std::string>{
        {"bootstrap.servers", bootstrap},
        {"acks", o.acks},
        {"enable.idempotence", o.acks == "all" ? "true" : "false"},
        {"compression.type", o.compression},
        {"linger.ms", "5"},
        {"key.serializer", "string"},
        {"value.serializer", "string"}});
    if (!config) {
        std::fprintf(stderr, "producer config: %s\n", config.error().message.c_str());
        std::exit(1);
    }
    auto producer = bs::producer::KafkaProducer::create(*config);
    if (!producer) {
        std::fprintf(stderr, "producer: %s\n", producer.error().message.c_str());
        std::exit(1);
    }
    auto& p = **producer;
    if (auto parts = p.partitionsFor("bench"); !parts) {
        std::fprintf(stderr, "metadata: %s\n", parts.error().message.c_str());
        std::exit(1);
    }
    std::atomic<long> delivered{0}, failed{0};
    bs::producer::ProducerRecord r;
    r.topic = "bench";
    r.value = std::string(static_cast<size_t>(o.valueSize), 'x');
    const auto start = std::chrono::steady_clock::now();
    for (long i = 0; i < o.records; ++i) {
        r.key = std::to_string(i % 1000);
        // The future would be dropped, as in `batchscope-cli perf` and the producer bench.
        p.sendWithoutFuture(r, [&](const bs::producer::RecordMetadata&, const bs::Error* e) {
            (e ? failed : delivered).fetch_add(1, std::memory_order_relaxed);
        });
    }
    p.flush();
    run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    p.close();
    run.delivered = delivered.load();
    run.failed = failed.load();
    return run;
}

// Reads partitions 0-5 of "bench" from the beginning to their ends with a librdkafka consumer.
Run consume(const std::string& bootstrap) {
    Run run;
    rd_kafka_conf_t* conf = rd_kafka_conf_new();
    set(conf, "bootstrap.servers", bootstrap);
    set(conf, "group.id", "bench-fetch");
    set(conf, "enable.auto.commit", "false");
    set(conf, "enable.partition.eof", "true");
    char err[256];
    rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, err, sizeof err);
    if (rk == nullptr) {
        std::fprintf(stderr, "rd_kafka_new: %s\n", err);
        std::exit(1);
    }
    rd_kafka_topic_partition_list_t* parts = rd_kafka_topic_partition_list_new(6);
    for (int p = 0; p < 6; ++p)
        rd_kafka_topic_partition_list_add(parts, "bench", p)->offset = RD_KAFKA_OFFSET_BEGINNING;
    const auto start = std::chrono::steady_clock::now();
    rd_kafka_assign(rk, parts);
    rd_kafka_topic_partition_list_destroy(parts);
    std::vector<bool> atEnd(6, false);
    while (std::count(atEnd.begin(), atEnd.end(), true) < 6 &&
           std::chrono::steady_clock::now() - start < std::chrono::seconds(120)) {
        rd_kafka_message_t* m = rd_kafka_consumer_poll(rk, 100);
        if (m == nullptr) continue;
        if (m->err == RD_KAFKA_RESP_ERR_NO_ERROR)
            ++run.delivered;
        else if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF && m->partition >= 0 &&
                 m->partition < 6)
            atEnd[static_cast<size_t>(m->partition)] = true;
        else
            ++run.failed;
        rd_kafka_message_destroy(m);
    }
    run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    rd_kafka_consumer_close(rk);
    rd_kafka_destroy(rk);
    return run;
}

void print(const char* name, const Run& r, const Options& o) {
    std::printf("%-18s %9ld records in %6.2f s = %10.0f records/s (%.1f MB/s), %ld failed", name,
                r.delivered, r.seconds, r.delivered / r.seconds,
                r.delivered * static_cast<double>(o.valueSize) / r.seconds / 1e6, r.failed);
    if (r.serverNsPerRecord > 0) {
        std::printf(", CPU per record: server %.0f ns, rest %.0f ns", r.serverNsPerRecord,
                    r.clientNsPerRecord);
    }
    std::printf("\n");
}

}  // namespace

int main(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; i += 2) {
        const std::string f = argv[i];
        if (f != "--fetch" && i + 1 >= argc) {
            std::fprintf(stderr, "%s needs a value\n", f.c_str());
            return 2;
        }
        if (f == "--records")
            o.records = std::atol(argv[i + 1]);
        else if (f == "--value-size")
            o.valueSize = std::atoi(argv[i + 1]);
        else if (f == "--acks")
            o.acks = argv[i + 1];
        else if (f == "--compression")
            o.compression = argv[i + 1];
        else if (f == "--client")
            o.client = argv[i + 1];
        else if (f == "--fetch") {
            o.fetch = true;
            --i;
        } else if (f == "--rounds")
            o.rounds = std::max(1, std::atoi(argv[i + 1]));
        else if (f == "--data-dir")
            o.dataDir = argv[i + 1];
        else if (f == "--io-threads")
            o.ioThreads = std::max(1, std::atoi(argv[i + 1]));
        else {
            std::fprintf(stderr, "unknown option %s\n", f.c_str());
            return 2;
        }
    }
    spdlog::set_level(spdlog::level::warn);
    std::printf(
        "librdkafka %s, %ld records of %d bytes, 1000 keys, acks=%s, compression=%s, data in %s\n",
        rd_kafka_version_str(), o.records, o.valueSize, o.acks.c_str(), o.compression.c_str(),
        o.dataDir.c_str());

    bool ok = true;
    // One client's records/s into the embedded cluster (fresh data directory) or into the mock.
    auto intoEmbedded = [&](auto produceWith) {
        const auto dir = o.dataDir / ("bench-broker-" + std::to_string(::getpid()));
        bs::broker::ClusterConfig config;
        config.dataDir = dir;
        config.ioThreads = o.ioThreads;
        config.topics.push_back({"bench", 6});
        auto cluster = bs::broker::EmbeddedCluster::start(config);
        if (!cluster) {
            std::fprintf(stderr, "embedded cluster: %s\n", cluster.error().message.c_str());
            std::exit(1);
        }
        CpuMeter cpu("bs-network-");
        Run run = produceWith((*cluster)->bootstrapServers(), o);
        cpu.stop(run);
        if (o.fetch) print("  embedded fetch", consume((*cluster)->bootstrapServers()), o);
        (void)(*cluster)->stop();
        cluster->reset();
        std::filesystem::remove_all(dir);
        print("  embedded cluster", run, o);
        ok = ok && run.failed == 0;
        return run;
    };
    auto intoMock = [&](auto produceWith) {
        char err[256];
        rd_kafka_conf_t* mconf = rd_kafka_conf_new();
        rd_kafka_t* mrk = rd_kafka_new(RD_KAFKA_PRODUCER, mconf, err, sizeof err);
        rd_kafka_mock_cluster_t* mock = rd_kafka_mock_cluster_new(mrk, 3);
        rd_kafka_mock_topic_create(mock, "bench", 6, 1);
        CpuMeter cpu("rdk:mock");
        Run run = produceWith(rd_kafka_mock_cluster_bootstraps(mock), o);
        cpu.stop(run);
        if (o.fetch) print("  mock fetch", consume(rd_kafka_mock_cluster_bootstraps(mock)), o);
        rd_kafka_mock_cluster_destroy(mock);
        rd_kafka_destroy(mrk);
        print("  librdkafka mock", run, o);
        ok = ok && run.failed == 0;
        return run;
    };
    auto line = [&](const char* client, auto produceWith) {
        std::vector<double> ratios, cpuRatios;
        for (int round = 0; round < o.rounds; ++round) {
            std::printf("%s producer, round %d:\n", client, round + 1);
            Run embedded, mock;
            if (round % 2 == 0) {
                embedded = intoEmbedded(produceWith);
                mock = intoMock(produceWith);
            } else {
                mock = intoMock(produceWith);
                embedded = intoEmbedded(produceWith);
            }
            ratios.push_back((embedded.delivered / embedded.seconds) /
                             (mock.delivered / mock.seconds));
            cpuRatios.push_back(embedded.serverNsPerRecord / std::max(mock.serverNsPerRecord, 1.0));
            std::printf("  ratio embedded/mock: %.2f (server CPU per record %.2f)\n", ratios.back(),
                        cpuRatios.back());
        }
        std::sort(ratios.begin(), ratios.end());
        std::sort(cpuRatios.begin(), cpuRatios.end());
        std::printf("%s producer: ratio embedded/mock median %.2f [%.2f-%.2f] of %d rounds\n",
                    client, ratios[ratios.size() / 2], ratios.front(), ratios.back(), o.rounds);
        std::printf("%s producer: server CPU per record, embedded/mock median %.2f [%.2f-%.2f]\n",
                    client, cpuRatios[cpuRatios.size() / 2], cpuRatios.front(), cpuRatios.back());
        std::fflush(stdout);
    };
    if (o.client == "both" || o.client == "librdkafka") line("librdkafka", produce);
    if (o.client == "both" || o.client == "ours") line("our", produceOurs);
    return ok ? 0 : 1;
}
