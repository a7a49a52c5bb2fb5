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

// One schema text parsed for its format.
struct ParsedSchema {
    std::shared_ptr<const AvroSchema> avro;
    std::shared_ptr<const ProtobufSchema> protobuf;
    std::shared_ptr<const JsonSchema> json;
    std::string text;        // as registered
    std::string recordName;  // for RecordNameStrategy
};

std::string_view displayName(SchemaFormat f) {
    switch (f) {
        case SchemaFormat::Protobuf:
            return "Protobuf";
        case SchemaFormat::JsonSchema:
            return "JSON Schema";
        case SchemaFormat::Avro:
            break;
    }
    return "Avro";
}

// messageType: Protobuf's chosen message (empty: the first), checked to exist.
Result<ParsedSchema> parseSchema(SchemaFormat format, const std::string& text,
                                 const std::string& messageType) {
    ParsedSchema out;
    switch (format) {
        case SchemaFormat::Avro: {
            auto parsed = AvroSchema::parse(text);
            if (!parsed) return parsed.error();
            out.avro = *parsed;
            out.text = (*parsed)->text();
            out.recordName = (*parsed)->fullName();
            break;
        }
        case SchemaFormat::Protobuf: {
            auto parsed = ProtobufSchema::parse(text);
            if (!parsed) return parsed.error();
            out.protobuf = *parsed;
            out.text = (*parsed)->text();
            out.recordName = messageType.empty() ? (*parsed)->messageTypes().front() : messageType;
            if (auto indexes = (*parsed)->messageIndexes(out.recordName); !indexes) {
                std::string all;
                for (const auto& t : (*parsed)->messageTypes())
                    all += (all.empty() ? "" : ", ") + t;
                return Error{indexes.error().message + " (it has " + all + ")"};
            }
            break;
        }
        case SchemaFormat::JsonSchema: {
            auto parsed = JsonSchema::parse(text);
            if (!parsed) return parsed.error();
            out.json = *parsed;
            out.text = (*parsed)->text();
            out.recordName = (*parsed)->title();
            break;
        }
    }
    return out;
}

}  // namespace

std::optional<SchemaFormat> schemaFormatFromName(std::string_view name) {
    const size_t dot = name.rfind('.');
    const std::string_view simple = dot == std::string_view::npos ? name : name.substr(dot + 1);
    if (name == "avro" || simple == "KafkaAvroSerializer" || simple == "KafkaAvroDeserializer")
        return SchemaFormat::Avro;
    if (name == "protobuf" || simple == "KafkaProtobufSerializer" ||
        simple == "KafkaProtobufDeserializer")
        return SchemaFormat::Protobuf;
    if (name == "json-schema" || name == "jsonschema" || name == "json_schema" ||
        simple == "KafkaJsonSchemaSerializer" || simple == "KafkaJsonSchemaDeserializer")
        return SchemaFormat::JsonSchema;
    return std::nullopt;
}

std::string_view schemaFormatName(SchemaFormat f) {
    switch (f) {
        case SchemaFormat::Protobuf:
            return "protobuf";
        case SchemaFormat::JsonSchema:
            return "json-schema";
        case SchemaFormat::Avro:
            break;
    }
    return "avro";
}

std::string_view schemaTypeName(SchemaFormat f) {
    switch (f) {
        case SchemaFormat::Protobuf:
            return "PROTOBUF";
        case SchemaFormat::JsonSchema:
            return "JSON";
        case SchemaFormat::Avro:
            break;
    }
    return "AVRO";
}

std::string_view deserializerClassName(SchemaFormat f) {
    switch (f) {
        case SchemaFormat::Protobuf:
            return "io.confluent.kafka.serializers.protobuf.KafkaProtobufDeserializer";
        case SchemaFormat::JsonSchema:
            return "io.confluent.kafka.serializers.json.KafkaJsonSchemaDeserializer";
        case SchemaFormat::Avro:
            break;
    }
    return "io.confluent.kafka.serializers.KafkaAvroDeserializer";
}

bool isSchemaSerdeProperty(std::string_view key) {
    for (std::string_view prefix : {"key.", "value."}) {
        if (!key.starts_with(prefix)) continue;
        const std::string_view rest = key.substr(prefix.size());
        if (rest == "schema" || rest == "schema.file" || rest == "schema.id" ||
            rest == "schema.message.type" || rest == "subject.name.strategy")
            return true;
    }
    return key == "schema.registry.url" || key == "basic.auth.credentials.source" ||
           key == "basic.auth.user.info" || key == "auto.register.schemas" ||
           key == "use.latest.version";
}

