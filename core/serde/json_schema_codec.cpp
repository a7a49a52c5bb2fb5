#include "serde/json_schema_codec.h"

#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <regex>

namespace bs::serde {

namespace {

// ordered: records keep their fields in the order the user wrote them.
using json = nlohmann::ordered_json;
using Problem = std::optional<std::string>;

// Deep enough for any hand-written schema; stops a "$ref": "#" that never consumes the value.
constexpr int kMaxDepth = 256;

std::string fieldPath(const std::string& path) {
    return path.empty() ? "value" : "field '" + path + "'";
}

std::string child(const std::string& path, const std::string& name) {
    return path.empty() ? name : path + "." + name;
}

bool isInteger(const json& v) {
    if (v.is_number_integer()) return true;
    if (!v.is_number_float()) return false;
    const double d = v.get<double>();
    return std::isfinite(d) && std::floor(d) == d;
}

std::string typeOf(const json& v) {
    switch (v.type()) {
        case json::value_t::null:
            return "null";
        case json::value_t::boolean:
            return "boolean";
        case json::value_t::string:
            return "string";
        case json::value_t::array:
            return "array";
        case json::value_t::object:
            return "object";
        default:
            return isInteger(v) ? "integer" : "number";
    }
}

bool hasType(const json& v, const std::string& t) {
    if (t == "number") return v.is_number();
    if (t == "integer") return v.is_number() && isInteger(v);
    return typeOf(v) == t;
}

size_t codePoints(const std::string& s) {
    size_t n = 0;
    for (unsigned char c : s)
        if ((c & 0xc0) != 0x80) ++n;
    return n;
}

std::string shortText(const json& v) {
    std::string t = v.dump(-1, ' ', false, json::error_handler_t::replace);
    return t.size() > 60 ? t.substr(0, 57) + "..." : t;
}

std::string numberText(const json& v) {
    return v.dump();
}

}  // namespace

struct JsonSchema::Impl {
    json root;
    std::map<std::string, std::regex> patterns;  // pattern text -> compiled, built by parse()

    Result<const json*> resolve(const std::string& ref) const {
        if (ref == "#") return &root;
        if (!ref.starts_with("#/"))
            return Error{"$ref \"" + ref + "\" is not supported (only local refs \"#/...\")"};
        try {
            const json& target = root.at(json::json_pointer(ref.substr(1)));
            return &target;
        } catch (const std::exception&) {
            return Error{"$ref \"" + ref + "\" does not resolve"};
        }
    }

    // Walks the schema: compiles every pattern and checks every $ref once, so validation
    // cannot meet a bad one.
    Status prepare(const json& s) {
        if (s.is_array()) {
            for (const auto& e : s)
                if (auto st = prepare(e); !st) return st;
            return {};
        }
        if (!s.is_object()) return {};
        for (const auto& [key, value] : s.items()) {
            if (key == "$ref" && value.is_string()) {
                auto r = resolve(value.get<std::string>());
                if (!r) return Error{r.error().message};
            }
            if (key == "pattern" && value.is_string()) {
                if (auto st = compile(value.get<std::string>()); !st) return st;
            }
            if (key == "patternProperties" && value.is_object()) {
                for (const auto& [p, _] : value.items())
                    if (auto st = compile(p); !st) return st;
            }
            if (auto st = prepare(value); !st) return st;
        }
        return {};
    }

    Status compile(const std::string& p) {
        if (patterns.count(p)) return {};
        try {
            patterns.emplace(p, std::regex(p, std::regex::ECMAScript));
        } catch (const std::regex_error& e) {
            return Error{"pattern \"" + p + "\" is not a valid regular expression: " + e.what()};
        }
        return {};
    }

    bool matches(const std::string& pattern, const std::string& text) const {
        auto it = patterns.find(pattern);
        return it != patterns.end() && std::regex_search(text, it->second);
    }

