#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "serde/avro_codec.h"
#include "serde/json_schema_codec.h"
#include "serde/protobuf_codec.h"
#include "serde/schema_registry_client.h"

namespace bs::serde {

// The Schema Registry formats.
enum class SchemaFormat { Avro, Protobuf, JsonSchema };

// "avro", "protobuf", "json-schema" (also "jsonschema", "json_schema"), Confluent's class names
// (io.confluent.kafka.serializers.KafkaAvroSerializer, ...protobuf.KafkaProtobufSerializer,
// ...json.KafkaJsonSchemaSerializer and their Deserializers) or their simple names; nullopt for
// anything else (a plain Kafka serializer such as "string").
std::optional<SchemaFormat> schemaFormatFromName(std::string_view nameOrClass);
// "avro", "protobuf", "json-schema".
std::string_view schemaFormatName(SchemaFormat f);
// The registry's schemaType: "AVRO", "PROTOBUF", "JSON".
std::string_view schemaTypeName(SchemaFormat f);
// Confluent's deserializer class, as the console consumer names it.
std::string_view deserializerClassName(SchemaFormat f);

// Whether `key` is a setting of the Schema Registry serdes (schema.registry.url,
// basic.auth.*, auto.register.schemas, use.latest.version, *.subject.name.strategy, and the
// console producer's key./value.schema, .schema.file, .schema.id, and .schema.message.type,
// the Protobuf message type to write).
bool isSchemaSerdeProperty(std::string_view key);

// KafkaAvroSerializer, KafkaProtobufSerializer, KafkaJsonSchemaSerializer: JSON text (Avro's
// JSON encoding; Protobuf's JSON mapping; plain JSON validated against the JSON Schema) ->
// Confluent wire format (Protobuf: the message indexes of {key,value}.schema.message.type,
// default the file's first message, before the payload). The schema
// comes from {key,value}.schema / .schema.file (registered under the subject the strategy
// names when auto.register.schemas=true, the default; else looked up, or with
// use.latest.version=true the subject's latest version is used) or from {key,value}.schema.id.
// Everything is resolved by create(), so a bad schema or an unreachable registry fails before
// anything is sent. Immutable after create(); thread-safe.
class SchemaSerializer {
  public:
    static Result<std::unique_ptr<SchemaSerializer>> create(
        SchemaFormat format, const std::map<std::string, std::string>& props, bool isKey,
        const std::string& topic, std::shared_ptr<SchemaRegistryClient> registry);

    // An invalid value is an error naming the field and the reason; nothing is produced.
    Result<std::vector<uint8_t>> serialize(const std::string& json) const;
    int32_t schemaId() const { return schemaId_; }
    const std::string& subject() const { return subject_; }
    SchemaFormat format() const { return format_; }
    // Protobuf: the full name of the message type written; else empty.
    const std::string& messageType() const { return messageType_; }

  private:
    SchemaSerializer() = default;
    SchemaFormat format_ = SchemaFormat::Avro;
    std::shared_ptr<const AvroSchema> avro_;
    std::shared_ptr<const ProtobufSchema> protobuf_;
    std::string messageType_;
    std::vector<uint8_t> messageIndexes_;  // encoded, written before each Protobuf payload
    std::shared_ptr<const JsonSchema> jsonSchema_;
    int32_t schemaId_ = 0;
    std::string subject_;
};

// KafkaAvroDeserializer, KafkaProtobufDeserializer, KafkaJsonSchemaDeserializer: Confluent wire
// format -> one line of JSON. The writer's schema is fetched by id (cached by the client) and
// parsed once per id; Protobuf's message indexes pick the message type. An unknown id, a schema
// of another format, a wrong magic byte or bytes that do not decode are errors naming the id.
// JSON Schema payloads are not validated. Thread-safe (parsed schemas under mu_).
class SchemaDeserializer {
  public:
    SchemaDeserializer(SchemaFormat format, std::shared_ptr<SchemaRegistryClient> registry);
    Result<std::string> deserialize(const uint8_t* data, size_t size) const;

  private:
    struct Parsed {
        std::shared_ptr<const AvroSchema> avro;
        std::shared_ptr<const ProtobufSchema> protobuf;
    };
    Result<Parsed> schemaFor(int32_t id) const;

    SchemaFormat format_;
    std::shared_ptr<SchemaRegistryClient> registry_;
    mutable std::mutex mu_;
    mutable std::map<int32_t, Parsed> parsed_;  // guarded by mu_
};

}  // namespace bs::serde
