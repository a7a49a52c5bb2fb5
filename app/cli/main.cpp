// batchscope-cli: the headless front end (Kafka-tool-compatible subcommands).
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <string>

#include "commands.h"
#include "version.h"

int main(int argc, char** argv) {
    // Log lines go to stderr, as Kafka's tools log: stdout carries only data (records, offsets,
    // reports), so it can be piped. spdlog's default logger writes to stdout.
    spdlog::set_default_logger(spdlog::stderr_color_mt("batchscope-cli"));
    CLI::App app{"The headless, Qt-free side of Batchscope: Kafka-tool-compatible commands.",
                 "batchscope-cli"};
    app.get_formatter()->column_width(30);
    const std::string_view v = bs::version();
    app.set_version_flag("--version", "batchscope-cli " + std::string(v));
    app.require_subcommand(1);
    app.footer("'batchscope-cli <command> --help' lists a command's options.");

    bs::cli::Outcome outcome;
    bs::cli::addVersion(app, outcome);
    bs::cli::addConsume(app, outcome);
    bs::cli::addDumpLog(app, outcome);
    bs::cli::addBroker(app, outcome);
    bs::cli::addProduce(app, outcome);
    bs::cli::addPerf(app, outcome);
    bs::cli::addPartition(app, outcome);
    bs::cli::addSoak(app, outcome);
    bs::cli::addGroups(app, outcome);
    // Listed under "commands:", where packaging/generate.sh and the bash completion read them.
    for (CLI::App* command : app.get_subcommands({}))
        command->group("commands");
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        // --help and --version are ParseErrors with exit code 0: CLI11 prints them.
        if (e.get_exit_code() == 0) return app.exit(e);
        const auto parsed = app.get_subcommands();
        const std::string command = parsed.empty() ? "" : " " + parsed.front()->get_name();
        // CLI11 reports a word that is no command as a missing command: name the word.
        if (parsed.empty() && argc > 1 && argv[1][0] != '-') {
            std::fprintf(stderr,
                         "batchscope-cli: unknown command '%s'\ntry 'batchscope-cli --help'\n",
                         argv[1]);
            return bs::cli::kUsageError;
        }
        std::fprintf(stderr, "batchscope-cli%s: %s\ntry 'batchscope-cli%s --help'\n",
                     command.c_str(), e.what(), command.c_str());
        return command == " consume" ? bs::cli::kConsumeUsageError : bs::cli::kUsageError;
    }
    return outcome.exitCode;
}
