// The embedded cluster's throw-away TLS identity: a key and certificate a TLS server accepts,
// naming localhost and 127.0.0.1 (so Java's "https" host check passes for them and fails for any
// other name), its own trust anchor, the key file readable by its owner only.
#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <QTemporaryDir>
#include <QtTest>
#include <filesystem>

#include "security/self_signed.h"
#include "security/tls.h"

using namespace bs::security;

class SelfSignedTest : public QObject {
    Q_OBJECT
  private Q_SLOTS:
    void identityServesTlsForTheNamedHosts() {
        auto id = makeSelfSignedIdentity("localhost", {"localhost"}, {"127.0.0.1"}, 30);
        QVERIFY2(id.ok(), id.ok() ? "" : id.error().message.c_str());
        QVERIFY(id->certificatePem.starts_with("-----BEGIN CERTIFICATE-----"));
        QVERIFY(id->privateKeyPem.starts_with("-----BEGIN PRIVATE KEY-----"));

        BIO* bio =
            BIO_new_mem_buf(id->certificatePem.data(), static_cast<int>(id->certificatePem.size()));
        X509* cert = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
        BIO_free(bio);
        QVERIFY(cert);
        QCOMPARE(X509_check_host(cert, "localhost", 0, 0, nullptr), 1);
        QCOMPARE(X509_check_ip_asc(cert, "127.0.0.1", 0), 1);
        QCOMPARE(X509_check_host(cert, "example.com", 0, 0, nullptr), 0);
        QCOMPARE(X509_check_ip_asc(cert, "10.0.0.1", 0), 0);
        // Its own trust anchor: it verifies against a store holding only itself.
        X509_STORE* store = X509_STORE_new();
        X509_STORE_add_cert(store, cert);
        X509_STORE_CTX* ctx = X509_STORE_CTX_new();
        X509_STORE_CTX_init(ctx, store, cert, nullptr);
        QCOMPARE(X509_verify_cert(ctx), 1);
        X509_STORE_CTX_free(ctx);
        X509_STORE_free(store);
        X509_free(cert);

        QTemporaryDir dir;
        auto files = writeIdentity(*id, dir.path().toStdString() + "/tls");
        QVERIFY2(files.ok(), files.ok() ? "" : files.error().message.c_str());
        const auto perms = std::filesystem::status(files->second).permissions();
        QCOMPARE(perms & (std::filesystem::perms::group_all | std::filesystem::perms::others_all),
                 std::filesystem::perms::none);
        auto server = makeServerTlsContext({files->first, files->second, ""});
        QVERIFY2(server.ok(), server.ok() ? "" : server.error().message.c_str());
        // A client trusting the certificate's PEM text accepts it.
        ClientTlsSettings client;
        client.truststoreType = "PEM";
        client.truststoreCertificates = id->certificatePem;
        auto ctx2 = makeClientTlsContext(client);
        QVERIFY2(ctx2.ok(), ctx2.ok() ? "" : ctx2.error().message.c_str());
    }

    void everyIdentityIsNew() {
        auto a = makeSelfSignedIdentity("localhost", {"localhost"}, {}, 1);
        auto b = makeSelfSignedIdentity("localhost", {"localhost"}, {}, 1);
        QVERIFY(a.ok() && b.ok());
        QVERIFY(a->privateKeyPem != b->privateKeyPem);
        QVERIFY(a->certificatePem != b->certificatePem);
    }
};

QTEST_GUILESS_MAIN(SelfSignedTest)
#include "test_self_signed.moc"
