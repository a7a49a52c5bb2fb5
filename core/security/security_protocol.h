#pragma once

#include <optional>
#include <string_view>

namespace bs::security {

// Kafka's security.protocol values.
enum class SecurityProtocol { Plaintext, Ssl, SaslPlaintext, SaslSsl };

std::optional<SecurityProtocol> securityProtocolFromName(std::string_view name);
std::string_view securityProtocolName(SecurityProtocol p);
inline bool usesTls(SecurityProtocol p) {
    return p == SecurityProtocol::Ssl || p == SecurityProtocol::SaslSsl;
}
inline bool usesSasl(SecurityProtocol p) {
    return p == SecurityProtocol::SaslPlaintext || p == SecurityProtocol::SaslSsl;
}

// The SASL mechanisms we implement, by Kafka's names.
inline bool isSupportedSaslMechanism(std::string_view m) {
    return m == "PLAIN" || m == "SCRAM-SHA-256" || m == "SCRAM-SHA-512";
}

}  // namespace bs::security
