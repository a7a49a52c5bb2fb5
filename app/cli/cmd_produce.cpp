// `produce`: kafka-console-producer. Lines from stdin become records; with --report, prints
// "partition offset" per input line, in input order, once each is acknowledged.
#include <atomic>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "cmd_produce.h"
#include "commands.h"
#include "producer/kafka_producer.h"

namespace bs::cli {

using producer::ProducerConfig;

Result<ProducerConfig> buildProducerConfig(const std::string& configFile,
                                           const std::vector<std::string>& keyValues,
                                           const std::map<std::string, std::string>& forced) {
    std::vector<std::pair<std::string, std::string>> kv;
    if (!configFile.empty()) {
        std::ifstream in(configFile);
        if (!in) return Error{"cannot read " + configFile};
        std::stringstream text;
        text << in.rdbuf();
        auto file = ProducerConfig::parsePropertiesText(text.str());
        if (!file) return Error{configFile + ": " + file.error().message};
        kv = std::move(*file);
    }
    for (const auto& s : keyValues) {
        auto eq = s.find('=');
        if (eq == std::string::npos || eq == 0) return Error{"expected key=value, got '" + s + "'"};
        kv.emplace_back(s.substr(0, eq), s.substr(eq + 1));
    }
    for (const auto& [k, v] : forced)
        kv.emplace_back(k, v);
    return ProducerConfig::parse(kv);
}

namespace {

void usage(std::FILE* out) {
    std::fprintf(
        out,
        "usage: batchscope-cli produce --bootstrap-server HOST:PORT --topic TOPIC [options]\n"
        "Reads records from stdin, one per line (like kafka-console-producer).\n"
        "\n"
        "  --bootstrap-server LIST    brokers to bootstrap from (required;\n"
        "                             --broker-list is accepted as an alias)\n"
        "  --topic TOPIC              topic to produce to (required)\n"
        "  --property parse.key=B     split each line into key and value (default: false)\n"
        "  --property key.separator=S separator between key and value (default: TAB)\n"
        "  --producer-property K=V    a producer config property; repeatable\n"
        "                             (default: Java producer defaults)\n"
        "  --producer.config FILE     producer properties file (default: none)\n"
        "  --compression-codec [C]    none|gzip|snappy|lz4|zstd; without a value: gzip\n"
        "                             (default: compression.type, i.e. none)\n"
        "  --report                   print 'partition offset' per input line, in input\n"
        "                             order (default: off)\n"
        "  -h, --help                 show this help\n");
}

}  // namespace

int runProduce(int argc, char** argv) {
    std::string bootstrap, topic, configFile, compression;
    std::vector<std::string> props;
    bool parseKey = false, report = false;
    std::string separator = "\t";
    for (int i = 0; i < argc; ++i) {
        std::string a = argv[i];
        auto next = [&]() -> const char* { return i + 1 < argc ? argv[++i] : nullptr; };
        const char* v = nullptr;
        if (a == "--help" || a == "-h") {
            usage(stdout);
            return 0;
        } else if (a == "--report") {
            report = true;
        } else if (a == "--compression-codec") {
            // Kafka's tool: the codec is optional and defaults to gzip.
            compression = (i + 1 < argc && argv[i + 1][0] != '-') ? argv[++i] : "gzip";
        } else if ((a == "--bootstrap-server" || a == "--broker-list") && (v = next())) {
            bootstrap = v;
        } else if (a == "--topic" && (v = next())) {
            topic = v;
        } else if (a == "--producer.config" && (v = next())) {
            configFile = v;
        } else if (a == "--producer-property" && (v = next())) {
            props.push_back(v);
        } else if (a == "--property" && (v = next())) {
            std::string p = v;
            if (p == "parse.key=true")
                parseKey = true;
            else if (p == "parse.key=false")
                parseKey = false;
            else if (p.rfind("key.separator=", 0) == 0 && p.size() > 14)
                separator = p.substr(14);
            else {
                std::fprintf(stderr, "produce: unsupported --property '%s'\n", v);
                return 2;
            }
        } else {
            std::fprintf(stderr, "produce: unknown or incomplete option '%s'\n", a.c_str());
            usage(stderr);
            return 2;
        }
    }
    if (bootstrap.empty() || topic.empty()) {
        std::fprintf(stderr, "produce: --bootstrap-server and --topic are required\n");
        usage(stderr);
        return 2;
    }
    std::map<std::string, std::string> forced{{"bootstrap.servers", bootstrap},
                                              {"key.serializer", "string"},
                                              {"value.serializer", "string"}};
    if (!compression.empty()) forced["compression.type"] = compression;
    auto config = buildProducerConfig(configFile, props, forced);
    if (!config) {
        std::fprintf(stderr, "produce: %s\n", config.error().message.c_str());
        return 2;
    }
    auto created = producer::KafkaProducer::create(*config);
    if (!created) {
        std::fprintf(stderr, "produce: %s\n", created.error().message.c_str());
        return 1;
    }
    auto& p = **created;
    std::vector<producer::FutureRecordMetadata> futures;
    std::string line;
    std::atomic<int> failures{0};
    while (std::getline(std::cin, line)) {
        producer::ProducerRecord r;
        r.topic = topic;
        if (parseKey) {
            auto pos = line.find(separator);
            if (pos == std::string::npos) {
                std::fprintf(stderr, "produce: no key separator found on line: %s\n", line.c_str());
                ++failures;
                continue;
            }
            r.key = line.substr(0, pos);
            r.value = line.substr(pos + separator.size());
        } else {
            r.value = line;
        }
        auto f = p.send(r, [&failures](const producer::RecordMetadata&, const Error* e) {
            if (e) {
                std::fprintf(stderr, "produce: %s\n", e->message.c_str());
                ++failures;
            }
        });
        if (report) futures.push_back(f);
    }
    p.flush();
    for (const auto& f : futures) {
        auto md = f.get();
        if (md.ok()) {
            std::printf("%d %lld\n", md->partition, static_cast<long long>(md->offset));
        } else {
            std::printf("error %s\n", md.error().message.c_str());
        }
    }
    p.close();
    return failures == 0 ? 0 : 1;
}

}  // namespace bs::cli
