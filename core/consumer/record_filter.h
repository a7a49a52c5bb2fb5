#pragma once

// The topic inspector's search: which records a scan keeps. Qt-free so it is tested alone and
// could serve the CLI; compiled once (the regular expression, the JSON path) and then matched
// against each record on the reader's thread.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"
#include "consumer/consumer_record.h"

namespace bs::consumer {

// Every condition set must hold (AND); an empty spec matches every record. Text conditions look
// at the raw bytes (a key or value that is not UTF-8 can still contain ASCII text).
struct RecordFilterSpec {
    std::optional<std::string> keyEquals;      // the key's bytes are exactly these
    std::optional<std::string> keyContains;    // substring of the key
    std::optional<std::string> valueContains;  // substring of the value
    std::optional<std::string> valueRegex;     // Perl syntax (Boost.Regex), searched in the value
    std::optional<std::string> headerName;     // a header with exactly this key ...
    std::optional<std::string> headerValue;    // ... (or any header) whose value contains this
    std::optional<std::string> jsonPath;       // e.g. "$.order.id == 42" on the value (JsonPath)
    std::optional<int64_t> timestampFrom;      // epoch ms, inclusive
    std::optional<int64_t> timestampTo;        // epoch ms, inclusive
    bool empty() const;
};

// A small JSON path subset (docs/INSPECTOR_SEARCH.md), evaluated on a JSON document:
//   path   := '$' ( '.' name | '[' index ']' | '[' "quoted name" ']' )*
//   expr   := path [ op literal ]        (a path alone: the field exists and is not null)
//   op     := '==' | '!=' | '<' | '<=' | '>' | '>=' | 'contains'
//   literal:= a JSON number, "string", true, false or null
// == and != compare JSON values (numbers by value: 42 == 42.0); < <= > >= compare two numbers
// or two strings, and are false otherwise; contains: a substring of a string, or an element
// equal to the literal in an array. A missing field matches only !=.
class JsonPath {
  public:
    // Error names the expression and the column where it went wrong.
    static Result<JsonPath> parse(std::string_view expression);
    // False for text that is not JSON.
    bool matches(std::string_view json) const;
    JsonPath(JsonPath&&) noexcept;
    JsonPath& operator=(JsonPath&&) noexcept;
    ~JsonPath();

  private:
    struct Impl;
    explicit JsonPath(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

class RecordFilter {
  public:
    // Error names the expression at fault: "regular expression '(': ...", "JSON path ...".
    static Result<RecordFilter> create(const RecordFilterSpec& spec);
    bool matches(const ConsumerRecord& record) const;
    RecordFilter(RecordFilter&&) noexcept;
    RecordFilter& operator=(RecordFilter&&) noexcept;
    ~RecordFilter();

  private:
    struct Impl;
    explicit RecordFilter(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace bs::consumer
