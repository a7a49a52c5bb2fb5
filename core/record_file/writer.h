#pragma once

// Writing record files: what an export (the CLI's consume --format, the inspector's Export)
// puts before the records and each record's text, so that the reader gives them back unchanged.

#include <string>

#include "record_file/file_record.h"

namespace bs::recordfile {

// What starts the file: the CSV header row; nothing for the other formats.
std::string fileStart(Format format);
// One record, '\n' ended. Lines: "key<separator>value" (or the value alone when the separator
// is empty), the bytes as they are; a null key or value is written empty.
std::string encodeRecord(Format format, const FileRecord& record,
                         const std::string& keySeparator = {});

}  // namespace bs::recordfile
