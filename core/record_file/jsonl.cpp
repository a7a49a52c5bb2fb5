#include "record_file/jsonl.h"

#include <limits>

#include "record_file/field_codec.h"

namespace bs::recordfile {

using detail::Json;

namespace {

// An integer member in [min, max]; null or absent: nullopt.
template <class T>
Result<std::optional<T>> integerField(const Json& o, std::string_view name, int64_t min) {
    auto it = o.find(std::string(name));
    if (it == o.end() || it->is_null()) return std::optional<T>();
    const int64_t max = std::numeric_limits<T>::max();
    const bool fits = it->is_number_integer() &&
                      (it->is_number_unsigned() ? it->get<uint64_t>() <= static_cast<uint64_t>(max)
                                                : it->get<int64_t>() >= min);
    if (!fits)
        return Error{"field '" + std::string(name) + "': expected an integer from " +
                     std::to_string(min) + " to " + std::to_string(max) + ", got " +
                     (it->is_number() || it->is_string() ? it->dump() : it->type_name())};
    return std::optional<T>(static_cast<T>(it->get<int64_t>()));
}

const Json* member(const Json& o, const char* name) {
    auto it = o.find(name);
    return it == o.end() ? nullptr : &*it;
}

// "[json.exception.parse_error.101] parse error at line 1, column 8: syntax error ..." -> the
// part after the position.
std::string reasonOf(const Json::exception& ex) {
    std::string what = ex.what();
    const size_t col = what.find("column ");
    if (col != std::string::npos) {
        const size_t colon = what.find(": ", col);
        if (colon != std::string::npos) return what.substr(colon + 2);
    }
    // "[json.exception.out_of_range.406] number overflow parsing '1E9999'"
    if (const size_t bracket = what.find("] "); bracket != std::string::npos)
        return what.substr(bracket + 2);
    return what;
}

}  // namespace

Result<FileRecord> parseJsonLine(std::string_view line) {
    if (Status st = detail::checkJsonText(line); !st.ok()) return Error{st.message()};
    Json o;
    try {
        o = Json::parse(line);
    } catch (const Json::parse_error& ex) {
        return Error{"column " + std::to_string(ex.byte) + ": malformed JSON: " + reasonOf(ex)};
    } catch (const Json::exception& ex) {
        // out_of_range: a number beyond a double ("1E9999"), which has no position.
        return Error{std::string("malformed JSON: ") + reasonOf(ex)};
    }
    if (!o.is_object()) return Error{std::string("expected a JSON object, got ") + o.type_name()};
    for (auto it = o.begin(); it != o.end(); ++it) {
        bool known = false;
        for (std::string_view f : detail::kFields)
            known = known || f == it.key();
        if (!known)
            return Error{"unknown field '" + it.key() + "' (known: " + detail::knownFieldList() +
                         ")"};
    }
    FileRecord r;
    auto key = detail::decodeJsonField("key", member(o, "key"), member(o, "keyEncoding"));
    if (!key) return key.error();
    r.key = std::move(*key);
    auto value = detail::decodeJsonField("value", member(o, "value"), member(o, "valueEncoding"));
    if (!value) return value.error();
    r.value = std::move(*value);
    if (const Json* h = member(o, "headers")) {
        std::optional<std::string_view> enc;
        if (const Json* e = member(o, "headersEncoding"); e && !e->is_null()) {
            if (!e->is_string())
                return Error{std::string("field 'headersEncoding': expected a string, got ") +
                             e->type_name()};
            enc = e->get_ref<const std::string&>();
        }
        auto headers = detail::decodeHeaders(*h, enc);
        if (!headers) return headers.error();
        r.headers = std::move(*headers);
    }
    auto partition = integerField<int32_t>(o, "partition", 0);
    if (!partition) return partition.error();
    r.partition = *partition;
    auto timestamp = integerField<int64_t>(o, "timestamp", 0);
    if (!timestamp) return timestamp.error();
    r.timestamp = *timestamp;
    auto offset = integerField<int64_t>(o, "offset", 0);
    if (!offset) return offset.error();
    r.offset = *offset;
    if (const Json* t = member(o, "topic"); t && !t->is_null()) {
        if (!t->is_string())
            return Error{std::string("field 'topic': expected a string, got ") + t->type_name()};
        r.topic = t->get<std::string>();
    }
    return r;
}

std::string toJsonLine(const FileRecord& r) {
    Json o = Json::object();
    if (r.topic) o["topic"] = *r.topic;
    if (r.partition) o["partition"] = *r.partition;
    if (r.offset) o["offset"] = *r.offset;
    if (r.timestamp) o["timestamp"] = *r.timestamp;
    auto field = [&o](const char* name, const char* encodingName, const std::optional<Bytes>& b) {
        if (!b) {
            o[name] = nullptr;
            return;
        }
        auto e = detail::encodeBytes(*b);
        o[name] = std::move(e.text);
        if (e.base64) o[encodingName] = "base64";
    };
    field("key", "keyEncoding", r.key);
    field("value", "valueEncoding", r.value);
    if (!r.headers.empty()) {
        bool base64 = false;
        o["headers"] = detail::encodeHeaders(r.headers, base64);
        if (base64) o["headersEncoding"] = "base64";
    }
    // Header names are Kafka strings; bytes that are not UTF-8 there become U+FFFD.
    return o.dump(-1, ' ', false, Json::error_handler_t::replace) + "\n";
}

}  // namespace bs::recordfile
