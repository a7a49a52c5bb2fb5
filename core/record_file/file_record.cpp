#include "record_file/file_record.h"

namespace bs::recordfile {

Result<Format> parseFormat(std::string_view name) {
    if (name == "jsonl" || name == "json") return Format::JsonLines;
    if (name == "csv") return Format::Csv;
    if (name == "lines") return Format::Lines;
    return Error{"unknown record file format '" + std::string(name) +
                 "' (expected jsonl, csv or lines)"};
}

std::string_view formatName(Format f) {
    switch (f) {
        case Format::JsonLines:
            return "jsonl";
        case Format::Csv:
            return "csv";
        case Format::Lines:
            return "lines";
    }
    return "jsonl";
}

}  // namespace bs::recordfile
