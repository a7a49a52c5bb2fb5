// batchscope-cli consume: kafka-console-consumer; --group commits without group membership
// (consume_group.h).
#include <spdlog/spdlog.h>
#include <algorithm>
#include <atomic>
#include <charconv>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "commands.h"
#include "consume_group.h"
#include "consumer/kafka_consumer.h"
#include "consumer/message_formatter.h"
#include "producer/producer_config.h"
#include "record_file_io.h"
#include "serde_cli.h"

namespace bs::cli {

namespace {

using consumer::TopicPartition;

std::atomic<bool> gStop{false};
extern "C" void onConsumeSignal(int) {
    gStop.store(true);
}

struct Options {
    std::string bootstrap;
    std::optional<std::string> topic;
    std::optional<int32_t> partition;
    std::optional<std::string> offset;
    bool fromBeginning = false;
    int64_t maxMessages = -1;
    int64_t timeoutMs = -1;
    std::vector<std::pair<std::string, std::string>> consumerProps;
    std::optional<std::string> consumerConfig;
    std::map<std::string, std::string> formatterProps;
    std::optional<std::string> formatterConfig;
    std::optional<std::string> keyDeserializer, valueDeserializer;
    std::optional<std::string> isolationLevel, group;
    bool skipOnError = false;
    bool printBatches = false;
    std::optional<std::string> recordFormat;  // --format jsonl|csv (record_file_io.h)
};

// Reported like CLI11's own errors (main.cpp), with kafka-console-consumer's exit code 1.
[[noreturn]] void usageError(const std::string& msg) {
    throw CLI::ValidationError(msg);
}

Result<std::pair<std::string, std::string>> keyValue(const std::string& opt,
                                                     const std::string& arg) {
    const size_t eq = arg.find('=');
    if (eq == std::string::npos || eq == 0)
        return Error{"Invalid " + opt + " argument '" + arg + "' (expected key=value)"};
    return std::pair{arg.substr(0, eq), arg.substr(eq + 1)};
}

Result<int64_t> number(const std::string& opt, const std::string& v) {
    int64_t n = 0;
    auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
    if (v.empty() || ec != std::errc() || p != v.data() + v.size())
        return Error{"option " + opt + ": '" + v + "' is not a number"};
    return n;
}

Result<std::vector<std::pair<std::string, std::string>>> loadProperties(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return Error{"cannot read properties file '" + path + "': " + std::strerror(errno)};
    std::stringstream ss;
    ss << in.rdbuf();
    auto r = producer::ProducerConfig::parsePropertiesText(ss.str());
    if (!r) return Error{path + ": " + r.error().message};
    return r;
}

// What CLI11 collected, before the checks Kafka's tool makes on the combination.
struct RawOptions {
    Options o;
    std::vector<std::string> properties, consumerProperties, include;
    std::optional<std::string> formatterClass;
};

// ConsoleConsumerOptions.checkRequiredArgs, and the key=value arguments split.
Result<Options> checkArgs(const RawOptions& raw) {
    Options o = raw.o;
    if (!raw.include.empty())
        return Error{"--include (topic patterns) is not supported; use --topic"};
    if (raw.formatterClass && *raw.formatterClass != "kafka.tools.DefaultMessageFormatter" &&
        *raw.formatterClass != "org.apache.kafka.tools.consumer.DefaultMessageFormatter" &&
        *raw.formatterClass != "DefaultMessageFormatter")
        return Error{"--formatter: only DefaultMessageFormatter is available, not '" +
                     *raw.formatterClass + "'"};
    for (const std::string& p : raw.properties) {
        auto kv = keyValue("--property", p);
        if (!kv) return kv.error();
        o.formatterProps[kv->first] = kv->second;
    }
    for (const std::string& p : raw.consumerProperties) {
        auto kv = keyValue("--consumer-property", p);
        if (!kv) return kv.error();
        o.consumerProps.push_back(*kv);
    }
    if (!o.topic) return Error{"Exactly one of --include/--topic is required."};
    if (o.partition && o.fromBeginning && o.offset)
        return Error{"Options from-beginning and offset cannot be specified together."};
    if (!o.partition && o.offset)
        return Error{"The partition is required when offset is specified."};
    if (o.group && o.partition)
        return Error{"Options group and partition cannot be specified together."};
    return o;
}

// Java: ConsoleConsumerOptions.buildConsumerProps + setAutoOffsetResetValue.
Result<consumer::ConsumerConfig> consumerConfig(const Options& o) {
    std::vector<std::pair<std::string, std::string>> props;
    if (o.consumerConfig) {
        auto file = loadProperties(*o.consumerConfig);
        if (!file) return file.error();
        props = *file;
    }
    props.insert(props.end(), o.consumerProps.begin(), o.consumerProps.end());
    std::optional<std::string> reset;
    bool hasClientId = false;
    for (const auto& [k, v] : props) {
        if (k == "auto.offset.reset") reset = v;
        if (k == "client.id") hasClientId = true;
    }
    if (reset && o.fromBeginning && *reset != "earliest")
        return Error{"Can't simultaneously specify --from-beginning and 'auto.offset.reset=" +
                     *reset + "', please remove one option"};
    if (!reset) props.push_back({"auto.offset.reset", o.fromBeginning ? "earliest" : "latest"});
    props.push_back({"bootstrap.servers", o.bootstrap});
    if (!hasClientId) props.push_back({"client.id", "console-consumer"});
    if (o.isolationLevel) props.push_back({"isolation.level", *o.isolationLevel});
    return consumer::ConsumerConfig::parse(props);
}

Result<consumer::DefaultMessageFormatter> formatter(Options o) {
    // Avro and the other Schema Registry formats (serde_cli.h) are taken out first.
    auto schema =
        extractSchemaDeserializers(o.keyDeserializer, o.valueDeserializer, o.formatterProps);
    if (!schema) return schema.error();
    std::map<std::string, std::string> props;
    if (o.formatterConfig) {
        auto file = loadProperties(*o.formatterConfig);
        if (!file) return file.error();
        for (auto& [k, v] : *file)
            props[k] = v;
    }
    if (o.keyDeserializer && !o.keyDeserializer->empty())
        props["key.deserializer"] = *o.keyDeserializer;
    if (o.valueDeserializer && !o.valueDeserializer->empty())
        props["value.deserializer"] = *o.valueDeserializer;
    for (auto& [k, v] : o.formatterProps)
        props[k] = v;
    return consumer::DefaultMessageFormatter::create(props, {schema->key, schema->value});
}

// Where to start (ConsumerWrapper.seek); without --partition, auto.offset.reset decides.
Status position(consumer::KafkaConsumer& c, const Options& o, const TopicPartition& tp) {
    std::string off = o.offset ? *o.offset : (o.fromBeginning ? "earliest" : "latest");
    for (char& ch : off)
        ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    if (off == "earliest") {
        c.seekToBeginning({tp});
    } else if (off == "latest") {
        c.seekToEnd({tp});
    } else {
        auto n = number("--offset", *o.offset);
        if (!n || *n < 0)
            return Error{"The provided offset value '" + *o.offset +
                         "' is incorrect. Valid values are 'earliest', 'latest', or a "
                         "non-negative long."};
        c.seek(tp, *n);
    }
    return {};
}

int runConsume(const Options& o) {
    auto config = consumerConfig(o);
    if (!config) usageError(config.error().message);
    auto fmt = formatter(o);
    if (!fmt) usageError(fmt.error().message);
    std::optional<RecordFileOutput> recordFile;
    if (o.recordFormat) {
        auto r = RecordFileOutput::create(*o.recordFormat);
        if (!r) usageError(r.error().message);
        recordFile = std::move(*r);
    }

    // Client chatter (reconnects, metadata) stays quiet unless asked for, as with Kafka's tools.
    const char* level = std::getenv("BATCHSCOPE_LOG_LEVEL");
    spdlog::set_level(level ? spdlog::level::from_str(level) : spdlog::level::warn);
    auto created = consumer::KafkaConsumer::create(*config);
    if (!created) {
        std::fprintf(stderr, "ERROR %s\n", created.error().message.c_str());
        return 1;
    }
    consumer::KafkaConsumer& c = **created;
    std::signal(SIGINT, onConsumeSignal);
    std::signal(SIGTERM, onConsumeSignal);
    std::signal(SIGPIPE, SIG_IGN);

    int64_t count = 0;
    int rc = 0;
    auto finish = [&](int code) {
        std::fflush(stdout);
        std::fprintf(stderr, "Processed a total of %lld messages\n", static_cast<long long>(count));
        return code;
    };
    auto fail = [&](const std::string& msg) {
        std::fprintf(stderr, "ERROR Error processing message, terminating consumer process: %s\n",
                     msg.c_str());
        return finish(1);
    };

    std::unique_ptr<ConsumeGroupOffsets> groupOffsets;  // --group: see consume_group.h
    auto commitGroup = [&](bool force) {
        if (!groupOffsets) return;
        if (Status s = groupOffsets->maybeCommit(SystemClock::instance().nowMs(), force); !s)
            std::fprintf(stderr, "WARN offsets of group '%s' not committed: %s\n", o.group->c_str(),
                         s.message().c_str());
    };
    if (o.partition) {
        // Java's tool polls a missing partition until --timeout-ms and exits 0: say what is
        // wrong instead.
        auto parts = c.partitionsFor(*o.topic, config->defaultApiTimeoutMs);
        if (!parts) return fail(parts.error().message);
        if (std::find(parts->begin(), parts->end(), *o.partition) == parts->end()) {
            std::fprintf(stderr, "ERROR partition %d does not exist: topic '%s' has %zu %s\n",
                         *o.partition, o.topic->c_str(), parts->size(),
                         parts->size() == 1 ? "partition" : "partitions");
            return finish(1);
        }
        TopicPartition tp{*o.topic, *o.partition};
        c.assign({tp});
        if (Status s = position(c, o, tp); !s.ok()) usageError(s.message());
    } else {
        auto parts = c.partitionsFor(*o.topic, config->defaultApiTimeoutMs);
        if (!parts) return fail(parts.error().message);
        std::vector<TopicPartition> all;
        for (int32_t p : *parts)
            all.push_back({*o.topic, p});
        c.assign(all);
        if (o.fromBeginning) c.seekToBeginning(all);
        if (o.group) {
            auto opened = ConsumeGroupOffsets::open(*config, *o.group);
            if (!opened) return fail(opened.error().message);
            groupOffsets = std::move(*opened);
            if (Status s = groupOffsets->seekToCommitted(c, all); !s) return fail(s.message());
        }
    }

    const int64_t timeoutMs = o.timeoutMs >= 0 ? o.timeoutMs : INT64_MAX;
    std::string out;
    if (recordFile) {
        const std::string start = recordFile->start();
        std::fwrite(start.data(), 1, start.size(), stdout);
    }
    int64_t lastRecordMs = SystemClock::instance().nowMs();
    while ((o.maxMessages < 0 || count < o.maxMessages) && !gStop.load()) {
        const int64_t now = SystemClock::instance().nowMs();
        if (o.timeoutMs >= 0 && now - lastRecordMs > timeoutMs) {
            std::fprintf(stderr,
                         "ERROR Error processing message, terminating consumer process: "
                         "TimeoutException\n");
            break;
        }
        // Short slices so Ctrl-C and --timeout-ms are noticed promptly.
        int64_t slice = 200;
        if (o.timeoutMs >= 0)
            slice = std::min<int64_t>(slice, timeoutMs - (now - lastRecordMs) + 1);
        auto records = c.poll(std::max<int64_t>(slice, 0));
        if (!records) return fail(records.error().message);
        if (records->empty()) continue;
        lastRecordMs = SystemClock::instance().nowMs();
        out.clear();
        for (const auto& r : *records) {
            if (o.maxMessages >= 0 && count >= o.maxMessages) break;
            if (o.printBatches && !recordFile && r.firstInBatch) out += fmt->batchLine(*r.batch);
            ++count;
            if (groupOffsets) groupOffsets->printed({r.topic(), r.partition()}, r.offset);
            if (recordFile) {
                recordFile->append(r, out);
                continue;
            }
            if (Status s = fmt->writeTo(r, out); !s.ok()) {
                if (!o.skipOnError) {
                    std::fwrite(out.data(), 1, out.size(), stdout);
                    return fail(s.message());
                }
                std::fprintf(stderr, "ERROR Error processing message, skipping this message: %s\n",
                             s.message().c_str());
            }
        }
        if (std::fwrite(out.data(), 1, out.size(), stdout) != out.size() ||
            std::fflush(stdout) != 0) {
            std::fprintf(stderr, "Unable to write to standard out, closing consumer.\n");
            break;
        }
        commitGroup(false);
    }
    commitGroup(true);
    c.close();
    return finish(rc);
}

}  // namespace

void addConsume(CLI::App& app, Outcome& out) {
    auto raw = std::make_shared<RawOptions>();
    Options& o = raw->o;
    auto* cmd = app.add_subcommand("consume", "read records like kafka-console-consumer");
    cmd->footer(
        "Reads records and prints them as kafka-console-consumer does (partitions are assigned\n"
        "directly; without --partition every partition of the topic is read). With --group G it\n"
        "starts at G's committed offsets and commits what it printed as G's, without joining G.");
    cmd->add_option("--bootstrap-server", o.bootstrap, "the server(s) to connect to")
        ->required()
        ->type_name("S");
    cmd->add_option("--topic", o.topic, "the topic to consume")->type_name("T");
    cmd->add_option("--include", raw->include, "topic patterns (not supported; use --topic)")
        ->type_name("REGEX");
    cmd->add_option("--partition", o.partition,
                    "only this partition (default start: latest unless --offset)")
        ->check(CLI::Range(0, INT32_MAX))
        ->type_name("P");
    cmd->add_option("--offset", o.offset,
                    "earliest | latest | a non-negative offset (needs --partition)")
        ->type_name("O");
    cmd->add_flag("--from-beginning", o.fromBeginning, "start at the earliest offset");
    cmd->add_option("--max-messages", o.maxMessages, "exit after N messages")->type_name("N");
    cmd->add_option("--timeout-ms", o.timeoutMs, "exit when no message arrived for MS milliseconds")
        ->type_name("MS");
    cmd->add_option("--property", raw->properties,
                    "formatter: print.timestamp, print.key, print.offset, print.partition, "
                    "print.headers, print.value, print.epoch, print.delivery, key.separator, "
                    "line.separator, headers.separator, null.literal, key.deserializer, "
                    "value.deserializer, headers.deserializer")
        ->expected(1)
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
        ->type_name("K=V");
    cmd->add_option("--formatter-config", o.formatterConfig,
                    "formatter properties file (--property takes precedence)")
        ->type_name("FILE");
    cmd->add_option("--formatter", raw->formatterClass,
                    "the message formatter (only DefaultMessageFormatter)")
        ->type_name("CLASS");
    cmd->add_option("--key-deserializer", o.keyDeserializer,
                    "render keys (string, int, long, ... or the Kafka class name; avro, "
                    "protobuf or json-schema with --property schema.registry.url=URL)")
        ->type_name("D");
    cmd->add_option("--value-deserializer", o.valueDeserializer,
                    "render values (as --key-deserializer; avro, protobuf and json-schema print "
                    "one line of JSON)")
        ->type_name("D");
    cmd->add_option("--consumer-property", raw->consumerProperties,
                    "consumer configuration (Java names)")
        ->expected(1)
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
        ->type_name("K=V");
    cmd->add_option("--consumer.config", o.consumerConfig,
                    "consumer properties file (--consumer-property takes precedence)")
        ->type_name("FILE");
    cmd->add_option("--isolation-level", o.isolationLevel,
                    "read_uncommitted (read_committed is not supported)")
        ->type_name("L");
    cmd->add_option("--group", o.group,
                    "start at this group's committed offsets and commit as it (no membership: "
                    "refused while the group has members)")
        ->type_name("G");
    cmd->add_flag("--skip-message-on-error", o.skipOnError,
                  "skip records that cannot be rendered instead of stopping");
    cmd->add_flag("--print-batches", o.printBatches,
                  "print each stored batch's header before its first record");
    addRecordFileOutputOption(cmd, o.recordFormat);
    cmd->callback([raw, &out] {
        auto checked = checkArgs(*raw);
        if (!checked) usageError(checked.error().message);
        out.exitCode = runConsume(*checked);
    });
}

}  // namespace bs::cli
