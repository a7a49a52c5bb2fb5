#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace bs::producer {

// Java's ConfigDef.Type for the keys we support.
enum class ConfigType { Boolean, Int, Long, Double, String, List, Class };

// Where the GUI's configuration editor shows a key.
enum class ConfigGroup { Batching, Delivery, Reliability, Partitioning, Network, Serialization };

std::string_view configTypeName(ConfigType type);
std::string_view configGroupName(ConfigGroup group);

// One key's metadata (Java's ConfigDef.ConfigKey): what the editor and the error messages show.
struct ConfigKeyDef {
    std::string_view name;
    ConfigType type;
    // Java's default, as a string in the key's own syntax; nullopt = no default (null).
    std::optional<std::string_view> defaultValue;
    // Inclusive numeric bounds (Int/Long/Double); nullopt = unbounded on that side.
    std::optional<double> min;
    std::optional<double> max;
    // Allowed values for enumerated strings (acks, compression.type, ...); empty = any.
    std::vector<std::string_view> validValues;
    std::string_view doc;
    ConfigGroup group;
    // Accepted for compatibility but with no effect here (named so in the GUI).
    bool noEffect = false;
};

// Every producer key we accept, in the order the editor lists them. Immutable, thread-safe.
std::span<const ConfigKeyDef> producerConfigDefs();
// nullptr if `name` is not a producer key.
const ConfigKeyDef* findConfigDef(std::string_view name);

}  // namespace bs::producer