    Problem check(const json& s, const json& v, const std::string& path, int depth) const;
    Problem checkObject(const json& s, const json& v, const std::string& path, int depth) const;
    Problem checkArray(const json& s, const json& v, const std::string& path, int depth) const;
    Problem checkScalar(const json& s, const json& v, const std::string& path) const;
};

Problem JsonSchema::Impl::check(const json& s, const json& v, const std::string& path,
                                int depth) const {
    if (depth > kMaxDepth) return fieldPath(path) + ": the schema nests too deep ($ref loop?)";
    if (s.is_boolean()) {
        if (s.get<bool>()) return std::nullopt;
        return fieldPath(path) + ": not allowed (the schema is false)";
    }
    if (!s.is_object()) return std::nullopt;
    if (auto ref = s.find("$ref"); ref != s.end() && ref->is_string()) {
        auto target = resolve(ref->get<std::string>());
        if (!target) return fieldPath(path) + ": " + target.error().message;
        // Draft-07: $ref's siblings are ignored.
        return check(**target, v, path, depth + 1);
    }
    if (auto t = s.find("type"); t != s.end()) {
        std::vector<std::string> allowed;
        if (t->is_string()) allowed.push_back(t->get<std::string>());
        if (t->is_array())
            for (const auto& e : *t)
                if (e.is_string()) allowed.push_back(e.get<std::string>());
        bool ok = allowed.empty();
        for (const auto& a : allowed)
            ok = ok || hasType(v, a);
        if (!ok) {
            std::string list;
            for (const auto& a : allowed)
                list += (list.empty() ? "" : " or ") + a;
            return fieldPath(path) + ": wrong type: expected " + list + ", got " + typeOf(v);
        }
    }
    if (auto e = s.find("enum"); e != s.end() && e->is_array()) {
        bool found = false;
        std::string list;
        for (const auto& option : *e) {
            found = found || option == v;
            list += (list.empty() ? "" : ", ") + shortText(option);
        }
        if (!found)
            return fieldPath(path) + ": unknown enum value " + shortText(v) + " (allowed: " + list +
                   ")";
    }
    if (auto c = s.find("const"); c != s.end() && *c != v)
        return fieldPath(path) + ": must be " + shortText(*c) + ", got " + shortText(v);
    if (auto p = checkScalar(s, v, path)) return p;
    if (v.is_object())
        if (auto p = checkObject(s, v, path, depth)) return p;
    if (v.is_array())
        if (auto p = checkArray(s, v, path, depth)) return p;

    if (auto all = s.find("allOf"); all != s.end() && all->is_array())
        for (const auto& branch : *all)
            if (auto p = check(branch, v, path, depth + 1)) return p;
    if (auto any = s.find("anyOf"); any != s.end() && any->is_array() && !any->empty()) {
        Problem first;
        bool matched = false;
        for (const auto& branch : *any) {
            auto p = check(branch, v, path, depth + 1);
            if (!p) {
                matched = true;
                break;
            }
            if (!first) first = p;
        }
        if (!matched)
            return fieldPath(path) +
                   ": matches none of anyOf's schemas (the first says: " + *first + ")";
    }
    if (auto one = s.find("oneOf"); one != s.end() && one->is_array() && !one->empty()) {
        Problem first;
        int matched = 0;
        for (const auto& branch : *one) {
            auto p = check(branch, v, path, depth + 1);
            if (!p) ++matched;
            if (p && !first) first = p;
        }
        if (matched == 0)
            return fieldPath(path) +
                   ": matches none of oneOf's schemas (the first says: " + *first + ")";
        if (matched > 1)
            return fieldPath(path) + ": matches " + std::to_string(matched) +
                   " of oneOf's schemas, not exactly one";
    }
    if (auto n = s.find("not"); n != s.end() && !check(*n, v, path, depth + 1))
        return fieldPath(path) + ": must not match the \"not\" schema";
    return std::nullopt;
}

Problem JsonSchema::Impl::checkScalar(const json& s, const json& v, const std::string& path) const {
    if (v.is_number()) {
        const double d = v.get<double>();
        auto num = [&](const char* key) -> const json* {
            auto it = s.find(key);
            return it != s.end() && it->is_number() ? &*it : nullptr;
        };
        auto flag = [&](const char* key) {
            auto it = s.find(key);
            return it != s.end() && it->is_boolean() && it->get<bool>();
        };
        if (const json* m = num("minimum")) {
            // Draft-04's boolean exclusiveMinimum turns minimum exclusive.
            const bool exclusive = flag("exclusiveMinimum");
            if (exclusive ? d <= m->get<double>() : d < m->get<double>())
                return fieldPath(path) + ": " + numberText(v) + " is less than the minimum " +
                       numberText(*m) + (exclusive ? " (exclusive)" : "");
        }
        if (const json* m = num("maximum")) {
            const bool exclusive = flag("exclusiveMaximum");
            if (exclusive ? d >= m->get<double>() : d > m->get<double>())
                return fieldPath(path) + ": " + numberText(v) + " is greater than the maximum " +
                       numberText(*m) + (exclusive ? " (exclusive)" : "");
        }
        if (const json* m = num("exclusiveMinimum"); m && d <= m->get<double>())
            return fieldPath(path) + ": " + numberText(v) + " is not greater than " +
                   numberText(*m) + " (exclusiveMinimum)";
        if (const json* m = num("exclusiveMaximum"); m && d >= m->get<double>())
            return fieldPath(path) + ": " + numberText(v) + " is not less than " + numberText(*m) +
                   " (exclusiveMaximum)";
        if (const json* m = num("multipleOf"); m && m->get<double>() > 0) {
            const double q = d / m->get<double>();
            if (std::fabs(q - std::round(q)) > 1e-9)
                return fieldPath(path) + ": " + numberText(v) + " is not a multiple of " +
                       numberText(*m);
        }
    }
    if (v.is_string()) {
        const std::string& text = v.get_ref<const std::string&>();
        const size_t n = codePoints(text);
        if (auto m = s.find("minLength");
            m != s.end() && m->is_number_integer() && static_cast<int64_t>(n) < m->get<int64_t>())
            return fieldPath(path) + ": shorter than minLength " + m->dump() + " (" +
                   std::to_string(n) + " characters)";
        if (auto m = s.find("maxLength");
            m != s.end() && m->is_number_integer() && static_cast<int64_t>(n) > m->get<int64_t>())
            return fieldPath(path) + ": longer than maxLength " + m->dump() + " (" +
                   std::to_string(n) + " characters)";
        if (auto p = s.find("pattern");
            p != s.end() && p->is_string() && !matches(p->get<std::string>(), text))
            return fieldPath(path) + ": does not match the pattern " + p->dump();
    }
    return std::nullopt;
}

Problem JsonSchema::Impl::checkObject(const json& s, const json& v, const std::string& path,
                                      int depth) const {
    if (auto r = s.find("required"); r != s.end() && r->is_array())
        for (const auto& name : *r)
            if (name.is_string() && !v.contains(name.get<std::string>()))
                return fieldPath(child(path, name.get<std::string>())) + ": missing required field";
    const auto props = s.find("properties");
    const auto patternProps = s.find("patternProperties");
    const auto additional = s.find("additionalProperties");
    for (const auto& [name, value] : v.items()) {
        bool known = false;
        if (props != s.end() && props->is_object() && props->contains(name)) {
            known = true;
            if (auto p = check((*props)[name], value, child(path, name), depth + 1)) return p;
        }
        if (patternProps != s.end() && patternProps->is_object()) {
            for (const auto& [pattern, schema] : patternProps->items()) {
                if (!matches(pattern, name)) continue;
                known = true;
                if (auto p = check(schema, value, child(path, name), depth + 1)) return p;
            }
        }
        if (known || additional == s.end()) continue;
        if (additional->is_boolean() && !additional->get<bool>())
            return fieldPath(child(path, name)) + ": unknown field (additionalProperties is false)";
        if (auto p = check(*additional, value, child(path, name), depth + 1)) return p;
    }
    if (auto m = s.find("minProperties"); m != s.end() && m->is_number_integer() &&
                                          static_cast<int64_t>(v.size()) < m->get<int64_t>())
        return fieldPath(path) + ": fewer than minProperties " + m->dump() + " fields";
    if (auto m = s.find("maxProperties"); m != s.end() && m->is_number_integer() &&
                                          static_cast<int64_t>(v.size()) > m->get<int64_t>())
        return fieldPath(path) + ": more than maxProperties " + m->dump() + " fields";
    return std::nullopt;
}

Problem JsonSchema::Impl::checkArray(const json& s, const json& v, const std::string& path,
                                     int depth) const {
    const int64_t n = static_cast<int64_t>(v.size());
    if (auto m = s.find("minItems");
        m != s.end() && m->is_number_integer() && n < m->get<int64_t>())
        return fieldPath(path) + ": fewer than minItems " + m->dump() + " items (" +
               std::to_string(n) + ")";
    if (auto m = s.find("maxItems");
        m != s.end() && m->is_number_integer() && n > m->get<int64_t>())
        return fieldPath(path) + ": more than maxItems " + m->dump() + " items (" +
               std::to_string(n) + ")";
    if (auto items = s.find("items"); items != s.end()) {
        for (size_t i = 0; i < v.size(); ++i) {
            const std::string at = path + "[" + std::to_string(i) + "]";
            const json* schema =
                items->is_array() ? (i < items->size() ? &(*items)[i] : nullptr) : &*items;
            if (schema)
                if (auto p = check(*schema, v[i], at, depth + 1)) return p;
        }
    }
    if (auto u = s.find("uniqueItems"); u != s.end() && u->is_boolean() && u->get<bool>())
        for (size_t i = 0; i < v.size(); ++i)
            for (size_t j = i + 1; j < v.size(); ++j)
                if (v[i] == v[j])
                    return fieldPath(path) + ": items " + std::to_string(i) + " and " +
                           std::to_string(j) + " are equal (uniqueItems)";
    return std::nullopt;
}

JsonSchema::JsonSchema() = default;
JsonSchema::~JsonSchema() = default;

Result<std::shared_ptr<const JsonSchema>> JsonSchema::parse(const std::string& text) {
    std::shared_ptr<JsonSchema> s(new JsonSchema());
    s->impl_ = std::make_unique<Impl>();
    try {
        s->impl_->root = json::parse(text);
    } catch (const std::exception& e) {
        return Error{std::string("Invalid JSON Schema: ") + e.what()};
    }
    const json& root = s->impl_->root;
    if (!root.is_object() && !root.is_boolean())
        return Error{"Invalid JSON Schema: a schema is an object or a boolean, not " +
                     typeOf(root)};
    if (auto st = s->impl_->prepare(root); !st)
        return Error{"Invalid JSON Schema: " + st.message()};
    s->text_ = root.dump(-1, ' ', false, json::error_handler_t::replace);
    if (root.is_object())
        if (auto t = root.find("title"); t != root.end() && t->is_string())
            s->title_ = t->get<std::string>();
    return std::shared_ptr<const JsonSchema>(std::move(s));
}

Result<std::vector<uint8_t>> JsonSchema::encodeJson(const std::string& text) const {
    json value;
    try {
        value = json::parse(text);
    } catch (const std::exception& e) {
        return Error{std::string("not JSON: ") + e.what()};
    }
    if (auto p = impl_->check(impl_->root, value, "", 0)) return Error{*p};
    const std::string out = value.dump(-1, ' ', false, json::error_handler_t::replace);
    return std::vector<uint8_t>(out.begin(), out.end());
}

Result<std::string> JsonSchema::decodeToJson(const uint8_t* data, size_t size) {
    try {
        const json value = json::parse(data, data + size);
        return value.dump(-1, ' ', false, json::error_handler_t::replace);
    } catch (const std::exception& e) {
        return Error{std::string("the payload is not JSON: ") + e.what()};
    }
}

}  // namespace bs::serde
