#include "registry/schema_store.h"

#include <avro.h>
#include <fcntl.h>
#include <google/protobuf/compiler/parser.h>
#include <google/protobuf/descriptor.pb.h>
#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "registry/avro_compatibility.h"

namespace bs::registry {

namespace {

// avro-c's per-thread error buffer: see serde/avro_codec.cpp (kept reachable for LeakSanitizer).
std::atomic<const char*> gAvroErrorText{nullptr};

std::string avroErrorText() {
    const char* text = avro_strerror();
    gAvroErrorText.store(text);
    return text ? text : "unknown avro-c error";
}

using nlohmann::json;
using ordered_json = nlohmann::ordered_json;

const std::set<std::string> kLevels = {
    "NONE", "BACKWARD",       "BACKWARD_TRANSITIVE", "FORWARD", "FORWARD_TRANSITIVE",
    "FULL", "FULL_TRANSITIVE"};

// The first syntax error of a .proto text ("line L, column C: ..."), empty when it parses.
// Only the syntax is checked here (imports and type names are resolved by the serializers).
class FirstError : public google::protobuf::io::ErrorCollector {
  public:
    void AddError(int line, google::protobuf::io::ColumnNumber column,
                  const std::string& message) override {
        if (first.empty())
            first = "line " + std::to_string(line + 1) + ", column " + std::to_string(column + 1) +
                    ": " + message;
    }
    std::string first;
};

std::string protobufSyntaxError(const std::string& text) {
    google::protobuf::io::ArrayInputStream in(text.data(), static_cast<int>(text.size()));
    FirstError errors;
    google::protobuf::io::Tokenizer tokenizer(&in, &errors);
    google::protobuf::compiler::Parser parser;
    parser.RecordErrorsTo(&errors);
    google::protobuf::FileDescriptorProto file;
    if (!parser.Parse(&tokenizer, &file) && errors.first.empty()) return "cannot be parsed";
    if (errors.first.empty() && file.message_type_size() == 0 && file.enum_type_size() == 0)
        return "declares no type";
    return errors.first;
}

RegistryError subjectNotFound(const std::string& s) {
    return {404, 40401, "Subject '" + s + "' not found."};
}
RegistryError versionNotFound(int32_t v) {
    return {404, 40402, "Version " + std::to_string(v) + " not found."};
}

}  // namespace

RegistryError invalidVersion(const std::string& text) {
    return {422, 42202,
            "The specified version '" + text +
                "' is not a valid version id. Allowed values are between [1, 2^31-1] and the "
                "string \"latest\""};
}

std::optional<int32_t> parseVersion(const std::string& text) {
    if (text == "latest" || text == "-1") return -1;
    int32_t v = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || end != text.data() + text.size() || v < 1) return std::nullopt;
    return v;
}

Result<std::unique_ptr<SchemaStore>> SchemaStore::open(std::filesystem::path file) {
    std::unique_ptr<SchemaStore> store(new SchemaStore(std::move(file)));
    if (auto s = store->load(); !s) return Error{s.message()};
    return store;
}

Status SchemaStore::load() {
    if (file_.empty()) return {};
    std::error_code ec;
    if (!std::filesystem::exists(file_, ec)) return {};
    std::ifstream in(file_);
    if (!in) return Error{"cannot read the schema registry's file " + file_.string()};
    try {
        const json state = json::parse(in);
        compatibility_ = state.at("compatibility").get<std::string>();
        nextId_ = state.at("nextId").get<int32_t>();
        for (const auto& s : state.at("schemas"))
            schemas_[s.at("id").get<int32_t>()] = {s.at("schemaType").get<std::string>(),
                                                   s.at("schema").get<std::string>()};
        for (const auto& [name, s] : state.at("subjects").items()) {
            Subject& subject = subjects_[name];
            if (s.contains("compatibility"))
                subject.compatibility = s["compatibility"].get<std::string>();
            for (const auto& v : s.at("versions"))
                subject.versions.push_back({v.at("version").get<int32_t>(),
                                            v.at("id").get<int32_t>(),
                                            v.at("deleted").get<bool>()});
        }
    } catch (const std::exception& e) {
        return Error{"the schema registry's file " + file_.string() + " is corrupt: " + e.what()};
    }
    return {};
}

