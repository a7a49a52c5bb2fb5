#pragma once

// Shared by the libFuzzer targets (docs/FUZZING.md): a broken invariant that libFuzzer records
// as a crash.

#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace bs::fuzz {

// An invariant broke: abort, so libFuzzer saves the input as a crash artifact.
[[noreturn]] inline void fail(std::string_view what) {
    std::fprintf(stderr, "fuzz invariant violated: %.*s\n", static_cast<int>(what.size()),
                 what.data());
    std::abort();
}
inline void check(bool ok, std::string_view what) {
    if (!ok) fail(what);
}

}  // namespace bs::fuzz
