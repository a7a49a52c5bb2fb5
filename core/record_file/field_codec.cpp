#include "record_file/field_codec.h"

#include <set>

#include "common/text.h"
#include "record_file/base64.h"

namespace bs::recordfile::detail {

namespace {

std::string inQuotes(std::string_view s) {
    return "'" + std::string(s) + "'";
}

const char* typeName(const Json& v) {
    return v.type_name();
}

Result<std::string_view> encodingName(std::string_view field, const Json* encoding) {
    if (!encoding || encoding->is_null()) return std::string_view();
    if (!encoding->is_string())
        return Error{"field " + inQuotes(std::string(field) + "Encoding") +
                     ": expected a string, got " + typeName(*encoding)};
    return std::string_view(encoding->get_ref<const std::string&>());
}

Error unknownEncoding(std::string_view field, std::string_view enc) {
    return Error{"field " + inQuotes(std::string(field) + "Encoding") + ": unknown encoding " +
                 inQuotes(enc) + " (expected string, json or base64)"};
}

}  // namespace

Status checkJsonText(std::string_view text) {
    int depth = 0;
    bool inString = false;
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '\0')
            return Error{"column " + std::to_string(i + 1) + ": malformed JSON: a NUL byte"};
        if (inString) {
            if (c == '\\')
                ++i;
            else if (c == '"')
                inString = false;
        } else if (c == '"') {
            inString = true;
        } else if ((c == '[' || c == '{') && ++depth > kMaxJsonDepth) {
            return Error{"column " + std::to_string(i + 1) + ": JSON nested deeper than " +
                         std::to_string(kMaxJsonDepth) + " levels"};
        } else if (c == ']' || c == '}') {
            --depth;
        }
    }
    return {};
}

std::string knownFieldList() {
    std::string s;
    for (std::string_view f : kFields)
        s += (s.empty() ? "" : ", ") + std::string(f);
    return s;
}

Result<std::optional<Bytes>> decodeJsonField(std::string_view name, const Json* v,
                                             const Json* encoding) {
    auto enc = encodingName(name, encoding);
    if (!enc) return enc.error();
    std::string_view e = *enc;
    if (!e.empty() && e != "string" && e != "json" && e != "base64")
        return unknownEncoding(name, e);
    if (!v || v->is_null()) return std::optional<Bytes>();
    if (e.empty()) e = v->is_string() ? "string" : "json";
    if (e == "json") return std::optional<Bytes>(bytesOf(v->dump()));
    if (!v->is_string())
        return Error{"field " + inQuotes(name) + ": " + std::string(e) +
                     " encoding needs a JSON string, got " + typeName(*v)};
    const std::string& s = v->get_ref<const std::string&>();
    if (e == "string") return std::optional<Bytes>(bytesOf(s));
    auto b = base64Decode(s);
    if (!b) return Error{"field " + inQuotes(name) + ": " + b.error().message};
    return std::optional<Bytes>(std::move(*b));
}

Result<std::optional<Bytes>> decodeTextField(std::string_view name,
                                             const std::optional<std::string_view>& text,
                                             const std::optional<std::string_view>& encoding) {
    const std::string_view e = encoding.value_or("string");
    if (e != "string" && e != "json" && e != "base64") return unknownEncoding(name, e);
    if (!text) return std::optional<Bytes>();
    if (e == "string") return std::optional<Bytes>(bytesOf(*text));
    if (e == "base64") {
        auto b = base64Decode(*text);
        if (!b) return Error{"column " + inQuotes(name) + ": " + b.error().message};
        return std::optional<Bytes>(std::move(*b));
    }
    if (Status st = checkJsonText(*text); !st.ok())
        return Error{"column " + inQuotes(name) + ": " + st.message()};
    try {
        return std::optional<Bytes>(bytesOf(Json::parse(*text).dump()));
    } catch (const Json::parse_error& ex) {
        return Error{"column " + inQuotes(name) + ": malformed JSON at character " +
                     std::to_string(ex.byte)};
    } catch (const Json::exception&) {
        return Error{"column " + inQuotes(name) + ": malformed JSON: a number out of range"};
    }
}

Result<std::vector<FileHeader>> decodeHeaders(const Json& v,
                                              std::optional<std::string_view> encoding) {
    const std::string_view e = encoding.value_or("string");
    if (e != "string" && e != "base64")
        return Error{"field 'headersEncoding': unknown encoding " + inQuotes(e) +
                     " (expected string or base64)"};
    std::vector<FileHeader> out;
    auto value = [&](const std::string& name, const Json& hv) -> Status {
        if (hv.is_null()) {
            out.push_back({name, std::nullopt});
            return {};
        }
        if (!hv.is_string())
            return Error{"field 'headers': header " + inQuotes(name) +
                         ": expected a string or null, got " + typeName(hv)};
        const std::string& s = hv.get_ref<const std::string&>();
        if (e == "string") {
            out.push_back({name, bytesOf(s)});
            return {};
        }
        auto b = base64Decode(s);
        if (!b)
            return Error{"field 'headers': header " + inQuotes(name) + ": " + b.error().message};
        out.push_back({name, std::move(*b)});
        return {};
    };
    if (v.is_null()) return out;
    if (v.is_object()) {
        for (auto it = v.begin(); it != v.end(); ++it)
            if (Status s = value(it.key(), it.value()); !s.ok()) return Error{s.message()};
        return out;
    }
    if (!v.is_array())
        return Error{std::string("field 'headers': expected an object or an array of [name, "
                                 "value] pairs, got ") +
                     typeName(v)};
    size_t i = 0;
    for (const Json& pair : v) {
        ++i;
        if (!pair.is_array() || pair.size() != 2 || !pair[0].is_string())
            return Error{"field 'headers': entry " + std::to_string(i) +
                         ": expected a [name, value] pair"};
        if (Status s = value(pair[0].get<std::string>(), pair[1]); !s.ok())
            return Error{s.message()};
    }
    return out;
}

EncodedField encodeBytes(const Bytes& b) {
    const std::string_view t = textOf(b);
    if (invalidUtf8At(t) == std::string_view::npos) return {std::string(t), false};
    return {base64Encode(b), true};
}

Json encodeHeaders(const std::vector<FileHeader>& headers, bool& base64) {
    base64 = false;
    std::set<std::string_view> names;
    for (const FileHeader& h : headers) {
        names.insert(h.name);
        if (h.value && invalidUtf8At(textOf(*h.value)) != std::string_view::npos) base64 = true;
    }
    auto valueOf = [base64](const FileHeader& h) -> Json {
        if (!h.value) return nullptr;
        return base64 ? base64Encode(*h.value) : std::string(textOf(*h.value));
    };
    if (names.size() == headers.size()) {
        Json o = Json::object();
        for (const FileHeader& h : headers)
            o[h.name] = valueOf(h);
        return o;
    }
    Json a = Json::array();
    for (const FileHeader& h : headers)
        a.push_back(Json::array({h.name, valueOf(h)}));
    return a;
}

}  // namespace bs::recordfile::detail
