#include "registry/avro_compatibility.h"

#include <map>
#include <set>
#include <utility>

namespace bs::registry {

namespace {

using nlohmann::json;

bool isPrimitive(const std::string& t) {
    static const std::set<std::string> kPrimitives = {"null",  "boolean", "int",   "long",
                                                      "float", "double",  "bytes", "string"};
    return kPrimitives.count(t) > 0;
}

// Named types (record, enum, fixed) by full name, so a reference by name resolves.
class Names {
  public:
    explicit Names(const json& schema) { collect(schema, ""); }
    const json& resolve(const json& s, const std::string& ns) const {
        if (!s.is_string() || isPrimitive(s.get<std::string>())) return s;
        const std::string name = s.get<std::string>();
        auto it = byName_.find(name.find('.') == std::string::npos && !ns.empty() ? ns + "." + name
                                                                                  : name);
        if (it == byName_.end()) it = byName_.find(name);
        return it == byName_.end() ? s : *it->second;
    }

  private:
    void collect(const json& s, const std::string& ns) {
        if (s.is_array()) {
            for (const auto& b : s)
                collect(b, ns);
            return;
        }
        if (!s.is_object()) return;
        const std::string type =
            s.value("type", json()).is_string() ? s["type"].get<std::string>() : std::string();
        std::string inner = ns;
        if ((type == "record" || type == "error" || type == "enum" || type == "fixed") &&
            s.contains("name") && s["name"].is_string()) {
            std::string name = s["name"].get<std::string>();
            if (s.contains("namespace") && s["namespace"].is_string())
                inner = s["namespace"].get<std::string>();
            const size_t dot = name.rfind('.');
            if (dot != std::string::npos) {
                inner = name.substr(0, dot);
            } else if (!inner.empty()) {
                name = inner + "." + name;
            }
            byName_[name] = &s;
            const size_t last = name.rfind('.');
            byName_.emplace(last == std::string::npos ? name : name.substr(last + 1), &s);
        }
        if (s.contains("fields") && s["fields"].is_array())
            for (const auto& f : s["fields"])
                if (f.is_object() && f.contains("type")) collect(f["type"], inner);
        if (s.contains("items")) collect(s["items"], inner);
        if (s.contains("values")) collect(s["values"], inner);
        if (!s.value("type", json()).is_string()) collect(s["type"], inner);
    }
    std::map<std::string, const json*> byName_;
};

std::string typeOf(const json& s) {
    if (s.is_array()) return "union";
    if (s.is_string()) return s.get<std::string>();
    if (s.is_object() && s.contains("type")) {
        if (s["type"].is_string()) return s["type"].get<std::string>();
        return typeOf(s["type"]);
    }
    return "?";
}

std::string nameOf(const json& s) {
    return s.is_object() && s.contains("name") && s["name"].is_string()
               ? s["name"].get<std::string>()
               : std::string();
}

class Checker {
  public:
    Checker(const json& reader, const json& writer) : readerNames_(reader), writerNames_(writer) {}

