// kcat (librdkafka) against `batchscope-cli broker` over SASL_SSL (PLAIN, SCRAM-SHA-256,
// SCRAM-SHA-512), SSL alone and mutual TLS, with certificates made by the openssl CLI at test
// time; a wrong password, a mechanism the broker does not enable, an untrusted CA, a missing
// client certificate and a PLAINTEXT client on the TLS port are refused with librdkafka's own
// errors. The broker's stderr never shows a password.
#include <QTemporaryDir>
#include <QtTest>

#include "broker/broker_process.h"
#include "broker/test_certs.h"

using bs::test::BrokerProcess;
using bs::test::runTool;
using bs::test::TestCerts;

class SecureKcatTest : public QObject {
    Q_OBJECT

  private:
    QTemporaryDir certDir_;
    TestCerts certs_;

    static QByteArray lines(int count, const QByteArray& tag) {
        QByteArray in;
        for (int i = 0; i < count; ++i)
            in += tag + "-" + QByteArray::number(i) + "\n";
        return in;
    }

    // Produces `count` records to `topic` and reads them all back.
    void roundTrip(const QString& bootstrap, const QStringList& conf, const QString& topic,
                   int count) {
        QStringList x;
        for (const auto& c : conf)
            x += QStringList{"-X", c};
        const QByteArray tag = topic.toUtf8();
        auto produced =
            runTool("kcat", QStringList{"-P", "-b", bootstrap, "-t", topic, "-m", "20"} + x,
                    lines(count, tag));
        QVERIFY2(produced.exitCode == 0, produced.err.constData());
        QVERIFY2(!produced.err.contains("ERROR"), produced.err.constData());
        auto consumed = runTool("kcat", QStringList{"-C", "-b", bootstrap, "-t", topic, "-o",
                                                    "beginning", "-e", "-q", "-m", "20"} +
                                            x);
        QVERIFY2(consumed.exitCode == 0, consumed.err.constData());
        QStringList got = QString::fromUtf8(consumed.out).split('\n', Qt::SkipEmptyParts);
        got.sort();
        QStringList want = QString::fromUtf8(lines(count, tag)).split('\n', Qt::SkipEmptyParts);
        want.sort();
        QCOMPARE(got, want);
    }

    // kcat -L must fail; returns its stderr (librdkafka's errors).
    QByteArray refused(const QString& bootstrap, const QStringList& conf) {
        QStringList args{"-L", "-b", bootstrap, "-m", "5"};
        for (const auto& c : conf)
            args += QStringList{"-X", c};
        auto r = runTool("kcat", args);
        [&] { QVERIFY2(r.exitCode != 0, r.out.constData()); }();
        return r.err;
    }

    QStringList saslSsl(const QString& mechanism, const QString& password) {
        return {"security.protocol=SASL_SSL", "sasl.mechanisms=" + mechanism, "sasl.username=alice",
                "sasl.password=" + password, "ssl.ca.location=" + certs_.path("ca.pem")};
    }

    bool startBroker(BrokerProcess& broker, QTemporaryDir& data, const QStringList& extra) {
        return data.isValid() && broker.start(data.path(), QStringList{"--nodes", "2"} + extra);
    }

  private slots:
    void initTestCase() {
        QVERIFY(certDir_.isValid());
        QVERIFY(certs_.create(certDir_.path()));
    }

    void saslSslEveryMechanism() {
        QTemporaryDir data;
        BrokerProcess broker;
        QVERIFY(
            startBroker(broker, data,
                        {"--log-level", "info", "--security-protocol", "SASL_SSL", "--ssl-cert",
                         certs_.path("server.pem"), "--ssl-key", certs_.path("server.key"),
                         "--sasl-mechanisms", "PLAIN,SCRAM-SHA-256,SCRAM-SHA-512", "--sasl-user",
                         "alice:alice-secret", "--sasl-user", "bob:bob-secret"}));
        for (const QString m : {"PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"}) {
            roundTrip(broker.bootstrap(), saslSsl(m, "alice-secret"), "sasl-" + m, 300);
            if (QTest::currentTestFailed()) return;
        }
        for (const QString m : {"PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"}) {
            const QByteArray err = refused(broker.bootstrap(), saslSsl(m, "wrong-password"));
            QVERIFY2(
                err.contains("SASL authentication error") && err.contains("Authentication failed"),
                err.constData());
        }
        // A CA that did not sign the broker's certificate.
        QStringList untrusted = saslSsl("PLAIN", "alice-secret");
        untrusted.last() = "ssl.ca.location=" + certs_.path("other-ca.pem");
        const QByteArray sslErr = refused(broker.bootstrap(), untrusted);
        QVERIFY2(
            sslErr.contains("SSL handshake failed") && sslErr.contains("certificate verify failed"),
            sslErr.constData());
        // A PLAINTEXT client on the TLS port is dropped, not left hanging.
        const QByteArray plainErr = refused(broker.bootstrap(), {});
        QVERIFY2(plainErr.contains("Disconnected") || plainErr.contains("transport failure") ||
                     plainErr.contains("Connection"),
                 plainErr.constData());
        QCOMPARE(broker.terminate(), 0);
        const QByteArray log = broker.process().readAllStandardError();
        QVERIFY2(log.contains("authenticated as 'alice' with SCRAM-SHA-512"), log.constData());
        QVERIFY2(log.contains("login of user 'alice' refused"), log.constData());
        QVERIFY(!log.contains("alice-secret"));
        QVERIFY(!log.contains("wrong-password"));
    }

