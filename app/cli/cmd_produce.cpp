// `produce`: kafka-console-producer. Lines from stdin become records; with --report, prints
// "partition offset" per input line, in input order, once each is acknowledged.
#include <atomic>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "cmd_produce.h"
#include "commands.h"
#include "producer/kafka_producer.h"
#include "record_file_io.h"
#include "serde_cli.h"

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

CLI::Option* addTopicOption(CLI::App* cmd, std::string& topic, const std::string& help) {
    return cmd->add_option("--topic", topic, help)->type_name("TOPIC");
}

CLI::App* addProducerCommand(CLI::App& app, const std::string& name, const std::string& description,
                             const std::string& footer, ProducerOptions& options,
                             PropertiesFlag flag) {
    auto* cmd = app.add_subcommand(name, description);
    cmd->footer(footer);
    addTopicOption(cmd, options.topic, "topic to produce to")->required();
    if (flag == PropertiesFlag::ProducerProperty) {
        cmd->add_option("--producer-property", options.properties,
                        "a producer config property; repeatable (default: Java producer defaults)")
            ->expected(1)
            ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
            ->type_name("K=V");
    } else {
        cmd->add_option("--producer-props", options.properties,
                        "producer config properties, bootstrap.servers among them (default: Java "
                        "producer defaults)")
            ->type_name("K=V");
    }
    cmd->add_option("--producer.config", options.configFile, "producer properties file")
        ->type_name("FILE");
    return cmd;
}

namespace {

// The record's key and value text (JSON) to the schema format's bytes.
Status serializeWithSchema(const ProduceSchemaSerde& schema, producer::ProducerRecord& r) {
    for (auto [field, has] : {std::pair{&r.key, schema.hasKey()}, {&r.value, schema.hasValue()}}) {
        if (!has || !std::holds_alternative<std::string>(*field)) continue;
        const std::string text = std::get<std::string>(*field);
        auto bytes = field == &r.key ? schema.key(text) : schema.value(text);
        if (!bytes) return bytes.error();
        *field = std::move(*bytes);
    }
    return {};
}

struct ProduceArgs {
    ProducerOptions producer;
    std::string bootstrap, compression;
    std::vector<std::string> properties, codec;
    bool report = false;
    RecordFileInput file;  // --input, --format, --skip-bad-lines (record_file_io.h)
};

int runProduce(ProduceArgs a) {
    // Avro (serde_cli.h): its serializers and settings leave the two property lists here.
    auto schema =
        ProduceSchemaSerde::extract(a.producer.properties, a.properties, a.producer.topic);
    if (!schema) {
        std::fprintf(stderr, "produce: %s\n", schema.error().message.c_str());
        return 1;
    }
    bool parseKey = false;
    std::string separator = "\t";
    for (const std::string& p : a.properties) {
        if (p == "parse.key=true") {
            parseKey = true;
        } else if (p == "parse.key=false") {
            parseKey = false;
        } else if (p.rfind("key.separator=", 0) == 0 && p.size() > 14) {
            separator = p.substr(14);
        } else {
            std::fprintf(stderr, "produce: unsupported --property '%s'\n", p.c_str());
            return kUsageError;
        }
    }
    const bool report = a.report;
    if (a.file.active()) {
        std::map<std::string, std::string> forced{{"bootstrap.servers", a.bootstrap},
                                                  {"key.serializer", "bytes"},
                                                  {"value.serializer", "bytes"}};
        if (!a.compression.empty()) forced["compression.type"] = a.compression;
        return produceRecordFile(a.file, a.producer.topic, parseKey ? separator : std::string(),
                                 report, a.producer.config(forced));
    }
    std::map<std::string, std::string> forced{{"bootstrap.servers", a.bootstrap},
                                              {"key.serializer", "string"},
                                              {"value.serializer", "string"}};
    if (!a.compression.empty()) forced["compression.type"] = a.compression;
    if (*schema && (*schema)->hasKey()) forced["key.serializer"] = "bytes";
    if (*schema && (*schema)->hasValue()) forced["value.serializer"] = "bytes";
    auto config = a.producer.config(forced);
    if (!config) {
        std::fprintf(stderr, "produce: %s\n", config.error().message.c_str());
        return kUsageError;
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
    long long lineNumber = 0;
    while (std::getline(std::cin, line)) {
        producer::ProducerRecord r;
        r.topic = a.producer.topic;
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
        ++lineNumber;
        if (*schema) {
            // An invalid record stops the input, as kafka-avro-console-producer does: it and
            // what follows are not sent.
            if (auto s = serializeWithSchema(**schema, r); !s) {
                std::fprintf(stderr, "produce: line %lld: %s\n", lineNumber, s.message().c_str());
                ++failures;
                break;
            }
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

}  // namespace

void addProduce(CLI::App& app, Outcome& out) {
    auto args = std::make_shared<ProduceArgs>();
    auto* cmd = addProducerCommand(
        app, "produce", "send stdin lines like kafka-console-producer",
        "Reads records from stdin, one per line (like kafka-console-producer); with --report,\n"
        "prints 'partition offset' per input line, in input order, once each is acknowledged.\n"
        "\n"
        "Avro in the Schema Registry's wire format, as kafka-avro-console-producer:\n"
        "  --producer-property value.serializer=avro --property schema.registry.url=URL\n"
        "  --property value.schema='{\"type\":\"record\",...}'  (one JSON value per line)\n"
        "Protobuf: value.serializer=protobuf --property value.schema.file=x.proto\n"
        "  --property value.schema.message.type=pkg.Msg  (default: the file's first message)\n"
        "JSON Schema: value.serializer=json-schema --property value.schema='{\"type\":...}'",
        args->producer, PropertiesFlag::ProducerProperty);
    cmd->add_option("--bootstrap-server,--broker-list", args->bootstrap,
                    "brokers to bootstrap from (--broker-list is an alias)")
        ->required()
        ->type_name("LIST");
    cmd->add_option("--property", args->properties,
                    "parse.key=true|false splits each line into key and value (default false); "
                    "key.separator=S separates them (default TAB); with "
                    "value.serializer=avro|protobuf|json-schema (key.serializer likewise): "
                    "schema.registry.url, value.schema, value.schema.file, value.schema.id, "
                    "value.schema.message.type (Protobuf; key.* likewise), "
                    "auto.register.schemas, use.latest.version, basic.auth.credentials.source, "
                    "basic.auth.user.info, value.subject.name.strategy")
        ->expected(1)
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
        ->type_name("K=V");
    auto* compression =
        cmd->add_option("--compression-codec", args->codec,
                        "none|gzip|snappy|lz4|zstd; without a value: gzip (default: "
                        "compression.type, i.e. none)")
            ->expected(0, 1)
            ->type_name("[CODEC]");
    cmd->add_flag("--report", args->report,
                  "print 'partition offset' per input line, in input order");
    addRecordFileInputOptions(cmd, args->file);
    cmd->callback([args, compression, &out] {
        // Kafka's tool: the codec is optional and defaults to gzip.
        if (compression->count() > 0)
            args->compression =
                args->codec.empty() || args->codec.front().empty() ? "gzip" : args->codec.front();
        out.exitCode = runProduce(*args);
    });
}

}  // namespace bs::cli
