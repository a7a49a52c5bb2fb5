#include "serde_cli.h"

#include "serde/schema_registry_client.h"

namespace bs::cli {

namespace {

// consumer::Deserializer over a serde::SchemaDeserializer, for DefaultMessageFormatter.
class SchemaRecordDeserializer : public consumer::Deserializer {
  public:
    SchemaRecordDeserializer(serde::SchemaFormat format,
                             std::shared_ptr<serde::SchemaRegistryClient> registry)
        : inner_(format, std::move(registry)), format_(format) {}
    Status deserialize(std::span<const uint8_t> data, std::string& out) const override {
        auto text = inner_.deserialize(data.data(), data.size());
        if (!text) return text.error();
        out += *text;
        return {};
    }
    std::string_view name() const override { return serde::schemaFormatName(format_); }
    std::string_view javaClassName() const override {
        return serde::deserializerClassName(format_);
    }

  private:
    serde::SchemaDeserializer inner_;
    serde::SchemaFormat format_;
};

Result<std::shared_ptr<serde::SchemaRegistryClient>> registryFrom(
    const std::map<std::string, std::string>& props) {
    auto config = serde::SchemaRegistryClientConfig::fromProperties(props);
    if (!config) return config.error();
    return std::make_shared<serde::SchemaRegistryClient>(std::move(*config));
}

}  // namespace

Result<std::optional<ProduceSchemaSerde>> ProduceSchemaSerde::extract(
    std::vector<std::string>& producerProperties, std::vector<std::string>& properties,
    const std::string& topic) {
    std::map<std::string, std::string> serdeProps;
    std::optional<serde::SchemaFormat> keyFormat, valueFormat;
    auto take = [&](std::vector<std::string>& list) {
        std::vector<std::string> kept;
        for (const std::string& kv : list) {
            const size_t eq = kv.find('=');
            const std::string k = kv.substr(0, eq);
            const std::string v = eq == std::string::npos ? "" : kv.substr(eq + 1);
            if (k == "key.serializer" || k == "value.serializer") {
                if (auto f = serde::schemaFormatFromName(v)) {
                    (k == "key.serializer" ? keyFormat : valueFormat) = f;
                    continue;
                }
            }
            if (eq != std::string::npos && serde::isSchemaSerdeProperty(k)) {
                serdeProps[k] = v;
                continue;
            }
            kept.push_back(kv);
        }
        list = std::move(kept);
    };
    take(producerProperties);
    take(properties);
    if (!keyFormat && !valueFormat) {
        if (!serdeProps.empty())
            return Error{"'" + serdeProps.begin()->first +
                         "' is a Schema Registry setting, but neither key.serializer nor "
                         "value.serializer is avro, protobuf or json-schema"};
        return std::optional<ProduceSchemaSerde>();
    }
    auto registry = registryFrom(serdeProps);
    if (!registry) return registry.error();
    ProduceSchemaSerde out;
    if (keyFormat) {
        auto s = serde::SchemaSerializer::create(*keyFormat, serdeProps, true, topic, *registry);
        if (!s) return Error{"key: " + s.error().message};
        out.key_ = std::move(*s);
    }
    if (valueFormat) {
        auto s = serde::SchemaSerializer::create(*valueFormat, serdeProps, false, topic, *registry);
        if (!s) return Error{"value: " + s.error().message};
        out.value_ = std::move(*s);
    }
    return std::optional<ProduceSchemaSerde>(std::move(out));
}

Result<producer::FieldValue> ProduceSchemaSerde::key(const std::string& json) const {
    if (!key_) return producer::FieldValue(json);
    auto bytes = key_->serialize(json);
    if (!bytes) return Error{"key: " + bytes.error().message};
    return producer::FieldValue(std::move(*bytes));
}

Result<producer::FieldValue> ProduceSchemaSerde::value(const std::string& json) const {
    if (!value_) return producer::FieldValue(json);
    auto bytes = value_->serialize(json);
    if (!bytes) return Error{"value: " + bytes.error().message};
    return producer::FieldValue(std::move(*bytes));
}

Result<ConsumeSchemaDeserializers> extractSchemaDeserializers(
    std::optional<std::string>& keyDeserializer, std::optional<std::string>& valueDeserializer,
    std::map<std::string, std::string>& formatterProps) {
    std::optional<serde::SchemaFormat> keyFormat, valueFormat;
    auto pick = [&](std::optional<std::string>& option, const std::string& prop,
                    std::optional<serde::SchemaFormat>& format) {
        if (auto it = formatterProps.find(prop); it != formatterProps.end()) {
            if ((format = serde::schemaFormatFromName(it->second))) formatterProps.erase(it);
        } else if (option) {
            if ((format = serde::schemaFormatFromName(*option))) option.reset();
        }
    };
    pick(keyDeserializer, "key.deserializer", keyFormat);
    pick(valueDeserializer, "value.deserializer", valueFormat);
    std::map<std::string, std::string> serdeProps;
    for (auto it = formatterProps.begin(); it != formatterProps.end();) {
        if (serde::isSchemaSerdeProperty(it->first)) {
            serdeProps.insert(*it);
            it = formatterProps.erase(it);
        } else {
            ++it;
        }
    }
    ConsumeSchemaDeserializers out;
    if (!keyFormat && !valueFormat) return out;
    auto registry = registryFrom(serdeProps);
    if (!registry) return registry.error();
    if (keyFormat) out.key = std::make_shared<SchemaRecordDeserializer>(*keyFormat, *registry);
    if (valueFormat)
        out.value = std::make_shared<SchemaRecordDeserializer>(*valueFormat, *registry);
    return out;
}

}  // namespace bs::cli
