// `partition`: explains where keys go (the GUI's explain panel, in text): per key its bytes,
// murmur2, toPositive, the modulo and the partition the chosen partitioner picks.
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "client/metadata.h"
#include "cmd_produce.h"
#include "commands.h"
#include "common/text.h"
#include "producer/partitioner.h"
#include "producer/producer_config.h"

namespace bs::cli {

namespace {

// A cluster where every partition of `topic` has a leader (what placement needs).
std::shared_ptr<const client::Cluster> syntheticCluster(const std::string& topic, int32_t n) {
    protocol::MetadataResponse m;
    m.brokers.push_back({0, "localhost", 9092, std::nullopt});
    protocol::MetadataResponse::MetadataResponseTopic t;
    t.name = topic;
    for (int32_t p = 0; p < n; ++p) {
        protocol::MetadataResponse::MetadataResponsePartition mp;
        mp.partitionIndex = p;
        mp.leaderId = 0;
        t.partitions.push_back(mp);
    }
    m.topics.push_back(t);
    return client::Cluster::fromResponse(m, nullptr);
}

int explain(int32_t partitions, const std::string& partitioner, const std::string& topic,
            std::vector<std::string> keys) {
    auto config = producer::ProducerConfig::parse(std::vector<std::pair<std::string, std::string>>{
        {"bootstrap.servers", "localhost:9092"}, {"partitioner.class", partitioner}});
    if (!config) {
        std::fprintf(stderr, "partition: %s\n", config.error().message.c_str());
        return 2;
    }
    auto p = producer::createPartitioner(*config, nullptr);
    if (!p) {
        std::fprintf(stderr, "partition: %s\n", p.error().message.c_str());
        return 2;
    }
    auto cluster = syntheticCluster(topic, partitions);
    if (keys.empty())
        for (std::string line; std::getline(std::cin, line);)
            keys.push_back(line);
    std::printf("# partitioner: %s, %d partitions\n", (*p)->name().c_str(), partitions);
    for (const auto& key : keys) {
        std::span<const uint8_t> bytes(reinterpret_cast<const uint8_t*>(key.data()), key.size());
        auto e = (*p)->explain(topic, producer::BytesView{bytes}, *cluster);
        std::string where = e.partition == client::kUnknownPartition ? "sticky (" + e.detail + ")"
                                                                     : std::to_string(e.partition);
        if (e.keyed)
            std::printf("%s %s %d %d %d %s\n", key.c_str(), toHex(e.keyBytes).c_str(), e.murmur2,
                        e.positive, e.positive % partitions, where.c_str());
        else
            std::printf("%s %s - - - %s\n", key.c_str(), toHex(bytes).c_str(), where.c_str());
    }
    return 0;
}

}  // namespace

void addPartition(CLI::App& app, Outcome& out) {
    struct Args {
        int32_t partitions = 0;
        std::string partitioner, topic = "topic";
        std::vector<std::string> keys;
    };
    auto args = std::make_shared<Args>();
    auto* cmd = app.add_subcommand("partition", "explain which partition keys go to");
    cmd->footer(
        "Explains where keys go. Without KEYs, reads one key per line from stdin. Prints a\n"
        "header line, then per key:\n"
        "KEY  KEY_BYTES_HEX  MURMUR2  TO_POSITIVE  MODULO  PARTITION");
    cmd->add_option("--partitions", args->partitions, "partitions of the topic")
        ->required()
        ->check(CLI::Range(1, INT32_MAX))
        ->type_name("N");
    cmd->add_option("--partitioner", args->partitioner,
                    "partitioner.class: builtin, sticky, legacy, round-robin, a Java class name "
                    "or a plugin .so (default: builtin, Kafka 3.3+)")
        ->type_name("NAME");
    addTopicOption(cmd, args->topic, "topic name passed to the partitioner")->capture_default_str();
    cmd->add_option("key", args->keys, "keys to place (default: stdin lines)")->type_name("KEY");
    cmd->callback([args, &out] {
        out.exitCode = explain(args->partitions, args->partitioner, args->topic, args->keys);
    });
}

}  // namespace bs::cli
