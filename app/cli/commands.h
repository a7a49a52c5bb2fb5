#pragma once

#include <string_view>

namespace bs::cli {

// A subcommand gets the arguments after its name; it returns the process exit code.
using CommandFn = int (*)(int argc, char** argv);

struct Command {
    std::string_view name;
    std::string_view summary;
    CommandFn run;
};

// Subcommands, one file each (cmd_<name>.cpp).
int runVersion(int argc, char** argv);
int runConsume(int argc, char** argv);
int runDumpLog(int argc, char** argv);
int runBroker(int argc, char** argv);
int runProduce(int argc, char** argv);
int runPerf(int argc, char** argv);
int runPartition(int argc, char** argv);

}  // namespace bs::cli
