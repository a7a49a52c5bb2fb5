#pragma once

// Reads a record file as a stream, a line at a time (never the whole file), in any Format.
// Each record or error comes with the line it starts on, so a caller can validate a whole file
// first and send nothing when any line is bad, or skip the bad ones.

#include <istream>
#include <memory>
#include <optional>
#include <string>

#include "record_file/file_record.h"

namespace bs::recordfile {

struct ReadOptions {
    Format format = Format::JsonLines;
    // Lines only (kafka-console-producer's parse.key=true with key.separator): each line is
    // "key<separator>value" split at the first separator; empty: the line is the value.
    std::string keySeparator;
};

struct ReadEntry {
    int64_t line = 0;  // the line the record starts on (1-based)
    std::optional<FileRecord> record;
    // When record is empty: "line 3, column 12: malformed JSON: ..." etc.
    std::string error;
    // The rest of the input cannot be read (a bad CSV header row).
    bool fatal = false;

    bool ok() const { return record.has_value(); }
};

// Single-threaded; reads from `in`, which must outlive it.
class RecordFileReader {
  public:
    RecordFileReader(std::istream& in, ReadOptions options);
    ~RecordFileReader();
    RecordFileReader(const RecordFileReader&) = delete;
    RecordFileReader& operator=(const RecordFileReader&) = delete;

    // The next record, or an error for a bad one (reading goes on with the next, unless
    // `fatal`). False at the end of the input.
    bool next(ReadEntry& out);
    // Lines consumed so far.
    int64_t linesRead() const;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace bs::recordfile
