#pragma once

// What JSON Lines and CSV share (internal to record_file): the encodings of a key or value
// ("string", "json", "base64"), the headers as JSON, and the field names. Errors name the field
// but not the line; the reader adds that.

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "record_file/file_record.h"

namespace bs::recordfile::detail {

using Json = nlohmann::ordered_json;  // keeps the order of header names as written

// What nlohmann's parser does not refuse by itself: a NUL byte (it stops there as at the end of
// the input; JSON allows none) and nesting deeper than kMaxJsonDepth (the value's destruction
// and dump() recurse). The error names the 1-based column.
inline constexpr int kMaxJsonDepth = 512;
Status checkJsonText(std::string_view text);

// The field names of both formats (JSON member names, CSV column names).
inline constexpr std::string_view kFields[] = {
    "topic",       "partition", "offset",        "timestamp", "key",
    "keyEncoding", "value",     "valueEncoding", "headers",   "headersEncoding"};
std::string knownFieldList();

// A key or value given as JSON: `v` (null or absent: Kafka null) in `encoding` (absent: "string"
// for a JSON string, "json" for any other JSON value).
Result<std::optional<Bytes>> decodeJsonField(std::string_view name, const Json* v,
                                             const Json* encoding);
// A key or value given as text (a CSV cell; nullopt: null) in `encoding` (nullopt: "string").
Result<std::optional<Bytes>> decodeTextField(std::string_view name,
                                             const std::optional<std::string_view>& text,
                                             const std::optional<std::string_view>& encoding);
// Headers as JSON: an object {"name": "value"|null, ...} or an array [["name", "value"|null],
// ...] (repeated names); `encoding` "string" (default) or "base64" applies to every value.
Result<std::vector<FileHeader>> decodeHeaders(const Json& v,
                                              std::optional<std::string_view> encoding);

// Export: text when the bytes are valid UTF-8, else base64 (`base64` set).
struct EncodedField {
    std::string text;
    bool base64 = false;
};
EncodedField encodeBytes(const Bytes& b);
// The headers as JSON (an object when names are unique, else pairs), and whether their values
// are base64 (all of them, when any is not UTF-8).
Json encodeHeaders(const std::vector<FileHeader>& headers, bool& base64);

}  // namespace bs::recordfile::detail
