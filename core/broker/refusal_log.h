#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>

namespace bs::broker {

// Why the cluster closed or refused a connection.
enum class Refusal : uint8_t {
    ConnectionLimit,     // max.connections reached at accept
    AcceptFailed,        // accept() failed (e.g. out of file descriptors)
    FrameSize,           // size prefix negative or above socket.request.max.bytes
    RequestReadTimeout,  // a frame did not arrive within request.read.timeout.ms
    IdleTimeout,         // no traffic for connections.max.idle.ms
    MalformedRequest,    // a request the decoders refused
    TlsHandshake,        // TLS handshake failed
};
inline constexpr size_t kRefusalKinds = 7;

std::string_view refusalName(Refusal r);

// Logs refusals without letting an attacker flood the log: the first of a kind is logged at
// once, the next ones at most once per interval, each saying how many were left out since.
// Counts every refusal for the cluster's status. Thread-safety: any thread; guarded by mu_.
class RefusalLog {
  public:
    using Clock = std::chrono::steady_clock;
    static constexpr std::chrono::seconds kInterval{10};

    // `message` is the whole line ("node 0: 127.0.0.1:4242: ...; closing").
    void record(Refusal kind, const std::string& message);
    uint64_t count(Refusal kind) const;

  private:
    struct Kind {
        uint64_t total = 0;
        uint64_t suppressed = 0;  // since the last logged line
        Clock::time_point lastLogged{};
        bool logged = false;
    };
    mutable std::mutex mu_;
    std::array<Kind, kRefusalKinds> kinds_{};  // guarded by mu_
};

}  // namespace bs::broker
