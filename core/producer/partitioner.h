#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "client/cluster_view.h"
#include "common/result.h"
#include "producer/producer_batch.h"

namespace bs::producer {

using client::ClusterView;
using client::kUnknownPartition;

struct ProducerConfig;
class RecordAccumulator;

// What the explain panel / `batchscope-cli partition` show for one record.
struct PartitionExplanation {
    std::string partitioner;  // e.g. "built-in (Kafka 3.3+, KIP-794)"
    bool keyed = false;       // key bytes were used for placement
    std::vector<uint8_t> keyBytes;
    int32_t murmur2 = 0;   // murmur2(keyBytes) as a signed int (keyed only)
    int32_t positive = 0;  // toPositive(murmur2)
    int32_t numPartitions = 0;
    // The partition the record goes to; kUnknownPartition when the accumulator's sticky logic
    // decides at append time (built-in keyless), see `detail`.
    int32_t partition = kUnknownPartition;
    // Human-readable steps: "murmur2(...) = ...; toPositive = ...; % 6 = 2" or the
    // sticky/round-robin state ("sticky partition 4, 9120 of 16384 bytes produced").
    std::string detail;
};

// Java's Partitioner interface (public, implement it to plug in custom placement; see also the
// C ABI in partitioner_plugin.h for shared libraries). partition() may be called concurrently
// from many application threads: implementations must be thread-safe.
class Partitioner {
  public:
    virtual ~Partitioner() = default;

    // The partition for a record without an explicit partition. Built-in strategies may return
    // kUnknownPartition to let the accumulator's uniform sticky logic choose; any other
    // negative or >= partition count is an error in the caller.
    virtual Result<int32_t> partition(std::string_view topic, BytesView keyBytes,
                                      BytesView valueBytes, const ClusterView& cluster) = 0;
    // Java's onNewBatch (KIP-480): the record's batch was about to be created on prevPartition.
    virtual void onNewBatch(std::string_view topic, const ClusterView& cluster,
                            int32_t prevPartition) {
        (void)topic, (void)cluster, (void)prevPartition;
    }
    // True when the producer must pass abortOnNewBatch=true to RecordAccumulator::append and
    // call onNewBatch (Java: whenever a partitioner.class is configured).
    virtual bool wantsOnNewBatch() const { return false; }
    // Describes where a record with this key would go now, without changing any state.
    virtual PartitionExplanation explain(std::string_view topic, BytesView keyBytes,
                                         const ClusterView& cluster) const = 0;
    // Short name and era, e.g. "round-robin (RoundRobinPartitioner, Kafka 2.4+)".
    virtual std::string name() const = 0;
    virtual void close() {}
};

// Accepted partitioner.class values (our names, Java's class names where one exists, or a
// path to a plugin shared library: anything containing '/' or ending in ".so"):
//   ""/"builtin"/"default"                                   built-in uniform sticky (KIP-794)
//   "sticky", org.apache.kafka.clients.producer.internals.DefaultPartitioner  (KIP-480, 2.4-3.2)
//   "uniform-sticky", org.apache.kafka.clients.producer.UniformStickyPartitioner (ignores keys)
//   "legacy"                                                  DefaultPartitioner of Kafka <= 2.3
//   "round-robin", org.apache.kafka.clients.producer.RoundRobinPartitioner
struct PartitionerInfo {
    std::string_view name;   // the partitioner.class value
    std::string_view title;  // what it is, in words a learner can tell apart from the others
    std::string_view era;
    std::string_view description;
};
// The built-in partitioners (a plugin is any .so path, not listed).
std::span<const PartitionerInfo> knownPartitioners();

// Validates a partitioner.class value (a plugin path is checked to exist only when created).
Status validatePartitionerClass(std::string_view value);

// Creates the configured partitioner. `accumulator` (may be null) lets the built-in one explain
// the accumulator's current sticky partition. Plugins are dlopen()ed here; errors name the path
// and the reason.
Result<std::unique_ptr<Partitioner>> createPartitioner(const ProducerConfig& config,
                                                       const RecordAccumulator* accumulator);

// KafkaProducer.partition(): the record's explicit partition if set (it must exist), else the
// partitioner's choice (kUnknownPartition only from the built-in one: the accumulator decides).
Result<int32_t> choosePartition(std::optional<int32_t> explicitPartition, std::string_view topic,
                                BytesView keyBytes, BytesView valueBytes, Partitioner& partitioner,
                                const ClusterView& cluster);

// Java's BuiltInPartitioner.partitionForKey: toPositive(murmur2(key)) % numPartitions.
int32_t partitionForKey(std::span<const uint8_t> keyBytes, int32_t numPartitions);
// An explanation naming `partitioner` and the topic's partition count; when `useKey` and a key
// is given, also the keyed steps (then out.keyed is set and the explanation is complete).
PartitionExplanation startExplanation(std::string partitioner, std::string_view topic,
                                      BytesView keyBytes, bool useKey, const ClusterView& cluster);
// Fills keyed fields of `out` (keyBytes, murmur2, positive, numPartitions, partition, detail).
void explainKeyed(std::span<const uint8_t> keyBytes, int32_t numPartitions,
                  PartitionExplanation& out);

}  // namespace bs::producer
