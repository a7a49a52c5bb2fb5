#include "registry/registry_api.h"

#include <charconv>
#include <nlohmann/json.hpp>
#include <vector>

namespace bs::registry {

namespace {

using nlohmann::json;

RestResponse error(const RegistryError& e) {
    return {e.httpStatus, json{{"error_code", e.errorCode}, {"message", e.message}}.dump()};
}
RestResponse ok(const json& body) {
    return {200, body.dump()};
}
RestResponse notFound() {
    return error({404, 404, "HTTP 404 Not Found"});
}

// %XX and '+' in a path segment (clients URL-encode subject names).
std::string percentDecode(std::string_view s) {
    std::string out;
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%' && i + 2 < s.size()) {
            int v = 0;
            auto [end, ec] = std::from_chars(s.data() + i + 1, s.data() + i + 3, v, 16);
            if (ec == std::errc() && end == s.data() + i + 3) {
                out += static_cast<char>(v);
                i += 2;
                continue;
            }
        }
        out += s[i];
    }
    return out;
}

struct Target {
    std::vector<std::string> segments;
    std::string query;
    bool flag(const std::string& name) const {
        return query.find(name + "=true") != std::string::npos;
    }
};

Target parseTarget(const std::string& target) {
    Target t;
    const size_t q = target.find('?');
    t.query = q == std::string::npos ? "" : target.substr(q + 1);
    std::string_view path = std::string_view(target).substr(0, q);
    size_t pos = 0;
    while (pos < path.size()) {
        const size_t slash = path.find('/', pos);
        const size_t end = slash == std::string_view::npos ? path.size() : slash;
        if (end > pos) t.segments.push_back(percentDecode(path.substr(pos, end - pos)));
        pos = end + 1;
    }
    return t;
}

json versionJson(const SchemaVersion& v) {
    json out{{"subject", v.subject}, {"version", v.version}, {"id", v.id}, {"schema", v.schema}};
    if (v.schemaType != "AVRO") out["schemaType"] = v.schemaType;
    return out;
}

// The body of a register/lookup/compatibility request: {"schema": "...", "schemaType": ...}.
struct SchemaRequest {
    std::string schema;
    std::string schemaType = "AVRO";
};

std::variant<SchemaRequest, RegistryError> parseSchemaRequest(const std::string& body) {
    json j;
    try {
        j = json::parse(body);
    } catch (const std::exception& e) {
        return RegistryError{400, 400,
                             std::string("Unrecognized JSON in the request body: ") + e.what()};
    }
    if (!j.is_object() || !j.contains("schema") || !j["schema"].is_string())
        return RegistryError{422, 42201, "Invalid schema: the request has no \"schema\" string"};
    SchemaRequest r;
    r.schema = j["schema"].get<std::string>();
    if (j.contains("schemaType") && !j["schemaType"].is_null()) {
        if (!j["schemaType"].is_string())
            return RegistryError{422, 42201, "Invalid schema type: not a string"};
        r.schemaType = j["schemaType"].get<std::string>();
    }
    if (j.contains("references") && j["references"].is_array() && !j["references"].empty())
        return RegistryError{422, 42201,
                             "Invalid schema: schema references are not supported by the "
                             "embedded registry"};
    return r;
}

template <class T, class F>
RestResponse answer(const RegistryResult<T>& r, F&& toJson) {
    if (auto* e = std::get_if<RegistryError>(&r)) return error(*e);
    return ok(toJson(std::get<T>(r)));
}

RestResponse versionRequest(SchemaStore& store, const std::string& method, const Target& t,
                            const std::string& subject) {
    const std::string& text = t.segments[3];
    const auto v = parseVersion(text);
    if (!v) return error(invalidVersion(text));
    if (method == "GET") return answer(store.version(subject, *v, t.flag("deleted")), versionJson);
    if (method == "DELETE")
        return answer(store.deleteVersion(subject, *v, t.flag("permanent")),
                      [](int32_t n) { return json(n); });
    return error({405, 405, "HTTP 405 Method Not Allowed"});
}

}  // namespace

