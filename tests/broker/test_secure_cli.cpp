// Our own clients over every security protocol against `batchscope-cli broker`: `produce`,
// `consume` and `perf` (the core producer and consumer underneath) with SASL_SSL for PLAIN,
// SCRAM-SHA-256 and SCRAM-SHA-512, SASL_PLAINTEXT, SSL alone and mutual TLS, the settings given
// as a .properties file as Kafka's tools take them. Each bad input is refused with an error
// naming what is wrong, and no output of any run (ours or the broker's) shows the password.
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include "broker/broker_process.h"
#include "broker/test_certs.h"

using bs::test::BrokerProcess;
using bs::test::runTool;
using bs::test::TestCerts;
using bs::test::ToolResult;

namespace {

const QString kPassword = QStringLiteral("alice-s3cret-pw");

QString cli() {
    return QStringLiteral(BS_BINARY_DIR "/app/batchscope-cli");
}

}  // namespace

class SecureCliTest : public QObject {
    Q_OBJECT

  private:
    QTemporaryDir dir_;
    TestCerts certs_;
    QByteArray allOutput_;  // every run's stdout and stderr, for the password check

    QString writeProps(const QString& name, const QStringList& lines) {
        const QString path = dir_.path() + "/" + name + ".properties";
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly)) return {};
        f.write(lines.join('\n').toUtf8() + "\n");
        return path;
    }

    QStringList sasl(const QString& protocol, const QString& mechanism, const QString& password) {
        const QString module = mechanism == QLatin1String("PLAIN")
                                   ? "org.apache.kafka.common.security.plain.PlainLoginModule"
                                   : "org.apache.kafka.common.security.scram.ScramLoginModule";
        QStringList p{"security.protocol=" + protocol, "sasl.mechanism=" + mechanism,
                      "sasl.jaas.config=" + module + " required username=\"alice\" password=\"" +
                          password + "\";"};
        if (protocol == QLatin1String("SASL_SSL"))
            p << "ssl.truststore.type=PEM"
              << "ssl.truststore.location=" + certs_.path("ca.pem");
        return p;
    }

    ToolResult cliRun(const QStringList& args, const QByteArray& input = {}) {
        ToolResult r = runTool(cli(), args, input, 90000);
        allOutput_ += r.out + r.err;
        return r;
    }

    // produce N lines, consume them back, then a short perf run, all with `props`.
    void roundTrip(const QString& bootstrap, const QString& props, const QString& topic) {
        QByteArray in;
        for (int i = 0; i < 20; ++i)
            in += topic.toUtf8() + "-" + QByteArray::number(i) + "\n";
        ToolResult p = cliRun({"produce", "--bootstrap-server", bootstrap, "--topic", topic,
                               "--producer.config", props},
                              in);
        QVERIFY2(p.exitCode == 0, p.err.constData());
        ToolResult c = cliRun({"consume", "--bootstrap-server", bootstrap, "--topic", topic,
                               "--from-beginning", "--max-messages", "20", "--timeout-ms", "20000",
                               "--consumer.config", props});
        QVERIFY2(c.exitCode == 0, c.err.constData());
        QStringList got = QString::fromUtf8(c.out).split('\n', Qt::SkipEmptyParts);
        got.sort();
        QStringList want = QString::fromUtf8(in).split('\n', Qt::SkipEmptyParts);
        want.sort();
        QCOMPARE(got, want);
        ToolResult perf = cliRun({"perf", "--topic", topic + "-perf", "--num-records", "2000",
                                  "--record-size", "100", "--throughput", "-1", "--producer-props",
                                  "bootstrap.servers=" + bootstrap, "--producer.config", props});
        QVERIFY2(perf.exitCode == 0, perf.err.constData());
        QVERIFY2(perf.out.contains("2000 records sent"), perf.out.constData());
    }

    // `produce` must fail; returns its stderr.
    QByteArray refused(const QString& bootstrap, const QStringList& props) {
        const QString file = writeProps("bad", props + QStringList{"max.block.ms=8000"});
        ToolResult r = cliRun({"produce", "--bootstrap-server", bootstrap, "--topic", "refused",
                               "--producer.config", file},
                              "x\n");
        [&] { QVERIFY2(r.exitCode != 0, r.err.constData()); }();
        return r.err;
    }

  private Q_SLOTS:
    void initTestCase() {
        QVERIFY2(QFile::exists(cli()), "batchscope-cli not built");
        QVERIFY(dir_.isValid());
        QVERIFY(certs_.create(dir_.path()));
    }

    void saslSslEveryMechanism() {
        QTemporaryDir data;
        BrokerProcess broker;
        QVERIFY(broker.start(
            data.path(),
            {"--nodes", "2", "--security-protocol", "SASL_SSL", "--ssl-cert",
             certs_.path("server.pem"), "--ssl-key", certs_.path("server.key"), "--sasl-mechanisms",
             "PLAIN,SCRAM-SHA-256,SCRAM-SHA-512", "--sasl-user", "alice:" + kPassword}));
        for (const char* mechanism : {"PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"}) {
            const QString m = QString::fromLatin1(mechanism);
            roundTrip(broker.bootstrap(), writeProps(m, sasl("SASL_SSL", m, kPassword)),
                      "sasl-" + m.toLower());
            if (QTest::currentTestFailed()) return;
        }
        // A wrong password, a mechanism the broker does not offer, a CA that did not sign the
        // broker's certificate, a host name the certificate does not carry.
        QByteArray err = refused(broker.bootstrap(), sasl("SASL_SSL", "SCRAM-SHA-256", "wrong"));
        QVERIFY2(err.contains("authentication failed") || err.contains("Authentication failed"),
                 err.constData());
        err = refused(broker.bootstrap(),
                      sasl("SASL_SSL", "PLAIN", kPassword)
                          .replaceInStrings("sasl.mechanism=PLAIN", "sasl.mechanism=SCRAM-SHA-1"));
        QVERIFY2(err.contains("sasl.mechanism"), err.constData());
        QStringList untrusted = sasl("SASL_SSL", "PLAIN", kPassword);
        untrusted.replaceInStrings(certs_.path("ca.pem"), certs_.path("other-ca.pem"));
        err = refused(broker.bootstrap(), untrusted);
        QVERIFY2(err.contains("certificate") && err.contains("ssl.truststore"), err.constData());
        QString byName = broker.bootstrap();
        byName.replace("127.0.0.1", "localhost");
        QCOMPARE(cliRun({"produce", "--bootstrap-server", byName, "--topic", "by-name",
                         "--producer.config",
                         writeProps("byname", sasl("SASL_SSL", "PLAIN", kPassword))},
                        "x\n")
                     .exitCode,
                 0);
        // A PLAINTEXT client on the TLS port: an error with a hint, not a hang.
        err = refused(broker.bootstrap(), {"security.protocol=PLAINTEXT"});
        QVERIFY2(err.contains("security.protocol"), err.constData());
        QVERIFY(broker.terminate() == 0);
        allOutput_ += broker.process().readAllStandardError();
    }

    void saslPlaintextAndTls() {
        {
            QTemporaryDir data;
            BrokerProcess broker;
            QVERIFY(broker.start(data.path(),
                                 {"--security-protocol", "SASL_PLAINTEXT", "--sasl-mechanisms",
                                  "SCRAM-SHA-512", "--sasl-user", "alice:" + kPassword}));
            roundTrip(broker.bootstrap(),
                      writeProps("sp", sasl("SASL_PLAINTEXT", "SCRAM-SHA-512", kPassword)),
                      "sasl-plaintext");
            QVERIFY(broker.terminate() == 0);
            allOutput_ += broker.process().readAllStandardError();
        }
        {
            // TLS alone, then mutual TLS: the client's certificate as a PEM keystore.
            QTemporaryDir data;
            BrokerProcess broker;
            QVERIFY(broker.start(
                data.path(),
                {"--security-protocol", "SSL", "--ssl-cert", certs_.path("server.pem"), "--ssl-key",
                 certs_.path("server.key"), "--ssl-client-ca", certs_.path("ca.pem")}));
            const QStringList tls{"security.protocol=SSL", "ssl.truststore.type=PEM",
                                  "ssl.truststore.location=" + certs_.path("ca.pem")};
            roundTrip(broker.bootstrap(),
                      writeProps("mtls", tls + QStringList{"ssl.keystore.type=PEM",
                                                           "ssl.keystore.location=" +
                                                               certs_.path("client-keystore.pem")}),
                      "mtls");
            if (QTest::currentTestFailed()) return;
            // Without a client certificate the broker refuses the handshake.
            const QByteArray err = refused(broker.bootstrap(), tls);
            QVERIFY2(err.contains("TLS"), err.constData());
            // A truststore that does not exist is named.
            const QByteArray missing = refused(
                broker.bootstrap(), {"security.protocol=SSL", "ssl.truststore.type=PEM",
                                     "ssl.truststore.location=" + dir_.path() + "/nope.pem"});
            QVERIFY2(missing.contains("ssl.truststore.location"), missing.constData());
            QVERIFY(broker.terminate() == 0);
        }
    }

    // Runs last: everything every run printed, and the broker's logs.
    void passwordNeverPrinted() {
        QVERIFY(!allOutput_.isEmpty());
        QVERIFY2(!allOutput_.contains(kPassword.toUtf8()),
                 "a password appeared in a log or an error message");
    }
};

QTEST_GUILESS_MAIN(SecureCliTest)
#include "test_secure_cli.moc"