Status SchemaStore::persist() const {
    if (file_.empty()) return {};
    json state;
    state["compatibility"] = compatibility_;
    state["nextId"] = nextId_;
    state["schemas"] = json::array();
    for (const auto& [id, s] : schemas_)
        state["schemas"].push_back(
            {{"id", id}, {"schemaType", s.schemaType}, {"schema", s.schema}});
    state["subjects"] = json::object();
    for (const auto& [name, s] : subjects_) {
        json subject{{"versions", json::array()}};
        if (s.compatibility) subject["compatibility"] = *s.compatibility;
        for (const auto& v : s.versions)
            subject["versions"].push_back(
                {{"version", v.version}, {"id", v.id}, {"deleted", v.deleted}});
        state["subjects"][name] = std::move(subject);
    }
    const std::string text = state.dump(1);
    const std::filesystem::path tmp = file_.string() + ".tmp";
    std::error_code ec;
    std::filesystem::create_directories(file_.parent_path(), ec);
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return Error{"cannot write " + tmp.string()};
    size_t done = 0;
    while (done < text.size()) {
        const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
        if (n <= 0) {
            ::close(fd);
            return Error{"cannot write " + tmp.string()};
        }
        done += static_cast<size_t>(n);
    }
    const bool synced = ::fsync(fd) == 0;
    ::close(fd);
    if (!synced) return Error{"cannot fsync " + tmp.string()};
    std::filesystem::rename(tmp, file_, ec);
    if (ec) return Error{"cannot rename " + tmp.string() + ": " + ec.message()};
    return {};
}

RegistryResult<std::string> SchemaStore::canonical(const std::string& schema,
                                                   const std::string& schemaType) {
    if (schemaType == "PROTOBUF") {
        // Parsed for its syntax; the text is kept as given (Confluent normalizes it), so the
        // same text re-registered gets the same id.
        if (schema.find_first_not_of(" \t\r\n") == std::string::npos)
            return RegistryError{422, 42201, "Invalid schema: empty Protobuf schema"};
        if (const std::string why = protobufSyntaxError(schema); !why.empty())
            return RegistryError{422, 42201,
                                 "Invalid schema {schemaType=PROTOBUF}, details: " + why};
        return schema;
    }
    if (schemaType != "AVRO" && schemaType != "JSON")
        return RegistryError{422, 42201, "Invalid schema type " + schemaType};
    ordered_json parsed;
    try {
        parsed = ordered_json::parse(schema);
    } catch (const std::exception& e) {
        return RegistryError{
            422, 42201, "Invalid schema {schemaType=" + schemaType + "}, details: " + e.what()};
    }
    if (schemaType == "AVRO") {
        const std::string text = parsed.dump();
        avro_schema_t parsedAvro = nullptr;
        if (avro_schema_from_json_length(text.data(), text.size(), &parsedAvro) != 0)
            return RegistryError{422, 42201,
                                 "Invalid schema {schemaType=AVRO}, details: " + avroErrorText()};
        avro_schema_decref(parsedAvro);
        return text;
    }
    if (!parsed.is_object() && !parsed.is_boolean())
        return RegistryError{422, 42201, "Invalid schema: a JSON Schema is an object or a boolean"};
    return parsed.dump();
}

const SchemaStore::Subject* SchemaStore::findSubject(const std::string& name, bool deleted) const {
    auto it = subjects_.find(name);
    if (it == subjects_.end()) return nullptr;
    const auto& vs = it->second.versions;
    const bool live =
        std::any_of(vs.begin(), vs.end(), [](const Version& v) { return !v.deleted; });
    if (!live && !(deleted && !vs.empty())) return nullptr;
    return &it->second;
}

std::vector<std::string> SchemaStore::incompatibilities(const Subject& s,
                                                        const std::string& canonicalText,
                                                        const std::string& schemaType,
                                                        const std::string& level) const {
    std::vector<std::string> out;
    if (level == "NONE") return out;
    std::vector<const Version*> previous;
    for (const auto& v : s.versions)
        if (!v.deleted) previous.push_back(&v);
    if (previous.empty()) return out;
    if (level.find("TRANSITIVE") == std::string::npos) previous = {previous.back()};
    const bool backward = level.starts_with("BACKWARD") || level.starts_with("FULL");
    const bool forward = level.starts_with("FORWARD") || level.starts_with("FULL");
    for (const Version* v : previous) {
        const Schema& old = schemas_.at(v->id);
        if (old.schemaType != schemaType) {
            out.push_back("{errorType:'TYPE_MISMATCH', description:'The schema type " + schemaType +
                          " does not match the old schema's type " + old.schemaType + "'}");
            continue;
        }
        // Only Avro's rules are checked; Protobuf and JSON Schema are taken as compatible.
        if (schemaType != "AVRO") continue;
        const json now = json::parse(canonicalText);
        const json then = json::parse(old.schema);
        std::vector<AvroIncompatibility> found;
        if (backward) found = avroReaderIncompatibilities(now, then);
        if (forward) {
            auto more = avroReaderIncompatibilities(then, now);
            found.insert(found.end(), more.begin(), more.end());
        }
        for (const auto& f : found)
            out.push_back("{errorType:'" + f.errorType + "', description:'" + f.description +
                          "', additionalInfo:'" + f.additionalInfo + "'}");
        if (!found.empty()) {
            out.push_back("{oldSchemaVersion: " + std::to_string(v->version) + "}");
            out.push_back("{oldSchema: '" + old.schema + "'}");
        }
    }
    if (!out.empty()) out.push_back("{compatibility: '" + level + "'}");
    return out;
}