Result<std::unique_ptr<SchemaSerializer>> SchemaSerializer::create(
    SchemaFormat format, const std::map<std::string, std::string>& props, bool isKey,
    const std::string& topic, std::shared_ptr<SchemaRegistryClient> registry) {
    const std::string p = isKey ? "key." : "value.";
    const std::string type(schemaTypeName(format));
    const std::string name(displayName(format));
    std::unique_ptr<SchemaSerializer> s(new SchemaSerializer());
    s->format_ = format;
    auto autoRegister = boolProp(props, "auto.register.schemas", true);
    if (!autoRegister) return autoRegister.error();
    auto useLatest = boolProp(props, "use.latest.version", false);
    if (!useLatest) return useLatest.error();
    const std::string messageType = lookupProp(props, p + "schema.message.type");
    if (!messageType.empty() && format != SchemaFormat::Protobuf)
        return Error{p + "schema.message.type is for Protobuf, not " + name};

    // Takes a parsed schema and its id.
    auto adopt = [&](ParsedSchema parsed, int32_t id) {
        s->avro_ = std::move(parsed.avro);
        s->protobuf_ = std::move(parsed.protobuf);
        s->jsonSchema_ = std::move(parsed.json);
        if (s->protobuf_) {
            s->messageType_ = parsed.recordName;
            s->messageIndexes_ =
                encodeMessageIndexes(*s->protobuf_->messageIndexes(s->messageType_));
        }
        s->schemaId_ = id;
    };

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
        if (known->schemaType != type)
            return Error{p + "schema.id " + idText + " is a " + known->schemaType +
                         " schema, not " + name};
        auto parsed = parseSchema(format, known->schema, messageType);
        if (!parsed) return Error{p + "schema.id " + idText + ": " + parsed.error().message};
        adopt(std::move(*parsed), id);
        return s;
    }
    if (text.empty())
        return Error{"the " + name + " serializer needs " + p + "schema, " + p + "schema.file or " +
                     p + "schema.id"};
    auto parsed = parseSchema(format, text, messageType);
    if (!parsed) return Error{p + "schema: " + parsed.error().message};
    auto subject = subjectName(props, isKey, topic, parsed->recordName);
    if (!subject) return subject.error();
    s->subject_ = *subject;
    if (*useLatest) {
        auto latest = registry->version(*subject, -1);
        if (!latest) return latest.error();
        if (latest->schemaType != type)
            return Error{*subject + " latest is a " + latest->schemaType + " schema, not " + name};
        auto latestParsed = parseSchema(format, latest->schema, messageType);
        if (!latestParsed) return Error{*subject + " latest: " + latestParsed.error().message};
        adopt(std::move(*latestParsed), latest->id);
        return s;
    }
    int32_t id = 0;
    if (*autoRegister) {
        auto registered = registry->registerSchema(*subject, parsed->text, type);
        if (!registered) return registered.error();
        id = *registered;
    } else {
        auto found = registry->lookup(*subject, parsed->text, type);
        if (!found) return found.error();
        id = found->id;
    }
    adopt(std::move(*parsed), id);
    return s;
}

Result<std::vector<uint8_t>> SchemaSerializer::serialize(const std::string& json) const {
    if (protobuf_) {
        auto payload = protobuf_->encodeJson(messageType_, json);
        if (!payload) return payload.error();
        std::vector<uint8_t> body = messageIndexes_;
        body.insert(body.end(), payload->begin(), payload->end());
        return frameWithSchemaId(schemaId_, body);
    }
    auto payload = jsonSchema_ ? jsonSchema_->encodeJson(json) : avro_->encodeJson(json);
    if (!payload) return payload.error();
    return frameWithSchemaId(schemaId_, *payload);
}

SchemaDeserializer::SchemaDeserializer(SchemaFormat format,
                                       std::shared_ptr<SchemaRegistryClient> registry)
    : format_(format), registry_(std::move(registry)) {}

Result<SchemaDeserializer::Parsed> SchemaDeserializer::schemaFor(int32_t id) const {
    {
        std::lock_guard lock(mu_);
        if (auto it = parsed_.find(id); it != parsed_.end()) return it->second;
    }
    const std::string name(displayName(format_));
    auto known = registry_->schemaById(id);
    if (!known)
        return Error{"Error retrieving " + name + " schema for id " + std::to_string(id) + ": " +
                     known.error().message};
    if (known->schemaType != schemaTypeName(format_))
        return Error{"schema id " + std::to_string(id) + " is " + known->schemaType + ", not " +
                     name};
    Parsed out;
    if (format_ != SchemaFormat::JsonSchema) {
        // The Protobuf message is chosen by each record's indexes, not here.
        auto parsed = parseSchema(format_, known->schema, "");
        if (!parsed)
            return Error{"schema id " + std::to_string(id) + ": " + parsed.error().message};
        out.avro = parsed->avro;
        out.protobuf = parsed->protobuf;
    }
    std::lock_guard lock(mu_);
    parsed_[id] = out;
    return out;
}

Result<std::string> SchemaDeserializer::deserialize(const uint8_t* data, size_t size) const {
    auto framed = unframe(data, size);
    if (!framed) return framed.error();
    const int32_t id = framed->schemaId;
    auto schema = schemaFor(id);
    if (!schema) return schema.error();
    const std::string failed = "Error deserializing " + std::string(displayName(format_)) +
                               " message for id " + std::to_string(id) + ": ";
    if (schema->protobuf) {
        auto indexes = decodeMessageIndexes(*framed);
        if (!indexes) return Error{failed + indexes.error().message};
        auto type = schema->protobuf->messageTypeAt(*indexes);
        if (!type) return Error{failed + type.error().message};
        auto text = schema->protobuf->decodeToJson(*type, framed->data, framed->size);
        if (!text) return Error{failed + text.error().message};
        return text;
    }
    auto text = schema->avro ? schema->avro->decodeToJson(framed->data, framed->size)
                             : JsonSchema::decodeToJson(framed->data, framed->size);
    if (!text) return Error{failed + text.error().message};
    return text;
}

}  // namespace bs::serde
