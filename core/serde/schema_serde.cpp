#include "serde/schema_serde.h"

#include <fstream>
#include <sstream>

#include "serde/wire_format.h"

namespace bs::serde {

namespace {

std::string lookupProp(const std::map<std::string, std::string>& props, const std::string& key,
                       const std::string& fallback = "") {
    auto it = props.find(key);
    return it == props.end() ? fallback : it->second;
}

Result<bool> boolProp(const std::map<std::string, std::string>& props, const std::string& key,
                      bool fallback) {
    auto it = props.find(key);
    if (it == props.end()) return fallback;
    if (it->second == "true") return true;
    if (it->second == "false") return false;
    return Error{"Invalid value " + it->second + " for configuration " + key +
                 ": Expected value to be either true or false"};
}

// TopicNameStrategy (default), RecordNameStrategy, TopicRecordNameStrategy, by short or class
// name (io.confluent.kafka.serializers.subject.*).
Result<std::string> subjectName(const std::map<std::string, std::string>& props, bool isKey,
                                const std::string& topic, const std::string& recordName) {
    const std::string key = isKey ? "key.subject.name.strategy" : "value.subject.name.strategy";
    std::string strategy = lookupProp(props, key, "TopicNameStrategy");
    const size_t dot = strategy.rfind('.');
    if (dot != std::string::npos) strategy = strategy.substr(dot + 1);
    if (strategy == "TopicNameStrategy") return topic + (isKey ? "-key" : "-value");
    if (strategy == "RecordNameStrategy" || strategy == "TopicRecordNameStrategy") {
        if (recordName.empty())
            return Error{key + "=" + strategy +
                         " needs a named schema (a record), not a primitive"};
        return strategy == "RecordNameStrategy" ? recordName : topic + "-" + recordName;
    }
    return Error{"Invalid value " + lookupProp(props, key) + " for configuration " + key +
                 ": TopicNameStrategy, RecordNameStrategy or TopicRecordNameStrategy"};
}

}  // namespace

std::optional<SchemaFormat> schemaFormatFromName(std::string_view name) {
    const size_t dot = name.rfind('.');
    const std::string_view simple = dot == std::string_view::npos ? name : name.substr(dot + 1);
    if (name == "avro" || simple == "KafkaAvroSerializer" || simple == "KafkaAvroDeserializer")
        return SchemaFormat::Avro;
    return std::nullopt;
}

std::string_view schemaFormatName(SchemaFormat) {
    return "avro";
}

bool isSchemaSerdeProperty(std::string_view key) {
    for (std::string_view prefix : {"key.", "value."}) {
        if (!key.starts_with(prefix)) continue;
        const std::string_view rest = key.substr(prefix.size());
        if (rest == "schema" || rest == "schema.file" || rest == "schema.id" ||
            rest == "subject.name.strategy")
            return true;
    }
    return key == "schema.registry.url" || key == "basic.auth.credentials.source" ||
           key == "basic.auth.user.info" || key == "auto.register.schemas" ||
           key == "use.latest.version";
}

Result<std::unique_ptr<SchemaSerializer>> SchemaSerializer::create(
    SchemaFormat, const std::map<std::string, std::string>& props, bool isKey,
    const std::string& topic, std::shared_ptr<SchemaRegistryClient> registry) {
    const std::string p = isKey ? "key." : "value.";
    std::unique_ptr<SchemaSerializer> s(new SchemaSerializer());
    auto autoRegister = boolProp(props, "auto.register.schemas", true);
    if (!autoRegister) return autoRegister.error();
    auto useLatest = boolProp(props, "use.latest.version", false);
    if (!useLatest) return useLatest.error();

    const std::string idText = lookupProp(props, p + "schema.id");
    std::string text = lookupProp(props, p + "schema");
    const std::string file = lookupProp(props, p + "schema.file");
    if (!file.empty()) {
        if (!text.empty()) return Error{p + "schema and " + p + "schema.file are both given"};
        std::ifstream in(file);
        if (!in) return Error{p + "schema.file: cannot read " + file};
        std::stringstream all;
        all << in.rdbuf();
        text = all.str();
    }
    if (!idText.empty()) {
        int32_t id = 0;
        try {
            size_t used = 0;
            id = std::stoi(idText, &used);
            if (used != idText.size() || id < 0) throw std::invalid_argument("");
        } catch (const std::exception&) {
            return Error{p + "schema.id: '" + idText + "' is not a schema id"};
        }
        auto known = registry->schemaById(id);
        if (!known) return known.error();
        if (known->schemaType != "AVRO")
            return Error{p + "schema.id " + idText + " is a " + known->schemaType +
                         " schema, not Avro"};
        auto parsed = AvroSchema::parse(known->schema);
        if (!parsed) return Error{p + "schema.id " + idText + ": " + parsed.error().message};
        s->avro_ = *parsed;
        s->schemaId_ = id;
        return s;
    }
    if (text.empty())
        return Error{"the Avro serializer needs " + p + "schema, " + p + "schema.file or " + p +
                     "schema.id"};
    auto parsed = AvroSchema::parse(text);
    if (!parsed) return Error{p + "schema: " + parsed.error().message};
    auto subject = subjectName(props, isKey, topic, (*parsed)->fullName());
    if (!subject) return subject.error();
    s->subject_ = *subject;
    if (*useLatest) {
        auto latest = registry->version(*subject, -1);
        if (!latest) return latest.error();
        auto latestParsed = AvroSchema::parse(latest->schema);
        if (!latestParsed) return Error{*subject + " latest: " + latestParsed.error().message};
        s->avro_ = *latestParsed;
        s->schemaId_ = latest->id;
        return s;
    }
    s->avro_ = *parsed;
    if (*autoRegister) {
        auto id = registry->registerSchema(*subject, (*parsed)->text(), "AVRO");
        if (!id) return id.error();
        s->schemaId_ = *id;
    } else {
        auto found = registry->lookup(*subject, (*parsed)->text(), "AVRO");
        if (!found) return found.error();
        s->schemaId_ = found->id;
    }
    return s;
}

Result<std::vector<uint8_t>> SchemaSerializer::serialize(const std::string& json) const {
    auto payload = avro_->encodeJson(json);
    if (!payload) return payload.error();
    return frameWithSchemaId(schemaId_, *payload);
}

SchemaDeserializer::SchemaDeserializer(SchemaFormat format,
                                       std::shared_ptr<SchemaRegistryClient> registry)
    : format_(format), registry_(std::move(registry)) {}

Result<std::string> SchemaDeserializer::deserialize(const uint8_t* data, size_t size) const {
    auto framed = unframe(data, size);
    if (!framed) return framed.error();
    const int32_t id = framed->schemaId;
    std::shared_ptr<const AvroSchema> schema;
    {
        std::lock_guard lock(mu_);
        if (auto it = parsed_.find(id); it != parsed_.end()) schema = it->second;
    }
    if (!schema) {
        auto known = registry_->schemaById(id);
        if (!known)
            return Error{"Error retrieving Avro schema for id " + std::to_string(id) + ": " +
                         known.error().message};
        if (known->schemaType != "AVRO")
            return Error{"schema id " + std::to_string(id) + " is " + known->schemaType +
                         ", not Avro"};
        auto parsed = AvroSchema::parse(known->schema);
        if (!parsed)
            return Error{"schema id " + std::to_string(id) + ": " + parsed.error().message};
        schema = *parsed;
        std::lock_guard lock(mu_);
        parsed_[id] = schema;
    }
    auto text = schema->decodeToJson(framed->data, framed->size);
    if (!text)
        return Error{"Error deserializing Avro message for id " + std::to_string(id) + ": " +
                     text.error().message};
    return text;
}

}  // namespace bs::serde
