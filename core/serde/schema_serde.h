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
#include "serde/schema_registry_client.h"

namespace bs::serde {

// The Schema Registry formats. Only Avro has a serializer so far.
enum class SchemaFormat { Avro };

// "avro", Confluent's class names (io.confluent.kafka.serializers.KafkaAvroSerializer,
// ...KafkaAvroDeserializer) or their simple names; nullopt for anything else (a plain Kafka
// serializer such as "string").
std::optional<SchemaFormat> schemaFormatFromName(std::string_view nameOrClass);
std::string_view schemaFormatName(SchemaFormat f);

// Whether `key` is a setting of the Schema Registry serdes (schema.registry.url,
// basic.auth.*, auto.register.schemas, use.latest.version, *.subject.name.strategy, and the
// console producer's key./value.schema, .schema.file, .schema.id).
bool isSchemaSerdeProperty(std::string_view key);

// KafkaAvroSerializer: JSON text (Avro's JSON encoding) -> Confluent wire format. The schema
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

  private:
    SchemaSerializer() = default;
    std::shared_ptr<const AvroSchema> avro_;
    int32_t schemaId_ = 0;
    std::string subject_;
};

// KafkaAvroDeserializer: Confluent wire format -> one line of JSON. The writer's schema is
// fetched by id (cached by the client) and parsed once per id. An unknown id, a wrong magic
// byte or bytes that are not Avro of that schema are errors naming the schema id.
// Thread-safe (parsed schemas under mu_).
class SchemaDeserializer {
  public:
    SchemaDeserializer(SchemaFormat format, std::shared_ptr<SchemaRegistryClient> registry);
    Result<std::string> deserialize(const uint8_t* data, size_t size) const;

  private:
    SchemaFormat format_;
    std::shared_ptr<SchemaRegistryClient> registry_;
    mutable std::mutex mu_;
    mutable std::map<int32_t, std::shared_ptr<const AvroSchema>> parsed_;  // guarded by mu_
};

}  // namespace bs::serde
