#pragma once

// A one-node embedded cluster listening SASL_SSL with one SCRAM-SHA-256 user, on a certificate
// made for it: what the in-process tests of secured connections talk to.

#include <memory>
#include <string>
#include <vector>

#include "broker/embedded_cluster.h"
#include "security/self_signed.h"

namespace bs::test {

struct SecureCluster {
    security::SelfSignedIdentity identity;  // the certificate is also the CA to trust
    std::string certFile;                   // PEM, for ssl.truststore.location
    std::unique_ptr<broker::EmbeddedCluster> cluster;
};

// `ipAddresses`: the certificate's IP names besides DNS:localhost. Files go under `dir`.
inline Result<SecureCluster> startSecureCluster(const std::string& dir,
                                                const std::vector<std::string>& ipAddresses,
                                                const std::string& user,
                                                const std::string& password) {
    SecureCluster out;
    auto id = security::makeSelfSignedIdentity("localhost", {"localhost"}, ipAddresses, 1);
    if (!id) return id.error();
    out.identity = *id;
    auto files = security::writeIdentity(out.identity, dir + "/tls");
    if (!files) return files.error();
    out.certFile = files->first;
    broker::ClusterConfig config;
    config.nodeCount = 1;
    config.dataDir = dir + "/data";
    config.security.protocol = security::SecurityProtocol::SaslSsl;
    config.security.tls.certFile = files->first;
    config.security.tls.keyFile = files->second;
    config.security.saslMechanisms = {"SCRAM-SHA-256"};
    config.security.saslUsers = {{user, password}};
    auto started = broker::EmbeddedCluster::start(config);
    if (!started) return started.error();
    out.cluster = std::move(*started);
    return out;
}

}  // namespace bs::test
