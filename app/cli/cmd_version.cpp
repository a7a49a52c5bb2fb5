#include <cstdio>

#include "commands.h"
#include "version.h"

namespace bs::cli {

int runVersion(int, char**) {
    const auto v = bs::version();
    std::printf("batchscope-cli %.*s\n", static_cast<int>(v.size()), v.data());
    return 0;
}

}  // namespace bs::cli
