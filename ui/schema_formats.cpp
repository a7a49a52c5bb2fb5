#include "schema_formats.h"

namespace bs::ui {

// ---------------------------------------------------------------------------------------------
// THE FORMAT LIST. Core has only Avro today; when core/serde gains Protobuf and JSON Schema
// (SchemaFormat::Protobuf / SchemaFormat::JsonSchema), add them here:
//   {serde::SchemaFormat::Protobuf, QStringLiteral("protobuf"), QStringLiteral("PROTOBUF"), true},
//   {serde::SchemaFormat::JsonSchema, QStringLiteral("json-schema"), QStringLiteral("JSON"),
//   false},
// and in schemaMessageTypes() below return serde::protobufMessageTypes(schemaText) for Protobuf
// (#include "serde/protobuf_codec.h"). Nothing else in the GUI needs to change.
// ---------------------------------------------------------------------------------------------
const std::vector<SchemaFormatEntry>& availableSchemaFormats() {
    static const std::vector<SchemaFormatEntry> formats = {
        {serde::SchemaFormat::Avro, QStringLiteral("avro"), QStringLiteral("AVRO"), false},
    };
    return formats;
}

Result<std::vector<std::string>> schemaMessageTypes(serde::SchemaFormat /*format*/,
                                                    const std::string& /*schemaText*/) {
    // Protobuf (after the merge): if (format == serde::SchemaFormat::Protobuf)
    //     return serde::protobufMessageTypes(schemaText);
    return std::vector<std::string>{};
}
// --------------------------------------------------------------------- end of the format list

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
