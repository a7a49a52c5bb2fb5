#include "serde/avro_codec.h"

#include <avro.h>

#include <atomic>
#include <cmath>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>

namespace bs::serde {

namespace {

// avro-c keeps each thread's last error text in a buffer hung on a pthread key, which is never
// freed for the main thread and which LeakSanitizer cannot see; holding its address here keeps
// it reachable (it is bounded: one buffer per thread, reused).
std::atomic<const char*> gAvroErrorText{nullptr};

std::string avroErrorText() {
    const char* text = avro_strerror();
    gAvroErrorText.store(text);
    return text ? text : "unknown avro-c error";
}

using nlohmann::json;
using ordered_json = nlohmann::ordered_json;

bool isPrimitive(const std::string& t) {
    static const std::set<std::string> kPrimitives = {"null",  "boolean", "int",   "long",
                                                      "float", "double",  "bytes", "string"};
    return kPrimitives.count(t) > 0;
}

std::string describe(const ordered_json& v) {
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
        case json::value_t::number_float:
            return "number " + v.dump();
        default:
            return "number " + v.dump();
    }
}

std::string fieldPath(const std::string& path) {
    return path.empty() ? "value" : "field '" + path + "'";
}

// The schema's named types by full name (and by short name, for references written short).
struct NamedTypes {
    std::map<std::string, const ordered_json*> byName;

    void collect(const ordered_json& s, const std::string& ns) {
        if (s.is_array()) {
            for (const auto& b : s)
                collect(b, ns);
            return;
        }
        if (!s.is_object()) return;
        std::string inner = ns;
        const auto type = s.find("type");
        if (type != s.end() && type->is_string() && s.contains("name") && s["name"].is_string()) {
            const std::string t = type->get<std::string>();
            if (t == "record" || t == "error" || t == "enum" || t == "fixed") {
                const std::string full = fullNameOf(s, ns);
                byName[full] = &s;
                byName.emplace(shortName(full), &s);
                inner = namespaceOf(full);
            }
        }
        if (s.contains("fields") && s["fields"].is_array())
            for (const auto& f : s["fields"])
                if (f.is_object() && f.contains("type")) collect(f["type"], inner);
        if (s.contains("items")) collect(s["items"], inner);
        if (s.contains("values")) collect(s["values"], inner);
        if (type != s.end() && !type->is_string()) collect(*type, inner);
    }
    static std::string fullNameOf(const ordered_json& s, const std::string& ns) {
        std::string name = s["name"].get<std::string>();
        if (name.find('.') != std::string::npos) return name;
        std::string space = ns;
        if (s.contains("namespace") && s["namespace"].is_string())
            space = s["namespace"].get<std::string>();
        return space.empty() ? name : space + "." + name;
    }
    static std::string shortName(const std::string& n) {
        const size_t dot = n.rfind('.');
        return dot == std::string::npos ? n : n.substr(dot + 1);
    }
    static std::string namespaceOf(const std::string& n) {
        const size_t dot = n.rfind('.');
        return dot == std::string::npos ? "" : n.substr(0, dot);
    }
    const ordered_json* find(const std::string& name, const std::string& ns) const {
        if (name.find('.') == std::string::npos && !ns.empty())
            if (auto it = byName.find(ns + "." + name); it != byName.end()) return it->second;
        auto it = byName.find(name);
        return it == byName.end() ? nullptr : it->second;
    }
};

// Avro JSON encoding -> avro-c value, walking the schema's JSON beside the value (avro-c has
// no JSON decoder for data, and keeps no field defaults). With `out` null it only checks.
class JsonToAvro {
  public:
    explicit JsonToAvro(const NamedTypes& names) : names_(names) {}

