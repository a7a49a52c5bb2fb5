// The record file reader (docs/RECORD_FILES.md) on any bytes, in each format (the first byte
// chooses it). Invariants: no crash; every error names a line; every record read, written again
// by the writer of its format, reads back equal (what makes an export import back unchanged).

#include <cstdint>
#include <sstream>
#include <string>
#include <string_view>

#include "fuzz_common.h"
#include "record_file/reader.h"
#include "record_file/writer.h"

using namespace bs::recordfile;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size == 0) return 0;
    const Format formats[] = {Format::JsonLines, Format::Csv, Format::Lines};
    const Format format = formats[data[0] % 3];
    const std::string sep = data[0] & 4 ? ":" : "";
    std::istringstream in(std::string(reinterpret_cast<const char*>(data + 1), size - 1));
    RecordFileReader reader(in, ReadOptions{format, sep});
    ReadEntry e;
    while (reader.next(e)) {
        if (!e.ok()) {
            bs::fuzz::check(e.error.starts_with("line "), "an error that names no line");
            continue;
        }
        // Lines cannot hold every record (a newline in a value); the other two must.
        if (format == Format::Lines) continue;
        FileRecord r = *e.record;
        // Header names are Kafka strings: the writer replaces bytes that are not UTF-8.
        std::istringstream again(fileStart(format) + encodeRecord(format, r));
        RecordFileReader back(again, ReadOptions{format, {}});
        ReadEntry b;
        bs::fuzz::check(back.next(b) && b.ok(), "a record written does not read back");
        bool namesUtf8 = true;
        for (const auto& h : r.headers)
            for (unsigned char c : h.name)
                namesUtf8 = namesUtf8 && c < 0x80;
        if (namesUtf8) bs::fuzz::check(*b.record == r, "a record read back differs");
    }
    return 0;
}
