#pragma once

// JSON Lines (docs/RECORD_FILES.md): one JSON object per line.

#include <string>
#include <string_view>

#include "common/result.h"
#include "record_file/file_record.h"

namespace bs::recordfile {

// One line (without its newline). The error names the column of malformed JSON ("column 12:
// ...") or the field at fault ("field 'key': ..."); the reader puts the line number before it.
Result<FileRecord> parseJsonLine(std::string_view line);
// The record as one line, '\n' included; parseJsonLine gives the record back unchanged.
std::string toJsonLine(const FileRecord& record);

}  // namespace bs::recordfile
