// `soak`: the chaos soak. N keyed idempotent records go through the embedded 3-node cluster
// while a seeded schedule takes nodes down and up, slows them past request.timeout.ms, injects
// each retriable Produce error and moves leaders; then the consumer reads everything back and
// the soak counts what was lost, duplicated or reordered. With --bootstrap-server it runs
// against another cluster without faults (we cannot cause them there).
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "broker/embedded_cluster.h"
#include "commands.h"
#include "consumer/kafka_consumer.h"
#include "producer/kafka_producer.h"
#include "soak.h"

namespace bs::cli {

namespace {

using Clock = std::chrono::steady_clock;
using client::TopicPartition;

constexpr int64_t kRequestTimeoutMs = 2000;

struct SoakArgs {
    int64_t records = 0;
    std::string bootstrap;
    std::string topic = "soak";
    int32_t partitions = 6;
    int32_t keys = 1000;
    uint64_t seed = 1;
    std::string logLevel = "off";
};

double secondsSince(Clock::time_point t) {
    return std::chrono::duration<double>(Clock::now() - t).count();
}

std::string text(const std::optional<consumer::Bytes>& b) {
    return b ? std::string(reinterpret_cast<const char*>(b->data()), b->size()) : "";
}

// A fresh data dir for the embedded cluster, removed when the soak ends.
struct TempDir {
    std::filesystem::path path;
    TempDir() {
        std::string tmpl = (std::filesystem::temp_directory_path() / "batchscope-soak-XXXXXX");
        if (::mkdtemp(tmpl.data())) path = tmpl;
    }
    ~TempDir() {
        std::error_code ignored;
        if (!path.empty()) std::filesystem::remove_all(path, ignored);
    }
};

// The end offset of each partition. A partition ListOffsets left unanswered is left out with a
// note (librdkafka's mock cluster answers ListOffsets v5 in a form our decoder reads short):
// the read-back then starts it at 0 and ends it at the high watermark its fetches report.
Result<std::map<TopicPartition, int64_t>> endOffsetsOf(consumer::KafkaConsumer& reader,
                                                       const std::vector<TopicPartition>& tps) {
    auto ends = reader.endOffsets(tps, 30000);
    if (!ends) return Error{"end offsets: " + ends.error().message};
    for (const auto& tp : tps)
        if (!ends->contains(tp))
            std::fprintf(stderr, "soak: ListOffsets gave no end offset for %s\n",
                         tp.toString().c_str());
    return ends;
}

// Per partition, what the read-back found.
struct PartitionRead {
    int64_t records = 0, first = -1, last = -1;
};

int runSoak(const SoakArgs& a) {
    spdlog::set_default_logger(spdlog::stderr_color_mt("soak"));
    spdlog::set_level(spdlog::level::from_str(a.logLevel));
    const auto start = Clock::now();
    const bool embedded = a.bootstrap.empty();

    std::optional<TempDir> dir;  // the embedded cluster's only
    std::unique_ptr<broker::EmbeddedCluster> cluster;
    std::string bootstrap = a.bootstrap;
    if (embedded) {
        dir.emplace();
        if (dir->path.empty()) {
            std::fprintf(stderr, "soak: cannot create a data dir under %s\n",
                         std::filesystem::temp_directory_path().c_str());
            return 1;
        }
        broker::ClusterConfig config;
        config.nodeCount = 3;
        config.dataDir = dir->path;
        config.topics = {{a.topic, a.partitions}};
        auto started = broker::EmbeddedCluster::start(config);
        if (!started) {
            std::fprintf(stderr, "soak: embedded cluster: %s\n", started.error().message.c_str());
            return 1;
        }
        cluster = std::move(*started);
        bootstrap = cluster->bootstrapServers();
    }

    auto producerConfig = producer::ProducerConfig::parse(std::map<std::string, std::string>{
        {"bootstrap.servers", bootstrap},
        {"enable.idempotence", "true"},
        {"acks", "all"},
        {"max.in.flight.requests.per.connection", "5"},
        {"request.timeout.ms", std::to_string(kRequestTimeoutMs)},
        {"delivery.timeout.ms", "120000"},
        {"linger.ms", "5"},
        // Errors are injected every few hundred ms; Java's 1 s backoff cap would let them
        // starve a retried batch past delivery.timeout.ms.
        {"retry.backoff.ms", "50"},
        {"retry.backoff.max.ms", "250"},
        {"key.serializer", "string"},
        {"value.serializer", "string"}});
    if (!producerConfig) {
        std::fprintf(stderr, "soak: %s\n", producerConfig.error().message.c_str());
        return 1;
    }
    auto created = producer::KafkaProducer::create(*producerConfig);
    if (!created) {
        std::fprintf(stderr, "soak: producer: %s\n", created.error().message.c_str());
        return 1;
    }
    auto& producer = **created;
    auto partitionInfo = producer.partitionsFor(a.topic);
    if (!partitionInfo) {
        std::fprintf(stderr, "soak: %s\n", partitionInfo.error().message.c_str());
        return 1;
    }
    std::vector<TopicPartition> tps;
    for (const auto& p : *partitionInfo)
        tps.push_back(p.tp);
    std::sort(tps.begin(), tps.end());
    const auto partitions = static_cast<int32_t>(tps.size());

    auto consumerConfig = consumer::ConsumerConfig::parse(
        std::map<std::string, std::string>{{"bootstrap.servers", bootstrap}});
    if (!consumerConfig) {
        std::fprintf(stderr, "soak: %s\n", consumerConfig.error().message.c_str());
        return 1;
    }
    auto madeConsumer = consumer::KafkaConsumer::create(*consumerConfig);
    if (!madeConsumer) {
        std::fprintf(stderr, "soak: consumer: %s\n", madeConsumer.error().message.c_str());
        return 1;
    }
    auto& reader = **madeConsumer;
    // Another cluster's topic may hold older records: read from where it ends now.
    auto startOffsets = endOffsetsOf(reader, tps);
    if (!startOffsets) {
        std::fprintf(stderr, "soak: %s\n", startOffsets.error().message.c_str());
        return 1;
    }

    std::printf("soak: %lld records, %d keys, topic %s (%d partitions), seed %llu, %s\n",
                static_cast<long long>(a.records), a.keys, a.topic.c_str(), partitions,
                static_cast<unsigned long long>(a.seed),
                embedded ? "embedded 3-node cluster" : ("bootstrap " + bootstrap).c_str());
    std::fflush(stdout);

    std::unique_ptr<soak::FaultDriver> faults;
    if (embedded) {
        faults = std::make_unique<soak::FaultDriver>(
            cluster->control(), a.topic, soak::FaultPlan(a.seed, 3, partitions, kRequestTimeoutMs));
        faults->start();
    }

    // Callbacks run on the producer's sender thread.
    std::atomic<int64_t> acked{0}, failed{0};
    std::mutex errorMu;
    std::string firstSendError;  // guarded by errorMu
    std::vector<int64_t> sentPerKey(static_cast<size_t>(a.keys), 0);
    std::mt19937_64 keyRng(a.seed ^ 0x5eed5eed5eedULL);
    const auto kinds = static_cast<uint64_t>(soak::faultKinds().size());
    const auto produceStart = Clock::now();
    producer::ProducerRecord record;
    record.topic = a.topic;
    for (int64_t i = 0; i < a.records; ++i) {
        // The first half of the records never gets ahead of its share of the schedule's first
        // round (every kind once), and the second half answers the errors still armed, so
        // every kind of fault meets records in flight even when N is small.
        if (faults)
            faults->waitForSteps(std::min(
                kinds, static_cast<uint64_t>(i) * 2 * kinds / static_cast<uint64_t>(a.records)));
        const auto key = static_cast<int32_t>(keyRng() % static_cast<uint64_t>(a.keys));
        record.key = soak::keyText(key);
        record.value = soak::valueText(key, sentPerKey[static_cast<size_t>(key)]++);
        producer.send(record, [&](const producer::RecordMetadata&, const Error* e) {
            if (!e) {
                acked.fetch_add(1, std::memory_order_relaxed);
                return;
            }
            failed.fetch_add(1, std::memory_order_relaxed);
            std::lock_guard lock(errorMu);
            if (firstSendError.empty()) firstSendError = e->message;
        });
        if ((i + 1) % 100000 == 0)
            std::fprintf(stderr, "soak: %lld of %lld sent\n", static_cast<long long>(i + 1),
                         static_cast<long long>(a.records));
    }
    producer.flush();
    const double produceSeconds = secondsSince(produceStart);
    std::vector<uint64_t> faultCounts;
    std::string faultError;
    if (faults) {
        faults->stop();
        faultCounts = faults->counts();
        faultError = faults->firstError();
    }
    producer.close();
    if (failed.load() > 0) {
        std::lock_guard lock(errorMu);
        std::fprintf(stderr, "soak: %lld records failed; the first: %s\n",
                     static_cast<long long>(failed.load()), firstSendError.c_str());
    }
    if (!faultError.empty()) std::fprintf(stderr, "soak: a fault failed: %s\n", faultError.c_str());

    // Read back everything from the start offsets to the end offsets after the run.
    const auto readStart = Clock::now();
    auto endOffsets = endOffsetsOf(reader, tps);
    if (!endOffsets) {
        std::fprintf(stderr, "soak: %s\n", endOffsets.error().message.c_str());
        return 1;
    }
    reader.assign(tps);
    std::map<int32_t, int64_t> next;
    for (const auto& tp : tps) {
        const auto known = startOffsets->find(tp);
        next[tp.partition] = known == startOffsets->end() ? 0 : known->second;
        reader.seek(tp, next[tp.partition]);
    }
    soak::OrderCheck check(sentPerKey);
    std::map<int32_t, PartitionRead> read;
    auto complete = [&] {
        for (const auto& tp : tps) {
            const auto known = endOffsets->find(tp);
            const std::optional<int64_t> end = known != endOffsets->end()
                                                   ? std::optional<int64_t>(known->second)
                                                   : reader.highWatermark(tp);
            if (!end || next[tp.partition] < *end) return false;
        }
        return true;
    };
    // A generous bound: reading back is far faster than producing.
    const auto deadline = Clock::now() + std::chrono::seconds(60 + a.records / 10000);
    while (!complete()) {
        if (Clock::now() > deadline) {
            std::fprintf(stderr, "soak: reading back timed out\n");
            break;
        }
        auto records = reader.poll(200);
        if (!records) {
            std::fprintf(stderr, "soak: poll: %s\n", records.error().message.c_str());
            break;
        }
        for (size_t r = 0; r < records->size(); ++r) {
            const consumer::ConsumerRecord rec = (*records)[r];
            PartitionRead& p = read[rec.partition()];
            if (p.records++ == 0) p.first = rec.offset;
            p.last = rec.offset;
            next[rec.partition()] = rec.offset + 1;
            check.add(text(rec.key), text(rec.value));
        }
    }
    reader.close();
    const double readSeconds = secondsSince(readStart);

    for (const auto& tp : tps) {
        const PartitionRead& p = read[tp.partition];
        if (p.records == 0)
            std::printf("partition %d: records=0\n", tp.partition);
        else
            std::printf("partition %d: records=%lld first-offset=%lld last-offset=%lld\n",
                        tp.partition, static_cast<long long>(p.records),
                        static_cast<long long>(p.first), static_cast<long long>(p.last));
    }
    uint64_t faultTotal = 0;
    if (embedded) {
        std::string line = "faults:";
        for (size_t k = 0; k < faultCounts.size(); ++k) {
            line += " " + soak::faultKinds()[k].name + "=" + std::to_string(faultCounts[k]);
            faultTotal += faultCounts[k];
        }
        std::printf("%s\n", line.c_str());
    } else {
        std::printf("faults: none (no fault control over %s)\n", bootstrap.c_str());
    }
    rusage usage{};
    ::getrusage(RUSAGE_SELF, &usage);
    std::printf(
        "time=%.1fs (produce %.1fs, %.0f records/s; read back %.1fs) peak-rss=%ldKiB "
        "send-errors=%lld unexpected=%lld\n",
        secondsSince(start), produceSeconds,
        produceSeconds > 0 ? static_cast<double>(a.records) / produceSeconds : 0.0, readSeconds,
        usage.ru_maxrss, static_cast<long long>(failed.load()),
        static_cast<long long>(check.unexpected()));
    std::printf("lost=%lld duplicated=%lld reordered=%lld faults=%llu\n",
                static_cast<long long>(check.lost()), static_cast<long long>(check.duplicated()),
                static_cast<long long>(check.reordered()),
                static_cast<unsigned long long>(faultTotal));
    std::fflush(stdout);

    if (cluster) (void)cluster->stop();
    // Against our cluster the idempotent producer owes exactly once, in order; elsewhere
    // (librdkafka's mock checks sequences only for transactional producers) at least once.
    const bool nothingLost = check.lost() == 0 && check.unexpected() == 0;
    if (!embedded) return nothingLost ? 0 : 1;
    return nothingLost && check.duplicated() == 0 && check.reordered() == 0 && faultError.empty()
               ? 0
               : 1;
}

}  // namespace

void addSoak(CLI::App& app, Outcome& out) {
    auto args = std::make_shared<SoakArgs>();
    auto* cmd = app.add_subcommand("soak", "chaos soak: idempotent records through faults");
    cmd->footer(
        "Sends N keyed records with enable.idempotence=true, acks=all and\n"
        "request.timeout.ms=2000 (each value is its key and that key's sequence number) while\n"
        "a schedule driven by --seed takes nodes down and up, slows a node past\n"
        "request.timeout.ms, moves leaders and makes Produce requests fail with each retriable\n"
        "error (one fault every 200-500 ms, each reverted after a while). Then it reads every\n"
        "record back and prints a line per partition, the faults caused by kind, the time and\n"
        "peak RSS, and last: lost=L duplicated=D reordered=R faults=F.\n"
        "By default it runs its own embedded 3-node cluster in a temporary data dir and exits\n"
        "0 only when L, D and R are 0. With --bootstrap-server it runs without faults against\n"
        "that cluster, reads from the topic's end offsets before the run, and exits 0 when\n"
        "nothing is lost (duplicates and reorderings are reported, not failures: a broker that\n"
        "does not check idempotent sequences gives at-least-once).");
    cmd->add_option("--records", args->records, "records to send")
        ->required()
        ->check(CLI::PositiveNumber)
        ->type_name("N");
    cmd->add_option("--bootstrap-server", args->bootstrap,
                    "another cluster instead of the embedded one (no faults)")
        ->type_name("HOST:PORT");
    cmd->add_option("--topic", args->topic, "topic written and read back")
        ->capture_default_str()
        ->type_name("TOPIC");
    cmd->add_option("--partitions", args->partitions,
                    "partitions of the embedded cluster's topic (1-1000)")
        ->check(CLI::Range(1, 1000).description(""))
        ->capture_default_str()
        ->type_name("P");
    cmd->add_option("--keys", args->keys, "distinct keys the records spread over (1-1000000)")
        ->check(CLI::Range(1, 1000000).description(""))
        ->capture_default_str()
        ->type_name("K");
    cmd->add_option("--seed", args->seed, "seeds the fault schedule and the keys")
        ->capture_default_str()
        ->type_name("S");
    cmd->add_option("--log-level", args->logLevel, "log level on stderr (default off)")
        ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}).description(""))
        ->type_name("trace|debug|info|warn|error|off");
    cmd->callback([args, &out] { out.exitCode = runSoak(*args); });
}

}  // namespace bs::cli
