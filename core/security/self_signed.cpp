#include "security/self_signed.h"

#include <openssl/bio.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <filesystem>
#include <fstream>
#include <memory>

#include "security/crypto.h"
#include "security/tls.h"

namespace bs::security {

namespace {

template <class T, void (*Free)(T*)>
struct Deleter {
    void operator()(T* p) const { Free(p); }
};
using KeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using CertPtr = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;

std::string drain(BIO* bio) {
    char* data = nullptr;
    const long n = BIO_get_mem_data(bio, &data);
    return std::string(data, static_cast<size_t>(n));
}

Error opensslError(const std::string& what) {
    return Error{"self-signed certificate: " + what + ": " + takeOpensslErrors("failed")};
}

}  // namespace

Result<SelfSignedIdentity> makeSelfSignedIdentity(const std::string& commonName,
                                                  const std::vector<std::string>& dnsNames,
                                                  const std::vector<std::string>& ipAddresses,
                                                  int days) {
    KeyPtr key(EVP_EC_gen("P-256"));
    if (!key) return opensslError("key generation");
    CertPtr cert(X509_new());
    if (!cert) return opensslError("X509_new");
    X509_set_version(cert.get(), X509_VERSION_3);
    // A random serial: two runs never hand a client two certificates with one serial.
    const Bytes serial = randomBytes(16);
    BIGNUM* bn = BN_bin2bn(serial.data(), static_cast<int>(serial.size()), nullptr);
    BN_clear_bit(bn, 127);  // positive
    BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert.get()));
    BN_free(bn);
    X509_gmtime_adj(X509_getm_notBefore(cert.get()), -60);
    X509_gmtime_adj(X509_getm_notAfter(cert.get()), static_cast<long>(days) * 24 * 3600);
    X509_set_pubkey(cert.get(), key.get());
    X509_NAME* name = X509_get_subject_name(cert.get());
    X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>("Batchscope"), -1, -1, 0);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>(commonName.c_str()), -1, -1,
                               0);
    X509_set_issuer_name(cert.get(), name);

    std::string san;
    for (const auto& d : dnsNames)
        san += (san.empty() ? "" : ",") + std::string("DNS:") + d;
    for (const auto& ip : ipAddresses)
        san += (san.empty() ? "" : ",") + std::string("IP:") + ip;
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, cert.get(), cert.get(), nullptr, nullptr, 0);
    // Its own CA, so a client can trust it directly; the SANs let the host name check pass.
    const std::pair<int, std::string> extensions[] = {
        {NID_basic_constraints, "critical,CA:TRUE"},
        {NID_key_usage, "critical,digitalSignature,keyCertSign"},
        {NID_ext_key_usage, "serverAuth"},
        {NID_subject_alt_name, san},
    };
    for (const auto& [nid, value] : extensions) {
        if (value.empty()) continue;
        X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
        if (!ext) return opensslError("extension " + value);
        X509_add_ext(cert.get(), ext, -1);
        X509_EXTENSION_free(ext);
    }
    if (X509_sign(cert.get(), key.get(), EVP_sha256()) == 0) return opensslError("signing");

    SelfSignedIdentity out;
    BioPtr certBio(BIO_new(BIO_s_mem()));
    BioPtr keyBio(BIO_new(BIO_s_mem()));
    if (!PEM_write_bio_X509(certBio.get(), cert.get()) ||
        !PEM_write_bio_PrivateKey(keyBio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr))
        return opensslError("PEM encoding");
    out.certificatePem = drain(certBio.get());
    out.privateKeyPem = drain(keyBio.get());
    return out;
}

Result<std::pair<std::string, std::string>> writeIdentity(const SelfSignedIdentity& identity,
                                                          const std::string& dir) {
    namespace fs = std::filesystem;
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) return Error{"cannot create " + dir + ": " + ec.message()};
    const fs::path cert = fs::path(dir) / "server.pem";
    const fs::path key = fs::path(dir) / "server.key";
    for (const auto& [path, text] :
         {std::pair{cert, &identity.certificatePem}, std::pair{key, &identity.privateKeyPem}}) {
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        if (!out) return Error{"cannot write " + path.string()};
        if (path == key)
            fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write,
                            fs::perm_options::replace, ec);
        out << *text;
        if (!out.flush()) return Error{"cannot write " + path.string()};
    }
    return std::pair{cert.string(), key.string()};
}

}  // namespace bs::security
