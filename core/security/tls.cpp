#include "security/tls.h"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <boost/asio/ip/address.hpp>
#include <fstream>
#include <sstream>

namespace bs::security {
namespace asio_ssl = boost::asio::ssl;

namespace {

Result<std::string> readFile(const std::string& setting, const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return Error{setting + ": cannot read '" + path + "' (missing or not readable)"};
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

struct BioDeleter {
    void operator()(BIO* b) const { BIO_free(b); }
};
using BioPtr = std::unique_ptr<BIO, BioDeleter>;

BioPtr memBio(const std::string& text) {
    return BioPtr(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
}

// Adds every certificate of a PEM text to the context's trust store; how many.
Result<int> addTrustedPem(SSL_CTX* ctx, const std::string& setting, const std::string& pem) {
    BioPtr bio = memBio(pem);
    X509_STORE* store = SSL_CTX_get_cert_store(ctx);
    int added = 0;
    while (X509* cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
        X509_STORE_add_cert(store, cert);
        X509_free(cert);
        ++added;
    }
    ERR_clear_error();  // the read that ends the loop leaves "no start line"
    if (added == 0) return Error{setting + ": no PEM certificate found"};
    return added;
}

int passwordCallback(char* buf, int size, int, void* userdata) {
    const auto* pw = static_cast<const std::string*>(userdata);
    const int n = std::min(size, static_cast<int>(pw->size()));
    std::copy_n(pw->data(), n, buf);
    return n;
}

Status usePemKeyPair(SSL_CTX* ctx, const std::string& setting, const std::string& pem,
                     const std::string& keyPem, const std::string& keyPassword) {
    BioPtr certBio = memBio(pem);
    X509* leaf = PEM_read_bio_X509(certBio.get(), nullptr, nullptr, nullptr);
    if (!leaf) return Error{setting + ": no PEM certificate found"};
    const int used = SSL_CTX_use_certificate(ctx, leaf);
    X509_free(leaf);
    if (used != 1) return Error{setting + ": " + takeOpensslErrors("certificate refused")};
    while (X509* extra = PEM_read_bio_X509(certBio.get(), nullptr, nullptr, nullptr)) {
        SSL_CTX_add_extra_chain_cert(ctx, extra);  // takes ownership
    }
    ERR_clear_error();
    BioPtr keyBio = memBio(keyPem);
    std::string pw = keyPassword;
    EVP_PKEY* key = PEM_read_bio_PrivateKey(keyBio.get(), nullptr, passwordCallback, &pw);
    if (!key) {
        ERR_clear_error();
        return Error{setting +
                     ": no readable PEM private key (wrong or missing ssl.key.password?)"};
    }
    const int keyUsed = SSL_CTX_use_PrivateKey(ctx, key);
    EVP_PKEY_free(key);
    if (keyUsed != 1 || SSL_CTX_check_private_key(ctx) != 1) {
        return Error{setting + ": the private key does not match the certificate (" +
                     takeOpensslErrors("mismatch") + ")"};
    }
    return {};
}

Status usePkcs12(SSL_CTX* ctx, const std::string& setting, const std::string& der,
                 const std::string& password, bool asKeystore) {
    const auto* p = reinterpret_cast<const unsigned char*>(der.data());
    PKCS12* p12 = d2i_PKCS12(nullptr, &p, static_cast<long>(der.size()));
    if (!p12) return Error{setting + ": not a PKCS12 file"};
    EVP_PKEY* key = nullptr;
    X509* cert = nullptr;
    STACK_OF(X509)* ca = nullptr;
    const int parsed = PKCS12_parse(p12, password.c_str(), &key, &cert, &ca);
    PKCS12_free(p12);
    if (parsed != 1) {
        ERR_clear_error();
        return Error{setting + ": cannot open the PKCS12 store (wrong password?)"};
    }
    Status result;
    if (asKeystore) {
        if (!key || !cert) {
            result = Error{setting + ": the PKCS12 store holds no key and certificate"};
        } else if (SSL_CTX_use_certificate(ctx, cert) != 1 ||
                   SSL_CTX_use_PrivateKey(ctx, key) != 1 || SSL_CTX_check_private_key(ctx) != 1) {
            result = Error{setting + ": " + takeOpensslErrors("key and certificate refused")};
        }
        for (int i = 0; ca && i < sk_X509_num(ca); ++i)
            SSL_CTX_add_extra_chain_cert(ctx, X509_dup(sk_X509_value(ca, i)));
    } else {
        X509_STORE* store = SSL_CTX_get_cert_store(ctx);
        int added = 0;
        if (cert) added += X509_STORE_add_cert(store, cert);
        for (int i = 0; ca && i < sk_X509_num(ca); ++i)
            added += X509_STORE_add_cert(store, sk_X509_value(ca, i));
        if (added == 0) result = Error{setting + ": the PKCS12 store holds no certificate"};
    }
    EVP_PKEY_free(key);
    X509_free(cert);
    sk_X509_pop_free(ca, X509_free);
    return result;
}

std::string upper(std::string s) {
    for (char& c : s)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
}

}  // namespace

std::string takeOpensslErrors(const std::string& fallback) {
    std::string out;
    while (unsigned long e = ERR_get_error()) {
        const char* reason = ERR_reason_error_string(e);
        if (!out.empty()) out += "; ";
        out += reason ? reason : "error " + std::to_string(e);
    }
    return out.empty() ? fallback : out;
}

Result<TlsContext> makeServerTlsContext(const ServerTlsFiles& files) {
    if (files.certFile.empty()) return Error{"--ssl-cert is required for a TLS listener"};
    if (files.keyFile.empty()) return Error{"--ssl-key is required for a TLS listener"};
    auto cert = readFile("--ssl-cert", files.certFile);
    if (!cert) return cert.error();
    auto key = readFile("--ssl-key", files.keyFile);
    if (!key) return key.error();
    auto ctx = std::make_shared<asio_ssl::context>(asio_ssl::context::tls_server);
    SSL_CTX* native = ctx->native_handle();
    SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION);
    ctx->set_options(asio_ssl::context::default_workarounds | asio_ssl::context::single_dh_use);
    if (auto s = usePemKeyPair(native, "--ssl-cert '" + files.certFile + "'", *cert, *key, "");
        !s) {
        return Error{s.message()};
    }
    if (!files.clientCaFile.empty()) {
        auto ca = readFile("--ssl-client-ca", files.clientCaFile);
        if (!ca) return ca.error();
        if (auto n = addTrustedPem(native, "--ssl-client-ca '" + files.clientCaFile + "'", *ca);
            !n) {
            return n.error();
        }
        ctx->set_verify_mode(asio_ssl::verify_peer | asio_ssl::verify_fail_if_no_peer_cert);
    }
    return ctx;
}

Result<TlsContext> makeClientTlsContext(const ClientTlsSettings& s) {
    auto ctx = std::make_shared<asio_ssl::context>(asio_ssl::context::tls_client);
    SSL_CTX* native = ctx->native_handle();
    SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION);
    ctx->set_verify_mode(asio_ssl::verify_peer);

