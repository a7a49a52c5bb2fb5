#include "producer/config_def.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <climits>

#include "producer/partitioner.h"
#include "producer/producer_config.h"
#include "producer/serializers.h"
#include "protocol/record/compression.h"

namespace bs::producer {

std::string_view configGroupName(ConfigGroup group) {
    switch (group) {
        case ConfigGroup::Batching:
            return "batching";
        case ConfigGroup::Delivery:
            return "delivery";
        case ConfigGroup::Reliability:
            return "reliability";
        case ConfigGroup::Partitioning:
            return "partitioning";
        case ConfigGroup::Network:
            return "network";
        case ConfigGroup::Serialization:
            return "serialization";
    }
    return "unknown";
}

namespace {

using T = ConfigType;
using G = ConfigGroup;
using PC = ProducerConfig;
constexpr double kIntMax = 2147483647.0;
constexpr double kLongMax = 9223372036854775807.0;

// --- how fields take and give their values (ConfigAccess)

template <protocol::CompressionType Type, auto Field>
ConfigAccess compressionLevel() {
    return {[](PC& c, const ConfigValue& v) -> Status {
                const auto level = static_cast<int32_t>(std::get<int64_t>(v));
                if (auto st = protocol::validateCompressionLevel(Type, level); !st)
                    return configValueError(std::string("compression.") +
                                                std::string(protocol::compressionName(Type)) +
                                                ".level",
                                            std::to_string(level), st.message());
                c.*Field = level;
                return {};
            },
            fieldAccess<Field>().get};
}

Status setLingerMs(PC& c, const ConfigValue& v) {
    c.lingerMs = std::min<int64_t>(std::get<int64_t>(v), INT32_MAX);  // Java caps linger to an int
    return {};
}

Status setCompressionType(PC& c, const ConfigValue& v) {
    auto t = protocol::parseCompressionType(std::get<std::string>(v));
    if (!t) return Error{"configuration compression.type: " + t.error().message};
    c.compressionType = *t;
    return {};
}
std::string getCompressionType(const PC& c) {
    return std::string(protocol::compressionName(c.compressionType));
}

Status setAcks(PC& c, const ConfigValue& v) {
    const auto& s = std::get<std::string>(v);  // one of the valid values: all, -1, 0, 1
    c.acks = s == "all" ? int16_t{-1} : static_cast<int16_t>(std::stoi(s));
    return {};
}
std::string getAcks(const PC& c) {
    return c.acks == -1 ? std::string("all") : std::to_string(c.acks);
}

Status setPartitionerClass(PC& c, const ConfigValue& v) {
    c.partitionerClass = std::get<std::string>(v);
    if (auto st = validatePartitionerClass(c.partitionerClass); !st)
        return Error{"configuration partitioner.class: " + st.message()};
    return {};
}

Status setSerializer(std::string& field, std::string_view key, const ConfigValue& v) {
    auto name = canonicalSerializerName(std::get<std::string>(v));
    if (!name) return Error{"configuration " + std::string(key) + ": " + name.error().message};
    field = *name;
    return {};
}
Status setKeySerializer(PC& c, const ConfigValue& v) {
    return setSerializer(c.keySerializer, "key.serializer", v);
}
Status setValueSerializer(PC& c, const ConfigValue& v) {
    return setSerializer(c.valueSerializer, "value.serializer", v);
}

Status setInterceptorClasses(PC&, const ConfigValue& v) {
    if (!std::get<std::vector<std::string>>(v).empty())
        return Error{"configuration interceptor.classes: producer interceptors are not supported"};
    return {};
}

const std::vector<ConfigKeyDef>& defs() {
    static const std::vector<ConfigKeyDef> all = {
        // batching
        {"batch.size",
         T::Int,
         "16384",
         0,
         kIntMax,
         {},
         "Upper bound in bytes of one partition's batch. Records for a partition collect in a "
         "batch until it is full or linger.ms passes. 0 disables batching (one record per batch).",
         G::Batching,
         false,
         fieldAccess<&PC::batchSize>()},
        {"linger.ms",
         T::Long,
         "5",
         0,
         kLongMax,
         {},
         "How long a batch may wait for more records before it is sendable, trading latency for "
         "fuller batches. Default 5 since Kafka 4.0 (KIP-1030).",
         G::Batching,
         false,
         {setLingerMs, fieldAccess<&PC::lingerMs>().get}},
        {"buffer.memory",
         T::Long,
         "33554432",
         0,
         kLongMax,
         {},
         "Total bytes the producer may hold in batches waiting to be sent; send() blocks up to "
         "max.block.ms when it is used up.",
         G::Batching,
         false,
         fieldAccess<&PC::bufferMemory>()},
        {"max.request.size",
         T::Int,
         "1048576",
         0,
         kIntMax,
         {},
         "Largest ProduceRequest in bytes; also caps a single record's size.",
         G::Batching,
         false,
         fieldAccess<&PC::maxRequestSize>()},
        {"compression.type",
         T::String,
         "none",
         std::nullopt,
         std::nullopt,
         {"none", "gzip", "snappy", "lz4", "zstd"},
         "Codec applied to each batch's records. Whole batches compress better than single "
         "records.",
         G::Batching,
         false,
         {setCompressionType, getCompressionType}},
        {"compression.gzip.level",
         T::Int,
         "-1",
         -1,
         9,
         {},
         "gzip level 1..9, or -1 for zlib's default (6).",
         G::Batching,
         false,
         compressionLevel<protocol::CompressionType::Gzip, &PC::compressionGzipLevel>()},
        {"compression.lz4.level",
         T::Int,
         "9",
         1,
         17,
         {},
         "lz4 level 1..17.",
         G::Batching,
         false,
         compressionLevel<protocol::CompressionType::Lz4, &PC::compressionLz4Level>()},
        {"compression.zstd.level",
         T::Int,
         "3",
         -131072,
         22,
         {},
         "zstd level -131072..22.",
         G::Batching,
         false,
         compressionLevel<protocol::CompressionType::Zstd, &PC::compressionZstdLevel>()},
        // delivery
        {"acks",
         T::String,
         "all",
         std::nullopt,
         std::nullopt,
         {"all", "-1", "0", "1"},
         "Acknowledgements required from the broker: 0 = none (fire and forget), 1 = the leader "
         "wrote it, all/-1 = all in-sync replicas wrote it.",
         G::Delivery,
         false,
         {setAcks, getAcks}},
        {"max.block.ms",
         T::Long,
         "60000",
         0,
         kLongMax,
         {},
         "How long send() may block waiting for metadata or buffer memory before failing.",
         G::Delivery,
         false,
         fieldAccess<&PC::maxBlockMs>()},
        {"request.timeout.ms",
         T::Int,
         "30000",
         0,
         kIntMax,
         {},
         "How long to wait for a response to a request before failing it (and retrying).",
         G::Delivery,
         false,
         fieldAccess<&PC::requestTimeoutMs>()},
        {"delivery.timeout.ms",
         T::Int,
         "120000",
         0,
         kIntMax,
         {},
         "Upper bound on the time from send() to success or failure, retries included. Must be "
         ">= linger.ms + request.timeout.ms.",
         G::Delivery,
         false,
         fieldAccess<&PC::deliveryTimeoutMs>()},
        // reliability
        {"enable.idempotence",
         T::Boolean,
         "true",
         std::nullopt,
         std::nullopt,
         {},
         "Producer id + per-partition sequence numbers so retries write exactly once, in order. "
         "Requires acks=all, retries > 0, max.in.flight.requests.per.connection <= 5.",
         G::Reliability,
         false,
         fieldAccess<&PC::enableIdempotence>()},
        {"retries",
         T::Int,
         "2147483647",
         0,
         kIntMax,
         {},
         "How often a batch failing with a retriable error is re-sent (within "
         "delivery.timeout.ms).",
         G::Reliability,
         false,
         fieldAccess<&PC::retries>()},
        {"retry.backoff.ms",
         T::Long,
         "100",
         0,
         kLongMax,
         {},
         "Initial wait before retrying a failed batch; doubles per attempt (with 20% jitter).",
         G::Reliability,
         false,
         fieldAccess<&PC::retryBackoffMs>()},
        {"retry.backoff.max.ms",
         T::Long,
         "1000",
         0,
         kLongMax,
         {},
         "Upper bound of the exponential retry backoff.",
         G::Reliability,
         false,
         fieldAccess<&PC::retryBackoffMaxMs>()},
        {"max.in.flight.requests.per.connection",
         T::Int,
         "5",
         1,
         kIntMax,
         {},
         "Unanswered requests allowed per broker connection. Above 1 without idempotence, "
         "retries may reorder records.",
         G::Reliability,
         false,
         fieldAccess<&PC::maxInFlightRequestsPerConnection>()},
        {"transactional.id",
         T::String,
         std::nullopt,
         std::nullopt,
         std::nullopt,
         {},
         "Transactions are not supported by Batchscope; setting this is an error.",
         G::Reliability},
        {"transaction.timeout.ms",
         T::Int,
         "60000",
         0,
         kIntMax,
         {},
         "Accepted for compatibility; transactions are not supported.",
         G::Reliability,
         true},
        // partitioning
        {"partitioner.class",
         T::Class,
         std::nullopt,
         std::nullopt,
         std::nullopt,
         {},
         "Partitioner for records without an explicit partition: empty for the built-in one "
         "(KIP-794), 'sticky', 'uniform-sticky', 'legacy', 'round-robin', a Java class name of "
         "these, or the path of a plugin shared library.",
         G::Partitioning,
         false,
         {setPartitionerClass, fieldAccess<&PC::partitionerClass>().get}},
        {"partitioner.adaptive.partitioning.enable",
         T::Boolean,
         "true",
         std::nullopt,
         std::nullopt,
         {},
         "Built-in partitioner: pick the next sticky partition with weights favouring brokers "
         "with shorter queues.",
         G::Partitioning,
         false,
         fieldAccess<&PC::partitionerAdaptivePartitioningEnable>()},
        {"partitioner.availability.timeout.ms",
         T::Long,
         "0",
         0,
         kLongMax,
         {},
         "Built-in partitioner: avoid partitions whose broker could not take data for this long "
         "(0 = off).",
         G::Partitioning,
         false,
         fieldAccess<&PC::partitionerAvailabilityTimeoutMs>()},
        {"partitioner.ignore.keys",
         T::Boolean,
         "false",
         std::nullopt,
         std::nullopt,
         {},
         "Built-in partitioner: ignore keys, placing keyed records like keyless ones.",
         G::Partitioning,
         false,
         fieldAccess<&PC::partitionerIgnoreKeys>()},
        // serialization
        {"key.serializer",
         T::Class,
         "org.apache.kafka.common.serialization.ByteArraySerializer",
         std::nullopt,
         std::nullopt,
         {},
         "How keys become bytes: string, short, int, long, float, double, bytes, uuid, json, "
         "null, or the Kafka class name.",
         G::Serialization,
         false,
         {setKeySerializer, fieldAccess<&PC::keySerializer>().get}},
        {"value.serializer",
         T::Class,
         "org.apache.kafka.common.serialization.ByteArraySerializer",
         std::nullopt,
         std::nullopt,
         {},
         "How values become bytes (same choices as key.serializer).",
         G::Serialization,
         false,
         {setValueSerializer, fieldAccess<&PC::valueSerializer>().get}},
        // network
        {"bootstrap.servers",
         T::List,
         "",
         std::nullopt,
         std::nullopt,
         {},
         "host:port pairs used to discover the cluster.",
         G::Network,
         false,
         bootstrapServersAccess<&PC::bootstrapServers>()},
        {"client.id",
         T::String,
         "",
         std::nullopt,
         std::nullopt,
         {},
         "Name sent with every request, shown in broker logs and quotas.",
         G::Network,
         false,
         fieldAccess<&PC::clientId>()},
        {"client.dns.lookup",
         T::String,
         "use_all_dns_ips",
         std::nullopt,
         std::nullopt,
         {"use_all_dns_ips", "resolve_canonical_bootstrap_servers_only"},
         "How host names are resolved.",
         G::Network},
        {"metadata.max.age.ms",
         T::Long,
         "300000",
         0,
         kLongMax,
         {},
         "Refresh metadata at least this often, even without errors.",
         G::Network,
         false,
         fieldAccess<&PC::metadataMaxAgeMs>()},
        {"metadata.max.idle.ms",
         T::Long,
         "300000",
         5000,
         kLongMax,
         {},
         "Forget metadata of topics not produced to for this long.",
         G::Network,
         false,
         fieldAccess<&PC::metadataMaxIdleMs>()},
        {"reconnect.backoff.ms",
         T::Long,
         "50",
         0,
         kLongMax,
         {},
         "Initial wait before reconnecting to a broker.",
         G::Network,
         false,
         fieldAccess<&PC::reconnectBackoffMs>()},
        {"reconnect.backoff.max.ms",
         T::Long,
         "1000",
         0,
         kLongMax,
         {},
         "Upper bound of the exponential reconnect backoff.",
         G::Network,
         false,
         fieldAccess<&PC::reconnectBackoffMaxMs>()},
        {"connections.max.idle.ms",
         T::Long,
         "540000",
         std::nullopt,
         std::nullopt,
         {},
         "Close connections idle for this long.",
         G::Network,
         false,
         fieldAccess<&PC::connectionsMaxIdleMs>()},
        {"socket.connection.setup.timeout.ms",
         T::Long,
         "10000",
         std::nullopt,
         std::nullopt,
         {},
         "Initial time allowed to establish a connection.",
         G::Network,
         false,
         fieldAccess<&PC::socketConnectionSetupTimeoutMs>()},
        {"socket.connection.setup.timeout.max.ms",
         T::Long,
         "30000",
         std::nullopt,
         std::nullopt,
         {},
         "Upper bound of the connection setup timeout.",
         G::Network,
         false,
         fieldAccess<&PC::socketConnectionSetupTimeoutMaxMs>()},
        {"send.buffer.bytes",
         T::Int,
         "131072",
         -1,
         kIntMax,
         {},
         "TCP send buffer (SO_SNDBUF); -1 = OS default.",
         G::Network,
         false,
         fieldAccess<&PC::sendBufferBytes>()},
        {"receive.buffer.bytes",
         T::Int,
         "32768",
         -1,
         kIntMax,
         {},
         "TCP receive buffer (SO_RCVBUF); -1 = OS default.",
         G::Network,
         false,
         fieldAccess<&PC::receiveBufferBytes>()},
        {"security.protocol",
         T::String,
         "PLAINTEXT",
         std::nullopt,
         std::nullopt,
         {"PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"},
         "PLAINTEXT, SSL (TLS), SASL_PLAINTEXT or SASL_SSL (SASL login, over TLS).",
         G::Network,
         false,
         fieldAccess<&PC::securityProtocol>()},
        {"ssl.truststore.type",
         T::String,
         std::nullopt,
         std::nullopt,
         std::nullopt,
         {},
         "PEM or PKCS12 (Java's default JKS cannot be read; PEM when a location is given).",
         G::Network},
        {"ssl.truststore.location",
         T::String,
         std::nullopt,
         std::nullopt,
         std::nullopt,
         {},
         "File of the CA certificates that sign the brokers' certificates.",
         G::Network},
        {"ssl.truststore.password",
         T::String,
         std::nullopt,
         std::nullopt,
         std::nullopt,
         {},
         "Password of a PKCS12 truststore (hidden).",
         G::Network},
        {"ssl.truststore.certificates",
         T::String,
         std::nullopt,
         std::nullopt,
         std::nullopt,
         {},
         "The CA certificates as PEM text (type PEM).",
         G::Network},
        {"ssl.keystore.type",
         T::String,
         std::nullopt,
         std::nullopt,
         std::nullopt,
         {},
         "PEM or PKCS12: the client certificate for mutual TLS.",
         G::Network},
        {"ssl.keystore.location",
         T::String,
         std::nullopt,
         std::nullopt,
         std::nullopt,
         {},
         "File with the client's key and certificate chain.",
         G::Network},
        {"ssl.keystore.password",
         T::String,
         std::nullopt,
         std::nullopt,
         std::nullopt,
         {},
         "Password of a PKCS12 keystore (hidden).",
         G::Network},
        {"ssl.key.password",
         T::String,
         std::nullopt,
         std::nullopt,
         std::nullopt,
         {},
         "Passphrase of an encrypted PEM private key (hidden).",
         G::Network},
        {"ssl.keystore.key",
         T::String,
         std::nullopt,
         std::nullopt,
         std::nullopt,
         {},
         "The client's private key as PEM text (hidden).",
         G::Network},
        {"ssl.keystore.certificate.chain",
         T::String,
         std::nullopt,
         std::nullopt,
         std::nullopt,
         {},
         "The client's certificate chain as PEM text.",
         G::Network},
        {"ssl.endpoint.identification.algorithm",
         T::String,
         "https",
         std::nullopt,
         std::nullopt,
         {},
         "https: the broker certificate must name the host; empty: not checked.",
         G::Network},
        {"sasl.mechanism",
         T::String,
         "GSSAPI",
         std::nullopt,
         std::nullopt,
         {},
         "PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512 (Java's default GSSAPI is not supported).",
         G::Network},
        {"sasl.jaas.config",
         T::String,
         std::nullopt,
         std::nullopt,
         std::nullopt,
         {},
         "The login, e.g. ...ScramLoginModule required username=\"u\" password=\"p\"; (hidden).",
         G::Network},
        {"interceptor.classes",
         T::List,
         "",
         std::nullopt,
         std::nullopt,
         {},
         "Producer interceptors are not supported; must be empty.",
         G::Network,
         false,
         {setInterceptorClasses, nullptr}},
        {"enable.metrics.push",
         T::Boolean,
         "true",
         std::nullopt,
         std::nullopt,
         {},
         "Accepted for compatibility; no effect.",
         G::Network,
         true},
        {"metrics.sample.window.ms",
         T::Long,
         "30000",
         0,
         kLongMax,
         {},
         "Accepted for compatibility; no effect.",
         G::Network,
         true},
        {"metrics.num.samples",
         T::Int,
         "2",
         1,
         kIntMax,
         {},
         "Accepted for compatibility; no effect.",
         G::Network,
         true},
        {"metrics.recording.level",
         T::String,
         "INFO",
         std::nullopt,
         std::nullopt,
         {"INFO", "DEBUG", "TRACE"},
         "Accepted for compatibility; no effect.",
         G::Network,
         true},
        {"metric.reporters",
         T::List,
         "",
         std::nullopt,
         std::nullopt,
         {},
         "Accepted for compatibility; no effect.",
         G::Network,
         true},
    };
    return all;
}

}  // namespace

Result<ConfigValue> ConfigKeyDef::parse(std::string_view raw) const {
    // security.protocol compares case-insensitively, as Java's CaseInsensitiveValidString.
    return parseConfigValue(name, type,
                            ConfigBounds{min, max, validValues, name == "security.protocol"}, raw);
}

std::span<const ConfigKeyDef> producerConfigDefs() {
    return defs();
}

const ConfigKeyDef* findConfigDef(std::string_view name) {
    const auto& all = defs();
    auto it = std::find_if(all.begin(), all.end(), [&](const auto& d) { return d.name == name; });
    return it == all.end() ? nullptr : &*it;
}

}  // namespace bs::producer
