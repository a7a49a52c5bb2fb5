#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "common/result.h"

namespace bs::consumer {

// Java's Deserializer<T> followed by T.toString(): turns a key or value's bytes into the text a
// user sees. The inverse of producer/serializers.h: string (UTF-8), short/int/long/float/double
// (big-endian, printed as Java prints them), bytes (lower-case hex), uuid (36-character
// text), json (validated, printed as received), null (Kafka's VoidDeserializer: accepts only
// null). Kafka null itself never reaches deserialize(); callers print their null literal.
// Stateless and thread-safe.
class Deserializer {
  public:
    virtual ~Deserializer() = default;
    // Appends the text to `out`. Bytes the type cannot hold (wrong size, bad UTF-8 for json)
    // are an error naming the deserializer and what was wrong.
    virtual Status deserialize(std::span<const uint8_t> data, std::string& out) const = 0;
    virtual std::string_view name() const = 0;
    virtual std::string_view javaClassName() const = 0;
};

struct DeserializerInfo {
    std::string_view name;
    std::string_view javaClassName;
    std::string_view description;
};
std::span<const DeserializerInfo> knownDeserializers();

// Accepts a short name ("string"), a Java class name
// (org.apache.kafka.common.serialization.StringDeserializer) or its simple name
// ("StringDeserializer"); the error lists what is accepted.
Result<std::string> canonicalDeserializerName(std::string_view nameOrClass);
Result<std::unique_ptr<Deserializer>> createDeserializer(std::string_view nameOrClass);

// Java's Double.toString / Float.toString (shortest round-trip digits; plain notation for
// 1e-3 <= |x| < 1e7, else "d.dddE±n"; "NaN", "Infinity").
std::string javaDoubleToString(double v);
std::string javaFloatToString(float v);

}  // namespace bs::consumer
