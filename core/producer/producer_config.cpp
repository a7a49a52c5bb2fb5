#include "producer/producer_config.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <fstream>
#include <functional>
#include <sstream>
#include <variant>

#include "producer/config_def.h"

namespace bs::producer {

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
        if (!raw) continue;            // null default: the field's own default stands
        auto value = def.parse(*raw);  // also for keys without effect: a bad value is an error
        if (!value) return value.error();
        if (!def.access.set) continue;
        if (auto st = def.access.set(c, *value); !st) return Error{st.message()};
    }
    c.originals = kv;
    auto security = security::parseClientSecurity(kv);
    if (!security) return Error{"configuration " + security.error().message};
    c.security = std::move(*security);
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

const ProducerConfig& defaultProducerConfig() {
    static const ProducerConfig defaults = *ProducerConfig::defaults();  // test_config parses it
    return defaults;
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
    for (const ConfigKeyDef& def : producerConfigDefs()) {
        auto given = originals.find(std::string(def.name));
        // Java's Type.PASSWORD: secrets are shown as [hidden].
        if (given != originals.end() && security::isSecretSetting(def.name)) {
            out.emplace_back(std::string(def.name), "[hidden]");
            continue;
        }
        if (def.access.get) {
            out.emplace_back(std::string(def.name), def.access.get(*this));
            continue;
        }
        out.emplace_back(std::string(def.name), given != originals.end()
                                                    ? std::string(trimConfigText(given->second))
                                                : def.defaultValue ? std::string(*def.defaultValue)
                                                                   : std::string());
    }
    return out;
}

}  // namespace bs::producer
