#include "security/security_protocol.h"

#include <string>

namespace bs::security {

std::optional<SecurityProtocol> securityProtocolFromName(std::string_view name) {
    // Kafka's SecurityProtocol.forName is case-insensitive.
    std::string upper;
    for (char c : name)
        upper += static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
    if (upper == "PLAINTEXT") return SecurityProtocol::Plaintext;
    if (upper == "SSL") return SecurityProtocol::Ssl;
    if (upper == "SASL_PLAINTEXT") return SecurityProtocol::SaslPlaintext;
    if (upper == "SASL_SSL") return SecurityProtocol::SaslSsl;
    return std::nullopt;
}

std::string_view securityProtocolName(SecurityProtocol p) {
    switch (p) {
        case SecurityProtocol::Plaintext:
            return "PLAINTEXT";
        case SecurityProtocol::Ssl:
            return "SSL";
        case SecurityProtocol::SaslPlaintext:
            return "SASL_PLAINTEXT";
        case SecurityProtocol::SaslSsl:
            return "SASL_SSL";
    }
    return "PLAINTEXT";
}

}  // namespace bs::security