RestResponse handleRegistryRequest(SchemaStore& store, const std::string& method,
                                   const std::string& target, const std::string& body) {
    const Target t = parseTarget(target);
    const auto& s = t.segments;
    const size_t n = s.size();
    if (n == 0) return method == "GET" ? ok(json::object()) : notFound();
    if (s[0] == "schemas" && n >= 3 && s[1] == "ids" && method == "GET") {
        int32_t id = 0;
        auto [end, ec] = std::from_chars(s[2].data(), s[2].data() + s[2].size(), id);
        if (ec != std::errc() || end != s[2].data() + s[2].size())
            return error({404, 40403, "Schema " + s[2] + " not found"});
        auto r = store.schemaById(id);
        if (auto* e = std::get_if<RegistryError>(&r)) return error(*e);
        const auto& v = std::get<SchemaVersion>(r);
        if (n == 4 && s[3] == "schema") return {200, v.schema};
        if (n != 3) return notFound();
        json out{{"schema", v.schema}};
        if (v.schemaType != "AVRO") out["schemaType"] = v.schemaType;
        return ok(out);
    }
    if (s[0] == "schemas" && n == 2 && s[1] == "types" && method == "GET")
        return ok(json::array({"JSON", "PROTOBUF", "AVRO"}));
    if (s[0] == "subjects") {
        if (n == 1 && method == "GET") return ok(store.subjects(t.flag("deleted")));
        if (n == 1) return error({405, 405, "HTTP 405 Method Not Allowed"});
        const std::string& subject = s[1];
        if (n == 2 && method == "POST") {
            auto req = parseSchemaRequest(body);
            if (auto* e = std::get_if<RegistryError>(&req)) return error(*e);
            const auto& r = std::get<SchemaRequest>(req);
            return answer(store.lookup(subject, r.schema, r.schemaType, t.flag("deleted")),
                          versionJson);
        }
        if (n == 2 && method == "DELETE")
            return answer(store.deleteSubject(subject, t.flag("permanent")),
                          [](const std::vector<int32_t>& v) { return json(v); });
        if (n >= 3 && s[2] != "versions") return notFound();
        if (n == 3 && method == "GET")
            return answer(store.versions(subject, t.flag("deleted")),
                          [](const std::vector<int32_t>& v) { return json(v); });
        if (n == 3 && method == "POST") {
            auto req = parseSchemaRequest(body);
            if (auto* e = std::get_if<RegistryError>(&req)) return error(*e);
            const auto& r = std::get<SchemaRequest>(req);
            return answer(store.registerSchema(subject, r.schema, r.schemaType), [](int32_t id) {
                return json{{"id", id}};
            });
        }
        if (n == 4) return versionRequest(store, method, t, subject);
        if (n == 5 && s[4] == "schema" && method == "GET") {
            const auto v = parseVersion(s[3]);
            if (!v) return error(invalidVersion(s[3]));
            auto r = store.version(subject, *v, false);
            if (auto* e = std::get_if<RegistryError>(&r)) return error(*e);
            return {200, std::get<SchemaVersion>(r).schema};
        }
        return notFound();
    }
    if (s[0] == "config" && n <= 2) {
        const std::string subject = n == 2 ? s[1] : "";
        if (method == "GET") {
            auto level = store.compatibility(subject);
            if (!level)
                return error({404, 40408,
                              "Subject '" + subject +
                                  "' does not have subject-level compatibility configured"});
            return ok(json{{"compatibilityLevel", *level}});
        }
        if (method == "PUT") {
            json j;
            try {
                j = json::parse(body);
            } catch (const std::exception& e) {
                return error(
                    {400, 400, std::string("Unrecognized JSON in the request body: ") + e.what()});
            }
            if (!j.is_object() || !j.contains("compatibility") || !j["compatibility"].is_string())
                return error({422, 42203,
                              "Invalid compatibility level. Valid values are none, backward, "
                              "forward, full, backward_transitive, forward_transitive, and "
                              "full_transitive"});
            return answer(store.setCompatibility(subject, j["compatibility"].get<std::string>()),
                          [](const std::string& l) {
                              return json{{"compatibility", l}};
                          });
        }
        return error({405, 405, "HTTP 405 Method Not Allowed"});
    }
    if (s[0] == "compatibility" && n == 5 && s[1] == "subjects" && s[3] == "versions" &&
        method == "POST") {
        const auto v = parseVersion(s[4]);
        if (!v) return error(invalidVersion(s[4]));
        auto req = parseSchemaRequest(body);
        if (auto* e = std::get_if<RegistryError>(&req)) return error(*e);
        const auto& r = std::get<SchemaRequest>(req);
        auto result = store.testCompatibility(s[2], r.schema, r.schemaType, *v);
        if (auto* e = std::get_if<RegistryError>(&result)) return error(*e);
        const auto& messages = std::get<std::vector<std::string>>(result);
        json out{{"is_compatible", messages.empty()}};
        if (t.flag("verbose")) out["messages"] = messages;
        return ok(out);
    }
    return notFound();
}

}  // namespace bs::registry
