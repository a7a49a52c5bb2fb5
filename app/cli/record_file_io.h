#pragma once

// Record files in batchscope-cli (docs/RECORD_FILES.md): `produce --input FILE --format
// jsonl|csv|lines [--skip-bad-lines]` and `consume --format jsonl|csv`. The commands keep only
// a hook each; the reading, checking, sending and writing are here.

#include <CLI/CLI.hpp>
#include <optional>
#include <string>

#include "consumer/consumer_record.h"
#include "producer/producer_config.h"
#include "record_file/file_record.h"

namespace bs::cli {

// produce's file options.
struct RecordFileInput {
    std::string input;   // --input FILE ("-": stdin)
    std::string format;  // --format; empty: lines
    bool skipBadLines = false;

    // Whether produce reads a record file rather than its classic stdin lines.
    bool active() const { return !input.empty() || (!format.empty() && format != "lines"); }
};
void addRecordFileInputOptions(CLI::App* produce, RecordFileInput& in);

// Sends the records of the file: by default every record is read and checked first, and nothing
// is sent if any is bad (each bad line is reported on stderr with its reason); with
// --skip-bad-lines the bad lines are reported and skipped. `keySeparator` (lines format): the
// --property key.separator when parse.key=true, else empty. `report` prints "partition offset"
// per record sent, in input order. `config` gets the bytes serializers forced. Returns the exit
// code.
int produceRecordFile(const RecordFileInput& in, const std::string& topic,
                      const std::string& keySeparator, bool report,
                      Result<producer::ProducerConfig> config);

// consume --format: writes records as a record file instead of the formatter's text.
class RecordFileOutput {
  public:
    // "jsonl" or "csv" (lines are the formatter's job); the error names the format.
    static Result<RecordFileOutput> create(const std::string& format);
    // What starts the output (the CSV header row).
    std::string start() const;
    void append(const consumer::ConsumerRecord& record, std::string& out) const;

  private:
    recordfile::Format format_ = recordfile::Format::JsonLines;
};
void addRecordFileOutputOption(CLI::App* consume, std::optional<std::string>& format);

}  // namespace bs::cli
