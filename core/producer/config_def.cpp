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

std::string_view configTypeName(ConfigType type) {
    switch (type) {
        case ConfigType::Boolean:
            return "boolean";
        case ConfigType::Int:
            return "int";
        case ConfigType::Long:
            return "long";
        case ConfigType::Double:
            return "double";
        case ConfigType::String:
            return "string";
        case ConfigType::List:
            return "list";
        case ConfigType::Class:
            return "class";
    }
    return "unknown";
}

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

std::string_view trim(std::string_view s) {
    const auto ws = [](char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f';
    };
    while (!s.empty() && ws(s.front()))
        s.remove_prefix(1);
    while (!s.empty() && ws(s.back()))
        s.remove_suffix(1);
    return s;
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

std::string upper(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

Error keyError(std::string_view key, std::string_view raw, const std::string& reason) {
    return Error{"invalid value '" + std::string(raw) + "' for configuration " + std::string(key) +
                 ": " + reason};
}

// --- how fields take and give their values (ConfigAccess)

template <auto Field>
std::string getNumber(const PC& c) {
    return std::to_string(c.*Field);
}
template <auto Field>
std::string getText(const PC& c) {
    return c.*Field;
}
template <auto Field>
std::string getFlag(const PC& c) {
    return c.*Field ? "true" : "false";
}

// Int and Long keys: parse() checked the range of the field's type and the key's bounds.
template <auto Field>
ConfigAccess number() {
    return {[](PC& c, const ConfigValue& v) -> Status {
                using F = std::remove_reference_t<decltype(c.*Field)>;
                c.*Field = static_cast<F>(std::get<int64_t>(v));
                return {};
            },
            getNumber<Field>};
}
template <auto Field>
ConfigAccess text() {
    return {[](PC& c, const ConfigValue& v) -> Status {
                c.*Field = std::get<std::string>(v);
                return {};
            },
            getText<Field>};
}
template <auto Field>
ConfigAccess flag() {
    return {[](PC& c, const ConfigValue& v) -> Status {
                c.*Field = std::get<bool>(v);
                return {};
            },
            getFlag<Field>};
}

template <protocol::CompressionType Type, auto Field>
ConfigAccess compressionLevel() {
    return {[](PC& c, const ConfigValue& v) -> Status {
                const auto level = static_cast<int32_t>(std::get<int64_t>(v));
                if (auto st = protocol::validateCompressionLevel(Type, level); !st)
                    return keyError(std::string("compression.") +
                                        std::string(protocol::compressionName(Type)) + ".level",
                                    std::to_string(level), st.message());
                c.*Field = level;
                return {};
            },
            getNumber<Field>};
}

Status validateHostPort(std::string_view key, std::string_view entry) {
    // host:port or [ipv6]:port, as Java's ClientUtils.parseAndValidateAddresses.
    const size_t colon = entry.rfind(':');
    if (colon == std::string_view::npos || colon == 0)
        return keyError(key, entry, "expected host:port");
    const std::string_view host = entry.substr(0, colon);
    const std::string_view port = entry.substr(colon + 1);
    int p = -1;
    auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), p);
    if (port.empty() || ec != std::errc() || end != port.data() + port.size() || p < 0 || p > 65535)
        return keyError(key, entry, "port must be a number 0..65535");
    if (host.front() == '[' && host.back() != ']')
        return keyError(key, entry, "unterminated [ipv6]");
    return {};
}