    const std::string trustType = upper(s.truststoreType);
    if (!s.truststoreCertificates.empty()) {
        if (trustType != "PEM") {
            return Error{"ssl.truststore.certificates needs ssl.truststore.type=PEM"};
        }
        if (!s.truststoreLocation.empty()) {
            return Error{
                "ssl.truststore.location and ssl.truststore.certificates are both set; "
                "set one"};
        }
        if (auto n = addTrustedPem(native, "ssl.truststore.certificates", s.truststoreCertificates);
            !n) {
            return n.error();
        }
    } else if (!s.truststoreLocation.empty()) {
        const std::string setting = "ssl.truststore.location '" + s.truststoreLocation + "'";
        auto data = readFile(setting, s.truststoreLocation);
        if (!data) return data.error();
        if (trustType == "PEM") {
            if (auto n = addTrustedPem(native, setting, *data); !n) return n.error();
        } else if (trustType == "PKCS12") {
            if (auto r = usePkcs12(native, setting, *data, s.truststorePassword, false); !r) {
                return Error{r.message()};
            }
        } else {
            return Error{"ssl.truststore.type=" + s.truststoreType +
                         " is not supported; use PEM or PKCS12"};
        }
    } else {
        // Java trusts the JVM's CA list by default; the system's is the equivalent here.
        ctx->set_default_verify_paths();
    }

    const std::string keyType = upper(s.keystoreType);
    if (!s.keystoreKey.empty() || !s.keystoreCertificateChain.empty()) {
        if (s.keystoreKey.empty() || s.keystoreCertificateChain.empty()) {
            return Error{
                "ssl.keystore.key and ssl.keystore.certificate.chain must be set together"};
        }
        if (keyType != "PEM") return Error{"ssl.keystore.key needs ssl.keystore.type=PEM"};
        if (auto r = usePemKeyPair(native, "ssl.keystore.certificate.chain",
                                   s.keystoreCertificateChain, s.keystoreKey, s.keyPassword);
            !r) {
            return Error{r.message()};
        }
    } else if (!s.keystoreLocation.empty()) {
        const std::string setting = "ssl.keystore.location '" + s.keystoreLocation + "'";
        auto data = readFile(setting, s.keystoreLocation);
        if (!data) return data.error();
        if (keyType == "PEM") {
            // Kafka's PEM keystore file holds the private key and the certificate chain.
            if (auto r = usePemKeyPair(native, setting, *data, *data, s.keyPassword); !r) {
                return Error{r.message()};
            }
        } else if (keyType == "PKCS12") {
            if (auto r = usePkcs12(native, setting, *data, s.keystorePassword, true); !r) {
                return Error{r.message()};
            }
        } else {
            return Error{"ssl.keystore.type=" + s.keystoreType +
                         " is not supported; use PEM or PKCS12"};
        }
    }
    if (!s.endpointIdentificationAlgorithm.empty() &&
        upper(s.endpointIdentificationAlgorithm) != "HTTPS") {
        return Error{"ssl.endpoint.identification.algorithm='" + s.endpointIdentificationAlgorithm +
                     "': use https or an empty value"};
    }
    return ctx;
}

void prepareClientSession(SSL* ssl, const std::string& host, bool verifyHost) {
    boost::system::error_code ec;
    const bool isIp = !boost::asio::ip::make_address(host, ec).is_unspecified() && !ec;
    if (!isIp) SSL_set_tlsext_host_name(ssl, host.c_str());
    if (!verifyHost) return;
    X509_VERIFY_PARAM* param = SSL_get0_param(ssl);
    if (isIp) {
        X509_VERIFY_PARAM_set1_ip_asc(param, host.c_str());
    } else {
        X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
        X509_VERIFY_PARAM_set1_host(param, host.c_str(), host.size());
    }
}

bool recordVerifyResult(bool preverified, asio_ssl::verify_context& ctx,
                        TlsVerifyFailure& failure) {
    if (preverified) return true;
    X509_STORE_CTX* store = ctx.native_handle();
    if (failure.reason.empty()) {
        failure.reason = X509_verify_cert_error_string(X509_STORE_CTX_get_error(store));
        if (X509* cert = X509_STORE_CTX_get_current_cert(store)) {
            char name[512];
            X509_NAME_oneline(X509_get_subject_name(cert), name, sizeof name);
            failure.subject = name;
        }
    }
    return false;
}

}  // namespace bs::security
