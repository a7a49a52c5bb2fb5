#pragma once

// Test connection: one connection to the first bootstrap server, set up as the producer would
// (TCP, TLS, ApiVersions, SASL), reporting each step and the one that failed. No request is sent
// after the setup. Blocks the calling thread for at most `timeoutMs`; never call it on the GUI
// thread.

#include <atomic>
#include <map>
#include <string>
#include <vector>

#include "client/network_client_asio.h"

namespace bs::client {

struct ProbeStep {
    enum class Outcome { Passed, Failed, NotReached };
    std::string name;  // "TCP connect", "TLS handshake", "ApiVersions", "SASL authentication"
    Outcome outcome = Outcome::NotReached;
    std::string detail;  // what was found, or why it failed
};

struct ProbeReport {
    std::string target;  // "host:port"
    std::vector<ProbeStep> steps;
    std::string settingsError;  // a setting is wrong; nothing was tried
    bool ok() const;
    // One line per step: "✓ TLS handshake: TLSv1.3, ..." / "✗ SASL authentication: ...".
    std::string text() const;
};

// `props`: bootstrap.servers plus the security.protocol / ssl.* / sasl.* settings. `cancel`
// (optional) ends the attempt within about 50 ms once set.
ProbeReport probeConnection(const std::map<std::string, std::string>& props, int64_t timeoutMs,
                            const std::atomic<bool>* cancel = nullptr);

}  // namespace bs::client