RegistryResult<int32_t> SchemaStore::registerSchema(const std::string& subject,
                                                    const std::string& schema,
                                                    const std::string& schemaType) {
    auto text = canonical(schema, schemaType);
    if (auto* e = std::get_if<RegistryError>(&text)) return *e;
    const std::string& canon = std::get<std::string>(text);
    std::lock_guard lock(mu_);
    int32_t id = 0;
    for (const auto& [i, s] : schemas_)
        if (s.schemaType == schemaType && s.schema == canon) id = i;
    Subject& s = subjects_[subject];
    for (const auto& v : s.versions)
        if (!v.deleted && v.id == id && id != 0) return id;
    const std::string level = s.compatibility.value_or(compatibility_);
    auto errors = incompatibilities(s, canon, schemaType, level);
    if (!errors.empty()) {
        std::string details;
        for (const auto& e : errors)
            details += (details.empty() ? "" : ", ") + e;
        if (s.versions.empty()) subjects_.erase(subject);
        return RegistryError{409, 409,
                             "Schema being registered is incompatible with an earlier schema for "
                             "subject \"" +
                                 subject + "\", details: [" + details + "]"};
    }
    const bool newId = id == 0;
    if (newId) {
        id = nextId_++;
        schemas_[id] = {schemaType, canon};
    }
    int32_t version = 1;
    for (const auto& v : s.versions)
        version = std::max(version, v.version + 1);
    s.versions.push_back({version, id, false});
    if (auto st = persist(); !st) {
        s.versions.pop_back();
        if (s.versions.empty()) subjects_.erase(subject);
        if (newId) {
            schemas_.erase(id);
            --nextId_;
        }
        return RegistryError{500, 50001, "Error in the backend data store: " + st.message()};
    }
    return id;
}

RegistryResult<SchemaVersion> SchemaStore::lookup(const std::string& subject,
                                                  const std::string& schema,
                                                  const std::string& schemaType,
                                                  bool deleted) const {
    auto text = canonical(schema, schemaType);
    if (auto* e = std::get_if<RegistryError>(&text)) return *e;
    std::lock_guard lock(mu_);
    const Subject* s = findSubject(subject, deleted);
    if (!s) return subjectNotFound(subject);
    for (auto it = s->versions.rbegin(); it != s->versions.rend(); ++it) {
        if (it->deleted && !deleted) continue;
        const Schema& known = schemas_.at(it->id);
        if (known.schemaType == schemaType && known.schema == std::get<std::string>(text))
            return SchemaVersion{subject, it->version, it->id, known.schemaType, known.schema};
    }
    return RegistryError{404, 40403, "Schema not found"};
}

RegistryResult<SchemaVersion> SchemaStore::schemaById(int32_t id) const {
    std::lock_guard lock(mu_);
    auto it = schemas_.find(id);
    if (it == schemas_.end())
        return RegistryError{404, 40403, "Schema " + std::to_string(id) + " not found"};
    return SchemaVersion{"", 0, id, it->second.schemaType, it->second.schema};
}

std::vector<std::string> SchemaStore::subjects(bool deleted) const {
    std::lock_guard lock(mu_);
    std::vector<std::string> out;
    for (const auto& [name, s] : subjects_)
        if (findSubject(name, deleted)) out.push_back(name);
    return out;
}

RegistryResult<std::vector<int32_t>> SchemaStore::versions(const std::string& subject,
                                                           bool deleted) const {
    std::lock_guard lock(mu_);
    const Subject* s = findSubject(subject, deleted);
    if (!s) return subjectNotFound(subject);
    std::vector<int32_t> out;
    for (const auto& v : s->versions)
        if (!v.deleted || deleted) out.push_back(v.version);
    return out;
}

RegistryResult<SchemaVersion> SchemaStore::version(const std::string& subject, int32_t version,
                                                   bool deleted) const {
    std::lock_guard lock(mu_);
    const Subject* s = findSubject(subject, deleted);
    if (!s) return subjectNotFound(subject);
    const Version* found = nullptr;
    for (const auto& v : s->versions) {
        if (v.deleted && !deleted) continue;
        if (version == -1 || v.version == version) found = &v;
    }
    if (!found) return versionNotFound(version);
    const Schema& schema = schemas_.at(found->id);
    return SchemaVersion{subject, found->version, found->id, schema.schemaType, schema.schema};
}

