#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "common/result.h"

namespace bs::registry {

// An error as the Schema Registry's REST API answers it: the HTTP status and the body
// {"error_code": code, "message": message}, worded as Confluent's registry words it.
struct RegistryError {
    int httpStatus = 500;
    int errorCode = 50001;
    std::string message;
};

template <class T>
using RegistryResult = std::variant<T, RegistryError>;

struct SchemaVersion {
    std::string subject;
    int32_t version = 0;
    int32_t id = 0;
    std::string schemaType;  // AVRO, PROTOBUF, JSON
    std::string schema;
};

// The registry's state: schemas by global id, subjects with their versions, compatibility
// levels; persisted as one JSON file rewritten (write, fsync, rename) on every change.
// As Confluent's: the same schema text (after canonicalization) gets the same id in every
// subject; DELETE of a version is soft (hidden, its id still resolves) unless permanent.
// Thread-safe: every method takes mu_.
class SchemaStore {
  public:
    // Loads `file` if it exists (an unreadable or corrupt file is an error, not an empty
    // registry). An empty path keeps everything in memory.
    static Result<std::unique_ptr<SchemaStore>> open(std::filesystem::path file);

    RegistryResult<int32_t> registerSchema(const std::string& subject, const std::string& schema,
                                           const std::string& schemaType);
    RegistryResult<SchemaVersion> lookup(const std::string& subject, const std::string& schema,
                                         const std::string& schemaType, bool deleted) const;
    // (schemaType, schema) of a global id.
    RegistryResult<SchemaVersion> schemaById(int32_t id) const;
    std::vector<std::string> subjects(bool deleted) const;
    RegistryResult<std::vector<int32_t>> versions(const std::string& subject, bool deleted) const;
    // version -1 is "latest".
    RegistryResult<SchemaVersion> version(const std::string& subject, int32_t version,
                                          bool deleted) const;
    RegistryResult<int32_t> deleteVersion(const std::string& subject, int32_t version,
                                          bool permanent);
    RegistryResult<std::vector<int32_t>> deleteSubject(const std::string& subject, bool permanent);
    // Whether `schema` could be registered under `subject` now (POST /compatibility/...).
    RegistryResult<std::vector<std::string>> testCompatibility(const std::string& subject,
                                                               const std::string& schema,
                                                               const std::string& schemaType,
                                                               int32_t version) const;

    // Empty subject: the global level. A subject without its own level: nullopt.
    std::optional<std::string> compatibility(const std::string& subject) const;
    RegistryResult<std::string> setCompatibility(const std::string& subject,
                                                 const std::string& level);

  private:
    struct Version {
        int32_t version = 0;
        int32_t id = 0;
        bool deleted = false;
    };
    struct Subject {
        std::vector<Version> versions;
        std::optional<std::string> compatibility;
    };
    struct Schema {
        std::string schemaType;
        std::string schema;  // canonical text
    };

    explicit SchemaStore(std::filesystem::path file) : file_(std::move(file)) {}
    Status load();
    Status persist() const;  // mu_ held
    // Canonical text of a schema, or 42201. mu_ need not be held.
    static RegistryResult<std::string> canonical(const std::string& schema,
                                                 const std::string& schemaType);
    // The details of why `schema` is incompatible with the versions the level compares to.
    std::vector<std::string> incompatibilities(const Subject& s, const std::string& canonicalText,
                                               const std::string& schemaType,
                                               const std::string& level) const;
    const Subject* findSubject(const std::string& name, bool deleted) const;

    const std::filesystem::path file_;
    mutable std::mutex mu_;
    std::map<int32_t, Schema> schemas_;        // guarded by mu_
    std::map<std::string, Subject> subjects_;  // guarded by mu_
    std::string compatibility_ = "BACKWARD";   // guarded by mu_
    int32_t nextId_ = 1;                       // guarded by mu_
};

// The error for a version path segment that is neither 1..2^31-1 nor "latest" (42202).
RegistryError invalidVersion(const std::string& text);
// "latest" / "-1" -> -1, "N" -> N, else nullopt.
std::optional<int32_t> parseVersion(const std::string& text);

}  // namespace bs::registry
