#pragma once

// TLS contexts for Boost.Asio's ssl::stream (OpenSSL), built from Kafka-style settings. Every
// error names the setting (or broker flag) and the file, and says what OpenSSL found wrong.

#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/verify_context.hpp>
#include <memory>
#include <string>

#include "common/result.h"

namespace bs::security {

using TlsContext = std::shared_ptr<boost::asio::ssl::context>;

// The broker side: --ssl-cert (PEM chain), --ssl-key (PEM key), optional --ssl-client-ca
// (PEM CA that must sign every client's certificate: mutual TLS).
struct ServerTlsFiles {
    std::string certFile;
    std::string keyFile;
    std::string clientCaFile;
};
Result<TlsContext> makeServerTlsContext(const ServerTlsFiles& files);

// The client side, as Kafka's ssl.* settings (PEM and PKCS12 stores).
struct ClientTlsSettings {
    std::string truststoreType = "JKS";  // Kafka's default; only PEM (and PKCS12) are readable
    std::string truststoreLocation;
    std::string truststoreCertificates;  // PEM text (ssl.truststore.certificates)
    std::string truststorePassword;      // PKCS12 truststores
    std::string keystoreType = "JKS";
    std::string keystoreLocation;
    std::string keystorePassword;
    std::string keyPassword;               // ssl.key.password: a PEM key's passphrase
    std::string keystoreKey;               // PEM text (ssl.keystore.key)
    std::string keystoreCertificateChain;  // PEM text (ssl.keystore.certificate.chain)
    std::string endpointIdentificationAlgorithm = "https";  // empty: host name not checked
};
Result<TlsContext> makeClientTlsContext(const ClientTlsSettings& settings);

// Per connection: SNI, and (verifyHost) the certificate must name `host` (a DNS name or an IP
// address, matched against the subject alternative names as Java's "https" check does).
void prepareClientSession(SSL* ssl, const std::string& host, bool verifyHost);

// Why a peer's certificate was refused, captured by a verify callback during the handshake.
struct TlsVerifyFailure {
    std::string subject;  // of the certificate that failed
    std::string reason;   // OpenSSL's words, e.g. "unable to get local issuer certificate"
};
// Checks OpenSSL's verdict for one certificate of the chain and records the first failure.
bool recordVerifyResult(bool preverified, boost::asio::ssl::verify_context& ctx,
                        TlsVerifyFailure& failure);

// The reasons on OpenSSL's error queue (emptied), joined with "; "; `fallback` if none.
std::string takeOpensslErrors(const std::string& fallback);

}  // namespace bs::security
