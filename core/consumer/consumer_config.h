#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/config_value.h"
#include "common/result.h"
#include "security/client_security.h"

namespace bs::consumer {

// auto.offset.reset (Java: OffsetResetStrategy).
enum class OffsetResetStrategy { Earliest, Latest, None };
std::string_view offsetResetName(OffsetResetStrategy s);

struct ConsumerConfig;

// Where a key's value lives in ConsumerConfig (see bs::ConfigAccess).
using ConsumerConfigAccess = ConfigAccess<ConsumerConfig>;

// One key, the only place it is defined (Java: ConfigDef.ConfigKey): type, default, bounds or
// allowed values, help text and where ConsumerConfig keeps it. parse() goes through these; a new
// key is one entry in consumer_config.cpp plus its field (test_formatting checks the field's
// initial value against the default here).
struct ConsumerConfigDef {
    std::string_view name;
    ConfigType type;
    std::string_view defaultValue;  // Java's default in the key's syntax
    ConfigBounds bounds;
    std::string_view doc;
    // Accepted for compatibility with Java configs but without effect here (no groups).
    bool noEffect = false;
    ConsumerConfigAccess access = {};

    // Java's parseType, then the bounds and the allowed values. Errors name the key and value.
    Result<ConfigValue> parse(std::string_view raw) const {
        return parseConfigValue(name, type, bounds, raw);
    }
};
// Every consumer key we accept. Immutable, thread-safe.
std::span<const ConsumerConfigDef> consumerConfigDefs();
// nullptr if `name` is not a consumer key.
const ConsumerConfigDef* findConsumerConfigDef(std::string_view name);

// The validated consumer configuration (Java: ConsumerConfig) for a consumer without groups.
// Java property names and defaults. Built only through parse(), so always valid; a value type.
struct ConsumerConfig {
    std::vector<std::string> bootstrapServers;  // bootstrap.servers (required)
    std::string clientId;                       // client.id
    std::string clientRack;                     // client.rack (sent as Fetch rackId)
    int32_t fetchMinBytes = 1;                  // fetch.min.bytes
    int32_t fetchMaxBytes = 52428800;           // fetch.max.bytes
    int32_t fetchMaxWaitMs = 500;               // fetch.max.wait.ms
    int32_t maxPartitionFetchBytes = 1048576;   // max.partition.fetch.bytes
    int32_t maxPollRecords = 500;               // max.poll.records
    OffsetResetStrategy autoOffsetReset = OffsetResetStrategy::Latest;  // auto.offset.reset
    bool checkCrcs = true;  // check.crcs (CRCs are verified regardless: the reader insists)
    int32_t requestTimeoutMs = 30000;      // request.timeout.ms
    int32_t defaultApiTimeoutMs = 60000;   // default.api.timeout.ms
    int64_t retryBackoffMs = 100;          // retry.backoff.ms
    int64_t reconnectBackoffMs = 50;       // reconnect.backoff.ms
    int64_t reconnectBackoffMaxMs = 1000;  // reconnect.backoff.max.ms
    int64_t metadataMaxAgeMs = 300000;     // metadata.max.age.ms
    int64_t socketConnectionSetupTimeoutMs = 10000;
    int32_t sendBufferBytes = 131072;    // send.buffer.bytes
    int32_t receiveBufferBytes = 65536;  // receive.buffer.bytes
    bool allowAutoCreateTopics = true;   // allow.auto.create.topics
    // Canonical deserializer names (see deserializers.h): how the record bytes are rendered.
    std::string keyDeserializer = "bytes";
    std::string valueDeserializer = "bytes";

    // security.protocol, ssl.* and sasl.*: TLS context and SASL login.
    security::ClientSecurity security;
    std::map<std::string, std::string> originals;

    // Every key starts at its table default; unknown keys and bad values are errors naming the
    // key; later duplicates win.
    static Result<ConsumerConfig> parse(const std::vector<std::pair<std::string, std::string>>& kv);
    static Result<ConsumerConfig> parse(const std::map<std::string, std::string>& kv);
};

}  // namespace bs::consumer
