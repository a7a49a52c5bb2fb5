// Ingest throughput with librdkafka as the producer: the embedded cluster vs librdkafka's own
// mock cluster, in the same run. Usage: bench_broker_ingest [--records N] [--value-size B]
//   [--acks all|1|0] [--compression none|lz4|...]
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "broker/embedded_cluster.h"

namespace {

struct Options {
    long records = 500000;
    int valueSize = 100;
    std::string acks = "all";
    std::string compression = "none";
};

struct Run {
    double seconds = 0;
    long delivered = 0;
    long failed = 0;
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

void print(const char* name, const Run& r, const Options& o) {
    std::printf("%-18s %9ld records in %6.2f s = %10.0f records/s (%.1f MB/s), %ld failed\n", name,
                r.delivered, r.seconds, r.delivered / r.seconds,
                r.delivered * static_cast<double>(o.valueSize) / r.seconds / 1e6, r.failed);
}

}  // namespace

int main(int argc, char** argv) {
    Options o;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string f = argv[i];
        if (f == "--records")
            o.records = std::atol(argv[i + 1]);
        else if (f == "--value-size")
            o.valueSize = std::atoi(argv[i + 1]);
        else if (f == "--acks")
            o.acks = argv[i + 1];
        else if (f == "--compression")
            o.compression = argv[i + 1];
        else {
            std::fprintf(stderr, "unknown option %s\n", f.c_str());
            return 2;
        }
    }
    spdlog::set_level(spdlog::level::warn);
    std::printf("librdkafka %s producer, %ld records of %d bytes, acks=%s, compression=%s\n",
                rd_kafka_version_str(), o.records, o.valueSize, o.acks.c_str(),
                o.compression.c_str());

    const auto dir =
        std::filesystem::temp_directory_path() / ("bench-broker-" + std::to_string(::getpid()));
    bs::broker::ClusterConfig config;
    config.dataDir = dir;
    config.topics.push_back({"bench", 6});
    auto cluster = bs::broker::EmbeddedCluster::start(config);
    if (!cluster) {
        std::fprintf(stderr, "embedded cluster: %s\n", cluster.error().message.c_str());
        return 1;
    }
    const Run ours = produce((*cluster)->bootstrapServers(), o);
    (void)(*cluster)->stop();
    cluster->reset();
    std::filesystem::remove_all(dir);

    char err[256];
    rd_kafka_conf_t* mconf = rd_kafka_conf_new();
    rd_kafka_t* mrk = rd_kafka_new(RD_KAFKA_PRODUCER, mconf, err, sizeof err);
    rd_kafka_mock_cluster_t* mock = rd_kafka_mock_cluster_new(mrk, 3);
    rd_kafka_mock_topic_create(mock, "bench", 6, 1);
    const Run theirs = produce(rd_kafka_mock_cluster_bootstraps(mock), o);
    rd_kafka_mock_cluster_destroy(mock);
    rd_kafka_destroy(mrk);

    print("embedded cluster", ours, o);
    print("librdkafka mock", theirs, o);
    std::printf("ratio embedded/mock: %.2f\n",
                (ours.delivered / ours.seconds) / (theirs.delivered / theirs.seconds));
    return ours.failed == 0 && theirs.failed == 0 ? 0 : 1;
}
