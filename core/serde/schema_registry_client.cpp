#include "serde/schema_registry_client.h"

#include <curl/curl.h>

#include <nlohmann/json.hpp>

namespace bs::serde {

namespace {

using nlohmann::json;

void globalInit() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

size_t appendBody(char* data, size_t size, size_t count, void* out) {
    static_cast<std::string*>(out)->append(data, size * count);
    return size * count;
}

std::string urlEncode(const std::string& s) {
    std::string out;
    static const char* hex = "0123456789ABCDEF";
    for (unsigned char c : s) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

RegisteredSchema schemaFrom(const json& j) {
    RegisteredSchema s;
    s.id = j.value("id", 0);
    s.subject = j.value("subject", "");
    s.version = j.value("version", 0);
    s.schemaType = j.value("schemaType", "AVRO");
    s.schema = j.value("schema", "");
    return s;
}

}  // namespace

Result<SchemaRegistryClientConfig> SchemaRegistryClientConfig::fromProperties(
    const std::map<std::string, std::string>& props) {
    SchemaRegistryClientConfig c;
    auto it = props.find("schema.registry.url");
    if (it == props.end() || it->second.empty())
        return Error{"schema.registry.url is required by the Schema Registry serializers"};
    c.url = it->second.substr(0, it->second.find(','));
    while (!c.url.empty() && c.url.back() == '/')
        c.url.pop_back();
    if (!c.url.starts_with("http://") && !c.url.starts_with("https://"))
        return Error{"schema.registry.url: '" + it->second + "' is not an http:// or https:// URL"};
    if (auto s = props.find("basic.auth.credentials.source"); s != props.end())
        c.credentialsSource = s->second;
    if (c.credentialsSource != "URL" && c.credentialsSource != "USER_INFO")
        return Error{"basic.auth.credentials.source: '" + c.credentialsSource +
                     "' is not supported (URL or USER_INFO)"};
    if (auto s = props.find("basic.auth.user.info"); s != props.end()) c.userInfo = s->second;
    if (c.credentialsSource == "USER_INFO" && c.userInfo.find(':') == std::string::npos)
        return Error{
            "basic.auth.user.info must be USER:PASSWORD when "
            "basic.auth.credentials.source=USER_INFO"};
    return c;
}

SchemaRegistryClient::SchemaRegistryClient(SchemaRegistryClientConfig config)
    : config_(std::move(config)) {
    globalInit();
}

Result<SchemaRegistryClient::Response> SchemaRegistryClient::request(const std::string& method,
                                                                     const std::string& path,
                                                                     const std::string& body) {
    std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
    if (!curl) return Error{"schema registry: cannot create a curl handle"};
    Response response;
    char errors[CURL_ERROR_SIZE] = {};
    const std::string url = config_.url + path;
    CURL* h = curl.get();
    curl_easy_setopt(h, CURLOPT_URL, url.c_str());
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method.c_str());
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, appendBody);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &response.body);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errors);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, config_.timeoutMs);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_slist* headers = nullptr;
    headers = curl_slist_append(headers,
                                "Accept: application/vnd.schemaregistry.v1+json, "
                                "application/vnd.schemaregistry+json, application/json");
    if (!body.empty() || method == "POST" || method == "PUT") {
        headers =
            curl_slist_append(headers, "Content-Type: application/vnd.schemaregistry.v1+json");
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.c_str());
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
    }
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
    if (config_.credentialsSource == "USER_INFO") {
        curl_easy_setopt(h, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
        curl_easy_setopt(h, CURLOPT_USERPWD, config_.userInfo.c_str());
    }
    const CURLcode rc = curl_easy_perform(h);
    curl_slist_free_all(headers);
    if (rc != CURLE_OK)
        return Error{"schema registry " + config_.url +
                     " unreachable: " + (errors[0] ? std::string(errors) : curl_easy_strerror(rc))};
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &response.status);
    return response;
}

