// batchscope-cli: the headless front end (Kafka-tool-compatible subcommands).
#include <cstdio>
#include <cstring>
#include <iterator>

#include "commands.h"
#include "version.h"

namespace {

using bs::cli::Command;

constexpr Command kCommands[] = {
    {"version", "print the version", bs::cli::runVersion},
    {"consume", "read records like kafka-console-consumer", bs::cli::runConsume},
    {"dump-log", "print segment files like kafka-dump-log.sh", bs::cli::runDumpLog},
    {"broker", "run the embedded Kafka-compatible cluster", bs::cli::runBroker},
    {"produce", "send stdin lines like kafka-console-producer", bs::cli::runProduce},
    {"perf", "measure the producer like kafka-producer-perf-test", bs::cli::runPerf},
    {"partition", "explain which partition keys go to", bs::cli::runPartition},
};

void printUsage(std::FILE* out) {
    std::fprintf(out, "usage: batchscope-cli <command> [options]\n\ncommands:\n");
    for (const auto& c : kCommands) {
        std::fprintf(out, "  %-12.*s %.*s\n", static_cast<int>(c.name.size()), c.name.data(),
                     static_cast<int>(c.summary.size()), c.summary.data());
    }
    std::fprintf(out, "\n'batchscope-cli <command> --help' lists a command's options.\n");
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        printUsage(stderr);
        return 2;
    }
    const std::string_view name = argv[1];
    if (name == "--help" || name == "-h") {
        printUsage(stdout);
        return 0;
    }
    if (name == "--version") return bs::cli::runVersion(0, nullptr);
    for (const auto& c : kCommands) {
        if (c.name == name) return c.run(argc - 2, argv + 2);
    }
    std::fprintf(stderr, "batchscope-cli: unknown command '%s'\n", argv[1]);
    printUsage(stderr);
    return 2;
}
