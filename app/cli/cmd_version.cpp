#include <cstdio>

#include "commands.h"
#include "version.h"

namespace bs::cli {

void addVersion(CLI::App& app, Outcome& out) {
    auto* cmd = app.add_subcommand("version", "print the version");
    cmd->callback([&out] {
        const auto v = bs::version();
        std::printf("batchscope-cli %.*s\n", static_cast<int>(v.size()), v.data());
        out.exitCode = 0;
    });
}

}  // namespace bs::cli
