#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "security/scram.h"
#include "security/security_protocol.h"
#include "security/tls.h"

namespace bs::broker {

// How every node of the embedded cluster listens (`broker --security-protocol ...`).
struct ListenerSecurity {
    security::SecurityProtocol protocol = security::SecurityProtocol::Plaintext;
    security::ServerTlsFiles tls;                  // SSL / SASL_SSL
    std::vector<std::string> saslMechanisms;       // SASL_*: PLAIN, SCRAM-SHA-256, SCRAM-SHA-512
    std::map<std::string, std::string> saslUsers;  // user -> password (never logged)
};

// Checks that the settings fit the protocol; errors name the broker flag.
Status validateListenerSecurity(const ListenerSecurity& security);

// What the SASL server checks logins against: PLAIN passwords and SCRAM credentials derived
// once at start-up (random salt, 4096 iterations). Immutable after construction; shared by
// every connection's thread.
class SaslCredentialStore {
  public:
    explicit SaslCredentialStore(const ListenerSecurity& security);

    const std::vector<std::string>& mechanisms() const { return mechanisms_; }
    bool enabled(const std::string& mechanism) const;
    bool checkPlain(const std::string& user, const std::string& password) const;
    std::optional<security::ScramCredential> scram(security::ScramMechanism m,
                                                   const std::string& user) const;

  private:
    std::vector<std::string> mechanisms_;
    std::map<std::string, security::Bytes> plainDigests_;  // SHA-256 of each password
    std::map<std::string, security::ScramCredential> scram256_;
    std::map<std::string, security::ScramCredential> scram512_;
};

}  // namespace bs::broker