RegistryResult<int32_t> SchemaStore::deleteVersion(const std::string& subject, int32_t version,
                                                   bool permanent) {
    std::lock_guard lock(mu_);
    auto it = subjects_.find(subject);
    if (it == subjects_.end() || !findSubject(subject, permanent)) return subjectNotFound(subject);
    auto& vs = it->second.versions;
    auto v = vs.end();
    for (auto i = vs.begin(); i != vs.end(); ++i) {
        if (i->deleted && !permanent) continue;
        if (version == -1 ? !i->deleted : i->version == version) v = i;
    }
    if (v == vs.end()) return versionNotFound(version);
    const Version before = *v;
    if (permanent && !v->deleted)
        return RegistryError{404, 40407,
                             "Subject '" + subject + "' Version " + std::to_string(v->version) +
                                 " was not deleted first before being permanently deleted"};
    if (permanent) {
        vs.erase(v);
    } else {
        v->deleted = true;
    }
    if (auto st = persist(); !st) {
        if (permanent) {
            vs.push_back(before);
            std::sort(vs.begin(), vs.end(),
                      [](const Version& a, const Version& b) { return a.version < b.version; });
        } else {
            v->deleted = false;
        }
        return RegistryError{500, 50001, "Error in the backend data store: " + st.message()};
    }
    if (vs.empty()) subjects_.erase(it);
    return before.version;
}

RegistryResult<std::vector<int32_t>> SchemaStore::deleteSubject(const std::string& subject,
                                                                bool permanent) {
    std::lock_guard lock(mu_);
    auto it = subjects_.find(subject);
    if (it == subjects_.end() || !findSubject(subject, permanent)) return subjectNotFound(subject);
    std::vector<int32_t> out;
    Subject before = it->second;
    for (auto& v : it->second.versions) {
        if (permanent) {
            if (!v.deleted)
                return RegistryError{404, 40405,
                                     "Subject '" + subject +
                                         "' was not deleted first before being permanently "
                                         "deleted"};
            out.push_back(v.version);
        } else if (!v.deleted) {
            v.deleted = true;
            out.push_back(v.version);
        }
    }
    if (permanent) subjects_.erase(it);
    if (auto st = persist(); !st) {
        subjects_[subject] = std::move(before);
        return RegistryError{500, 50001, "Error in the backend data store: " + st.message()};
    }
    return out;
}

RegistryResult<std::vector<std::string>> SchemaStore::testCompatibility(
    const std::string& subject, const std::string& schema, const std::string& schemaType,
    int32_t version) const {
    auto text = canonical(schema, schemaType);
    if (auto* e = std::get_if<RegistryError>(&text)) return *e;
    std::lock_guard lock(mu_);
    const Subject* s = findSubject(subject, false);
    if (!s) return std::vector<std::string>{};
    Subject against = *s;
    const std::string level = s->compatibility.value_or(compatibility_);
    if (level.find("TRANSITIVE") == std::string::npos) {
        const Version* chosen = nullptr;
        for (const auto& v : s->versions)
            if (!v.deleted && (version == -1 || v.version == version)) chosen = &v;
        if (!chosen) return versionNotFound(version);
        against.versions = {*chosen};
    }
    return incompatibilities(against, std::get<std::string>(text), schemaType, level);
}

std::optional<std::string> SchemaStore::compatibility(const std::string& subject) const {
    std::lock_guard lock(mu_);
    if (subject.empty()) return compatibility_;
    auto it = subjects_.find(subject);
    if (it == subjects_.end()) return std::nullopt;
    return it->second.compatibility;
}

RegistryResult<std::string> SchemaStore::setCompatibility(const std::string& subject,
                                                          const std::string& level) {
    std::string upper = level;
    for (char& c : upper)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (!kLevels.count(upper))
        return RegistryError{422, 42203,
                             "Invalid compatibility level. Valid values are none, backward, "
                             "forward, full, backward_transitive, forward_transitive, and "
                             "full_transitive"};
    std::lock_guard lock(mu_);
    if (subject.empty()) {
        const std::string before = compatibility_;
        compatibility_ = upper;
        if (auto st = persist(); !st) {
            compatibility_ = before;
            return RegistryError{500, 50001, "Error in the backend data store: " + st.message()};
        }
    } else {
        const bool existed = subjects_.count(subject) > 0;
        Subject& s = subjects_[subject];
        const auto before = s.compatibility;
        s.compatibility = upper;
        if (auto st = persist(); !st) {
            if (existed) {
                s.compatibility = before;
            } else {
                subjects_.erase(subject);
            }
            return RegistryError{500, 50001, "Error in the backend data store: " + st.message()};
        }
    }
    return upper;
}

}  // namespace bs::registry
