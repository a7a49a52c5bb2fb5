#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace bs::registry {

// One reason a reader schema cannot read what a writer schema wrote, worded as Confluent's
// registry words it (AvroCompatibilityChecker's errorType and description).
struct AvroIncompatibility {
    std::string errorType;  // READER_FIELD_MISSING_DEFAULT_VALUE, TYPE_MISMATCH, ...
    std::string description;
    std::string additionalInfo;
};

// Avro schema resolution (the spec's "Schema Resolution"): can data written with `writer` be
// read with `reader`? Both are parsed Avro schema JSON. Empty when it can. Hand-written: avro-c
// resolves schemas only while reading data and does not say why it cannot.
std::vector<AvroIncompatibility> avroReaderIncompatibilities(const nlohmann::json& reader,
                                                             const nlohmann::json& writer);

}  // namespace bs::registry
