#include "broker/refusal_log.h"

#include <spdlog/spdlog.h>

namespace bs::broker {

std::string_view refusalName(Refusal r) {
    switch (r) {
        case Refusal::ConnectionLimit:
            return "connection-limit";
        case Refusal::AcceptFailed:
            return "accept-failed";
        case Refusal::FrameSize:
            return "frame-size";
        case Refusal::RequestReadTimeout:
            return "request-read-timeout";
        case Refusal::IdleTimeout:
            return "idle-timeout";
        case Refusal::MalformedRequest:
            return "malformed-request";
        case Refusal::TlsHandshake:
            return "tls-handshake";
    }
    return "unknown";
}

void RefusalLog::record(Refusal kind, const std::string& message) {
    uint64_t suppressed = 0;
    {
        std::lock_guard lock(mu_);
        Kind& k = kinds_[static_cast<size_t>(kind)];
        ++k.total;
        const auto now = Clock::now();
        if (k.logged && now - k.lastLogged < kInterval) {
            ++k.suppressed;
            return;
        }
        suppressed = k.suppressed;
        k.suppressed = 0;
        k.lastLogged = now;
        k.logged = true;
    }
    // An idle connection closing is routine (Kafka logs it at debug); the rest are refusals.
    const auto level = kind == Refusal::IdleTimeout ? spdlog::level::info : spdlog::level::warn;
    if (suppressed == 0) {
        spdlog::log(level, "{} [{}; more are logged at most every {} s]", message,
                    refusalName(kind), kInterval.count());
    } else {
        spdlog::log(level, "{} [{}; {} more since the last report]", message, refusalName(kind),
                    suppressed);
    }
}

uint64_t RefusalLog::count(Refusal kind) const {
    std::lock_guard lock(mu_);
    return kinds_[static_cast<size_t>(kind)].total;
}

}  // namespace bs::broker
