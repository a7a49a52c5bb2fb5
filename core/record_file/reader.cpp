#include "record_file/reader.h"

#include "record_file/csv.h"
#include "record_file/jsonl.h"

namespace bs::recordfile {

struct RecordFileReader::Impl {
    std::istream& in;
    ReadOptions options;
    int64_t line = 0;
    std::string text;  // the current line, reused
    bool ended = false;
    // CSV: the parser and, once the header row is read, its columns.
    CsvParser csv;
    std::optional<CsvColumns> columns;

    Impl(std::istream& i, ReadOptions o) : in(i), options(std::move(o)) {}

    bool readLine() {
        if (ended || !std::getline(in, text)) {
            ended = true;
            return false;
        }
        ++line;
        return true;
    }

    static void fail(ReadEntry& out, int64_t line, std::string error, bool fatal = false) {
        out.line = line;
        out.record.reset();
        out.error = std::move(error);
        out.fatal = fatal;
    }

    bool nextJsonLine(ReadEntry& out) {
        while (readLine()) {
            // Blank lines (a trailing newline, spacing) hold no record.
            if (text.find_first_not_of(" \t\r") == std::string::npos) continue;
            auto r = parseJsonLine(text);
            if (!r) {
                const std::string& m = r.error().message;
                fail(out, line,
                     "line " + std::to_string(line) +
                         (m.starts_with("column ") || m.starts_with("field ") ? ", " : ": ") + m);
                return true;
            }
            out = {line, std::move(*r), {}, false};
            return true;
        }
        return false;
    }

    bool nextLine(ReadEntry& out) {
        if (!readLine()) return false;
        // As Java's BufferedReader.readLine in kafka-console-producer: "\r\n" ends a line too.
        if (!text.empty() && text.back() == '\r') text.pop_back();
        FileRecord r;
        if (options.keySeparator.empty()) {
            r.value = bytesOf(text);
        } else {
            const size_t at = text.find(options.keySeparator);
            if (at == std::string::npos) {
                fail(out, line,
                     "line " + std::to_string(line) + ": no key separator '" +
                         options.keySeparator + "'");
                return true;
            }
            r.key = bytesOf(std::string_view(text).substr(0, at));
            r.value = bytesOf(std::string_view(text).substr(at + options.keySeparator.size()));
        }
        out = {line, std::move(r), {}, false};
        return true;
    }

    bool nextCsv(ReadEntry& out) {
        if (ended) return false;
        while (true) {
            std::optional<CsvRow> row;
            if (!readLine()) {
                const int64_t open = csv.openRowLine();
                if (Status s = csv.finish(); !s.ok()) {
                    fail(out, open, s.message(), !columns);
                    return true;
                }
                if (!columns) {
                    fail(out, 0, "line 1: no header row (the file is empty)", true);
                    return true;
                }
                return false;
            }
            auto fed = csv.feed(text, line);
            if (!fed) {
                fail(out, line, fed.error().message, !columns);
                if (!columns) ended = true;
                return true;
            }
            if (!*fed) continue;
            row = std::move(**fed);
            if (!columns) {
                auto c = CsvColumns::parse(*row);
                if (!c) {
                    fail(out, row->line, c.error().message, true);
                    ended = true;
                    return true;
                }
                columns = std::move(*c);
                continue;
            }
            auto r = columns->record(*row);
            if (!r) {
                const std::string& m = r.error().message;
                fail(out, row->line,
                     "line " + std::to_string(row->line) +
                         (m.starts_with("column ") || m.starts_with("field ") ? ", " : ": ") + m);
                return true;
            }
            out = {row->line, std::move(*r), {}, false};
            return true;
        }
    }
};

RecordFileReader::RecordFileReader(std::istream& in, ReadOptions options)
    : impl_(std::make_unique<Impl>(in, std::move(options))) {}
RecordFileReader::~RecordFileReader() = default;

bool RecordFileReader::next(ReadEntry& out) {
    switch (impl_->options.format) {
        case Format::JsonLines:
            return impl_->nextJsonLine(out);
        case Format::Csv:
            return impl_->nextCsv(out);
        case Format::Lines:
            return impl_->nextLine(out);
    }
    return false;
}

int64_t RecordFileReader::linesRead() const {
    return impl_->line;
}

}  // namespace bs::recordfile
