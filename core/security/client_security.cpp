#include "security/client_security.h"

#include <utility>

#include "security/jaas_config.h"

namespace bs::security {
namespace {

std::string get(const std::map<std::string, std::string>& props, const std::string& key,
                const std::string& fallback = {}) {
    const auto it = props.find(key);
    return it == props.end() ? fallback : it->second;
}

// The ssl.* settings and where ClientTlsSettings keeps each.
constexpr std::pair<std::string_view, std::string ClientTlsSettings::*> kTlsSettings[] = {
    {"ssl.truststore.type", &ClientTlsSettings::truststoreType},
    {"ssl.truststore.location", &ClientTlsSettings::truststoreLocation},
    {"ssl.truststore.certificates", &ClientTlsSettings::truststoreCertificates},
    {"ssl.truststore.password", &ClientTlsSettings::truststorePassword},
    {"ssl.keystore.type", &ClientTlsSettings::keystoreType},
    {"ssl.keystore.location", &ClientTlsSettings::keystoreLocation},
    {"ssl.keystore.password", &ClientTlsSettings::keystorePassword},
    {"ssl.key.password", &ClientTlsSettings::keyPassword},
    {"ssl.keystore.key", &ClientTlsSettings::keystoreKey},
    {"ssl.keystore.certificate.chain", &ClientTlsSettings::keystoreCertificateChain},
    {"ssl.endpoint.identification.algorithm", &ClientTlsSettings::endpointIdentificationAlgorithm},
};

}  // namespace

const std::vector<std::string_view>& clientSecurityKeys() {
    static const std::vector<std::string_view> keys = {
        "security.protocol",
        "ssl.truststore.type",
        "ssl.truststore.location",
        "ssl.truststore.password",
        "ssl.truststore.certificates",
        "ssl.keystore.type",
        "ssl.keystore.location",
        "ssl.keystore.password",
        "ssl.key.password",
        "ssl.keystore.key",
        "ssl.keystore.certificate.chain",
        "ssl.endpoint.identification.algorithm",
        "sasl.mechanism",
        "sasl.jaas.config",
    };
    return keys;
}

bool isSecretSetting(std::string_view key) {
    return key == "sasl.jaas.config" || key == "ssl.truststore.password" ||
           key == "ssl.keystore.password" || key == "ssl.key.password" || key == "ssl.keystore.key";
}

Result<ClientSecurity> parseClientSecurity(const std::map<std::string, std::string>& props) {
    ClientSecurity out;
    const std::string protocolName = get(props, "security.protocol", "PLAINTEXT");
    const auto protocol = securityProtocolFromName(protocolName);
    if (!protocol) {
        return Error{"security.protocol: '" + protocolName +
                     "' is not one of PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL"};
    }
    out.protocol = *protocol;
    if (usesTls(out.protocol)) {
        ClientTlsSettings tls;  // Kafka's defaults, then what was given
        for (const auto& [key, field] : kTlsSettings) {
            const auto it = props.find(std::string(key));
            if (it != props.end()) tls.*field = it->second;
        }
        // With a location or PEM text but no type, PEM is what we can read (Java: JKS).
        if (!props.count("ssl.truststore.type") &&
            (props.count("ssl.truststore.certificates") || props.count("ssl.truststore.location")))
            tls.truststoreType = "PEM";
        if (!props.count("ssl.keystore.type") &&
            (props.count("ssl.keystore.location") || props.count("ssl.keystore.key")))
            tls.keystoreType = "PEM";
        auto ctx = makeClientTlsContext(tls);
        if (!ctx) return ctx.error();
        out.tls = std::move(*ctx);
        out.verifyHostName = !tls.endpointIdentificationAlgorithm.empty();
    }
    if (usesSasl(out.protocol)) {
        out.saslMechanism = get(props, "sasl.mechanism", "GSSAPI");
        if (!isSupportedSaslMechanism(out.saslMechanism)) {
            return Error{"sasl.mechanism: '" + out.saslMechanism +
                         "' is not supported; use PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512" +
                         (props.count("sasl.mechanism") ? "" : " (GSSAPI is Kafka's default)")};
        }
        if (!props.count("sasl.jaas.config")) {
            return Error{
                "sasl.jaas.config is required for security.protocol=" +
                std::string(securityProtocolName(out.protocol)) + ", e.g. " +
                std::string(out.saslMechanism == "PLAIN" ? kPlainLoginModule : kScramLoginModule) +
                " required username=\"...\" password=\"...\";"};
        }
        auto jaas = parseJaasConfig(props.at("sasl.jaas.config"));
        if (!jaas) return jaas.error();
        if (jaas->loginModule != kPlainLoginModule && jaas->loginModule != kScramLoginModule) {
            return Error{"sasl.jaas.config: login module '" + jaas->loginModule +
                         "' is not supported; use " + std::string(kPlainLoginModule) + " or " +
                         std::string(kScramLoginModule)};
        }
        const auto user = jaas->options.find("username");
        const auto pass = jaas->options.find("password");
        if (user == jaas->options.end() || user->second.empty()) {
            return Error{"sasl.jaas.config: the username option is missing or empty"};
        }
        if (pass == jaas->options.end() || pass->second.empty()) {
            return Error{"sasl.jaas.config: the password option is missing or empty"};
        }
        out.saslUsername = user->second;
        out.saslPassword = pass->second;
    }
    return out;
}

}  // namespace bs::security
