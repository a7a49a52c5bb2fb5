#include "consumer/consumer_config.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <functional>

#include "consumer/deserializers.h"

namespace bs::consumer {

namespace {

constexpr ConsumerConfigDef kDefs[] = {
    {"bootstrap.servers", "", "host:port pairs used to discover the cluster"},
    {"client.id", "", "id sent with every request"},
    {"client.rack", "", "rack id sent in Fetch requests"},
    {"fetch.min.bytes", "1", "bytes the broker waits for before answering a Fetch"},
    {"fetch.max.bytes", "52428800", "bytes a Fetch response may carry in total"},
    {"fetch.max.wait.ms", "500", "how long the broker may hold a Fetch (long polling)"},
    {"max.partition.fetch.bytes", "1048576", "bytes per partition in one Fetch response"},
    {"max.poll.records", "500", "records one poll() returns at most"},
    {"auto.offset.reset", "latest", "earliest, latest or none: where to start without a position"},
    {"check.crcs", "true", "accepted; fetched batches' CRC32C is always verified here"},
    {"isolation.level", "read_uncommitted", "only read_uncommitted (no transactions here)"},
    {"request.timeout.ms", "30000", "how long to wait for a response"},
    {"default.api.timeout.ms", "60000", "timeout of blocking calls such as offsetsForTimes"},
    {"retry.backoff.ms", "100", "wait before retrying a failed request"},
    {"reconnect.backoff.ms", "50", "wait before reconnecting"},
    {"reconnect.backoff.max.ms", "1000", "maximum reconnect backoff"},
    {"metadata.max.age.ms", "300000", "refresh metadata at least this often"},
    {"socket.connection.setup.timeout.ms", "10000", "connection setup timeout"},
    {"send.buffer.bytes", "131072", "SO_SNDBUF (-1: OS default)"},
    {"receive.buffer.bytes", "65536", "SO_RCVBUF (-1: OS default)"},
    {"allow.auto.create.topics", "true", "let Metadata requests create missing topics"},
    {"key.deserializer", "org.apache.kafka.common.serialization.ByteArrayDeserializer",
     "how keys are rendered"},
    {"value.deserializer", "org.apache.kafka.common.serialization.ByteArrayDeserializer",
     "how values are rendered"},
    {"security.protocol", "PLAINTEXT", "only PLAINTEXT"},
    {"group.id", "", "accepted, no effect: this consumer has no groups", true},
    {"group.instance.id", "", "accepted, no effect", true},
    {"enable.auto.commit", "true", "accepted, no effect (no groups, no commits)", true},
    {"auto.commit.interval.ms", "5000", "accepted, no effect", true},
    {"session.timeout.ms", "45000", "accepted, no effect", true},
    {"heartbeat.interval.ms", "3000", "accepted, no effect", true},
    {"max.poll.interval.ms", "300000", "accepted, no effect", true},
    {"partition.assignment.strategy", "", "accepted, no effect", true},
    {"exclude.internal.topics", "true", "accepted, no effect", true},
    {"connections.max.idle.ms", "540000", "accepted, no effect", true},
};

std::string_view trim(std::string_view s) {
    const auto ws = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    while (!s.empty() && ws(s.front()))
        s.remove_prefix(1);
    while (!s.empty() && ws(s.back()))
        s.remove_suffix(1);
    return s;
}

Error bad(std::string_view key, std::string_view raw, std::string_view why) {
    return Error{"invalid value '" + std::string(raw) + "' for configuration " + std::string(key) +
                 ": " + std::string(why)};
}

Status parseLong(std::string_view key, std::string_view raw, int64_t lo, int64_t hi, int64_t& out) {
    std::string_view v = trim(raw);
    const char* b = v.data();
    const char* e = v.data() + v.size();
    if (b != e && *b == '+') ++b;
    auto [p, ec] = std::from_chars(b, e, out);
    if (v.empty() || ec == std::errc::invalid_argument || p != e)
        return bad(key, raw, "expected a number");
    if (ec == std::errc::result_out_of_range || out < lo || out > hi)
        return bad(key, raw,
                   "must be between " + std::to_string(lo) + " and " + std::to_string(hi));
    return {};
}

template <class T>
Status parseInt(std::string_view key, std::string_view raw, int64_t lo, int64_t hi, T& out) {
    int64_t n = 0;
    Status s = parseLong(key, raw, lo, hi, n);
    if (s.ok()) out = static_cast<T>(n);
    return s;
}

Status parseBool(std::string_view key, std::string_view raw, bool& out) {
    std::string l(trim(raw));
    for (char& c : l)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (l == "true" || l == "false") {
        out = l == "true";
        return {};
    }
    return bad(key, raw, "expected true or false");
}

Status validateServer(std::string_view key, std::string_view entry) {
    const size_t colon = entry.rfind(':');
    if (colon == std::string_view::npos || colon == 0) return bad(key, entry, "expected host:port");
    int64_t port = 0;
    if (!parseLong(key, entry.substr(colon + 1), 0, 65535, port).ok())
        return bad(key, entry, "bad port in '" + std::string(entry) + "'");
    return {};
}

constexpr int64_t kIntMax = INT32_MAX;

// Applies one key to `c`; errors name the key.
Status apply(ConsumerConfig& c, const std::string& key, const std::string& raw) {
    const std::string_view v = trim(raw);
    if (key == "bootstrap.servers") {
        c.bootstrapServers.clear();
        size_t start = 0;
        while (start <= v.size()) {
            size_t comma = v.find(',', start);
            auto item = trim(v.substr(start, comma == v.npos ? v.npos : comma - start));
            if (!item.empty()) {
                if (Status s = validateServer(key, item); !s.ok()) return s;
                c.bootstrapServers.emplace_back(item);
            }
            if (comma == v.npos) break;
            start = comma + 1;
        }
        return {};
    }
    if (key == "client.id" || key == "client.rack") {
        (key == "client.id" ? c.clientId : c.clientRack) = std::string(v);
        return {};
    }
    if (key == "fetch.min.bytes") return parseInt(key, raw, 0, kIntMax, c.fetchMinBytes);
    if (key == "fetch.max.bytes") return parseInt(key, raw, 0, kIntMax, c.fetchMaxBytes);
    if (key == "fetch.max.wait.ms") return parseInt(key, raw, 0, kIntMax, c.fetchMaxWaitMs);
    if (key == "max.partition.fetch.bytes")
        return parseInt(key, raw, 0, kIntMax, c.maxPartitionFetchBytes);
    if (key == "max.poll.records") return parseInt(key, raw, 1, kIntMax, c.maxPollRecords);
    if (key == "auto.offset.reset") {
        if (v == "earliest")
            c.autoOffsetReset = OffsetResetStrategy::Earliest;
        else if (v == "latest")
            c.autoOffsetReset = OffsetResetStrategy::Latest;
        else if (v == "none")
            c.autoOffsetReset = OffsetResetStrategy::None;
        else
            return bad(key, raw, "must be one of [earliest, latest, none]");
        return {};
    }
    if (key == "check.crcs") return parseBool(key, raw, c.checkCrcs);
    if (key == "isolation.level") {
        if (v == "read_uncommitted") return {};
        if (v == "read_committed")
            return bad(key, raw,
                       "read_committed is not supported (this consumer has no "
                       "transaction support); use read_uncommitted");
        return bad(key, raw, "must be one of [read_committed, read_uncommitted]");
    }
    if (key == "request.timeout.ms") return parseInt(key, raw, 0, kIntMax, c.requestTimeoutMs);
    if (key == "default.api.timeout.ms")
        return parseInt(key, raw, 0, kIntMax, c.defaultApiTimeoutMs);
    if (key == "retry.backoff.ms") return parseInt(key, raw, 0, INT64_MAX, c.retryBackoffMs);
    if (key == "reconnect.backoff.ms")
        return parseInt(key, raw, 0, INT64_MAX, c.reconnectBackoffMs);
    if (key == "reconnect.backoff.max.ms")
        return parseInt(key, raw, 0, INT64_MAX, c.reconnectBackoffMaxMs);
    if (key == "metadata.max.age.ms") return parseInt(key, raw, 0, INT64_MAX, c.metadataMaxAgeMs);
    if (key == "socket.connection.setup.timeout.ms")
        return parseInt(key, raw, 0, INT64_MAX, c.socketConnectionSetupTimeoutMs);
    if (key == "send.buffer.bytes") return parseInt(key, raw, -1, kIntMax, c.sendBufferBytes);
    if (key == "receive.buffer.bytes") return parseInt(key, raw, -1, kIntMax, c.receiveBufferBytes);
    if (key == "allow.auto.create.topics") return parseBool(key, raw, c.allowAutoCreateTopics);
    if (key == "key.deserializer" || key == "value.deserializer") {
        auto name = canonicalDeserializerName(v);
        if (!name) return bad(key, raw, name.error().message);
        (key == "key.deserializer" ? c.keyDeserializer : c.valueDeserializer) = *name;
        return {};
    }
    if (key == "security.protocol") {
        std::string u(v);
        for (char& ch : u)
            ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
        if (u == "PLAINTEXT") return {};
        return bad(key, raw, "only PLAINTEXT is supported");
    }
    for (const auto& d : kDefs)
        if (d.noEffect && d.name == key) return {};
    return Error{"unknown consumer configuration '" + key + "'"};
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
    return kDefs;
}

Result<ConsumerConfig> ConsumerConfig::parse(
    const std::vector<std::pair<std::string, std::string>>& kv) {
    ConsumerConfig c;
    for (const auto& [rawKey, value] : kv) {
        std::string key(trim(rawKey));
        if (Status s = apply(c, key, value); !s.ok()) return Error{s.message()};
        c.originals[key] = value;
    }
    if (c.bootstrapServers.empty())
        return Error{"missing required configuration bootstrap.servers (host:port,...)"};
    return c;
}

Result<ConsumerConfig> ConsumerConfig::parse(const std::map<std::string, std::string>& kv) {
    return parse(std::vector<std::pair<std::string, std::string>>(kv.begin(), kv.end()));
}

}  // namespace bs::consumer
