// batchscope-cli dump-log: kafka-dump-log.sh over segment files.
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "commands.h"
#include "consumer/log_dump.h"

namespace bs::cli {

void addDumpLog(CLI::App& app, Outcome& out) {
    struct Args {
        consumer::DumpLogOptions options;
        std::vector<std::string> files, fileArgs;
    };
    auto args = std::make_shared<Args>();
    auto* cmd = app.add_subcommand("dump-log", "print segment files like kafka-dump-log.sh");
    cmd->footer(
        "Prints the batches (and with --print-data-log the records) of Kafka segment files\n"
        "(.log), and the entries of offset indexes (.index) and time indexes (.timeindex), as\n"
        "kafka-dump-log.sh. Damage (torn tails, CRC mismatches, bad lengths) is reported with\n"
        "its byte position on stderr; the exit code is nonzero only when a file cannot be read.");
    cmd->add_option("--files", args->files, "comma-separated files (plain arguments work too)")
        ->delimiter(',')
        ->expected(1)
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
        ->type_name("LIST");
    cmd->add_option("file", args->fileArgs, "a segment or index file")->type_name("FILE");
    cmd->add_flag("--print-data-log", args->options.printDataLog,
                  "print each record's key and payload (implies --deep-iteration)");
    cmd->add_flag("--deep-iteration", args->options.deepIteration, "print one line per record");
    cmd->add_flag("--skip-record-metadata", args->options.skipRecordMetadata,
                  "leave out the per-record metadata");
    cmd->callback([args, &out] {
        std::vector<std::string> files = args->files;
        files.insert(files.end(), args->fileArgs.begin(), args->fileArgs.end());
        std::erase(files, std::string());
        if (files.empty()) throw CLI::RequiredError("--files or a FILE");
        bool allRead = true;
        for (const auto& f : files)
            allRead = consumer::dumpLogFile(f, args->options, stdout, stderr) && allRead;
        std::fflush(stdout);
        out.exitCode = allRead ? 0 : 1;
    });
}

}  // namespace bs::cli
