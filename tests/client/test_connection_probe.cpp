// Test connection (client::probeConnection) against the embedded cluster listening SASL_SSL:
// every step passes with the right settings, and each wrong one fails at its own step with a
// reason naming the setting: nothing listening (TCP), an untrusted certificate or a host name
// it does not name (TLS, with the certificate's subject), a PLAINTEXT client on the TLS port
// (a hint, not a hang), a mechanism the broker does not enable, a wrong password (SASL), and
// settings that cannot be used at all (nothing tried).
#include <QTemporaryDir>
#include <QtTest>

#include "client/connection_probe.h"
#include "support/secure_cluster.h"

using namespace bs;
using Outcome = client::ProbeStep::Outcome;

namespace {

const std::string kPassword = "probe-secret-91";

// The step named `name` (prefix), or null.
const client::ProbeStep* step(const client::ProbeReport& r, const std::string& name) {
    for (const auto& s : r.steps)
        if (s.name.starts_with(name)) return &s;
    return nullptr;
}

}  // namespace

class ConnectionProbeTest : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    security::SelfSignedIdentity identity_;
    std::unique_ptr<broker::EmbeddedCluster> cluster_;
    std::string port_;
    std::string bootstrap_;  // localhost:port

    std::map<std::string, std::string> props(const std::string& mechanism,
                                             const std::string& password) const {
        return {{"bootstrap.servers", bootstrap_},
                {"security.protocol", "SASL_SSL"},
                {"ssl.truststore.type", "PEM"},
                {"ssl.truststore.certificates", identity_.certificatePem},
                {"sasl.mechanism", mechanism},
                {"sasl.jaas.config",
                 "org.apache.kafka.common.security.scram.ScramLoginModule required "
                 "username=\"alice\" password=\"" +
                     password + "\";"}};
    }

  private Q_SLOTS:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        // The certificate names localhost only: 127.0.0.1 is the same node under a name it lacks.
        auto started =
            bs::test::startSecureCluster(dir_.path().toStdString(), {}, "alice", kPassword);
        QVERIFY2(started.ok(), started.ok() ? "" : started.error().message.c_str());
        identity_ = started->identity;
        cluster_ = std::move(started->cluster);
        const std::string any = cluster_->bootstrapServers();
        port_ = any.substr(any.rfind(':') + 1);
        bootstrap_ = "localhost:" + port_;
    }

    void everyStepPasses() {
        const auto r = client::probeConnection(props("SCRAM-SHA-256", kPassword), 10000);
        QVERIFY2(r.ok(), r.text().c_str());
        QCOMPARE(r.steps.size(), size_t(4));
        QVERIFY(step(r, "TLS handshake")->detail.find("CN=localhost") != std::string::npos);
        QVERIFY(step(r, "TLS handshake")->detail.find("TLSv1") != std::string::npos);
        QVERIFY(step(r, "SASL authentication (SCRAM-SHA-256)") != nullptr);
        QVERIFY(r.text().find(kPassword) == std::string::npos);
    }

    void wrongPasswordFailsAtSasl() {
        const auto r = client::probeConnection(props("SCRAM-SHA-256", "wrong"), 10000);
        QVERIFY(!r.ok());
        QCOMPARE(step(r, "TLS handshake")->outcome, Outcome::Passed);
        QCOMPARE(step(r, "ApiVersions")->outcome, Outcome::Passed);
        const auto* sasl = step(r, "SASL authentication");
        QCOMPARE(sasl->outcome, Outcome::Failed);
        QVERIFY2(sasl->detail.find("alice") != std::string::npos &&
                     sasl->detail.find("authentication") != std::string::npos,
                 sasl->detail.c_str());
    }

    void mechanismNotEnabledFailsAtSasl() {
        const auto r = client::probeConnection(props("SCRAM-SHA-512", kPassword), 10000);
        const auto* sasl = step(r, "SASL authentication");
        QCOMPARE(sasl->outcome, Outcome::Failed);
        QVERIFY2(
            sasl->detail.find("sasl.mechanism=SCRAM-SHA-512 is not enabled") != std::string::npos,
            sasl->detail.c_str());
    }

    void untrustedCertificateFailsAtTls() {
        auto other = security::makeSelfSignedIdentity("localhost", {"localhost"}, {}, 1);
        auto p = props("SCRAM-SHA-256", kPassword);
        p["ssl.truststore.certificates"] = other->certificatePem;
        const auto r = client::probeConnection(p, 10000);
        QCOMPARE(step(r, "TCP connect")->outcome, Outcome::Passed);
        const auto* tls = step(r, "TLS handshake");
        QCOMPARE(tls->outcome, Outcome::Failed);
        QVERIFY2(tls->detail.find("CN=localhost") != std::string::npos &&
                     tls->detail.find("ssl.truststore") != std::string::npos,
                 tls->detail.c_str());
        QCOMPARE(step(r, "SASL authentication")->outcome, Outcome::NotReached);
    }

    void hostNameNotInCertificateFailsAtTls() {
        auto p = props("SCRAM-SHA-256", kPassword);
        p["bootstrap.servers"] = "127.0.0.1:" + port_;
        auto r = client::probeConnection(p, 10000);
        const auto* tls = step(r, "TLS handshake");
        QCOMPARE(tls->outcome, Outcome::Failed);
        QVERIFY2(tls->detail.find("ssl.endpoint.identification.algorithm") != std::string::npos,
                 tls->detail.c_str());
        // With the check off (an empty algorithm, as in Java) the same address passes.
        p["ssl.endpoint.identification.algorithm"] = "";
        r = client::probeConnection(p, 10000);
        QVERIFY2(r.ok(), r.text().c_str());
    }

    void plaintextClientOnTlsPortGetsAHint() {
        const auto r = client::probeConnection(
            {{"bootstrap.servers", bootstrap_}, {"security.protocol", "PLAINTEXT"}}, 10000);
        const auto* api = step(r, "ApiVersions");
        QCOMPARE(api->outcome, Outcome::Failed);
        QVERIFY2(api->detail.find("security.protocol") != std::string::npos, api->detail.c_str());
    }

    void nothingListeningFailsAtTcp() {
        const auto r = client::probeConnection(
            {{"bootstrap.servers", "127.0.0.1:1"}, {"security.protocol", "PLAINTEXT"}}, 5000);
        QCOMPARE(r.target, std::string("127.0.0.1:1"));
        const auto* tcp = step(r, "TCP connect");
        QCOMPARE(tcp->outcome, Outcome::Failed);
        QVERIFY2(tcp->detail.find("refused") != std::string::npos, tcp->detail.c_str());
        QCOMPARE(step(r, "ApiVersions")->outcome, Outcome::NotReached);
    }

    void unusableSettingsAreNamed() {
        auto p = props("SCRAM-SHA-256", kPassword);
        p.erase("ssl.truststore.certificates");
        p["ssl.truststore.location"] = dir_.path().toStdString() + "/missing-ca.pem";
        auto r = client::probeConnection(p, 10000);
        QVERIFY(r.steps.empty());
        QVERIFY2(r.settingsError.find("ssl.truststore.location") != std::string::npos,
                 r.settingsError.c_str());
        p = props("SCRAM-SHA-256", kPassword);
        p["sasl.jaas.config"] =
            "org.apache.kafka.common.security.scram.ScramLoginModule "
            "required username=\"alice\"";
        r = client::probeConnection(p, 10000);
        QVERIFY2(r.settingsError.find("sasl.jaas.config") != std::string::npos,
                 r.settingsError.c_str());
        r = client::probeConnection({{"bootstrap.servers", "nohostport"}}, 1000);
        QVERIFY2(r.settingsError.find("bootstrap.servers") != std::string::npos,
                 r.settingsError.c_str());
    }

    void cleanupTestCase() {
        if (cluster_) (void)cluster_->stop();
    }
};

QTEST_GUILESS_MAIN(ConnectionProbeTest)
#include "test_connection_probe.moc"
