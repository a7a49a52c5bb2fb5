#include "record_file/writer.h"

#include "record_file/csv.h"
#include "record_file/jsonl.h"

namespace bs::recordfile {

std::string fileStart(Format format) {
    return format == Format::Csv ? csvHeaderRow() : std::string();
}

std::string encodeRecord(Format format, const FileRecord& r, const std::string& keySeparator) {
    switch (format) {
        case Format::JsonLines:
            return toJsonLine(r);
        case Format::Csv:
            return toCsvRow(r);
        case Format::Lines:
            break;
    }
    std::string out;
    if (!keySeparator.empty()) {
        if (r.key) out += textOf(*r.key);
        out += keySeparator;
    }
    if (r.value) out += textOf(*r.value);
    out += '\n';
    return out;
}

}  // namespace bs::recordfile
