#pragma once

// The producer options `produce`, `perf` and `partition` share, defined once, as their Kafka
// tools name them; and the ProducerConfig they make: --producer.config FILE, then the k=v pairs
// (--producer-property / --producer-props), then the values a command forces.

#include <CLI/CLI.hpp>
#include <map>
#include <string>
#include <vector>

#include "common/result.h"
#include "producer/producer_config.h"

namespace bs::cli {

Result<producer::ProducerConfig> buildProducerConfig(
    const std::string& configFile, const std::vector<std::string>& keyValues,
    const std::map<std::string, std::string>& forced);

// How a command takes k=v producer properties.
enum class PropertiesFlag {
    ProducerProperty,  // --producer-property K=V, repeated (kafka-console-producer)
    ProducerProps,     // --producer-props K=V K=V ... (kafka-producer-perf-test)
};

struct ProducerOptions {
    std::string topic;
    std::string configFile;               // --producer.config
    std::vector<std::string> properties;  // k=v pairs
    Result<producer::ProducerConfig> config(
        const std::map<std::string, std::string>& forced) const {
        return buildProducerConfig(configFile, properties, forced);
    }
};

// --topic: the topic records go to (`help` says what the command does with it).
CLI::Option* addTopicOption(CLI::App* cmd, std::string& topic, const std::string& help);
// A command that produces (`produce`, `perf`): its subcommand with --topic (required), the k=v
// properties and --producer.config.
CLI::App* addProducerCommand(CLI::App& app, const std::string& name, const std::string& description,
                             const std::string& footer, ProducerOptions& options,
                             PropertiesFlag flag);

}  // namespace bs::cli
