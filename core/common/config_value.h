#pragma once

// The parts of Java's ConfigDef both clients' key tables share: key types, parsed values,
// ConfigDef.parseType with the key's bounds or allowed values, and errors that name the key and
// the value. Each client keeps its own table (producer/config_def.h, consumer/consumer_config.h).

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

#include "common/result.h"

namespace bs {

// Java's ConfigDef.Type for the keys we support.
enum class ConfigType { Boolean, Int, Long, Double, String, List, Class };
std::string_view configTypeName(ConfigType type);

// A value parsed for its key's type: booleans, Int and Long keys as int64_t, String and Class
// keys as text, List keys as their elements.
using ConfigValue = std::variant<bool, int64_t, std::string, std::vector<std::string>>;

// What a key accepts besides its type: inclusive bounds (Int/Long; nullopt = unbounded on that
// side) or allowed values (String; empty = any), compared ignoring case where Java's validator
// is a CaseInsensitiveValidString.
struct ConfigBounds {
    std::optional<double> min = std::nullopt;
    std::optional<double> max = std::nullopt;
    std::span<const std::string_view> validValues = {};
    bool ignoreCase = false;
};

// Java's parseType, then the bounds and the allowed values (an allowed value is returned as the
// table spells it). Errors name the key and the value.
Result<ConfigValue> parseConfigValue(std::string_view key, ConfigType type,
                                     const ConfigBounds& bounds, std::string_view raw);

// "invalid value '<raw>' for configuration <key>: <reason>".
Error configValueError(std::string_view key, std::string_view raw, std::string_view reason);
// host:port or [ipv6]:port, as Java's ClientUtils.parseAndValidateAddresses.
Status validateHostPort(std::string_view key, std::string_view entry);
// Without leading and trailing white space (as Java's String.trim for config text).
std::string_view trimConfigText(std::string_view s);
// List elements joined with ',' (a List key's own syntax).
std::string joinConfigList(const std::vector<std::string>& items);

// Where a config struct keeps a key's value. `set` stores a parsed value (after any check only
// the engine can make, such as a compression level for its codec); `get` renders the field in
// the key's own syntax. Both null for keys accepted without effect.
template <class Config>
struct ConfigAccess {
    Status (*set)(Config&, const ConfigValue&) = nullptr;
    std::string (*get)(const Config&) = nullptr;
};

namespace config_detail {
template <class>
struct FieldOf;
template <class C, class F>
struct FieldOf<F C::*> {
    using Config = C;
    using Type = F;
};
}  // namespace config_detail

// The access of a field that holds its key's parsed value as it is: a bool (Boolean keys), an
// integer (Int and Long keys; parse() checked the key's bounds, which fit the field) or a string
// (String and Class keys).
template <auto Field>
ConfigAccess<typename config_detail::FieldOf<decltype(Field)>::Config> fieldAccess() {
    using C = typename config_detail::FieldOf<decltype(Field)>::Config;
    using F = typename config_detail::FieldOf<decltype(Field)>::Type;
    if constexpr (std::is_same_v<F, bool>) {
        return {[](C& c, const ConfigValue& v) -> Status {
                    c.*Field = std::get<bool>(v);
                    return {};
                },
                [](const C& c) -> std::string { return c.*Field ? "true" : "false"; }};
    } else if constexpr (std::is_integral_v<F>) {
        return {[](C& c, const ConfigValue& v) -> Status {
                    c.*Field = static_cast<F>(std::get<int64_t>(v));
                    return {};
                },
                [](const C& c) { return std::to_string(c.*Field); }};
    } else {
        return {[](C& c, const ConfigValue& v) -> Status {
                    c.*Field = std::get<std::string>(v);
                    return {};
                },
                [](const C& c) -> std::string { return c.*Field; }};
    }
}

// The access of bootstrap.servers (a List key) kept as a vector of host:port entries, each
// checked by validateHostPort.
template <auto Field>
ConfigAccess<typename config_detail::FieldOf<decltype(Field)>::Config> bootstrapServersAccess() {
    using C = typename config_detail::FieldOf<decltype(Field)>::Config;
    return {[](C& c, const ConfigValue& v) -> Status {
                c.*Field = std::get<std::vector<std::string>>(v);
                for (const auto& entry : c.*Field)
                    if (auto st = validateHostPort("bootstrap.servers", entry); !st) return st;
                return {};
            },
            [](const C& c) { return joinConfigList(c.*Field); }};
}

}  // namespace bs
