#pragma once

// The Schema Registry formats on the command line, as Confluent's console tools take them:
// `produce --producer-property value.serializer=avro --property schema.registry.url=URL
// --property value.schema=JSON` and `consume --value-deserializer avro --property
// schema.registry.url=URL`. The commands call these small hooks; the formats live in core/serde.

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "consumer/deserializers.h"
#include "producer/producer_record.h"
#include "serde/schema_serde.h"

namespace bs::cli {

// `produce`'s schema serializers. extract() takes key.serializer / value.serializer naming a
// schema format and every Schema Registry setting out of --producer-property and --property
// (so the producer's config and produce's own --property parsing never see them), and resolves
// the schemas with the registry before anything is sent.
class ProduceSchemaSerde {
  public:
    // nullopt when neither serializer names a schema format.
    static Result<std::optional<ProduceSchemaSerde>> extract(
        std::vector<std::string>& producerProperties, std::vector<std::string>& properties,
        const std::string& topic);

    bool hasKey() const { return key_ != nullptr; }
    bool hasValue() const { return value_ != nullptr; }
    // The wire-format bytes of one JSON text; the error names the field and the reason.
    Result<producer::FieldValue> key(const std::string& json) const;
    Result<producer::FieldValue> value(const std::string& json) const;

  private:
    std::shared_ptr<serde::SchemaSerializer> key_, value_;
};

// `consume`'s schema deserializers: when --key-deserializer / --value-deserializer (or the
// key.deserializer / value.deserializer property) names a schema format, the deserializer for
// it, and the option and the Schema Registry settings taken out of `formatterProps`.
struct ConsumeSchemaDeserializers {
    std::shared_ptr<const consumer::Deserializer> key, value;
};
Result<ConsumeSchemaDeserializers> extractSchemaDeserializers(
    std::optional<std::string>& keyDeserializer, std::optional<std::string>& valueDeserializer,
    std::map<std::string, std::string>& formatterProps);

}  // namespace bs::cli