    void check(const json& reader, const json& writer, const std::string& path) {
        const json& r = unwrap(readerNames_.resolve(reader, ""));
        const json& w = unwrap(writerNames_.resolve(writer, ""));
        const std::string rt = typeOf(r);
        const std::string wt = typeOf(w);
        if (wt == "union") {
            for (size_t i = 0; i < w.size(); ++i)
                if (!readable(r, w[i]))
                    add("MISSING_UNION_BRANCH",
                        "The new schema is missing a type inside a union field at path '" + path +
                            "/" + std::to_string(i) + "' in the old schema",
                        "reader union lacking writer type: " + upper(typeOf(w[i])));
            return;
        }
        if (rt == "union") {
            for (const auto& b : r)
                if (readable(b, w)) return;
            add("MISSING_UNION_BRANCH",
                "The new schema is missing a type inside a union field at path '" + path +
                    "' in the old schema",
                "reader union lacking writer type: " + upper(wt));
            return;
        }
        if (rt != wt) {
            if (promotable(wt, rt)) return;
            add("TYPE_MISMATCH",
                "The type (path '" + path +
                    "') of a field in the new schema does not match with "
                    "the old schema",
                "reader type: " + upper(rt) + " not compatible with writer type: " + upper(wt));
            return;
        }
        if (rt == "record" || rt == "error") {
            if (!namesMatch(r, w, path)) return;
            const auto key = std::make_pair(&r, &w);
            if (!visiting_.insert(key).second) return;  // recursive type: already on the path
            const json& wfields = w.value("fields", json::array());
            const json& rfields = r.value("fields", json::array());
            for (size_t i = 0; i < rfields.size(); ++i) {
                const json& rf = rfields[i];
                const std::string fname = nameOf(rf);
                const json* wf = findField(wfields, rf);
                const std::string fpath = path + "/fields/" + std::to_string(i);
                if (wf) {
                    check(rf["type"], (*wf)["type"], fpath + "/type");
                } else if (!rf.contains("default")) {
                    add("READER_FIELD_MISSING_DEFAULT_VALUE",
                        "The field '" + fname + "' at path '" + fpath +
                            "' in the new schema has no default value and is missing in the old "
                            "schema",
                        fname);
                }
            }
            visiting_.erase(key);
        } else if (rt == "enum") {
            if (!namesMatch(r, w, path)) return;
            if (r.contains("default")) return;
            std::set<std::string> symbols;
            for (const auto& s : r.value("symbols", json::array()))
                if (s.is_string()) symbols.insert(s.get<std::string>());
            std::string missing;
            for (const auto& s : w.value("symbols", json::array()))
                if (s.is_string() && !symbols.count(s.get<std::string>()))
                    missing += (missing.empty() ? "" : ", ") + s.get<std::string>();
            if (!missing.empty())
                add("MISSING_ENUM_SYMBOLS",
                    "The new schema is missing enum symbols '" + missing + "' at path '" + path +
                        "/symbols' in the old schema",
                    "[" + missing + "]");
        } else if (rt == "fixed") {
            if (!namesMatch(r, w, path)) return;
            if (r.value("size", -1) != w.value("size", -1))
                add("FIXED_SIZE_MISMATCH",
                    "The size of FIXED type field at path '" + path +
                        "/size' in the new schema "
                        "does not match with the old schema",
                    "expected: " + std::to_string(w.value("size", -1)) +
                        ", found: " + std::to_string(r.value("size", -1)));
        } else if (rt == "array") {
            check(r.value("items", json()), w.value("items", json()), path + "/items");
        } else if (rt == "map") {
            check(r.value("values", json()), w.value("values", json()), path + "/values");
        }
    }

    std::vector<AvroIncompatibility> errors;

  private:
    // {"type": {...}} and {"type": "int"} stand for the inner schema.
    static const json& unwrap(const json& s) {
        if (s.is_object() && s.contains("type") && !s["type"].is_string()) return s["type"];
        return s;
    }
    static std::string upper(std::string s) {
        for (char& c : s)
            c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        return s;
    }
    static bool promotable(const std::string& from, const std::string& to) {
        return (from == "int" && (to == "long" || to == "float" || to == "double")) ||
               (from == "long" && (to == "float" || to == "double")) ||
               (from == "float" && to == "double") || (from == "string" && to == "bytes") ||
               (from == "bytes" && to == "string");
    }
    bool readable(const json& reader, const json& writer) {
        Checker probe(*this);
        probe.errors.clear();
        probe.check(reader, writer, "");
        return probe.errors.empty();
    }
    static std::string shortName(const std::string& n) {
        const size_t dot = n.rfind('.');
        return dot == std::string::npos ? n : n.substr(dot + 1);
    }
    bool namesMatch(const json& r, const json& w, const std::string& path) {
        const std::string rn = shortName(nameOf(r));
        const std::string wn = shortName(nameOf(w));
        if (rn == wn) return true;
        for (const auto& a : r.value("aliases", json::array()))
            if (a.is_string() && shortName(a.get<std::string>()) == wn) return true;
        add("NAME_MISMATCH", "The name of the schema has changed (path '" + path + "/name')",
            "expected: " + nameOf(w));
        return false;
    }
    static const json* findField(const json& fields, const json& rf) {
        const std::string name = nameOf(rf);
        for (const auto& f : fields)
            if (nameOf(f) == name) return &f;
        for (const auto& a : rf.value("aliases", json::array()))
            for (const auto& f : fields)
                if (a.is_string() && nameOf(f) == a.get<std::string>()) return &f;
        return nullptr;
    }
    void add(std::string type, std::string description, std::string info) {
        errors.push_back({std::move(type), std::move(description), std::move(info)});
    }

    Names readerNames_;
    Names writerNames_;
    std::set<std::pair<const json*, const json*>> visiting_;
};

}  // namespace

std::vector<AvroIncompatibility> avroReaderIncompatibilities(const json& reader,
                                                             const json& writer) {
    Checker checker(reader, writer);
    checker.check(reader, writer, "");
    return std::move(checker.errors);
}

}  // namespace bs::registry
