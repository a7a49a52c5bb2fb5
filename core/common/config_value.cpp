#include "common/config_value.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <climits>

namespace bs {

namespace {

std::string upper(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

Result<ConfigValue> parseNumber(std::string_view key, ConfigType type, const ConfigBounds& bounds,
                                std::string_view raw, std::string_view v) {
    int64_t n = 0;
    const char* b = v.data();
    const char* e = v.data() + v.size();
    if (b != e && *b == '+') ++b;  // Java's Long.parseLong accepts a leading '+'
    auto [p, ec] = std::from_chars(b, e, n);
    const bool isInt = type == ConfigType::Int;
    if (v.empty() || ec == std::errc::invalid_argument || p != e)
        return configValueError(key, raw, isInt ? "expected an int" : "expected a long");
    if (ec == std::errc::result_out_of_range || (isInt && (n > INT32_MAX || n < INT32_MIN)))
        return configValueError(key, raw,
                                isInt ? "out of range for an int" : "out of range for a long");
    if (bounds.min && static_cast<double>(n) < *bounds.min)
        return configValueError(
            key, raw, "must be at least " + std::to_string(static_cast<int64_t>(*bounds.min)));
    if (bounds.max && static_cast<double>(n) > *bounds.max)
        return configValueError(
            key, raw, "must be at most " + std::to_string(static_cast<int64_t>(*bounds.max)));
    return ConfigValue{n};
}

Result<ConfigValue> parseText(std::string_view key, const ConfigBounds& bounds,
                              std::string_view raw, std::string_view v) {
    if (bounds.validValues.empty()) return ConfigValue{std::string(v)};
    const auto match = std::find_if(
        bounds.validValues.begin(), bounds.validValues.end(),
        [&](std::string_view ok) { return bounds.ignoreCase ? upper(ok) == upper(v) : ok == v; });
    if (match != bounds.validValues.end()) return ConfigValue{std::string(*match)};
    std::string list;
    for (auto ok : bounds.validValues)
        list += (list.empty() ? "" : ", ") + std::string(ok);
    return configValueError(key, raw, "must be one of [" + list + "]");
}

Result<ConfigValue> parseList(std::string_view key, std::string_view raw, std::string_view v) {
    std::vector<std::string> items;
    if (v.empty()) return ConfigValue{std::move(items)};
    size_t start = 0;
    for (;;) {
        const size_t comma = v.find(',', start);
        const auto item = trimConfigText(
            v.substr(start, comma == std::string_view::npos ? v.npos : comma - start));
        if (item.empty()) return configValueError(key, raw, "empty list element");
        items.emplace_back(item);
        if (comma == std::string_view::npos) break;
        start = comma + 1;
    }
    return ConfigValue{std::move(items)};
}

}  // namespace

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

Result<ConfigValue> parseConfigValue(std::string_view key, ConfigType type,
                                     const ConfigBounds& bounds, std::string_view raw) {
    const std::string_view v = trimConfigText(raw);
    switch (type) {
        case ConfigType::Boolean: {
            const std::string l = lower(v);
            if (l == "true") return ConfigValue{true};
            if (l == "false") return ConfigValue{false};
            return configValueError(key, raw, "expected true or false");
        }
        case ConfigType::Int:
        case ConfigType::Long:
            return parseNumber(key, type, bounds, raw, v);
        case ConfigType::Double:
            return configValueError(key, raw, "double keys are not used");
        case ConfigType::String:
        case ConfigType::Class:
            return parseText(key, bounds, raw, v);
        case ConfigType::List:
            return parseList(key, raw, v);
    }
    return configValueError(key, raw, "unsupported type");
}

Error configValueError(std::string_view key, std::string_view raw, std::string_view reason) {
    return Error{"invalid value '" + std::string(raw) + "' for configuration " + std::string(key) +
                 ": " + std::string(reason)};
}

Status validateHostPort(std::string_view key, std::string_view entry) {
    const size_t colon = entry.rfind(':');
    if (colon == std::string_view::npos || colon == 0)
        return configValueError(key, entry, "expected host:port");
    const std::string_view host = entry.substr(0, colon);
    const std::string_view port = entry.substr(colon + 1);
    int p = -1;
    auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), p);
    if (port.empty() || ec != std::errc() || end != port.data() + port.size() || p < 0 || p > 65535)
        return configValueError(key, entry, "port must be a number 0..65535");
    if (host.front() == '[' && host.back() != ']')
        return configValueError(key, entry, "unterminated [ipv6]");
    return {};
}

std::string_view trimConfigText(std::string_view s) {
    const auto ws = [](char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f';
    };
    while (!s.empty() && ws(s.front()))
        s.remove_prefix(1);
    while (!s.empty() && ws(s.back()))
        s.remove_suffix(1);
    return s;
}

std::string joinConfigList(const std::vector<std::string>& items) {
    std::string s;
    for (const auto& e : items)
        s += (s.empty() ? "" : ",") + e;
    return s;
}

}  // namespace bs