    std::optional<std::string> convert(const ordered_json& schema, const std::string& ns,
                                       const ordered_json& in, avro_value_t* out,
                                       const std::string& path, bool isDefault) const {
        if (schema.is_string()) {
            const std::string t = schema.get<std::string>();
            if (isPrimitive(t)) return primitive(t, in, out, path);
            const ordered_json* named = names_.find(t, ns);
            if (!named) return fieldPath(path) + ": unknown type '" + t + "'";
            return convert(*named, NamedTypes::namespaceOf(NamedTypes::fullNameOf(*named, ns)), in,
                           out, path, isDefault);
        }
        if (schema.is_array()) return unionValue(schema, ns, in, out, path, isDefault);
        if (!schema.is_object() || !schema.contains("type"))
            return fieldPath(path) + ": the schema here is not valid Avro";
        const ordered_json& type = schema["type"];
        if (!type.is_string()) return convert(type, ns, in, out, path, isDefault);
        const std::string t = type.get<std::string>();
        if (isPrimitive(t)) return primitive(t, in, out, path);
        if (t == "record" || t == "error") {
            const std::string inner = NamedTypes::namespaceOf(NamedTypes::fullNameOf(schema, ns));
            return record(schema, inner, in, out, path);
        }
        if (t == "enum") return enumValue(schema, in, out, path);
        if (t == "fixed") return fixed(schema, in, out, path);
        if (t == "array") {
            if (!in.is_array()) return wrongType(path, "array", in);
            for (size_t i = 0; i < in.size(); ++i) {
                avro_value_t item;
                if (out && avro_value_append(out, &item, nullptr) != 0) return avroError(path);
                if (auto e = convert(schema["items"], ns, in[i], out ? &item : nullptr,
                                     path + "[" + std::to_string(i) + "]", isDefault))
                    return e;
            }
            return std::nullopt;
        }
        if (t == "map") {
            if (!in.is_object()) return wrongType(path, "map (a JSON object)", in);
            for (const auto& [key, value] : in.items()) {
                avro_value_t item;
                if (out && avro_value_add(out, key.c_str(), &item, nullptr, nullptr) != 0)
                    return avroError(path);
                if (auto e = convert(schema["values"], ns, value, out ? &item : nullptr,
                                     path + "[" + key + "]", isDefault))
                    return e;
            }
            return std::nullopt;
        }
        const ordered_json* named = names_.find(t, ns);
        if (named) return convert(*named, ns, in, out, path, isDefault);
        return fieldPath(path) + ": unknown type '" + t + "'";
    }

  private:
    static std::optional<std::string> wrongType(const std::string& path, const std::string& want,
                                                const ordered_json& got) {
        return fieldPath(path) + ": wrong type: expected " + want + ", got " + describe(got);
    }
    static std::optional<std::string> avroError(const std::string& path) {
        return fieldPath(path) + ": " + avroErrorText();
    }

