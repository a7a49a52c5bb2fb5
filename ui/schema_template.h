#pragma once

#include <QString>

namespace bs::ui {

// A JSON value to start editing from, built from a schema's fields: an Avro record gives each
// field its default, or a placeholder of its type ("" for string, 0 for int, false, [], {},
// the first enum symbol, null for a union with null); a JSON Schema object its properties by
// type. `registryType` is the registry's schemaType (AVRO, JSON, PROTOBUF). Indented; "{}" when
// the schema says nothing usable (a Protobuf message is typed from its .proto).
QString schemaJsonTemplate(const QString& registryType, const QString& schemaText);

}  // namespace bs::ui
