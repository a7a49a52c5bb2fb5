#include "broker/listener_security.h"

#include <algorithm>

namespace bs::broker {

using security::SecurityProtocol;

Status validateListenerSecurity(const ListenerSecurity& s) {
    const bool tls = security::usesTls(s.protocol);
    const bool sasl = security::usesSasl(s.protocol);
    const std::string protocol(security::securityProtocolName(s.protocol));
    if (tls && (s.tls.certFile.empty() || s.tls.keyFile.empty())) {
        return Error{"--security-protocol " + protocol + " needs --ssl-cert and --ssl-key"};
    }
    if (!tls &&
        (!s.tls.certFile.empty() || !s.tls.keyFile.empty() || !s.tls.clientCaFile.empty())) {
        return Error{
            "--ssl-cert/--ssl-key/--ssl-client-ca need --security-protocol SSL or "
            "SASL_SSL (it is " +
            protocol + ")"};
    }
    if (sasl) {
        if (s.saslMechanisms.empty()) {
            return Error{"--security-protocol " + protocol +
                         " needs --sasl-mechanisms (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512)"};
        }
        for (const auto& m : s.saslMechanisms) {
            if (!security::isSupportedSaslMechanism(m)) {
                return Error{"--sasl-mechanisms: '" + m +
                             "' is not supported (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512)"};
            }
        }
        if (s.saslUsers.empty()) {
            return Error{"--security-protocol " + protocol + " needs at least one --sasl-user"};
        }
    } else if (!s.saslMechanisms.empty() || !s.saslUsers.empty()) {
        return Error{
            "--sasl-mechanisms/--sasl-user need --security-protocol SASL_PLAINTEXT or "
            "SASL_SSL (it is " +
            protocol + ")"};
    }
    return {};
}

SaslCredentialStore::SaslCredentialStore(const ListenerSecurity& s)
    : mechanisms_(s.saslMechanisms) {
    for (const auto& [user, password] : s.saslUsers) {
        plainDigests_[user] = security::digest(EVP_sha256(), security::asBytes(password));
        if (enabled("SCRAM-SHA-256")) {
            scram256_[user] = security::makeScramCredential(security::ScramMechanism::Sha256,
                                                            password, security::randomBytes(16),
                                                            security::kScramMinIterations);
        }
        if (enabled("SCRAM-SHA-512")) {
            scram512_[user] = security::makeScramCredential(security::ScramMechanism::Sha512,
                                                            password, security::randomBytes(16),
                                                            security::kScramMinIterations);
        }
    }
}

bool SaslCredentialStore::enabled(const std::string& mechanism) const {
    return std::find(mechanisms_.begin(), mechanisms_.end(), mechanism) != mechanisms_.end();
}

bool SaslCredentialStore::checkPlain(const std::string& user, const std::string& password) const {
    const auto it = plainDigests_.find(user);
    // Digests compare in constant time and do not reveal the password's length.
    const auto given = security::digest(EVP_sha256(), security::asBytes(password));
    return it != plainDigests_.end() && security::constantTimeEquals(given, it->second);
}

std::optional<security::ScramCredential> SaslCredentialStore::scram(security::ScramMechanism m,
                                                                    const std::string& user) const {
    const auto& table = m == security::ScramMechanism::Sha256 ? scram256_ : scram512_;
    const auto it = table.find(user);
    if (it == table.end()) return std::nullopt;
    return it->second;
}

}  // namespace bs::broker