    std::optional<std::string> primitive(const std::string& t, const ordered_json& in,
                                         avro_value_t* out, const std::string& path) const {
        int rc = 0;
        if (t == "null") {
            if (!in.is_null()) return wrongType(path, "null", in);
            if (out) rc = avro_value_set_null(out);
        } else if (t == "boolean") {
            if (!in.is_boolean()) return wrongType(path, "boolean", in);
            if (out) rc = avro_value_set_boolean(out, in.get<bool>() ? 1 : 0);
        } else if (t == "int" || t == "long") {
            if (!in.is_number_integer()) return wrongType(path, t, in);
            if (in.is_number_unsigned() &&
                in.get<uint64_t>() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
                return fieldPath(path) + ": " + in.dump() + " is out of range for " + t;
            const int64_t v = in.get<int64_t>();
            if (t == "int") {
                if (v < std::numeric_limits<int32_t>::min() ||
                    v > std::numeric_limits<int32_t>::max())
                    return fieldPath(path) + ": " + in.dump() + " is out of range for int";
                if (out) rc = avro_value_set_int(out, static_cast<int32_t>(v));
            } else if (out) {
                rc = avro_value_set_long(out, v);
            }
        } else if (t == "float" || t == "double") {
            if (!in.is_number()) return wrongType(path, t, in);
            if (out && t == "float") rc = avro_value_set_float(out, in.get<float>());
            if (out && t == "double") rc = avro_value_set_double(out, in.get<double>());
        } else if (t == "string") {
            if (!in.is_string()) return wrongType(path, "string", in);
            if (out) {
                const std::string& s = in.get_ref<const std::string&>();
                rc = avro_value_set_string_len(out, s.c_str(), s.size() + 1);
            }
        } else if (t == "bytes") {
            auto bytes = latin1Bytes(in, path, "bytes");
            if (!bytes) return bytes.error().message;
            if (out) rc = avro_value_set_bytes(out, bytes->data(), bytes->size());
        }
        if (rc != 0) return avroError(path);
        return std::nullopt;
    }

    // Avro's JSON encoding writes bytes and fixed as a string whose code points 0..255 are the
    // bytes.
    static Result<std::string> latin1Bytes(const ordered_json& in, const std::string& path,
                                           const std::string& what) {
        if (!in.is_string())
            return Error{*wrongType(path, what + " (a string of code points 0-255)", in)};
        const std::string& s = in.get_ref<const std::string&>();
        std::string out;
        for (size_t i = 0; i < s.size(); ++i) {
            const auto c = static_cast<unsigned char>(s[i]);
            if (c < 0x80) {
                out += static_cast<char>(c);
            } else if ((c == 0xC2 || c == 0xC3) && i + 1 < s.size()) {
                out += static_cast<char>(((c & 0x1F) << 6) |
                                         (static_cast<unsigned char>(s[++i]) & 0x3F));
            } else {
                return Error{fieldPath(path) + ": " + what +
                             " must be written with code points 0-255 (\\u00XX)"};
            }
        }
        return out;
    }

    std::optional<std::string> record(const ordered_json& schema, const std::string& ns,
                                      const ordered_json& in, avro_value_t* out,
                                      const std::string& path) const {
        if (!in.is_object()) return wrongType(path, "record " + schema.value("name", ""), in);
        std::set<std::string> known;
        const auto& fields = schema["fields"];
        for (const auto& f : fields) {
            const std::string name = f["name"].get<std::string>();
            known.insert(name);
            const std::string fpath = path.empty() ? name : path + "." + name;
            avro_value_t field;
            if (out && avro_value_get_by_name(out, name.c_str(), &field, nullptr) != 0)
                return avroError(fpath);
            const auto it = in.find(name);
            if (it != in.end()) {
                if (auto e = convert(f["type"], ns, *it, out ? &field : nullptr, fpath, false))
                    return e;
            } else if (f.contains("default")) {
                if (auto e =
                        convert(f["type"], ns, f["default"], out ? &field : nullptr, fpath, true))
                    return fieldPath(fpath) + ": its default does not fit its type (" + *e + ")";
            } else {
                return fieldPath(fpath) + ": missing required field";
            }
        }
        for (const auto& [key, value] : in.items())
            if (!known.count(key))
                return fieldPath(path.empty() ? key : path + "." + key) +
                       ": unknown field (not in record " + schema.value("name", "") + ")";
        return std::nullopt;
    }

    std::optional<std::string> enumValue(const ordered_json& schema, const ordered_json& in,
                                         avro_value_t* out, const std::string& path) const {
        if (!in.is_string()) return wrongType(path, "enum symbol (a string)", in);
        const auto& symbols = schema["symbols"];
        for (size_t i = 0; i < symbols.size(); ++i) {
            if (symbols[i] == in) {
                if (out && avro_value_set_enum(out, static_cast<int>(i)) != 0)
                    return avroError(path);
                return std::nullopt;
            }
        }
        std::string list;
        for (const auto& s : symbols)
            list += (list.empty() ? "" : ", ") + s.get<std::string>();
        return fieldPath(path) + ": unknown enum symbol '" + in.get<std::string>() +
               "' (symbols: " + list + ")";
    }

    std::optional<std::string> fixed(const ordered_json& schema, const ordered_json& in,
                                     avro_value_t* out, const std::string& path) const {
        auto bytes = latin1Bytes(in, path, "fixed");
        if (!bytes) return bytes.error().message;
        const size_t size = schema.value("size", size_t{0});
        if (bytes->size() != size)
            return fieldPath(path) + ": fixed " + schema.value("name", "") + " takes " +
                   std::to_string(size) + " bytes, got " + std::to_string(bytes->size());
        if (out && avro_value_set_fixed(out, bytes->data(), bytes->size()) != 0)
            return avroError(path);
        return std::nullopt;
    }

    // The name a union branch is written under in Avro's JSON encoding.
    std::string branchName(const ordered_json& b, const std::string& ns) const {
        if (b.is_string()) {
            const std::string t = b.get<std::string>();
            if (isPrimitive(t)) return t;
            if (const ordered_json* named = names_.find(t, ns))
                return NamedTypes::fullNameOf(*named, ns);
            return t;
        }
        if (b.is_object() && b.contains("type") && b["type"].is_string()) {
            const std::string t = b["type"].get<std::string>();
            if (b.contains("name") && b["name"].is_string()) return NamedTypes::fullNameOf(b, ns);
            return t;
        }
        return "";
    }

    std::optional<std::string> unionValue(const ordered_json& schema, const std::string& ns,
                                          const ordered_json& in, avro_value_t* out,
                                          const std::string& path, bool isDefault) const {
        auto choose = [&](size_t i, const ordered_json& v) -> std::optional<std::string> {
            avro_value_t branch;
            if (out && avro_value_set_branch(out, static_cast<int>(i), &branch) != 0)
                return avroError(path);
            return convert(schema[i], ns, v, out ? &branch : nullptr, path, isDefault);
        };
        // A default is the first branch's plain value (the spec's rule for union defaults).
        if (isDefault && !schema.empty()) return choose(0, in);
        if (in.is_null()) {
            for (size_t i = 0; i < schema.size(); ++i)
                if (schema[i] == "null") return choose(i, in);
            return fieldPath(path) + ": null is not one of the union's types";
        }
        // {"type": value}: the branch by its name (full name or short name).
        if (in.is_object() && in.size() == 1) {
            const std::string key = in.begin().key();
            for (size_t i = 0; i < schema.size(); ++i) {
                const std::string name = branchName(schema[i], ns);
                if (name == key || NamedTypes::shortName(name) == key)
                    return choose(i, in.begin().value());
            }
        }
        // A plain value: the first branch it fits.
        for (size_t i = 0; i < schema.size(); ++i)
            if (!convert(schema[i], ns, in, nullptr, path, false)) return choose(i, in);
        std::string names;
        for (const auto& b : schema)
            names += (names.empty() ? "" : ", ") + branchName(b, ns);
        return fieldPath(path) + ": wrong type: " + describe(in) +
               " fits none of the union's types (" + names +
               "); write a union value as {\"type\": value}";
    }

    const NamedTypes& names_;
};

// Walks Avro binary against the schema without building anything, so that avro-c only ever
// reads well-formed input: avro-c leaks what it allocated when input ends mid-string, and
// takes a length prefix at its word (a corrupt one asks malloc for gigabytes).
class BinaryChecker {
  public:
    BinaryChecker(const NamedTypes& names, const uint8_t* data, size_t size)
        : names_(names), p_(data), end_(data + size) {}

