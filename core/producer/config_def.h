#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/config_value.h"
#include "common/result.h"

namespace bs::producer {

struct ProducerConfig;

// Java's ConfigDef.Type and parsed values, shared with the consumer's table.
using bs::ConfigType;
using bs::configTypeName;
using bs::ConfigValue;

// Where the GUI's configuration editor shows a key.
enum class ConfigGroup { Batching, Delivery, Reliability, Partitioning, Network, Serialization };

std::string_view configGroupName(ConfigGroup group);

// Where a key's value lives in ProducerConfig (see bs::ConfigAccess).
using ConfigAccess = bs::ConfigAccess<ProducerConfig>;

// One key, the only place it is defined (Java's ConfigDef.ConfigKey): its type, default and
// bounds, what the editor and the error messages show, and where ProducerConfig keeps it.
// ProducerConfig::parse() and values() go through these; a new key is one entry here plus its
// field (test_config checks the field's initial value against the default here).
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
    ConfigAccess access = {};

    // Java's parseType, then the bounds and the allowed values. Errors name the key and value.
    Result<ConfigValue> parse(std::string_view raw) const;
};

// Every producer key we accept, in the order the editor lists them. Immutable, thread-safe.
std::span<const ConfigKeyDef> producerConfigDefs();
// nullptr if `name` is not a producer key.
const ConfigKeyDef* findConfigDef(std::string_view name);

}  // namespace bs::producer
