#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"
#include "protocol/record/compression.h"
#include "security/client_security.h"

namespace bs::producer {

// The validated producer configuration (Java's ProducerConfig after KafkaProducer's
// post-processing). Java property names, semantics and current defaults. Built only through
// parse()/parseProperties(), so an instance is always valid; a plain value type, copy freely.
struct ProducerConfig {
    // --- network
    std::vector<std::string> bootstrapServers;       // bootstrap.servers "host:port" entries
    std::string clientId;                            // client.id (default: "producer-<n>" at use)
    int64_t metadataMaxAgeMs = 300000;               // metadata.max.age.ms
    int64_t metadataMaxIdleMs = 300000;              // metadata.max.idle.ms
    int64_t reconnectBackoffMs = 50;                 // reconnect.backoff.ms
    int64_t reconnectBackoffMaxMs = 1000;            // reconnect.backoff.max.ms
    int64_t connectionsMaxIdleMs = 540000;           // connections.max.idle.ms
    int32_t sendBufferBytes = 131072;                // send.buffer.bytes (-1: OS default)
    int32_t receiveBufferBytes = 32768;              // receive.buffer.bytes (-1: OS default)
    int32_t requestTimeoutMs = 30000;                // request.timeout.ms
    int64_t socketConnectionSetupTimeoutMs = 10000;  // socket.connection.setup.timeout.ms
    int64_t socketConnectionSetupTimeoutMaxMs = 30000;  // socket.connection.setup.timeout.max.ms
    std::string securityProtocol = "PLAINTEXT";         // security.protocol
    // security.protocol, ssl.* and sasl.* made usable: TLS context and SASL login.
    security::ClientSecurity security;

    // --- batching
    int32_t batchSize = 16384;         // batch.size
    int64_t lingerMs = 5;              // linger.ms
    int64_t bufferMemory = 33554432;   // buffer.memory
    int64_t maxBlockMs = 60000;        // max.block.ms
    int32_t maxRequestSize = 1048576;  // max.request.size
    protocol::CompressionType compressionType = protocol::CompressionType::None;
    int32_t compressionGzipLevel = -1;  // compression.gzip.level
    int32_t compressionLz4Level = 9;    // compression.lz4.level
    int32_t compressionZstdLevel = 3;   // compression.zstd.level

    // --- delivery / reliability
    int16_t acks = -1;  // acks: "all"/-1, 0, 1
    bool enableIdempotence = true;
    int32_t maxInFlightRequestsPerConnection = 5;
    int32_t retries = 2147483647;
    int64_t retryBackoffMs = 100;
    int64_t retryBackoffMaxMs = 1000;
    int32_t deliveryTimeoutMs = 120000;

    // --- partitioning
    // partitioner.class as given: empty = built-in; see partitioner.h for accepted names.
    std::string partitionerClass;
    bool partitionerAdaptivePartitioningEnable = true;
    int64_t partitionerAvailabilityTimeoutMs = 0;
    bool partitionerIgnoreKeys = false;

    // --- serialization: canonical short names ("string", "int", ...; see serializers.h)
    std::string keySerializer = "bytes";
    std::string valueSerializer = "bytes";

    // Every key=value the user gave (after trimming), for display and for plugins.
    std::map<std::string, std::string> originals;
    // Keys whose values were derived rather than given (e.g. enable.idempotence switched off
    // because acks=1 was set without enable.idempotence), with the reason, for the GUI/log.
    std::vector<std::pair<std::string, std::string>> adjustments;

    // The compression level for compressionType (0 for none/snappy).
    int32_t compressionLevel() const;
    // Current values of every key in Java syntax, in producerConfigDefs() order.
    std::vector<std::pair<std::string, std::string>> values() const;

    // Parses key/value pairs (later duplicates win), applies defaults, validates each value and
    // Java's cross-checks. Errors name the key and the reason. Never half-applies.
    static Result<ProducerConfig> parse(const std::vector<std::pair<std::string, std::string>>& kv);
    static Result<ProducerConfig> parse(const std::map<std::string, std::string>& kv);
    // Java .properties syntax: '#'/'!' comments, '=' ':' or whitespace separators, backslash
    // escapes (\t \n \r \f \uXXXX), line continuations. Errors name the line.
    static Result<std::vector<std::pair<std::string, std::string>>> parsePropertiesText(
        std::string_view text);
    static Result<ProducerConfig> parsePropertiesFile(const std::string& path);
    // All defaults (nothing given).
    static Result<ProducerConfig> defaults() { return parse(std::map<std::string, std::string>{}); }
};

// Every key at its ConfigKeyDef default (defaults(), so from the table), made once; the
// sub-configs (RecordAccumulator::Config, SenderConfig) take their defaults from it, so a
// default is written only in config_def.cpp. Immutable, thread-safe.
const ProducerConfig& defaultProducerConfig();

}  // namespace bs::producer
