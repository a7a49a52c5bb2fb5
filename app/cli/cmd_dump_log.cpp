// batchscope-cli dump-log: kafka-dump-log.sh over segment files.
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "commands.h"
#include "consumer/log_dump.h"

namespace bs::cli {

namespace {
constexpr const char* kUsage =
    R"(usage: batchscope-cli dump-log [--files F1,F2,...] [FILE...] [options]
Prints the batches (and with --print-data-log the records) of Kafka segment files (.log),
and the entries of offset indexes (.index) and time indexes (.timeindex), as kafka-dump-log.sh.
  --files LIST            comma-separated files (plain arguments work too)
  --print-data-log        print each record's key and payload (implies --deep-iteration)
  --deep-iteration        print one line per record
  --skip-record-metadata  leave out the per-record metadata
Damage (torn tails, CRC mismatches, bad lengths) is reported with its byte position on stderr;
the exit code is nonzero only when a file cannot be read.
)";
}  // namespace

int runDumpLog(int argc, char** argv) {
    consumer::DumpLogOptions o;
    std::vector<std::string> files;
    for (int i = 0; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "--help" || a == "-h") {
            std::fputs(kUsage, stdout);
            return 0;
        }
        if (a == "--print-data-log") {
            o.printDataLog = true;
        } else if (a == "--deep-iteration") {
            o.deepIteration = true;
        } else if (a == "--skip-record-metadata") {
            o.skipRecordMetadata = true;
        } else if (a == "--files" || a.rfind("--files=", 0) == 0) {
            std::string list;
            if (a == "--files") {
                if (i + 1 >= argc) {
                    std::fprintf(stderr, "dump-log: --files needs a value\n\n%s", kUsage);
                    return 2;
                }
                list = argv[++i];
            } else {
                list = a.substr(8);
            }
            size_t start = 0;
            while (start <= list.size()) {
                size_t comma = list.find(',', start);
                std::string f =
                    list.substr(start, comma == std::string::npos ? comma : comma - start);
                if (!f.empty()) files.push_back(f);
                if (comma == std::string::npos) break;
                start = comma + 1;
            }
        } else if (a.rfind("--", 0) == 0) {
            std::fprintf(stderr, "dump-log: unrecognized option '%s'\n\n%s", a.c_str(), kUsage);
            return 2;
        } else {
            files.push_back(a);
        }
    }
    if (files.empty()) {
        std::fprintf(stderr, "dump-log: Missing required argument \"[files]\"\n\n%s", kUsage);
        return 2;
    }
    bool allRead = true;
    for (const auto& f : files)
        allRead = consumer::dumpLogFile(f, o, stdout, stderr) && allRead;
    std::fflush(stdout);
    return allRead ? 0 : 1;
}

}  // namespace bs::cli