    std::optional<std::string> check(const ordered_json& schema, const std::string& ns,
                                     int depth = 0) {
        if (depth > 256) return "nesting deeper than 256";
        if (schema.is_string()) {
            const std::string t = schema.get<std::string>();
            if (t == "null") return std::nullopt;
            if (t == "boolean") return skip(1);
            if (t == "int" || t == "long") return varint().error;
            if (t == "float") return skip(4);
            if (t == "double") return skip(8);
            if (t == "bytes" || t == "string") return lengthPrefixed();
            const ordered_json* named = names_.find(t, ns);
            if (!named) return "unknown type " + t;
            return check(*named, NamedTypes::namespaceOf(NamedTypes::fullNameOf(*named, ns)),
                         depth + 1);
        }
        if (schema.is_array()) {
            auto index = varint();
            if (index.error) return index.error;
            if (index.value < 0 || static_cast<size_t>(index.value) >= schema.size())
                return "union branch " + std::to_string(index.value) + " out of range";
            return check(schema[static_cast<size_t>(index.value)], ns, depth + 1);
        }
        const ordered_json& type = schema["type"];
        if (!type.is_string()) return check(type, ns, depth + 1);
        const std::string t = type.get<std::string>();
        if (t == "record" || t == "error") {
            const std::string inner = NamedTypes::namespaceOf(NamedTypes::fullNameOf(schema, ns));
            for (const auto& f : schema["fields"])
                if (auto e = check(f["type"], inner, depth + 1)) return e;
            return std::nullopt;
        }
        if (t == "enum") {
            auto index = varint();
            if (index.error) return index.error;
            if (index.value < 0 || static_cast<size_t>(index.value) >= schema["symbols"].size())
                return "enum index " + std::to_string(index.value) + " out of range";
            return std::nullopt;
        }
        if (t == "fixed") return skip(schema.value("size", size_t{0}));
        if (t == "array" || t == "map") {
            for (;;) {
                auto count = varint();
                if (count.error) return count.error;
                if (count.value == 0) return std::nullopt;
                if (count.value < 0) {
                    if (count.value == std::numeric_limits<int64_t>::min())
                        return "bad block count";
                    count.value = -count.value;
                    if (auto bytes = varint(); bytes.error) return bytes.error;
                }
                // Every item takes at least... nothing (null); bound the count by the input left.
                if (count.value > static_cast<int64_t>(end_ - p_) + 1 &&
                    !(t == "array" && schema["items"] == "null"))
                    return "block count " + std::to_string(count.value) + " past the end";
                for (int64_t i = 0; i < count.value; ++i) {
                    if (t == "map")
                        if (auto e = lengthPrefixed()) return e;
                    if (auto e =
                            check(t == "map" ? schema["values"] : schema["items"], ns, depth + 1))
                        return e;
                }
            }
        }
        if (isPrimitive(t)) return check(type, ns, depth + 1);
        const ordered_json* named = names_.find(t, ns);
        if (!named) return "unknown type " + t;
        return check(*named, ns, depth + 1);
    }

