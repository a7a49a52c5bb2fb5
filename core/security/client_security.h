#pragma once

// A client's security.protocol, ssl.* and sasl.* settings (Java's names and meanings), parsed
// once into what a connection needs: a TLS context and the SASL login.

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "security/security_protocol.h"
#include "security/tls.h"

namespace bs::security {

struct ClientSecurity {
    SecurityProtocol protocol = SecurityProtocol::Plaintext;
    TlsContext tls;              // set for SSL / SASL_SSL
    bool verifyHostName = true;  // ssl.endpoint.identification.algorithm=https
    std::string saslMechanism;   // PLAIN, SCRAM-SHA-256, SCRAM-SHA-512 (SASL_* only)
    std::string saslUsername;
    std::string saslPassword;  // from sasl.jaas.config; never logged or shown
};

// Every key this reads (for config tables and "unknown key" checks).
const std::vector<std::string_view>& clientSecurityKeys();
// Keys whose values are secret (Java's Type.PASSWORD): shown as "[hidden]".
bool isSecretSetting(std::string_view key);

// Reads the keys above from `props` (missing ones take Java's defaults). Errors name the key,
// e.g. "ssl.truststore.location: cannot read '/x/ca.pem'"; none quotes a secret.
Result<ClientSecurity> parseClientSecurity(const std::map<std::string, std::string>& props);

}  // namespace bs::security
