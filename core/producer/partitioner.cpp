#include "producer/partitioner.h"

#include <cstdio>

#include "common/murmur2.h"
#include "common/text.h"
#include "producer/builtin_default_partitioner.h"
#include "producer/legacy_partitioner.h"
#include "producer/plugin_partitioner.h"
#include "producer/producer_config.h"
#include "producer/round_robin_partitioner.h"
#include "producer/serializers.h"
#include "producer/sticky_partitioner.h"

namespace bs::producer {

namespace {

enum class Kind { BuiltIn, Sticky, UniformSticky, Legacy, RoundRobin, Plugin };

bool looksLikePath(std::string_view v) {
    return v.find('/') != std::string_view::npos ||
           (v.size() > 3 && v.substr(v.size() - 3) == ".so");
}

std::optional<Kind> kindOf(std::string_view v) {
    if (v.empty() || v == "builtin" || v == "built-in" || v == "default") return Kind::BuiltIn;
    if (v == "sticky" || v == "DefaultPartitioner" ||
        v == "org.apache.kafka.clients.producer.internals.DefaultPartitioner")
        return Kind::Sticky;
    if (v == "uniform-sticky" || v == "UniformStickyPartitioner" ||
        v == "org.apache.kafka.clients.producer.UniformStickyPartitioner")
        return Kind::UniformSticky;
    if (v == "legacy" || v == "legacy-default") return Kind::Legacy;
    if (v == "round-robin" || v == "roundrobin" || v == "RoundRobinPartitioner" ||
        v == "org.apache.kafka.clients.producer.RoundRobinPartitioner")
        return Kind::RoundRobin;
    if (looksLikePath(v)) return Kind::Plugin;
    return std::nullopt;
}

}  // namespace

std::span<const PartitionerInfo> knownPartitioners() {
    static const PartitionerInfo all[] = {
        {"builtin", "Built-in default", "Kafka 3.3+ (KIP-794)",
         "keyed: murmur2 % partitions; keyless: uniform sticky, switching after ~batch.size bytes, "
         "optionally weighted by broker queue depth"},
        {"sticky", "Sticky default", "Kafka 2.4-3.2 (KIP-480)",
         "keyed: murmur2 % partitions; keyless: sticks to a partition until a new batch starts"},
        {"uniform-sticky", "Uniform sticky, keys ignored", "Kafka 2.4+ (KIP-480)",
         "every record sticky, keyed or not: switches partition at each new batch "
         "(UniformStickyPartitioner)"},
        {"legacy", "Legacy round robin", "Kafka <= 2.3",
         "keyed: murmur2 % partitions; keyless: round robin over available partitions from a "
         "random start"},
        {"round-robin", "Round robin, keys ignored", "Kafka 2.4+",
         "every record to the next available partition, keys ignored (RoundRobinPartitioner)"},
    };
    return all;
}

Status validatePartitionerClass(std::string_view value) {
    if (kindOf(value)) return {};
    return Error{"unknown partitioner '" + std::string(value) +
                 "' (use builtin, sticky, uniform-sticky, legacy, round-robin, a Kafka class name "
                 "of these, or the path of a plugin .so)"};
}

Result<std::unique_ptr<Partitioner>> createPartitioner(const ProducerConfig& config,
                                                       const RecordAccumulator* accumulator) {
    const auto kind = kindOf(config.partitionerClass);
    if (!kind) return Error{validatePartitionerClass(config.partitionerClass).message()};
    switch (*kind) {
        case Kind::BuiltIn:
            return std::unique_ptr<Partitioner>(std::make_unique<BuiltInDefaultPartitioner>(
                config.partitionerIgnoreKeys, config.batchSize, accumulator));
        case Kind::Sticky:
            return std::unique_ptr<Partitioner>(std::make_unique<StickyDefaultPartitioner>(false));
        case Kind::UniformSticky:
            return std::unique_ptr<Partitioner>(std::make_unique<StickyDefaultPartitioner>(true));
        case Kind::Legacy:
            return std::unique_ptr<Partitioner>(std::make_unique<LegacyDefaultPartitioner>());
        case Kind::RoundRobin:
            return std::unique_ptr<Partitioner>(std::make_unique<RoundRobinPartitioner>());
        case Kind::Plugin: {
            auto plugin = PluginPartitioner::load(config.partitionerClass, config.originals);
            if (!plugin) return plugin.error();
            return std::unique_ptr<Partitioner>(std::move(*plugin));
        }
    }
    return Error{"unreachable partitioner kind"};
}

Result<int32_t> choosePartition(std::optional<int32_t> explicitPartition, std::string_view topic,
                                BytesView keyBytes, BytesView valueBytes, Partitioner& partitioner,
                                const ClusterView& cluster) {
    const int32_t n = cluster.partitionCountForTopic(topic);
    if (n <= 0) return Error{"topic '" + std::string(topic) + "' is not in the cluster metadata"};
    if (explicitPartition) {
        if (*explicitPartition < 0 || *explicitPartition >= n)
            return Error{"partition " + std::to_string(*explicitPartition) + " of topic '" +
                         std::string(topic) + "' does not exist (the topic has " +
                         std::to_string(n) + " partitions)"};
        return *explicitPartition;
    }
    auto p = partitioner.partition(topic, keyBytes, valueBytes, cluster);
    if (!p) return p.error();
    if (*p == kUnknownPartition && !partitioner.wantsOnNewBatch()) return p;  // built-in sticky
    if (*p < 0 || *p >= n)
        return Error{partitioner.name() + " chose partition " + std::to_string(*p) + " of topic '" +
                     std::string(topic) + "' which has " + std::to_string(n) + " partitions"};
    return p;
}

int32_t partitionForKey(std::span<const uint8_t> keyBytes, int32_t numPartitions) {
    return toPositive(murmur2(keyBytes)) % numPartitions;
}

PartitionExplanation startExplanation(std::string partitioner, std::string_view topic,
                                      BytesView keyBytes, bool useKey, const ClusterView& cluster) {
    PartitionExplanation out;
    out.partitioner = std::move(partitioner);
    out.numPartitions = cluster.partitionCountForTopic(topic);
    if (keyBytes && useKey) explainKeyed(*keyBytes, out.numPartitions, out);
    return out;
}

void explainKeyed(std::span<const uint8_t> keyBytes, int32_t numPartitions,
                  PartitionExplanation& out) {
    out.keyed = true;
    out.keyBytes.assign(keyBytes.begin(), keyBytes.end());
    out.murmur2 = murmur2(keyBytes);
    out.positive = toPositive(out.murmur2);
    out.numPartitions = numPartitions;
    if (numPartitions <= 0) {
        out.partition = kUnknownPartition;
        out.detail = "the topic's partition count is not known";
        return;
    }
    out.partition = out.positive % numPartitions;
    out.detail = "murmur2(0x" + toHex(keyBytes) + ") = " + std::to_string(out.murmur2) +
                 "; toPositive = " + std::to_string(out.positive) + "; % " +
                 std::to_string(numPartitions) + " = " + std::to_string(out.partition);
}

}  // namespace bs::producer