  private:
    struct Varint {
        int64_t value = 0;
        std::optional<std::string> error;
    };
    Varint varint() {
        uint64_t v = 0;
        for (int shift = 0; shift < 70; shift += 7) {
            if (p_ == end_) return {0, "input ends inside a number"};
            const uint8_t b = *p_++;
            v |= static_cast<uint64_t>(b & 0x7F) << shift;
            if (!(b & 0x80)) return {static_cast<int64_t>((v >> 1) ^ (~(v & 1) + 1)), std::nullopt};
        }
        return {0, "a number longer than 10 bytes"};
    }
    std::optional<std::string> skip(size_t n) {
        if (static_cast<size_t>(end_ - p_) < n) return "input ends early";
        p_ += n;
        return std::nullopt;
    }
    std::optional<std::string> lengthPrefixed() {
        auto len = varint();
        if (len.error) return len.error;
        if (len.value < 0) return "negative length " + std::to_string(len.value);
        if (len.value > end_ - p_)
            return "length " + std::to_string(len.value) + " past the end of the input";
        p_ += len.value;
        return std::nullopt;
    }
    const NamedTypes& names_;
    const uint8_t* p_;
    const uint8_t* end_;
};

struct ValueGuard {
    avro_value_iface_t* iface = nullptr;
    avro_value_t value{};
    bool made = false;
    ~ValueGuard() {
        if (made) avro_value_decref(&value);
        if (iface) avro_value_iface_decref(iface);
    }
};

}  // namespace

struct AvroSchema::Impl {
    avro_schema_t schema = nullptr;
    ordered_json json;
    NamedTypes names;
};

AvroSchema::~AvroSchema() {
    if (impl_ && impl_->schema) avro_schema_decref(impl_->schema);
}

Result<std::shared_ptr<const AvroSchema>> AvroSchema::parse(const std::string& text) {
    std::shared_ptr<AvroSchema> s(new AvroSchema());
    s->impl_ = std::make_unique<Impl>();
    try {
        s->impl_->json = ordered_json::parse(text);
    } catch (const std::exception& e) {
        return Error{std::string("Invalid Avro schema: not JSON: ") + e.what()};
    }
    s->text_ = s->impl_->json.dump();
    if (avro_schema_from_json_length(s->text_.data(), s->text_.size(), &s->impl_->schema) != 0) {
        // avro-c can leave a schema it already freed in the out-parameter: ~AvroSchema's decref
        // of it decremented a byte of whatever the heap had put there since (in Release, this
        // very message: "Invalid @vro schema"; ASan cannot see writes inside libavro).
        s->impl_->schema = nullptr;
        return Error{std::string("Invalid Avro schema: ") + avroErrorText()};
    }
    s->impl_->names.collect(s->impl_->json, "");
    const auto& j = s->impl_->json;
    if (j.is_object() && j.contains("name") && j["name"].is_string())
        s->fullName_ = NamedTypes::fullNameOf(j, "");
    return std::shared_ptr<const AvroSchema>(std::move(s));
}

Result<std::vector<uint8_t>> AvroSchema::encodeJson(const std::string& text) const {
    ordered_json in;
    try {
        in = ordered_json::parse(text);
    } catch (const json::parse_error& e) {
        return Error{std::string("not JSON: ") + e.what()};
    }
    JsonToAvro converter(impl_->names);
    // Check first, so nothing is half-built on an error.
    if (auto e = converter.convert(impl_->json, "", in, nullptr, "", false)) return Error{*e};
    ValueGuard v;
    v.iface = avro_generic_class_from_schema(impl_->schema);
    if (!v.iface || avro_generic_value_new(v.iface, &v.value) != 0)
        return Error{std::string("avro: ") + avroErrorText()};
    v.made = true;
    if (auto e = converter.convert(impl_->json, "", in, &v.value, "", false)) return Error{*e};
    size_t size = 0;
    if (avro_value_sizeof(&v.value, &size) != 0)
        return Error{std::string("avro: ") + avroErrorText()};
    std::vector<uint8_t> out(size);
    avro_writer_t writer =
        avro_writer_memory(reinterpret_cast<char*>(out.data()), static_cast<int64_t>(out.size()));
    const int rc = avro_value_write(writer, &v.value);
    avro_writer_free(writer);
    if (rc != 0) return Error{std::string("avro: ") + avroErrorText()};
    return out;
}

Result<std::string> AvroSchema::decodeToJson(const uint8_t* data, size_t size) const {
    if (auto e = BinaryChecker(impl_->names, data, size).check(impl_->json, ""))
        return Error{"not Avro of this schema: " + *e};
    ValueGuard v;
    v.iface = avro_generic_class_from_schema(impl_->schema);
    if (!v.iface || avro_generic_value_new(v.iface, &v.value) != 0)
        return Error{std::string("avro: ") + avroErrorText()};
    v.made = true;
    avro_reader_t reader =
        avro_reader_memory(reinterpret_cast<const char*>(data), static_cast<int64_t>(size));
    const int rc = avro_value_read(reader, &v.value);
    avro_reader_free(reader);
    if (rc != 0) return Error{std::string("not Avro of this schema: ") + avroErrorText()};
    char* text = nullptr;
    if (avro_value_to_json(&v.value, 1, &text) != 0)
        return Error{std::string("avro: ") + avroErrorText()};
    std::string out(text);
    free(text);
    return out;
}

}  // namespace bs::serde
