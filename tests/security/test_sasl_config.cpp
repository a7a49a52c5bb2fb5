// sasl.jaas.config as Kafka writes it, and SASL/PLAIN messages as Kafka's server checks them;
// no error ever quotes the password.
#include <QtTest>

#include "security/jaas_config.h"
#include "security/sasl_plain.h"

using namespace bs::security;

class SaslConfigTest : public QObject {
    Q_OBJECT

  private slots:
    void kafkaStyleScram() {
        auto c = parseJaasConfig(
            "org.apache.kafka.common.security.scram.ScramLoginModule required "
            "username=\"alice\" password=\"alice-secret\";");
        QVERIFY(c.ok());
        QCOMPARE(c->loginModule, std::string(kScramLoginModule));
        QCOMPARE(c->controlFlag, std::string("required"));
        QCOMPARE(c->options.at("username"), std::string("alice"));
        QCOMPARE(c->options.at("password"), std::string("alice-secret"));
    }

    void quotingCommentsAndBareWords() {
        auto c = parseJaasConfig(
            "  org.apache.kafka.common.security.plain.PlainLoginModule   optional\n"
            "  /* who */ username=bob // the user\n"
            "  password=\"p;a=s \\\"s\\\\\" extra='x y'\n ;  ");
        QVERIFY2(c.ok(), c.ok() ? "" : c.error().message.c_str());
        QCOMPARE(c->controlFlag, std::string("optional"));
        QCOMPARE(c->options.at("username"), std::string("bob"));
        QCOMPARE(c->options.at("password"), std::string("p;a=s \"s\\"));
        QCOMPARE(c->options.at("extra"), std::string("x y"));
    }

    void malformed_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("expected");
        const QString m = "org.apache.kafka.common.security.scram.ScramLoginModule ";
        QTest::newRow("empty") << ""
                               << "sasl.jaas.config: empty";
        QTest::newRow("no flag") << m + "username=\"a\";"
                                 << "expected a control flag";
        QTest::newRow("bad flag") << m + "mandatory username=\"a\";"
                                  << "expected a control flag";
        QTest::newRow("no semicolon") << m + "required username=\"a\" password=\"s3cr3t\""
                                      << "expected ';' after the login module";
        QTest::newRow("no value") << m + "required username=;"
                                  << "expected a value for username";
        QTest::newRow("no equals") << m + "required username \"a\";"
                                   << "expected '=' after username";
        QTest::newRow("unterminated") << m + "required password=\"s3cr3t;"
                                      << "unterminated quoted value starting at position";
        QTest::newRow("two modules") << m + "required a=b; " + m + "required c=d;"
                                     << "must contain exactly one login module";
        QTest::newRow("bad char") << m + "required user@name=x;"
                                  << "unexpected character '@'";
    }
    void malformed() {
        QFETCH(QString, text);
        QFETCH(QString, expected);
        auto c = parseJaasConfig(text.toStdString());
        QVERIFY(!c.ok());
        const QString msg = QString::fromStdString(c.error().message);
        QVERIFY2(msg.startsWith("sasl.jaas.config: "), qPrintable(msg));
        QVERIFY2(msg.contains(expected), qPrintable(msg));
        QVERIFY2(!msg.contains("s3cr3t"), qPrintable(msg));
    }

    void plainMessages() {
        const std::string m = plainClientMessage("alice", "alice-secret");
        QCOMPARE(m, std::string("\0alice\0alice-secret", 19));
        auto c = parsePlainClientMessage(m);
        QVERIFY(c.ok());
        QCOMPARE(c->username, std::string("alice"));
        QCOMPARE(c->password, std::string("alice-secret"));
        QVERIFY(parsePlainClientMessage(std::string("alice\0alice\0pw", 14)).ok());

        auto fail = [](std::string_view msg, const char* expected) {
            auto r = parsePlainClientMessage(msg);
            QVERIFY(!r.ok());
            QVERIFY2(r.error().message.find(expected) != std::string::npos,
                     r.error().message.c_str());
            QVERIFY(r.error().message.find("s3cr3t") == std::string::npos);
        };
        fail(std::string_view("alice s3cr3t"), "expected 3 tokens");
        fail(std::string_view("\0\0s3cr3t", 8), "username not specified");
        fail(std::string_view("\0alice\0", 7), "password not specified");
        fail(std::string_view("bob\0alice\0s3cr3t", 16), "authorization id");
        fail(std::string_view("\0a\0b\0s3cr3t", 11), "expected 3 tokens");
    }
};

QTEST_GUILESS_MAIN(SaslConfigTest)
#include "test_sasl_config.moc"
