#pragma once

// A throw-away TLS identity for a listener on this machine: the embedded cluster started
// secured from the GUI has no certificate of its own, and a learner should not need `openssl`
// to try SASL_SSL. The certificate is its own CA (the client trusts exactly it).

#include <string>
#include <vector>

#include "common/result.h"

namespace bs::security {

struct SelfSignedIdentity {
    std::string certificatePem;  // also the trust anchor (ssl.truststore.certificates)
    std::string privateKeyPem;   // unencrypted PKCS#8
};

// An EC P-256 key and a certificate for `commonName`, valid from now for `days`, whose subject
// alternative names are `dnsNames` and `ipAddresses` (so a host name check passes for them).
Result<SelfSignedIdentity> makeSelfSignedIdentity(const std::string& commonName,
                                                  const std::vector<std::string>& dnsNames,
                                                  const std::vector<std::string>& ipAddresses,
                                                  int days);

// Writes the identity as <dir>/server.pem and <dir>/server.key (the key readable by the owner
// only), for ServerTlsFiles; the two paths in that order.
Result<std::pair<std::string, std::string>> writeIdentity(const SelfSignedIdentity& identity,
                                                          const std::string& dir);

}  // namespace bs::security
