// The client's security.protocol / ssl.* / sasl.* settings: every bad input gets an error that
// names the setting and never quotes a secret; good ones give a TLS context and the login.
#include <QTemporaryDir>
#include <QtTest>

#include "broker/test_certs.h"
#include "security/client_security.h"

using namespace bs::security;
using Props = std::map<std::string, std::string>;

class ClientSecurityTest : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    bs::test::TestCerts certs_;

    std::string cert(const char* name) { return certs_.path(name).toStdString(); }
    static std::string jaas(const char* module, const char* options) {
        return std::string("org.apache.kafka.common.security.") + module + " required " + options +
               ";";
    }

  private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        QVERIFY(certs_.create(dir_.path()));
    }

    void plaintextByDefault() {
        auto s = parseClientSecurity({});
        QVERIFY(s.ok());
        QVERIFY(s->protocol == SecurityProtocol::Plaintext);
        QVERIFY(!s->tls);
    }

    void saslSslWithPemTruststore() {
        auto s = parseClientSecurity(
            {{"security.protocol", "sasl_ssl"},
             {"sasl.mechanism", "SCRAM-SHA-512"},
             {"ssl.truststore.location", cert("ca.pem")},
             {"sasl.jaas.config",
              jaas("scram.ScramLoginModule", "username=\"alice\" password=\"alice-secret\"")}});
        QVERIFY2(s.ok(), s.ok() ? "" : s.error().message.c_str());
        QVERIFY(s->protocol == SecurityProtocol::SaslSsl);
        QVERIFY(s->tls != nullptr);
        QVERIFY(s->verifyHostName);
        QCOMPARE(s->saslUsername, std::string("alice"));
        QCOMPARE(s->saslPassword, std::string("alice-secret"));
    }

    void keystoresPemAndPkcs12() {
        auto pem = parseClientSecurity({{"security.protocol", "SSL"},
                                        {"ssl.truststore.location", cert("ca.pem")},
                                        {"ssl.keystore.type", "PEM"},
                                        {"ssl.keystore.location", cert("client-keystore.pem")},
                                        {"ssl.endpoint.identification.algorithm", ""}});
        QVERIFY2(pem.ok(), pem.ok() ? "" : pem.error().message.c_str());
        QVERIFY(!pem->verifyHostName);
        auto p12 = parseClientSecurity({{"security.protocol", "SSL"},
                                        {"ssl.truststore.location", cert("ca.pem")},
                                        {"ssl.keystore.type", "PKCS12"},
                                        {"ssl.keystore.location", cert("client.p12")},
                                        {"ssl.keystore.password", "p12-secret"}});
        QVERIFY2(p12.ok(), p12.ok() ? "" : p12.error().message.c_str());
    }

    void badInput_data() {
        QTest::addColumn<QString>("name");
        QTest::newRow("protocol") << "protocol";
        QTest::newRow("missing CA file") << "missing CA file";
        QTest::newRow("CA file not PEM") << "CA file not PEM";
        QTest::newRow("truststore type") << "truststore type";
        QTest::newRow("PKCS12 password") << "PKCS12 password";
        QTest::newRow("endpoint algorithm") << "endpoint algorithm";
        QTest::newRow("default mechanism") << "default mechanism";
        QTest::newRow("mechanism") << "mechanism";
        QTest::newRow("no jaas") << "no jaas";
        QTest::newRow("malformed jaas") << "malformed jaas";
        QTest::newRow("jaas module") << "jaas module";
        QTest::newRow("jaas no password") << "jaas no password";
    }
    void badInput() {
        QFETCH(QString, name);
        const std::string scram =
            jaas("scram.ScramLoginModule", "username=\"a\" password=\"s3cr3t\"");
        Props sasl{{"security.protocol", "SASL_PLAINTEXT"},
                   {"sasl.mechanism", "PLAIN"},
                   {"sasl.jaas.config", scram}};
        struct Case {
            Props props;
            const char* expected;
        };
        const std::map<QString, Case> cases = {
            {"protocol", {{{"security.protocol", "TLS"}}, "security.protocol: 'TLS' is not one"}},
            {"missing CA file",
             {{{"security.protocol", "SSL"}, {"ssl.truststore.location", "/nonexistent/ca.pem"}},
              "ssl.truststore.location '/nonexistent/ca.pem': cannot read"}},
            {"CA file not PEM",
             {{{"security.protocol", "SSL"}, {"ssl.truststore.location", cert("ext.cnf")}},
              "no PEM certificate found"}},
            {"truststore type",
             {{{"security.protocol", "SSL"},
               {"ssl.truststore.type", "JKS"},
               {"ssl.truststore.location", cert("ca.pem")}},
              "ssl.truststore.type=JKS is not supported"}},
            {"PKCS12 password",
             {{{"security.protocol", "SSL"},
               {"ssl.keystore.type", "PKCS12"},
               {"ssl.keystore.location", cert("client.p12")},
               {"ssl.keystore.password", "s3cr3t"}},
              "cannot open the PKCS12 store (wrong password?)"}},
            {"endpoint algorithm",
             {{{"security.protocol", "SSL"}, {"ssl.endpoint.identification.algorithm", "ldap"}},
              "ssl.endpoint.identification.algorithm='ldap'"}},
            {"default mechanism",
             {{{"security.protocol", "SASL_SSL"}}, "sasl.mechanism: 'GSSAPI' is not supported"}},
            {"mechanism",
             {{{"security.protocol", "SASL_PLAINTEXT"}, {"sasl.mechanism", "OAUTHBEARER"}},
              "sasl.mechanism: 'OAUTHBEARER' is not supported"}},
            {"no jaas",
             {{{"security.protocol", "SASL_PLAINTEXT"}, {"sasl.mechanism", "SCRAM-SHA-256"}},
              "sasl.jaas.config is required"}},
            {"malformed jaas",
             {{{"security.protocol", "SASL_PLAINTEXT"},
               {"sasl.mechanism", "PLAIN"},
               {"sasl.jaas.config", scram.substr(0, scram.size() - 1)}},
              "sasl.jaas.config: expected ';'"}},
            {"jaas module",
             {{{"security.protocol", "SASL_PLAINTEXT"},
               {"sasl.mechanism", "PLAIN"},
               {"sasl.jaas.config", "com.example.Login required password=\"s3cr3t\";"}},
              "sasl.jaas.config: login module 'com.example.Login' is not supported"}},
            {"jaas no password",
             {{{"security.protocol", "SASL_PLAINTEXT"},
               {"sasl.mechanism", "PLAIN"},
               {"sasl.jaas.config", jaas("plain.PlainLoginModule", "username=\"a\"")}},
              "sasl.jaas.config: the password option is missing"}},
        };
        const Case& c = cases.at(name);
        auto s = parseClientSecurity(c.props);
        QVERIFY(!s.ok());
        QVERIFY2(s.error().message.find(c.expected) != std::string::npos,
                 s.error().message.c_str());
        QVERIFY(s.error().message.find("s3cr3t") == std::string::npos);
        QVERIFY(parseClientSecurity(sasl).ok());  // the baseline itself is fine
    }

    void secretKeys() {
        QVERIFY(isSecretSetting("sasl.jaas.config"));
        QVERIFY(isSecretSetting("ssl.keystore.password"));
        QVERIFY(!isSecretSetting("ssl.truststore.location"));
        QCOMPARE(clientSecurityKeys().size(), size_t(14));
    }
};

QTEST_GUILESS_MAIN(ClientSecurityTest)
#include "test_client_security.moc"
