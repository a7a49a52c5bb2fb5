#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/result.h"

namespace bs::serde {

// A schema as the registry holds it under a subject (subject and version empty/0 when it was
// fetched by id alone).
struct RegisteredSchema {
    int32_t id = 0;
    std::string subject;
    int32_t version = 0;
    std::string schemaType = "AVRO";  // AVRO, PROTOBUF, JSON
    std::string schema;
};

// The Java client's settings for the registry, by their property names.
struct SchemaRegistryClientConfig {
    std::string url;                        // schema.registry.url (the first of a list)
    std::string credentialsSource = "URL";  // basic.auth.credentials.source
    std::string userInfo;                   // basic.auth.user.info (USER:PASSWORD)
    long timeoutMs = 30'000;

    // From properties named as the Java serializers take them; unknown keys are ignored (they
    // belong to the serializer), a bad value is an error naming the key.
    static Result<SchemaRegistryClientConfig> fromProperties(
        const std::map<std::string, std::string>& props);
};

// Confluent's Schema Registry REST API over libcurl, as CachedSchemaRegistryClient: schemas by
// id are cached forever (an id never changes its schema), and so are the ids of schemas this
// client registered or looked up. Errors carry the registry's own message and error code
// ("Subject 'x' not found.; error code: 40401"); an unreachable registry says so with the URL.
// Thread-safe: each call makes its own curl handle; the caches are under mu_.
class SchemaRegistryClient {
  public:
    explicit SchemaRegistryClient(SchemaRegistryClientConfig config);

    Result<int32_t> registerSchema(const std::string& subject, const std::string& schema,
                                   const std::string& schemaType = "AVRO");
    Result<RegisteredSchema> lookup(const std::string& subject, const std::string& schema,
                                    const std::string& schemaType = "AVRO");
    Result<RegisteredSchema> schemaById(int32_t id);
    Result<std::vector<std::string>> subjects();
    Result<std::vector<int32_t>> versions(const std::string& subject);
    // version -1: latest.
    Result<RegisteredSchema> version(const std::string& subject, int32_t version);

    const std::string& url() const { return config_.url; }

  private:
    struct Response {
        long status = 0;
        std::string body;
    };
    Result<Response> request(const std::string& method, const std::string& path,
                             const std::string& body);
    // The body of a 2xx answer parsed as JSON; otherwise the registry's error as words.
    Result<std::string> call(const std::string& method, const std::string& path,
                             const std::string& body = "");

    const SchemaRegistryClientConfig config_;
    std::mutex mu_;
    std::map<int32_t, RegisteredSchema> byId_;             // guarded by mu_
    std::map<std::string, int32_t> idBySubjectAndSchema_;  // guarded by mu_
};

}  // namespace bs::serde
