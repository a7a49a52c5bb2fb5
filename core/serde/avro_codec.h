#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/result.h"

namespace bs::serde {

// A parsed Avro schema: avro-c's schema (for binary encoding and decoding) beside the schema's
// JSON (for field defaults and named types, which avro-c does not expose). Immutable; shared.
class AvroSchema {
  public:
    // The error is avro-c's, prefixed with "Invalid Avro schema: ".
    static Result<std::shared_ptr<const AvroSchema>> parse(const std::string& text);
    ~AvroSchema();
    AvroSchema(const AvroSchema&) = delete;
    AvroSchema& operator=(const AvroSchema&) = delete;

    // The canonical text registered with the registry.
    const std::string& text() const { return text_; }
    // Full name of a named top-level type ("ns.Record"), as RecordNameStrategy uses; empty for
    // a primitive, array, map or union.
    const std::string& fullName() const { return fullName_; }

    // Avro's JSON encoding of one datum (a union as {"type": value}; a plain value is taken
    // when one branch fits) to Avro binary. An invalid value names the field and the reason:
    // "field 'address.zip': missing required field", "wrong type: expected int, got string",
    // "unknown enum symbol 'X' (symbols: A, B)".
    Result<std::vector<uint8_t>> encodeJson(const std::string& json) const;
    // Avro binary back to one line of Avro's JSON encoding (unions as {"type": value}), as
    // kafka-avro-console-consumer prints it.
    Result<std::string> decodeToJson(const uint8_t* data, size_t size) const;

  private:
    struct Impl;
    AvroSchema() = default;
    std::unique_ptr<Impl> impl_;
    std::string text_;
    std::string fullName_;
};

}  // namespace bs::serde