Result<std::string> SchemaRegistryClient::call(const std::string& method, const std::string& path,
                                               const std::string& body) {
    auto r = request(method, path, body);
    if (!r) return r.error();
    if (r->status >= 200 && r->status < 300) return std::move(r->body);
    // Worded as the Java client's RestClientException: the registry's message and code.
    try {
        const json e = json::parse(r->body);
        if (e.is_object() && e.contains("message"))
            return Error{"schema registry: " + e["message"].get<std::string>() +
                         "; error code: " + std::to_string(e.value("error_code", 0))};
    } catch (const std::exception&) {
    }
    return Error{"schema registry " + config_.url + " answered HTTP " + std::to_string(r->status) +
                 " to " + method + " " + path};
}

Result<int32_t> SchemaRegistryClient::registerSchema(const std::string& subject,
                                                     const std::string& schema,
                                                     const std::string& schemaType) {
    const std::string key = subject + '\0' + schemaType + '\0' + schema;
    {
        std::lock_guard lock(mu_);
        if (auto it = idBySubjectAndSchema_.find(key); it != idBySubjectAndSchema_.end())
            return it->second;
    }
    json req{{"schema", schema}};
    if (schemaType != "AVRO") req["schemaType"] = schemaType;
    auto body = call("POST", "/subjects/" + urlEncode(subject) + "/versions", req.dump());
    if (!body) return body.error();
    try {
        const int32_t id = json::parse(*body).at("id").get<int32_t>();
        std::lock_guard lock(mu_);
        idBySubjectAndSchema_[key] = id;
        return id;
    } catch (const std::exception& e) {
        return Error{"schema registry: unexpected answer to register: " + std::string(e.what())};
    }
}

Result<RegisteredSchema> SchemaRegistryClient::lookup(const std::string& subject,
                                                      const std::string& schema,
                                                      const std::string& schemaType) {
    json req{{"schema", schema}};
    if (schemaType != "AVRO") req["schemaType"] = schemaType;
    auto body = call("POST", "/subjects/" + urlEncode(subject), req.dump());
    if (!body) return body.error();
    try {
        return schemaFrom(json::parse(*body));
    } catch (const std::exception& e) {
        return Error{"schema registry: unexpected answer to lookup: " + std::string(e.what())};
    }
}

Result<RegisteredSchema> SchemaRegistryClient::schemaById(int32_t id) {
    {
        std::lock_guard lock(mu_);
        if (auto it = byId_.find(id); it != byId_.end()) return it->second;
    }
    auto body = call("GET", "/schemas/ids/" + std::to_string(id));
    if (!body) return body.error();
    try {
        RegisteredSchema s = schemaFrom(json::parse(*body));
        s.id = id;
        std::lock_guard lock(mu_);
        byId_[id] = s;
        return s;
    } catch (const std::exception& e) {
        return Error{"schema registry: unexpected answer for schema " + std::to_string(id) + ": " +
                     e.what()};
    }
}

Result<std::vector<std::string>> SchemaRegistryClient::subjects() {
    auto body = call("GET", "/subjects");
    if (!body) return body.error();
    try {
        return json::parse(*body).get<std::vector<std::string>>();
    } catch (const std::exception& e) {
        return Error{"schema registry: unexpected answer to /subjects: " + std::string(e.what())};
    }
}

Result<std::vector<int32_t>> SchemaRegistryClient::versions(const std::string& subject) {
    auto body = call("GET", "/subjects/" + urlEncode(subject) + "/versions");
    if (!body) return body.error();
    try {
        return json::parse(*body).get<std::vector<int32_t>>();
    } catch (const std::exception& e) {
        return Error{"schema registry: unexpected answer for the versions of " + subject + ": " +
                     e.what()};
    }
}

Result<RegisteredSchema> SchemaRegistryClient::version(const std::string& subject, int32_t v) {
    auto body = call("GET", "/subjects/" + urlEncode(subject) + "/versions/" +
                                (v == -1 ? std::string("latest") : std::to_string(v)));
    if (!body) return body.error();
    try {
        RegisteredSchema s = schemaFrom(json::parse(*body));
        std::lock_guard lock(mu_);
        byId_.emplace(s.id, RegisteredSchema{s.id, "", 0, s.schemaType, s.schema});
        return s;
    } catch (const std::exception& e) {
        return Error{"schema registry: unexpected answer for " + subject + ": " + e.what()};
    }
}

}  // namespace bs::serde
