#pragma once

// CSV (RFC 4180) with a header row naming the columns (docs/RECORD_FILES.md). Parsing is
// libcsv's (Debian's libcsv3, strict mode); we feed it a line at a time so each row knows the
// line it started on.

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "record_file/file_record.h"

namespace bs::recordfile {

// One parsed CSV row: its fields (nullopt: an unquoted empty field, which means null; a quoted
// empty field "" is the empty string), and the line it started on.
struct CsvRow {
    int64_t line = 0;
    std::vector<std::optional<std::string>> fields;
};

// A streaming RFC 4180 parser. Single-threaded.
class CsvParser {
  public:
    CsvParser();
    ~CsvParser();
    CsvParser(const CsvParser&) = delete;
    CsvParser& operator=(const CsvParser&) = delete;

    // Feeds one line (without its '\n'), the `lineNumber`-th of the input. Returns the row that
    // ends on it, if any, or an error naming the line and character of malformed quoting (the
    // partial row is dropped and parsing starts afresh on the next line).
    Result<std::optional<CsvRow>> feed(std::string_view line, int64_t lineNumber);
    // At the end of the input: the error of a quoted field never closed.
    Status finish();
    // The line the unfinished row started on (0 when between rows).
    int64_t openRowLine() const;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// The header row's columns, checked: known names (the JSON Lines field names), no repeats, a
// key or a value column among them.
class CsvColumns {
  public:
    static Result<CsvColumns> parse(const CsvRow& header);
    // A data row as a record; the error names the column ("column 'key': ...") or the count.
    Result<FileRecord> record(const CsvRow& row) const;

  private:
    std::vector<std::string> names_;
};

// The header row an export writes, and a record as a row ('\n' ended; fields quoted as RFC 4180
// asks, and "" for an empty string so that it reads back as empty, not null).
std::string csvHeaderRow();
std::string toCsvRow(const FileRecord& record);

}  // namespace bs::recordfile
