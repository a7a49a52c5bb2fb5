#pragma once

#include <string>

#include "registry/schema_store.h"

namespace bs::registry {

struct RestResponse {
    int status = 200;
    std::string body;  // JSON
};

// The Schema Registry's REST API on a SchemaStore, without I/O (the server feeds it parsed
// requests): POST /subjects/{s}/versions, GET /schemas/ids/{id}, GET /subjects,
// GET /subjects/{s}/versions[/{v|latest}], POST /subjects/{s} (lookup), DELETE
// /subjects/{s}[/versions/{v}], GET/PUT /config[/{s}], POST
// /compatibility/subjects/{s}/versions/{v}. `target` is the request target with its query
// (?deleted=true, ?permanent=true).
RestResponse handleRegistryRequest(SchemaStore& store, const std::string& method,
                                   const std::string& target, const std::string& body);

}  // namespace bs::registry
