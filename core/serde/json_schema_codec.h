#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/result.h"

namespace bs::serde {

// A parsed JSON Schema and its validator. Debian 12 packages no C++ JSON Schema validator, so
// this is our own, on nlohmann-json, for the Draft-07 subset schemas use: type (a name or a list),
// properties, required, additionalProperties (bool or schema), items (schema or list),
// enum, const, minimum/maximum/exclusiveMinimum/exclusiveMaximum, multipleOf, minLength/maxLength,
// pattern (std::regex, ECMAScript), minItems/maxItems, uniqueItems, minProperties/maxProperties,
// oneOf/anyOf/allOf/not, and $ref to "#", "#/definitions/..." and "#/$defs/...". `format` and
// other keywords are ignored. Immutable; shared; thread-safe.
class JsonSchema {
  public:
    // Errors: not JSON, not an object or boolean, a $ref that does not resolve, a bad pattern.
    static Result<std::shared_ptr<const JsonSchema>> parse(const std::string& text);
    ~JsonSchema();
    JsonSchema(const JsonSchema&) = delete;
    JsonSchema& operator=(const JsonSchema&) = delete;

    // The compact text registered with the registry.
    const std::string& text() const { return text_; }
    // The schema's "title", which RecordNameStrategy uses as the record name (empty if none).
    const std::string& title() const { return title_; }

    // Validates one JSON value; the error names the first offending field and the reason:
    // "field 'address.zip': missing required field", "field 'age': wrong type: expected
    // integer, got string". On success, the value's compact UTF-8 text.
    Result<std::vector<uint8_t>> encodeJson(const std::string& json) const;
    // The payload as one line of compact JSON (nothing is validated, as Confluent's deserializer
    // by default); an error only when it is not JSON.
    static Result<std::string> decodeToJson(const uint8_t* data, size_t size);

  private:
    struct Impl;
    JsonSchema();
    std::unique_ptr<Impl> impl_;
    std::string text_;
    std::string title_;
};

}  // namespace bs::serde