    void mechanismNotEnabled() {
        QTemporaryDir data;
        BrokerProcess broker;
        QVERIFY(startBroker(broker, data,
                            {"--security-protocol", "SASL_PLAINTEXT", "--sasl-mechanisms",
                             "SCRAM-SHA-512", "--sasl-user", "alice:alice-secret"}));
        const QByteArray err = refused(broker.bootstrap(),
                                       {"security.protocol=SASL_PLAINTEXT", "sasl.mechanisms=PLAIN",
                                        "sasl.username=alice", "sasl.password=alice-secret"});
        QVERIFY2(err.contains("Unsupported SASL mechanism") && err.contains("SCRAM-SHA-512"),
                 err.constData());
        roundTrip(broker.bootstrap(),
                  {"security.protocol=SASL_PLAINTEXT", "sasl.mechanisms=SCRAM-SHA-512",
                   "sasl.username=alice", "sasl.password=alice-secret"},
                  "sasl-plaintext", 100);
        QCOMPARE(broker.terminate(), 0);
    }

    void sslAlone() {
        QTemporaryDir data;
        BrokerProcess broker;
        QVERIFY(startBroker(broker, data,
                            {"--security-protocol", "SSL", "--ssl-cert", certs_.path("server.pem"),
                             "--ssl-key", certs_.path("server.key")}));
        roundTrip(broker.bootstrap(),
                  {"security.protocol=SSL", "ssl.ca.location=" + certs_.path("ca.pem")}, "ssl-only",
                  300);
        QCOMPARE(broker.terminate(), 0);
    }

    void mutualTls() {
        QTemporaryDir data;
        BrokerProcess broker;
        QVERIFY(startBroker(
            broker, data,
            {"--security-protocol", "SSL", "--ssl-cert", certs_.path("server.pem"), "--ssl-key",
             certs_.path("server.key"), "--ssl-client-ca", certs_.path("ca.pem")}));
        const QStringList tls{"security.protocol=SSL", "ssl.ca.location=" + certs_.path("ca.pem")};
        roundTrip(broker.bootstrap(),
                  tls + QStringList{"ssl.certificate.location=" + certs_.path("client.pem"),
                                    "ssl.key.location=" + certs_.path("client.key")},
                  "mtls", 300);
        // No client certificate: the broker ends the handshake.
        const QByteArray err = refused(broker.bootstrap(), tls);
        QVERIFY2(err.contains("SSL") || err.contains("Disconnected"), err.constData());
        QCOMPARE(broker.terminate(), 0);
    }

    void brokerFlagErrors_data() {
        QTest::addColumn<QStringList>("flags");
        QTest::addColumn<QString>("expected");
        QTest::newRow("protocol")
            << QStringList{"--security-protocol", "TLS"}
            << "--security-protocol: TLS not in {PLAINTEXT,SSL,SASL_PLAINTEXT,SASL_SSL}";
        QTest::newRow("no cert") << QStringList{"--security-protocol", "SSL"}
                                 << "--security-protocol SSL needs --ssl-cert and --ssl-key";
        QTest::newRow("missing cert")
            << QStringList{"--security-protocol", "SSL",       "--ssl-cert",
                           "/nonexistent.pem",    "--ssl-key", "/nonexistent.key"}
            << "--ssl-cert: cannot read '/nonexistent.pem'";
        QTest::newRow("no mechanisms")
            << QStringList{"--security-protocol", "SASL_PLAINTEXT", "--sasl-user", "a:b"}
            << "needs --sasl-mechanisms";
        QTest::newRow("bad mechanism") << QStringList{"--security-protocol", "SASL_PLAINTEXT",
                                                      "--sasl-mechanisms",   "GSSAPI",
                                                      "--sasl-user",         "a:b"}
                                       << "--sasl-mechanisms: 'GSSAPI' is not supported";
        QTest::newRow("no users") << QStringList{"--security-protocol", "SASL_PLAINTEXT",
                                                 "--sasl-mechanisms", "PLAIN"}
                                  << "needs at least one --sasl-user";
        QTest::newRow("bad user") << QStringList{"--sasl-user", "alice"}
                                  << "--sasl-user needs USER:PASSWORD";
        QTest::newRow("sasl without protocol")
            << QStringList{"--sasl-mechanisms", "PLAIN", "--sasl-user", "a:s3cr3t"}
            << "need --security-protocol SASL_PLAINTEXT or SASL_SSL";
    }
    void brokerFlagErrors() {
        QFETCH(QStringList, flags);
        QFETCH(QString, expected);
        QTemporaryDir data;
        auto r = runTool(BS_BINARY_DIR "/app/batchscope-cli",
                         QStringList{"broker", "--data-dir", data.path()} + flags);
        QCOMPARE(r.exitCode, 2 - (expected.startsWith("--ssl-cert:") ? 1 : 0));
        QVERIFY2(r.err.contains(expected.toUtf8()), r.err.constData());
        QVERIFY(!r.err.contains("s3cr3t"));
        QVERIFY(r.out.isEmpty());
    }
};

QTEST_GUILESS_MAIN(SecureKcatTest)
#include "test_secure_kcat.moc"
