#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "producer/producer_record.h"

namespace bs::producer {

// Java's Serializer<T>: turns a key or value into the bytes on the wire. Each accepts its native
// FieldValue alternative, its text form as std::string (what users type), and nullptr (Kafka
// null, which every Java serializer passes through as null). A failure fails that record only.
// Stateless and thread-safe.
class Serializer {
  public:
    virtual ~Serializer() = default;
    // Writes the serialized bytes to `out` (cleared first, capacity reused). `isNull` is set
    // when the result is Kafka null (nothing is sent for it, not even zero bytes).
    virtual Status serialize(std::string_view topic, const FieldValue& value,
                             std::vector<uint8_t>& out, bool& isNull) const = 0;
    // When the serialized bytes are exactly `value`'s own bytes (a valid UTF-8 string for
    // "string", raw bytes for "bytes"), a view of them, so send() copies the record once, into
    // its batch. nullopt: call serialize() (which also reports the error).
    virtual std::optional<std::span<const uint8_t>> serializedView(const FieldValue&) const {
        return std::nullopt;
    }
    // Canonical short name ("string", "int", ...).
    virtual std::string_view name() const = 0;
    // Java class name (org.apache.kafka.common.serialization.StringSerializer, ...).
    virtual std::string_view javaClassName() const = 0;
};

// short/int/long/float/double are big-endian as Java's ShortSerializer ... DoubleSerializer;
// "uuid" writes the canonical 36-character string as Kafka's UUIDSerializer does; "bytes" takes
// raw bytes or hex text; "json" validates RFC 8259 JSON text and sends it as UTF-8 unchanged;
// "null" (Kafka's VoidSerializer) accepts only null.
struct SerializerInfo {
    std::string_view name;
    std::string_view javaClassName;
    std::string_view description;
};
std::span<const SerializerInfo> knownSerializers();

// Accepts a short name, a Java class name, or the short class name ("StringSerializer").
Result<std::unique_ptr<Serializer>> createSerializer(std::string_view nameOrClass);
// The canonical short name for any accepted spelling; error naming the input otherwise.
Result<std::string> canonicalSerializerName(std::string_view nameOrClass);

}  // namespace bs::producer
