#pragma once

// Waiting for what another thread or process does (a blocked caller queued, a socket answered).
// Real time bounds only the wait, never the outcome: the code under test gets its time from an
// injected Clock, so nothing here makes a deadline pass.

#include <chrono>
#include <thread>

namespace bs::test {

// Checks `cond` until it holds or `limit` of real time passed, calling `step` between checks
// (a short nap, or one poll of a client that must be driven). True when `cond` held.
template <class Cond, class Step>
bool eventually(Cond cond, Step step, std::chrono::milliseconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (!cond()) {
        if (std::chrono::steady_clock::now() > deadline) return cond();
        step();
    }
    return true;
}

// As above, napping 1 ms between checks.
template <class Cond>
bool eventually(Cond cond, std::chrono::milliseconds limit = std::chrono::seconds(30)) {
    return eventually(
        cond, [] { std::this_thread::sleep_for(std::chrono::milliseconds(1)); }, limit);
}

}  // namespace bs::test
