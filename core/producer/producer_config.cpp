#include "producer/producer_config.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <fstream>
#include <functional>
#include <sstream>
#include <variant>

#include "producer/config_def.h"
#include "producer/partitioner.h"
#include "producer/serializers.h"

namespace bs::producer {

namespace {

using Value = std::variant<bool, int64_t, std::string, std::vector<std::string>>;

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

// Java's ConfigDef.parseType for one key, then its validator.
Result<Value> parseValue(const ConfigKeyDef& def, std::string_view raw) {
    const std::string_view v = trim(raw);
    switch (def.type) {
        case ConfigType::Boolean: {
            const std::string l = lower(v);
            if (l == "true") return Value{true};
            if (l == "false") return Value{false};
            return keyError(def.name, raw, "expected true or false");
        }
        case ConfigType::Int:
        case ConfigType::Long: {
            int64_t n = 0;
            const char* b = v.data();
            const char* e = v.data() + v.size();
            if (b != e && *b == '+') ++b;  // Java's Long.parseLong accepts a leading '+'
            auto [p, ec] = std::from_chars(b, e, n);
            const bool isInt = def.type == ConfigType::Int;
            if (v.empty() || ec == std::errc::invalid_argument || p != e)
                return keyError(def.name, raw,
                                std::string("expected ") + (isInt ? "an int" : "a long"));
            if (ec == std::errc::result_out_of_range || (isInt && (n > INT32_MAX || n < INT32_MIN)))
                return keyError(def.name, raw,
                                std::string("out of range for ") + (isInt ? "an int" : "a long"));
            if (def.min && static_cast<double>(n) < *def.min)
                return keyError(
                    def.name, raw,
                    "must be at least " + std::to_string(static_cast<int64_t>(*def.min)));
            if (def.max && static_cast<double>(n) > *def.max)
                return keyError(
                    def.name, raw,
                    "must be at most " + std::to_string(static_cast<int64_t>(*def.max)));
            return Value{n};
        }
        case ConfigType::Double:
            return keyError(def.name, raw, "double keys are not used");
        case ConfigType::String:
        case ConfigType::Class: {
            std::string s(v);
            if (!def.validValues.empty()) {
                // security.protocol compares case-insensitively, as Java's
                // CaseInsensitiveValidString.
                const bool ci = def.name == "security.protocol";
                const auto match = std::find_if(
                    def.validValues.begin(), def.validValues.end(),
                    [&](std::string_view ok) { return ci ? upper(ok) == upper(s) : ok == s; });
                if (match == def.validValues.end()) {
                    std::string list;
                    for (auto ok : def.validValues)
                        list += (list.empty() ? "" : ", ") + std::string(ok);
                    return keyError(def.name, raw, "must be one of [" + list + "]");
                }
                s = std::string(*match);
            }
            return Value{std::move(s)};
        }
        case ConfigType::List: {
            std::vector<std::string> items;
            if (!v.empty()) {
                size_t start = 0;
                for (;;) {
                    const size_t comma = v.find(',', start);
                    const auto item = trim(
                        v.substr(start, comma == std::string_view::npos ? v.npos : comma - start));
                    if (item.empty()) return keyError(def.name, raw, "empty list element");
                    items.emplace_back(item);
                    if (comma == std::string_view::npos) break;
                    start = comma + 1;
                }
            }
            return Value{std::move(items)};
        }
    }
    return keyError(def.name, raw, "unsupported type");
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

int64_t asInt(const Value& v) {
    return std::get<int64_t>(v);
}

// Applies one parsed key to the config; errors for values our engine cannot honour.
Status apply(ProducerConfig& c, std::string_view key, const Value& v) {
    const auto i32 = [&] { return static_cast<int32_t>(asInt(v)); };
    if (key == "bootstrap.servers") {
        c.bootstrapServers = std::get<std::vector<std::string>>(v);
        for (const auto& e : c.bootstrapServers)
            if (auto st = validateHostPort(key, e); !st) return st;
    } else if (key == "client.id") {
        c.clientId = std::get<std::string>(v);
    } else if (key == "metadata.max.age.ms") {
        c.metadataMaxAgeMs = asInt(v);
    } else if (key == "metadata.max.idle.ms") {
        c.metadataMaxIdleMs = asInt(v);
    } else if (key == "reconnect.backoff.ms") {
        c.reconnectBackoffMs = asInt(v);
    } else if (key == "reconnect.backoff.max.ms") {
        c.reconnectBackoffMaxMs = asInt(v);
    } else if (key == "connections.max.idle.ms") {
        c.connectionsMaxIdleMs = asInt(v);
    } else if (key == "send.buffer.bytes") {
        c.sendBufferBytes = i32();
    } else if (key == "receive.buffer.bytes") {
        c.receiveBufferBytes = i32();
    } else if (key == "request.timeout.ms") {
        c.requestTimeoutMs = i32();
    } else if (key == "socket.connection.setup.timeout.ms") {
        c.socketConnectionSetupTimeoutMs = asInt(v);
    } else if (key == "socket.connection.setup.timeout.max.ms") {
        c.socketConnectionSetupTimeoutMaxMs = asInt(v);
    } else if (key == "security.protocol") {
        c.securityProtocol = std::get<std::string>(v);
    } else if (key == "batch.size") {
        c.batchSize = i32();
    } else if (key == "linger.ms") {
        c.lingerMs = std::min<int64_t>(asInt(v), INT32_MAX);  // Java caps linger to an int
    } else if (key == "buffer.memory") {
        c.bufferMemory = asInt(v);
    } else if (key == "max.block.ms") {
        c.maxBlockMs = asInt(v);
    } else if (key == "max.request.size") {
        c.maxRequestSize = i32();
    } else if (key == "compression.type") {
        auto t = protocol::parseCompressionType(std::get<std::string>(v));
        if (!t) return Error{"configuration compression.type: " + t.error().message};
        c.compressionType = *t;
    } else if (key == "compression.gzip.level" || key == "compression.lz4.level" ||
               key == "compression.zstd.level") {
        const auto type = key == "compression.gzip.level"  ? protocol::CompressionType::Gzip
                          : key == "compression.lz4.level" ? protocol::CompressionType::Lz4
                                                           : protocol::CompressionType::Zstd;
        if (auto st = protocol::validateCompressionLevel(type, i32()); !st)
            return keyError(key, std::to_string(i32()), st.message());
        (type == protocol::CompressionType::Gzip  ? c.compressionGzipLevel
         : type == protocol::CompressionType::Lz4 ? c.compressionLz4Level
                                                  : c.compressionZstdLevel) = i32();
    } else if (key == "acks") {
        const auto& s = std::get<std::string>(v);
        c.acks = s == "all" ? int16_t{-1} : static_cast<int16_t>(std::stoi(s));
    } else if (key == "enable.idempotence") {
        c.enableIdempotence = std::get<bool>(v);
    } else if (key == "max.in.flight.requests.per.connection") {
        c.maxInFlightRequestsPerConnection = i32();
    } else if (key == "retries") {
        c.retries = i32();
    } else if (key == "retry.backoff.ms") {
        c.retryBackoffMs = asInt(v);
    } else if (key == "retry.backoff.max.ms") {
        c.retryBackoffMaxMs = asInt(v);
    } else if (key == "delivery.timeout.ms") {
        c.deliveryTimeoutMs = i32();
    } else if (key == "partitioner.class") {
        c.partitionerClass = std::get<std::string>(v);
        if (auto st = validatePartitionerClass(c.partitionerClass); !st)
            return Error{"configuration partitioner.class: " + st.message()};
    } else if (key == "partitioner.adaptive.partitioning.enable") {
        c.partitionerAdaptivePartitioningEnable = std::get<bool>(v);
    } else if (key == "partitioner.availability.timeout.ms") {
        c.partitionerAvailabilityTimeoutMs = asInt(v);
    } else if (key == "partitioner.ignore.keys") {
        c.partitionerIgnoreKeys = std::get<bool>(v);
    } else if (key == "key.serializer" || key == "value.serializer") {
        auto name = canonicalSerializerName(std::get<std::string>(v));
        if (!name) return Error{"configuration " + std::string(key) + ": " + name.error().message};
        (key == "key.serializer" ? c.keySerializer : c.valueSerializer) = *name;
    } else if (key == "interceptor.classes") {
        if (!std::get<std::vector<std::string>>(v).empty())
            return Error{
                "configuration interceptor.classes: producer interceptors are not supported"};
    }
    // Remaining keys are accepted for compatibility and have no effect (see ConfigKeyDef).
    return {};
}

}  // namespace

int32_t ProducerConfig::compressionLevel() const {
    switch (compressionType) {
        case protocol::CompressionType::Gzip:
            return compressionGzipLevel;
        case protocol::CompressionType::Lz4:
            return compressionLz4Level;
        case protocol::CompressionType::Zstd:
            return compressionZstdLevel;
        default:
            return 0;
    }
}

Result<ProducerConfig> ProducerConfig::parse(const std::map<std::string, std::string>& kv) {
    ProducerConfig c;
    for (const auto& [key, raw] : kv)
        if (!findConfigDef(key)) return Error{"unknown producer configuration key '" + key + "'"};
    if (kv.contains("transactional.id"))
        return Error{
            "configuration transactional.id: transactions are not supported by Batchscope"};

    for (const ConfigKeyDef& def : producerConfigDefs()) {
        auto given = kv.find(std::string(def.name));
        std::optional<std::string_view> raw =
            given != kv.end() ? std::optional<std::string_view>(given->second) : def.defaultValue;
        if (!raw) continue;  // null default: the field's own default stands
        auto value = parseValue(def, *raw);
        if (!value) return value.error();
        if (auto st = apply(c, def.name, *value); !st) return Error{st.message()};
    }
    c.originals = kv;
    const auto userSet = [&](const char* key) { return kv.contains(key); };

    // Java: reconnect.backoff.ms alone disables the exponential reconnect backoff.
    if (userSet("reconnect.backoff.ms") && !userSet("reconnect.backoff.max.ms")) {
        c.reconnectBackoffMaxMs = c.reconnectBackoffMs;
        c.adjustments.emplace_back("reconnect.backoff.max.ms",
                                   "set to reconnect.backoff.ms because only that was given");
    }

    // Java's idempotence rules: explicit enable.idempotence=true with a conflicting setting is
    // an error; the default (true) is silently turned off instead.
    if (c.enableIdempotence) {
        const bool explicitIdempotence = userSet("enable.idempotence");
        std::string conflict;
        if (c.retries == 0) {
            if (explicitIdempotence)
                return Error{
                    "configuration retries: must be non-zero when using the idempotent "
                    "producer (enable.idempotence=true)"};
            conflict = "retries is 0";
        }
        if (c.acks != -1) {
            if (explicitIdempotence)
                return Error{
                    "configuration acks: must be all (-1) to use the idempotent producer "
                    "(enable.idempotence=true); otherwise idempotence cannot be "
                    "guaranteed"};
            conflict = "acks is " + std::to_string(c.acks) + ", not all";
        }
        if (c.maxInFlightRequestsPerConnection > 5) {
            if (explicitIdempotence)
                return Error{
                    "configuration max.in.flight.requests.per.connection: must be at most "
                    "5 to use the idempotent producer (enable.idempotence=true)"};
            conflict = "max.in.flight.requests.per.connection is greater than 5";
        }
        if (!conflict.empty()) {
            c.enableIdempotence = false;
            c.adjustments.emplace_back("enable.idempotence", "set to false because " + conflict);
        }
    }

    // Java's KafkaProducer.configureDeliveryTimeout.
    const int64_t lingerAndRequest = std::min<int64_t>(c.lingerMs + c.requestTimeoutMs, INT32_MAX);
    if (c.deliveryTimeoutMs < lingerAndRequest) {
        if (userSet("delivery.timeout.ms"))
            return Error{
                "configuration delivery.timeout.ms: " + std::to_string(c.deliveryTimeoutMs) +
                " must be equal to or larger than linger.ms + request.timeout.ms (" +
                std::to_string(lingerAndRequest) + ")"};
        c.deliveryTimeoutMs = static_cast<int32_t>(lingerAndRequest);
        c.adjustments.emplace_back("delivery.timeout.ms",
                                   "raised to linger.ms + request.timeout.ms");
    }
    return c;
}

Result<ProducerConfig> ProducerConfig::parse(
    const std::vector<std::pair<std::string, std::string>>& kv) {
    std::map<std::string, std::string> m;
    for (const auto& [k, v] : kv)
        m[k] = v;
    return parse(m);
}

namespace {

void appendUtf8(std::string& out, uint32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

bool isPropWhitespace(char c) {
    return c == ' ' || c == '\t' || c == '\f';
}

// Decodes Java .properties escapes of a key or value. `lineNo` names the line in errors.
Result<std::string> unescape(std::string_view s, size_t lineNo) {
    std::string out;
    out.reserve(s.size());
    uint32_t pendingHigh = 0;  // a UTF-16 high surrogate waiting for its low half
    for (size_t i = 0; i < s.size(); ++i) {
        uint32_t cp;
        if (s[i] != '\\') {
            if (pendingHigh) appendUtf8(out, 0xFFFD), pendingHigh = 0;
            out += s[i];
            continue;
        }
        if (++i == s.size()) break;  // a lone trailing backslash is dropped, as Java
        const char c = s[i];
        if (c == 'u') {
            if (s.size() - i - 1 < 4)
                return Error{"line " + std::to_string(lineNo) + ": malformed \\uxxxx escape"};
            cp = 0;
            for (size_t k = 1; k <= 4; ++k) {
                const char h = s[i + k];
                cp <<= 4;
                if (h >= '0' && h <= '9')
                    cp |= static_cast<uint32_t>(h - '0');
                else if (h >= 'a' && h <= 'f')
                    cp |= static_cast<uint32_t>(h - 'a' + 10);
                else if (h >= 'A' && h <= 'F')
                    cp |= static_cast<uint32_t>(h - 'A' + 10);
                else
                    return Error{"line " + std::to_string(lineNo) + ": malformed \\uxxxx escape"};
            }
            i += 4;
        } else {
            cp = c == 't'   ? '\t'
                 : c == 'n' ? '\n'
                 : c == 'r' ? '\r'
                 : c == 'f' ? '\f'
                            : static_cast<unsigned char>(c);
        }
        if (cp >= 0xD800 && cp <= 0xDBFF) {
            if (pendingHigh) appendUtf8(out, 0xFFFD);
            pendingHigh = cp;
            continue;
        }
        if (cp >= 0xDC00 && cp <= 0xDFFF) {
            appendUtf8(out, pendingHigh ? 0x10000 + ((pendingHigh - 0xD800) << 10) + (cp - 0xDC00)
                                        : 0xFFFD);
            pendingHigh = 0;
            continue;
        }
        if (pendingHigh) appendUtf8(out, 0xFFFD), pendingHigh = 0;
        appendUtf8(out, cp);
    }
    if (pendingHigh) appendUtf8(out, 0xFFFD);
    return out;
}

}  // namespace

Result<std::vector<std::pair<std::string, std::string>>> ProducerConfig::parsePropertiesText(
    std::string_view text) {
    std::vector<std::pair<std::string, std::string>> out;
    size_t pos = 0, lineNo = 0;
    // Natural lines end at \n, \r or \r\n.
    auto nextLine = [&](std::string_view& line) {
        if (pos >= text.size()) return false;
        size_t end = pos;
        while (end < text.size() && text[end] != '\n' && text[end] != '\r')
            ++end;
        line = text.substr(pos, end - pos);
        if (end + 1 < text.size() && text[end] == '\r' && text[end + 1] == '\n')
            pos = end + 2;
        else
            pos = end < text.size() ? end + 1 : end;
        ++lineNo;
        return true;
    };
    auto trailingBackslashes = [](std::string_view s) {
        size_t n = 0;
        while (n < s.size() && s[s.size() - 1 - n] == '\\')
            ++n;
        return n;
    };
    std::string_view natural;
    while (nextLine(natural)) {
        size_t b = 0;
        while (b < natural.size() && isPropWhitespace(natural[b]))
            ++b;
        if (b == natural.size()) continue;                     // blank
        if (natural[b] == '#' || natural[b] == '!') continue;  // comment
        const size_t startLine = lineNo;
        std::string logical(natural.substr(b));
        // An odd number of trailing backslashes continues the line.
        while (trailingBackslashes(logical) % 2 == 1) {
            logical.pop_back();
            std::string_view cont;
            if (!nextLine(cont)) break;
            size_t cb = 0;
            while (cb < cont.size() && isPropWhitespace(cont[cb]))
                ++cb;
            logical += cont.substr(cb);
        }
        // Key: up to the first unescaped '=', ':' or whitespace.
        size_t i = 0;
        bool escaped = false;
        for (; i < logical.size(); ++i) {
            const char c = logical[i];
            if (escaped) {
                escaped = false;
                continue;
            }
            if (c == '\\') {
                escaped = true;
                continue;
            }
            if (c == '=' || c == ':' || isPropWhitespace(c)) break;
        }
        const std::string_view rawKey = std::string_view(logical).substr(0, i);
        while (i < logical.size() && isPropWhitespace(logical[i]))
            ++i;
        if (i < logical.size() && (logical[i] == '=' || logical[i] == ':')) ++i;
        while (i < logical.size() && isPropWhitespace(logical[i]))
            ++i;
        auto key = unescape(rawKey, startLine);
        if (!key) return key.error();
        auto value = unescape(std::string_view(logical).substr(i), startLine);
        if (!value) return value.error();
        out.emplace_back(std::move(*key), std::move(*value));
    }
    return out;
}

Result<ProducerConfig> ProducerConfig::parsePropertiesFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return Error{"cannot read producer config file '" + path + "'"};
    std::ostringstream ss;
    ss << in.rdbuf();
    auto pairs = parsePropertiesText(ss.str());
    if (!pairs) return Error{path + ": " + pairs.error().message};
    auto config = parse(*pairs);
    if (!config) return Error{path + ": " + config.error().message};
    return config;
}

std::vector<std::pair<std::string, std::string>> ProducerConfig::values() const {
    std::vector<std::pair<std::string, std::string>> out;
    const auto join = [](const std::vector<std::string>& v) {
        std::string s;
        for (const auto& e : v)
            s += (s.empty() ? "" : ",") + e;
        return s;
    };
    const auto b = [](bool v) { return std::string(v ? "true" : "false"); };
    const std::map<std::string_view, std::string> known = {
        {"bootstrap.servers", join(bootstrapServers)},
        {"client.id", clientId},
        {"metadata.max.age.ms", std::to_string(metadataMaxAgeMs)},
        {"metadata.max.idle.ms", std::to_string(metadataMaxIdleMs)},
        {"reconnect.backoff.ms", std::to_string(reconnectBackoffMs)},
        {"reconnect.backoff.max.ms", std::to_string(reconnectBackoffMaxMs)},
        {"connections.max.idle.ms", std::to_string(connectionsMaxIdleMs)},
        {"send.buffer.bytes", std::to_string(sendBufferBytes)},
        {"receive.buffer.bytes", std::to_string(receiveBufferBytes)},
        {"request.timeout.ms", std::to_string(requestTimeoutMs)},
        {"socket.connection.setup.timeout.ms", std::to_string(socketConnectionSetupTimeoutMs)},
        {"socket.connection.setup.timeout.max.ms",
         std::to_string(socketConnectionSetupTimeoutMaxMs)},
        {"security.protocol", securityProtocol},
        {"batch.size", std::to_string(batchSize)},
        {"linger.ms", std::to_string(lingerMs)},
        {"buffer.memory", std::to_string(bufferMemory)},
        {"max.block.ms", std::to_string(maxBlockMs)},
        {"max.request.size", std::to_string(maxRequestSize)},
        {"compression.type", std::string(protocol::compressionName(compressionType))},
        {"compression.gzip.level", std::to_string(compressionGzipLevel)},
        {"compression.lz4.level", std::to_string(compressionLz4Level)},
        {"compression.zstd.level", std::to_string(compressionZstdLevel)},
        {"acks", acks == -1 ? std::string("all") : std::to_string(acks)},
        {"enable.idempotence", b(enableIdempotence)},
        {"max.in.flight.requests.per.connection", std::to_string(maxInFlightRequestsPerConnection)},
        {"retries", std::to_string(retries)},
        {"retry.backoff.ms", std::to_string(retryBackoffMs)},
        {"retry.backoff.max.ms", std::to_string(retryBackoffMaxMs)},
        {"delivery.timeout.ms", std::to_string(deliveryTimeoutMs)},
        {"partitioner.class", partitionerClass},
        {"partitioner.adaptive.partitioning.enable", b(partitionerAdaptivePartitioningEnable)},
        {"partitioner.availability.timeout.ms", std::to_string(partitionerAvailabilityTimeoutMs)},
        {"partitioner.ignore.keys", b(partitionerIgnoreKeys)},
        {"key.serializer", keySerializer},
        {"value.serializer", valueSerializer},
    };
    for (const ConfigKeyDef& def : producerConfigDefs()) {
        auto it = known.find(def.name);
        if (it != known.end()) {
            out.emplace_back(std::string(def.name), it->second);
        } else {
            auto given = originals.find(std::string(def.name));
            out.emplace_back(std::string(def.name),
                             given != originals.end() ? std::string(trim(given->second))
                             : def.defaultValue       ? std::string(*def.defaultValue)
                                                      : std::string());
        }
    }
    return out;
}

}  // namespace bs::producer
