#include "consumer/consumer_config.h"

#include <algorithm>
#include <climits>
#include <variant>

#include "consumer/deserializers.h"
#include "security/client_security.h"

namespace bs::consumer {

namespace {

using T = ConfigType;
using CC = ConsumerConfig;
constexpr double kIntMax = INT32_MAX;
constexpr double kLongMax = 9223372036854775807.0;
constexpr ConfigBounds kNatural{0, kIntMax};  // Int keys from 0
constexpr ConfigBounds kNaturalLong{0, kLongMax};
constexpr ConfigBounds kBufferBytes{-1, kIntMax};  // -1: the OS default
constexpr std::string_view kOffsetResets[] = {"earliest", "latest", "none"};
constexpr std::string_view kIsolationLevels[] = {"read_committed", "read_uncommitted"};
constexpr std::string_view kSecurityProtocols[] = {"PLAINTEXT", "SSL", "SASL_PLAINTEXT",
                                                   "SASL_SSL"};

Status setAutoOffsetReset(CC& c, const ConfigValue& v) {
    const auto& s = std::get<std::string>(v);  // one of kOffsetResets
    c.autoOffsetReset = s == "earliest" ? OffsetResetStrategy::Earliest
                        : s == "none"   ? OffsetResetStrategy::None
                                        : OffsetResetStrategy::Latest;
    return {};
}
std::string getAutoOffsetReset(const CC& c) {
    return std::string(offsetResetName(c.autoOffsetReset));
}

Status setIsolationLevel(CC&, const ConfigValue& v) {
    const auto& s = std::get<std::string>(v);
    if (s == "read_committed")
        return configValueError("isolation.level", s,
                                "read_committed is not supported (this consumer has no "
                                "transaction support); use read_uncommitted");
    return {};
}

// key.deserializer and value.deserializer: a name deserializers.h knows, kept canonical.
template <auto Field>
ConsumerConfigAccess deserializer() {
    return {[](CC& c, const ConfigValue& v) -> Status {
                const auto& s = std::get<std::string>(v);
                auto name = canonicalDeserializerName(s);
                if (!name)
                    return configValueError(
                        Field == &CC::keyDeserializer ? "key.deserializer" : "value.deserializer",
                        s, name.error().message);
                c.*Field = *name;
                return {};
            },
            fieldAccess<Field>().get};
}

const std::vector<ConsumerConfigDef>& defs() {
    static const std::vector<ConsumerConfigDef> all = {
        {"bootstrap.servers",
         T::List,
         "",
         {},
         "host:port pairs used to discover the cluster",
         false,
         bootstrapServersAccess<&CC::bootstrapServers>()},
        {"client.id",
         T::String,
         "",
         {},
         "id sent with every request",
         false,
         fieldAccess<&CC::clientId>()},
        {"client.rack",
         T::String,
         "",
         {},
         "rack id sent in Fetch requests",
         false,
         fieldAccess<&CC::clientRack>()},
        {"fetch.min.bytes", T::Int, "1", kNatural,
         "bytes the broker waits for before answering a Fetch", false,
         fieldAccess<&CC::fetchMinBytes>()},
        {"fetch.max.bytes", T::Int, "52428800", kNatural,
         "bytes a Fetch response may carry in total", false, fieldAccess<&CC::fetchMaxBytes>()},
        {"fetch.max.wait.ms", T::Int, "500", kNatural,
         "how long the broker may hold a Fetch (long polling)", false,
         fieldAccess<&CC::fetchMaxWaitMs>()},
        {"max.partition.fetch.bytes", T::Int, "1048576", kNatural,
         "bytes per partition in one Fetch response", false,
         fieldAccess<&CC::maxPartitionFetchBytes>()},
        {"max.poll.records",
         T::Int,
         "500",
         {1, kIntMax},
         "records one poll() returns at most",
         false,
         fieldAccess<&CC::maxPollRecords>()},
        {"auto.offset.reset",
         T::String,
         "latest",
         {std::nullopt, std::nullopt, kOffsetResets},
         "earliest, latest or none: where to start without a position",
         false,
         {setAutoOffsetReset, getAutoOffsetReset}},
        {"check.crcs",
         T::Boolean,
         "true",
         {},
         "accepted; fetched batches' CRC32C is always verified here",
         false,
         fieldAccess<&CC::checkCrcs>()},
        {"isolation.level",
         T::String,
         "read_uncommitted",
         {std::nullopt, std::nullopt, kIsolationLevels},
         "only read_uncommitted (no transactions here)",
         false,
         {setIsolationLevel, nullptr}},
        {"request.timeout.ms", T::Int, "30000", kNatural, "how long to wait for a response", false,
         fieldAccess<&CC::requestTimeoutMs>()},
        {"default.api.timeout.ms", T::Int, "60000", kNatural,
         "timeout of blocking calls such as offsetsForTimes", false,
         fieldAccess<&CC::defaultApiTimeoutMs>()},
        {"retry.backoff.ms", T::Long, "100", kNaturalLong, "wait before retrying a failed request",
         false, fieldAccess<&CC::retryBackoffMs>()},
        {"reconnect.backoff.ms", T::Long, "50", kNaturalLong, "wait before reconnecting", false,
         fieldAccess<&CC::reconnectBackoffMs>()},
        {"reconnect.backoff.max.ms", T::Long, "1000", kNaturalLong, "maximum reconnect backoff",
         false, fieldAccess<&CC::reconnectBackoffMaxMs>()},
        {"metadata.max.age.ms", T::Long, "300000", kNaturalLong,
         "refresh metadata at least this often", false, fieldAccess<&CC::metadataMaxAgeMs>()},
        {"socket.connection.setup.timeout.ms", T::Long, "10000", kNaturalLong,
         "connection setup timeout", false, fieldAccess<&CC::socketConnectionSetupTimeoutMs>()},
        {"send.buffer.bytes", T::Int, "131072", kBufferBytes, "SO_SNDBUF (-1: OS default)", false,
         fieldAccess<&CC::sendBufferBytes>()},
        {"receive.buffer.bytes", T::Int, "65536", kBufferBytes, "SO_RCVBUF (-1: OS default)", false,
         fieldAccess<&CC::receiveBufferBytes>()},
        {"allow.auto.create.topics",
         T::Boolean,
         "true",
         {},
         "let Metadata requests create missing topics",
         false,
         fieldAccess<&CC::allowAutoCreateTopics>()},
        {"key.deserializer",
         T::Class,
         "org.apache.kafka.common.serialization.ByteArrayDeserializer",
         {},
         "how keys are rendered",
         false,
         deserializer<&CC::keyDeserializer>()},
        {"value.deserializer",
         T::Class,
         "org.apache.kafka.common.serialization.ByteArrayDeserializer",
         {},
         "how values are rendered",
         false,
         deserializer<&CC::valueDeserializer>()},
        {"security.protocol",
         T::String,
         "PLAINTEXT",
         {std::nullopt, std::nullopt, kSecurityProtocols, true},
         "PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL"},
        // ssl.* and sasl.*: checked together once every key is known (parseClientSecurity).
        {"ssl.truststore.type", T::String, "", {}, "PEM or PKCS12 (PEM when a location is given)"},
        {"ssl.truststore.location",
         T::String,
         "",
         {},
         "CA certificates that sign the brokers' certificates"},
        {"ssl.truststore.password", T::String, "", {}, "password of a PKCS12 truststore (hidden)"},
        {"ssl.truststore.certificates", T::String, "", {}, "CA certificates as PEM text"},
        {"ssl.keystore.type",
         T::String,
         "",
         {},
         "PEM or PKCS12: client certificate for mutual TLS"},
        {"ssl.keystore.location",
         T::String,
         "",
         {},
         "file with the client's key and certificate chain"},
        {"ssl.keystore.password", T::String, "", {}, "password of a PKCS12 keystore (hidden)"},
        {"ssl.key.password", T::String, "", {}, "passphrase of an encrypted PEM key (hidden)"},
        {"ssl.keystore.key", T::String, "", {}, "the client's private key as PEM text (hidden)"},
        {"ssl.keystore.certificate.chain",
         T::String,
         "",
         {},
         "the client's certificate chain as PEM text"},
        {"ssl.endpoint.identification.algorithm",
         T::String,
         "https",
         {},
         "https: host name checked; empty: not"},
        {"sasl.mechanism", T::String, "GSSAPI", {}, "PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512"},
        {"sasl.jaas.config", T::String, "", {}, "the SASL login (username, password; hidden)"},
        {"group.id", T::String, "", {}, "accepted, no effect: this consumer has no groups", true},
        {"group.instance.id", T::String, "", {}, "accepted, no effect", true},
        {"enable.auto.commit",
         T::Boolean,
         "true",
         {},
         "accepted, no effect (no groups, no commits)",
         true},
        {"auto.commit.interval.ms", T::Int, "5000", kNatural, "accepted, no effect", true},
        {"session.timeout.ms", T::Int, "45000", {}, "accepted, no effect", true},
        {"heartbeat.interval.ms", T::Int, "3000", {}, "accepted, no effect", true},
        {"max.poll.interval.ms", T::Int, "300000", {1, kIntMax}, "accepted, no effect", true},
        {"partition.assignment.strategy", T::List, "", {}, "accepted, no effect", true},
        {"exclude.internal.topics", T::Boolean, "true", {}, "accepted, no effect", true},
        {"connections.max.idle.ms", T::Long, "540000", {}, "accepted, no effect", true},
    };
    return all;
}

// Parses one key's value and stores it; errors name the key and the value.
Status apply(ConsumerConfig& c, const ConsumerConfigDef& def, std::string_view raw) {
    auto value = def.parse(raw);  // also for keys without effect: a bad value is an error
    if (!value) return value.error();
    if (!def.access.set) return {};
    return def.access.set(c, *value);
}

}  // namespace

std::string_view offsetResetName(OffsetResetStrategy s) {
    switch (s) {
        case OffsetResetStrategy::Earliest:
            return "earliest";
        case OffsetResetStrategy::Latest:
            return "latest";
        case OffsetResetStrategy::None:
            return "none";
    }
    return "?";
}

std::span<const ConsumerConfigDef> consumerConfigDefs() {
    return defs();
}

const ConsumerConfigDef* findConsumerConfigDef(std::string_view name) {
    const auto& all = defs();
    auto it = std::find_if(all.begin(), all.end(), [&](const auto& d) { return d.name == name; });
    return it == all.end() ? nullptr : &*it;
}

Result<ConsumerConfig> ConsumerConfig::parse(
    const std::vector<std::pair<std::string, std::string>>& kv) {
    ConsumerConfig c;
    for (const ConsumerConfigDef& def : defs())
        if (Status s = apply(c, def, def.defaultValue); !s.ok()) return Error{s.message()};
    for (const auto& [rawKey, value] : kv) {
        const std::string key(trimConfigText(rawKey));
        const ConsumerConfigDef* def = findConsumerConfigDef(key);
        if (!def) return Error{"unknown consumer configuration '" + key + "'"};
        if (Status s = apply(c, *def, value); !s.ok()) return Error{s.message()};
        c.originals[key] = value;
    }
    if (c.bootstrapServers.empty())
        return Error{"missing required configuration bootstrap.servers (host:port,...)"};
    auto security = security::parseClientSecurity(c.originals);
    if (!security) return Error{"configuration " + security.error().message};
    c.security = std::move(*security);
    return c;
}

Result<ConsumerConfig> ConsumerConfig::parse(const std::map<std::string, std::string>& kv) {
    return parse(std::vector<std::pair<std::string, std::string>>(kv.begin(), kv.end()));
}

}  // namespace bs::consumer
