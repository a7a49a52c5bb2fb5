#pragma once

// batchscope-cli's commands, one file each (cmd_<name>.cpp). Each adds itself to the program's
// CLI::App (CLI11): its options with their value types, help text and defaults, and what runs.
// `--help` is generated from these definitions and the man page is help2man's reading of
// `--help` (packaging/generate.sh), so the two cannot drift. Parsing is CLI11's: numbers are
// converted strictly ("12abc" is refused), and an unknown option, a missing value or a missing
// required option is reported by name.

#include <CLI/CLI.hpp>
#include <string_view>

namespace bs::cli {

// Where a command's callback leaves the process exit code.
struct Outcome {
    int exitCode = 0;
};

void addVersion(CLI::App& app, Outcome& out);
void addConsume(CLI::App& app, Outcome& out);
void addDumpLog(CLI::App& app, Outcome& out);
void addBroker(CLI::App& app, Outcome& out);
void addProduce(CLI::App& app, Outcome& out);
void addPerf(CLI::App& app, Outcome& out);
void addPartition(CLI::App& app, Outcome& out);
void addSoak(CLI::App& app, Outcome& out);
void addGroups(CLI::App& app, Outcome& out);

// The exit code of a command line CLI11 refused (kafka-console-consumer exits 1, the others 2).
inline constexpr int kUsageError = 2;
inline constexpr int kConsumeUsageError = 1;

}  // namespace bs::cli