Status setBootstrapServers(PC& c, const ConfigValue& v) {
    c.bootstrapServers = std::get<std::vector<std::string>>(v);
    for (const auto& e : c.bootstrapServers)
        if (auto st = validateHostPort("bootstrap.servers", e); !st) return st;
    return {};
}
std::string getBootstrapServers(const PC& c) {
    std::string s;
    for (const auto& e : c.bootstrapServers)
        s += (s.empty() ? "" : ",") + e;
    return s;
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
         number<&PC::batchSize>()},
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
         {setLingerMs, getNumber<&PC::lingerMs>}},
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
         number<&PC::bufferMemory>()},
        {"max.request.size",
         T::Int,
         "1048576",
         0,
         kIntMax,
         {},
         "Largest ProduceRequest in bytes; also caps a single record's size.",
         G::Batching,
         false,
         number<&PC::maxRequestSize>()},
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
         number<&PC::maxBlockMs>()},
        {"request.timeout.ms",
         T::Int,
         "30000",
         0,
         kIntMax,
         {},
         "How long to wait for a response to a request before failing it (and retrying).",
         G::Delivery,
         false,
         number<&PC::requestTimeoutMs>()},
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
         number<&PC::deliveryTimeoutMs>()},
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
         flag<&PC::enableIdempotence>()},
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
         number<&PC::retries>()},
        {"retry.backoff.ms",
         T::Long,
         "100",
         0,
         kLongMax,
         {},
         "Initial wait before retrying a failed batch; doubles per attempt (with 20% jitter).",
         G::Reliability,
         false,
         number<&PC::retryBackoffMs>()},
        {"retry.backoff.max.ms",
         T::Long,
         "1000",
         0,
         kLongMax,
         {},
         "Upper bound of the exponential retry backoff.",
         G::Reliability,
         false,
         number<&PC::retryBackoffMaxMs>()},
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
         number<&PC::maxInFlightRequestsPerConnection>()},
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
         {setPartitionerClass, getText<&PC::partitionerClass>}},
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
         flag<&PC::partitionerAdaptivePartitioningEnable>()},
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
         number<&PC::partitionerAvailabilityTimeoutMs>()},
        {"partitioner.ignore.keys",
         T::Boolean,
         "false",
         std::nullopt,
         std::nullopt,
         {},
         "Built-in partitioner: ignore keys, placing keyed records like keyless ones.",
         G::Partitioning,
         false,
         flag<&PC::partitionerIgnoreKeys>()},
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
         {setKeySerializer, getText<&PC::keySerializer>}},
        {"value.serializer",
         T::Class,
         "org.apache.kafka.common.serialization.ByteArraySerializer",
         std::nullopt,
         std::nullopt,
         {},
         "How values become bytes (same choices as key.serializer).",
         G::Serialization,
         false,
         {setValueSerializer, getText<&PC::valueSerializer>}},
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
         {setBootstrapServers, getBootstrapServers}},
        {"client.id",
         T::String,
         "",
         std::nullopt,
         std::nullopt,
         {},
         "Name sent with every request, shown in broker logs and quotas.",
         G::Network,
         false,
         text<&PC::clientId>()},
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
         number<&PC::metadataMaxAgeMs>()},
        {"metadata.max.idle.ms",
         T::Long,
         "300000",
         5000,
         kLongMax,
         {},
         "Forget metadata of topics not produced to for this long.",
         G::Network,
         false,
         number<&PC::metadataMaxIdleMs>()},
        {"reconnect.backoff.ms",
         T::Long,
         "50",
         0,
         kLongMax,
         {},
         "Initial wait before reconnecting to a broker.",
         G::Network,
         false,
         number<&PC::reconnectBackoffMs>()},
        {"reconnect.backoff.max.ms",
         T::Long,
         "1000",
         0,
         kLongMax,
         {},
         "Upper bound of the exponential reconnect backoff.",
         G::Network,
         false,
         number<&PC::reconnectBackoffMaxMs>()},
        {"connections.max.idle.ms",
         T::Long,
         "540000",
         std::nullopt,
         std::nullopt,
         {},
         "Close connections idle for this long.",
         G::Network,
         false,
         number<&PC::connectionsMaxIdleMs>()},
        {"socket.connection.setup.timeout.ms",
         T::Long,
         "10000",
         std::nullopt,
         std::nullopt,
         {},
         "Initial time allowed to establish a connection.",
         G::Network,
         false,
         number<&PC::socketConnectionSetupTimeoutMs>()},
        {"socket.connection.setup.timeout.max.ms",
         T::Long,
         "30000",
         std::nullopt,
         std::nullopt,
         {},
         "Upper bound of the connection setup timeout.",
         G::Network,
         false,
         number<&PC::socketConnectionSetupTimeoutMaxMs>()},
        {"send.buffer.bytes",
         T::Int,
         "131072",
         -1,
         kIntMax,
         {},
         "TCP send buffer (SO_SNDBUF); -1 = OS default.",
         G::Network,
         false,
         number<&PC::sendBufferBytes>()},
        {"receive.buffer.bytes",
         T::Int,
         "32768",
         -1,
         kIntMax,
         {},
         "TCP receive buffer (SO_RCVBUF); -1 = OS default.",
         G::Network,
         false,
         number<&PC::receiveBufferBytes>()},
        {"security.protocol",
         T::String,
         "PLAINTEXT",
         std::nullopt,
         std::nullopt,
         {"PLAINTEXT"},
         "Only PLAINTEXT is supported.",
         G::Network,
         false,
         text<&PC::securityProtocol>()},
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
    const std::string_view v = trim(raw);
    switch (type) {
        case ConfigType::Boolean: {
            const std::string l = lower(v);
            if (l == "true") return ConfigValue{true};
            if (l == "false") return ConfigValue{false};
            return keyError(name, raw, "expected true or false");
        }
        case ConfigType::Int:
        case ConfigType::Long: {
            int64_t n = 0;
            const char* b = v.data();
            const char* e = v.data() + v.size();
            if (b != e && *b == '+') ++b;  // Java's Long.parseLong accepts a leading '+'
            auto [p, ec] = std::from_chars(b, e, n);
            const bool isInt = type == ConfigType::Int;
            if (v.empty() || ec == std::errc::invalid_argument || p != e)
                return keyError(name, raw,
                                std::string("expected ") + (isInt ? "an int" : "a long"));
            if (ec == std::errc::result_out_of_range || (isInt && (n > INT32_MAX || n < INT32_MIN)))
                return keyError(name, raw,
                                std::string("out of range for ") + (isInt ? "an int" : "a long"));
            if (min && static_cast<double>(n) < *min)
                return keyError(name, raw,
                                "must be at least " + std::to_string(static_cast<int64_t>(*min)));
            if (max && static_cast<double>(n) > *max)
                return keyError(name, raw,
                                "must be at most " + std::to_string(static_cast<int64_t>(*max)));
            return ConfigValue{n};
        }
        case ConfigType::Double:
            return keyError(name, raw, "double keys are not used");
        case ConfigType::String:
        case ConfigType::Class: {
            std::string s(v);
            if (!validValues.empty()) {
                // security.protocol compares case-insensitively, as Java's
                // CaseInsensitiveValidString.
                const bool ci = name == "security.protocol";
                const auto match = std::find_if(
                    validValues.begin(), validValues.end(),
                    [&](std::string_view ok) { return ci ? upper(ok) == upper(s) : ok == s; });
                if (match == validValues.end()) {
                    std::string list;
                    for (auto ok : validValues)
                        list += (list.empty() ? "" : ", ") + std::string(ok);
                    return keyError(name, raw, "must be one of [" + list + "]");
                }
                s = std::string(*match);
            }
            return ConfigValue{std::move(s)};
        }
        case ConfigType::List: {
            std::vector<std::string> items;
            if (!v.empty()) {
                size_t start = 0;
                for (;;) {
                    const size_t comma = v.find(',', start);
                    const auto item = trim(
                        v.substr(start, comma == std::string_view::npos ? v.npos : comma - start));
                    if (item.empty()) return keyError(name, raw, "empty list element");
                    items.emplace_back(item);
                    if (comma == std::string_view::npos) break;
                    start = comma + 1;
                }
            }
            return ConfigValue{std::move(items)};
        }
    }
    return keyError(name, raw, "unsupported type");
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
