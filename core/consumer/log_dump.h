#pragma once

#include <cstdio>
#include <string>

namespace bs::consumer {

// kafka-dump-log.sh (Kafka's DumpLogSegments) over segment files written by our broker or a
// real Kafka broker: `.log` (RecordBatch v2 batches), `.index` (offset index) and `.timeindex`.
struct DumpLogOptions {
    bool printDataLog = false;   // --print-data-log (implies deepIteration)
    bool deepIteration = false;  // --deep-iteration: one line per record
    bool skipRecordMetadata = false;
};

// Dumps one file in Kafka's text format to `out`. Damage is never fatal: a torn tail is reported
// as Kafka does ("Found N invalid bytes at the end of F") and, like every other defect (CRC
// mismatch, impossible length, unknown magic, malformed record, index entry not matching the
// log), named with its exact byte position on `err`. Returns false only when the file cannot be
// opened or read at all.
bool dumpLogFile(const std::string& path, const DumpLogOptions& options, std::FILE* out,
                 std::FILE* err);

}  // namespace bs::consumer
