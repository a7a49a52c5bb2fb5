// Our Producer vs librdkafka, same settings, same librdkafka mock cluster, one run.
//   bench_producer_vs_rdkafka [--records N] [--record-size B] [--keys K] [--batch-size B]
//                             [--linger-ms L] [--acks A] [--mock-cluster PATH]
// Prints records/s of each and the ratio ours/librdkafka.
#include <librdkafka/rdkafka.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
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
    std::string mockCluster = "tests/tools/mock_cluster";
};

double seconds(Clock::time_point t) {
    return std::chrono::duration<double>(Clock::now() - t).count();
}

double runOurs(const Options& o, const std::string& bootstrap, const std::string& payload) {
    auto config = bs::producer::ProducerConfig::parse(std::map<std::string, std::string>{
        {"bootstrap.servers", bootstrap},
        {"batch.size", std::to_string(o.batchSize)},
        {"linger.ms", std::to_string(o.lingerMs)},
        {"acks", o.acks},
        {"enable.idempotence", o.acks == "all" ? "true" : "false"},
        {"key.serializer", "string"},
        {"value.serializer", "string"}});
    if (!config) throw std::runtime_error(config.error().message);
    auto producer = bs::producer::KafkaProducer::create(*config);
    if (!producer) throw std::runtime_error(producer.error().message);
    bs::producer::ProducerRecord r;
    r.topic = "bench-ours";
    r.value = payload;
    std::atomic<long> errors{0};
    auto start = Clock::now();
    for (long i = 0; i < o.records; ++i) {
        if (o.keys > 0) r.key = std::to_string(i % o.keys);
        (*producer)->send(r, [&errors](const bs::producer::RecordMetadata&, const bs::Error* e) {
            if (e) ++errors;
        });
    }
    (*producer)->flush();
    double s = seconds(start);
    (*producer)->close();
    if (errors) std::fprintf(stderr, "ours: %ld errors\n", errors.load());
    return static_cast<double>(o.records) / s;
}

void deliveryReport(rd_kafka_t*, const rd_kafka_message_t* m, void* opaque) {
    if (m->err) ++*static_cast<long*>(opaque);
}

double runRdkafka(const Options& o, const std::string& bootstrap, const std::string& payload) {
    char err[512];
    rd_kafka_conf_t* conf = rd_kafka_conf_new();
    long errors = 0;
    auto set = [&](const char* k, const std::string& v) {
        if (rd_kafka_conf_set(conf, k, v.c_str(), err, sizeof(err)) != RD_KAFKA_CONF_OK)
            throw std::runtime_error(err);
    };
    set("bootstrap.servers", bootstrap);
    set("batch.size", std::to_string(o.batchSize));
    set("linger.ms", std::to_string(o.lingerMs));
    set("acks", o.acks);
    set("enable.idempotence", o.acks == "all" ? "true" : "false");
    set("queue.buffering.max.messages", "1000000");
    rd_kafka_conf_set_dr_msg_cb(conf, deliveryReport);
    rd_kafka_conf_set_opaque(conf, &errors);
    rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof(err));
    if (!rk) throw std::runtime_error(err);
    rd_kafka_topic_t* rkt = rd_kafka_topic_new(rk, "bench-rdkafka", nullptr);
    auto start = Clock::now();
    for (long i = 0; i < o.records; ++i) {
        std::string key = o.keys > 0 ? std::to_string(i % o.keys) : "";
        for (;;) {
            int rc = rd_kafka_produce(rkt, RD_KAFKA_PARTITION_UA, RD_KAFKA_MSG_F_COPY,
                                      const_cast<char*>(payload.data()), payload.size(),
                                      o.keys > 0 ? key.data() : nullptr, key.size(), nullptr);
            if (rc == 0 || rd_kafka_last_error() != RD_KAFKA_RESP_ERR__QUEUE_FULL) break;
            rd_kafka_poll(rk, 10);
        }
        if ((i & 1023) == 0) rd_kafka_poll(rk, 0);
    }
    rd_kafka_flush(rk, 120000);
    double s = seconds(start);
    rd_kafka_topic_destroy(rkt);
    rd_kafka_destroy(rk);
    if (errors) std::fprintf(stderr, "librdkafka: %ld errors\n", errors);
    return static_cast<double>(o.records) / s;
}

}  // namespace

int main(int argc, char** argv) {
    Options o;
    for (int i = 1; i + 1 < argc; i += 2) {
        std::string a = argv[i], v = argv[i + 1];
        if (a == "--records")
            o.records = std::stol(v);
        else if (a == "--record-size")
            o.recordSize = std::stoi(v);
        else if (a == "--keys")
            o.keys = std::stoi(v);
        else if (a == "--batch-size")
            o.batchSize = std::stoi(v);
        else if (a == "--linger-ms")
            o.lingerMs = std::stoi(v);
        else if (a == "--acks")
            o.acks = v;
        else if (a == "--mock-cluster")
            o.mockCluster = v;
        else {
            std::fprintf(stderr, "unknown option %s\n", a.c_str());
            return 2;
        }
    }
    // The mock cluster runs until its stdin closes: keep a pipe to it open for the whole run.
    int toMock[2], fromMock[2];
    if (pipe(toMock) != 0 || pipe(fromMock) != 0) return 1;
    pid_t child = fork();
    if (child == 0) {
        dup2(toMock[0], 0);
        dup2(fromMock[1], 1);
        close(toMock[1]);
        close(fromMock[0]);
        execl(o.mockCluster.c_str(), o.mockCluster.c_str(), "--brokers", "3", "--topic",
              "bench-ours:6", "--topic", "bench-rdkafka:6", static_cast<char*>(nullptr));
        _exit(127);
    }
    close(toMock[0]);
    close(fromMock[1]);
    FILE* mock = fdopen(fromMock[0], "r");
    char line[1024];
    if (!fgets(line, sizeof(line), mock) || std::strncmp(line, "bootstrap.servers=", 18) != 0) {
        std::fprintf(stderr, "mock_cluster did not start (%s)\n", o.mockCluster.c_str());
        return 1;
    }
    std::string bootstrap(line + 18);
    while (!bootstrap.empty() && (bootstrap.back() == '\n' || bootstrap.back() == '\r'))
        bootstrap.pop_back();
    std::string payload(static_cast<size_t>(o.recordSize), 'x');
    for (size_t i = 0; i < payload.size(); ++i)
        payload[i] = static_cast<char>('A' + i * 7 % 26);

    std::printf("records=%ld record-size=%d keys=%d batch.size=%d linger.ms=%d acks=%s\n",
                o.records, o.recordSize, o.keys, o.batchSize, o.lingerMs, o.acks.c_str());
    double rd = runRdkafka(o, bootstrap, payload);
    double ours = runOurs(o, bootstrap, payload);
    std::printf("librdkafka: %.0f records/s\n", rd);
    std::printf("batchscope: %.0f records/s\n", ours);
    std::printf("ratio batchscope/librdkafka: %.2f\n", ours / rd);
    close(toMock[1]);
    fclose(mock);
    waitpid(child, nullptr, 0);
    return 0;
}
