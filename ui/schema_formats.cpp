#include "schema_formats.h"

#include "serde/protobuf_codec.h"

namespace bs::ui {

// The Schema Registry formats the composer and inspector offer, in core/serde's names.
const std::vector<SchemaFormatEntry>& availableSchemaFormats() {
    static const std::vector<SchemaFormatEntry> formats = {
        {serde::SchemaFormat::Avro, QStringLiteral("avro"), QStringLiteral("AVRO"), false},
        {serde::SchemaFormat::Protobuf, QStringLiteral("protobuf"), QStringLiteral("PROTOBUF"),
         true},
        {serde::SchemaFormat::JsonSchema, QStringLiteral("json-schema"), QStringLiteral("JSON"),
         false},
    };
    return formats;
}

Result<std::vector<std::string>> schemaMessageTypes(serde::SchemaFormat format,
                                                    const std::string& schemaText) {
    if (format == serde::SchemaFormat::Protobuf) return serde::protobufMessageTypes(schemaText);
    return std::vector<std::string>{};
}

std::optional<SchemaFormatEntry> schemaFormatByName(const QString& name) {
    for (const auto& f : availableSchemaFormats())
        if (f.name == name) return f;
    return std::nullopt;
}

std::optional<SchemaFormatEntry> schemaFormatByRegistryType(const QString& registryType) {
    for (const auto& f : availableSchemaFormats())
        if (f.registryType.compare(registryType, Qt::CaseInsensitive) == 0) return f;
    return std::nullopt;
}

bool isSchemaFormatName(const QString& name) {
    return schemaFormatByName(name).has_value();
}

QStringList schemaFormatNames() {
    QStringList out;
    for (const auto& f : availableSchemaFormats())
        out << f.name;
    return out;
}

std::string messageTypeProperty(bool isKey) {
    return isKey ? "key.schema.message.type" : "value.schema.message.type";
}

}  // namespace bs::ui
