#pragma once

#include <QString>
#include <QStringList>
#include <optional>
#include <vector>

#include "common/result.h"
#include "serde/schema_serde.h"

namespace bs::ui {

// A Schema Registry format as the window offers it: the composer's serializer name, the
// registry's schemaType, and whether the user picks a message type (Protobuf).
struct SchemaFormatEntry {
    serde::SchemaFormat format;
    QString name;          // composer/inspector name: "avro" (schemaFormatName)
    QString registryType;  // the registry's schemaType: "AVRO", "PROTOBUF", "JSON"
    bool hasMessageTypes = false;
};

// THE list of schema formats the GUI offers (schema_formats.cpp, the one place to extend when
// core gains a format). Everything else (composer type lists, schema pickers, the inspector's
// decoding) is generic over it.
const std::vector<SchemaFormatEntry>& availableSchemaFormats();

std::optional<SchemaFormatEntry> schemaFormatByName(const QString& name);
std::optional<SchemaFormatEntry> schemaFormatByRegistryType(const QString& registryType);
bool isSchemaFormatName(const QString& name);
QStringList schemaFormatNames();

// The message types a schema of `format` offers to pick from (Protobuf: every message of the
// .proto text); empty for formats without message types.
Result<std::vector<std::string>> schemaMessageTypes(serde::SchemaFormat format,
                                                    const std::string& schemaText);

// The property naming the picked message type: "value.schema.message.type" (or key.).
std::string messageTypeProperty(bool isKey);

}  // namespace bs::ui
