// SCRAM against the RFCs' own exchanges (RFC 5802 section 5 for SHA-1, RFC 7677 section 3 for
// SHA-256), then our client against our server for SHA-256/512, and every way it must fail.
#include <QtTest>

#include "security/sasl_client.h"
#include "security/sasl_plain.h"
#include "security/scram.h"

using namespace bs::security;

namespace {

Bytes b64(std::string_view s) {
    auto d = base64Decode(s);
    if (!d) qFatal("bad base64 in test");
    return *d;
}

std::optional<ScramCredential> credentialFor(ScramMechanism m, const std::string& user,
                                             const std::string& password,
                                             const std::string& asked) {
    if (asked != user) return std::nullopt;
    return makeScramCredential(m, password, Bytes{1, 2, 3, 4, 5, 6, 7, 8}, 4096);
}

}  // namespace

class ScramTest : public QObject {
    Q_OBJECT

    // One RFC exchange, replayed on both sides with the RFC's nonces and salt.
    static void rfcExchange(ScramMechanism m, const std::string& clientNonce,
                            const std::string& serverNonce, const std::string& salt,
                            const std::string& serverFirst, const std::string& clientFinal,
                            const std::string& serverFinal) {
        ScramClient client(m, "user", "pencil", clientNonce);
        QCOMPARE(client.firstMessage(), "n,,n=user,r=" + clientNonce);
        auto final = client.finalMessage(serverFirst);
        QVERIFY2(final.ok(), final.ok() ? "" : final.error().message.c_str());
        QCOMPARE(*final, clientFinal);
        QVERIFY(client.verifyServerFinal(serverFinal).ok());

        ScramServer server(
            m,
            [&](const std::string& u) {
                return u == "user"
                           ? std::optional(makeScramCredential(m, "pencil", b64(salt), 4096))
                           : std::nullopt;
            },
            serverNonce);
        auto first = server.handleClientFirst(client.firstMessage());
        QVERIFY(first.ok());
        QCOMPARE(*first, serverFirst);
        auto last = server.handleClientFinal(clientFinal);
        QVERIFY2(last.ok(), last.ok() ? "" : last.error().message.c_str());
        QCOMPARE(*last, serverFinal);
        QVERIFY(server.complete());
        QCOMPARE(server.username(), std::string("user"));
    }

  private slots:
    void base64RoundTripAndStrictness() {
        QCOMPARE(base64Encode(asBytes("n,,")), std::string("biws"));
        QCOMPARE(base64Encode(asBytes("ab")), std::string("YWI="));
        QCOMPARE(*base64Decode("YWI="), (Bytes{'a', 'b'}));
        QCOMPARE(*base64Decode("YQ=="), (Bytes{'a'}));
        QCOMPARE(*base64Decode(""), Bytes{});
        QVERIFY(!base64Decode("YWI"));   // not a multiple of 4
        QVERIFY(!base64Decode("Y=I="));  // padding inside
        QVERIFY(!base64Decode("YW,="));  // not base64
    }

    void rfc5802Sha1Vector() {
        rfcExchange(ScramMechanism::Sha1, "fyko+d2lbbFgONRv9qkxdawL", "3rfcNHYJY1ZVvWVs7j",
                    "QSXCR+Q6sek8bf92",
                    "r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096",
                    "c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,"
                    "p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=",
                    "v=rmF9pqV8S7suAoZWja4dJRkFsKQ=");
    }

    void rfc7677Sha256Vector() {
        rfcExchange(ScramMechanism::Sha256, "rOprNGfwEbeRWgbNEkqO",
                    "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0", "W22ZaJ0SNY7soEsUEjb6gQ==",
                    "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
                    "s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096",
                    "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
                    "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=",
                    "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=");
    }

    void mechanismNames() {
        QCOMPARE(scramMechanismFromName("SCRAM-SHA-256"), std::optional(ScramMechanism::Sha256));
        QCOMPARE(scramMechanismFromName("SCRAM-SHA-512"), std::optional(ScramMechanism::Sha512));
        QVERIFY(!scramMechanismFromName("SCRAM-SHA-1"));
        QVERIFY(!scramMechanismFromName("scram-sha-256"));
    }

    void clientAgainstServer_data() {
        QTest::addColumn<int>("mechanism");
        QTest::addColumn<QString>("user");
        QTest::newRow("sha256") << int(ScramMechanism::Sha256) << "alice";
        QTest::newRow("sha512") << int(ScramMechanism::Sha512) << "alice";
        QTest::newRow("escaped name") << int(ScramMechanism::Sha512) << "a,b=c";
    }
    void clientAgainstServer() {
        QFETCH(int, mechanism);
        QFETCH(QString, user);
        const auto m = static_cast<ScramMechanism>(mechanism);
        const std::string name = user.toStdString();
        ScramClient client(m, name, "alice-secret");
        ScramServer server(
            m, [&](const std::string& u) { return credentialFor(m, name, "alice-secret", u); });
        const std::string first = client.firstMessage();
        if (name.find(',') != std::string::npos) QVERIFY(first.find("n=a=2Cb=3Dc,") != first.npos);
        auto serverFirst = server.handleClientFirst(first);
        QVERIFY(serverFirst.ok());
        auto final = client.finalMessage(*serverFirst);
        QVERIFY(final.ok());
        auto serverFinal = server.handleClientFinal(*final);
        QVERIFY(serverFinal.ok());
        QCOMPARE(server.username(), name);
        QVERIFY(client.verifyServerFinal(*serverFinal).ok());
    }

    void wrongPasswordIsRefused() {
        const auto m = ScramMechanism::Sha256;
        ScramClient client(m, "alice", "not-her-secret");
        ScramServer server(
            m, [&](const std::string& u) { return credentialFor(m, "alice", "alice-secret", u); });
        auto serverFirst = server.handleClientFirst(client.firstMessage());
        QVERIFY(serverFirst.ok());
        auto final = client.finalMessage(*serverFirst);
        QVERIFY(final.ok());
        auto refused = server.handleClientFinal(*final);
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().message,
                 std::string("Authentication failed: Invalid user credentials"));
        QVERIFY(!server.complete());
    }

    void unknownUserIsRefusedLikeAWrongPassword() {
        const auto m = ScramMechanism::Sha512;
        ScramClient client(m, "mallory", "x");
        ScramServer server(
            m, [&](const std::string& u) { return credentialFor(m, "alice", "alice-secret", u); });
        auto refused = server.handleClientFirst(client.firstMessage());
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().message,
                 std::string("Authentication failed: Invalid user credentials"));
    }

    // A server that does not know the password cannot forge the final signature.
    void forgedServerSignatureIsRefused() {
        const auto m = ScramMechanism::Sha256;
        ScramClient client(m, "alice", "alice-secret");
        ScramServer impostor(
            m, [&](const std::string& u) { return credentialFor(m, "alice", "guess", u); });
        auto serverFirst = impostor.handleClientFirst(client.firstMessage());
        QVERIFY(serverFirst.ok());
        auto final = client.finalMessage(*serverFirst);
        QVERIFY(final.ok());
        const auto bad = client.verifyServerFinal("v=" + base64Encode(Bytes(32, 7)));
        QVERIFY(!bad.ok());
        QVERIFY(bad.message().find("signature") != std::string::npos);
        QVERIFY(!client.verifyServerFinal("e=invalid-proof").ok());
    }

    void weakOrForeignServerFirstIsRefused() {
        ScramClient a(ScramMechanism::Sha256, "alice", "pw", "abc");
        auto weak = a.finalMessage("r=abcdef,s=QSXCR+Q6sek8bf92,i=1000");
        QVERIFY(!weak.ok());
        QVERIFY(weak.error().message.find("minimum 4096") != std::string::npos);
        ScramClient b(ScramMechanism::Sha256, "alice", "pw", "abc");
        QVERIFY(!b.finalMessage("r=xyzdef,s=QSXCR+Q6sek8bf92,i=4096").ok());  // nonce not ours
        ScramClient c(ScramMechanism::Sha256, "alice", "pw", "abc");
        QVERIFY(!c.finalMessage("garbage").ok());
    }

    // SaslClient drives the same exchanges token by token, as the network client does.
    void saslClientTokens() {
        SaslClient plain("PLAIN", "alice", "alice-secret");
        auto creds = parsePlainClientMessage(plain.initialResponse());
        QVERIFY(creds.ok());
        QCOMPARE(creds->password, std::string("alice-secret"));
        auto done = plain.evaluate("");
        QVERIFY(done.ok() && !*done && plain.complete());

        const auto m = ScramMechanism::Sha512;
        SaslClient scram("SCRAM-SHA-512", "alice", "alice-secret");
        ScramServer server(
            m, [&](const std::string& u) { return credentialFor(m, "alice", "alice-secret", u); });
        auto serverFirst = server.handleClientFirst(scram.initialResponse());
        QVERIFY(serverFirst.ok());
        auto clientFinal = scram.evaluate(*serverFirst);
        QVERIFY(clientFinal.ok() && *clientFinal);
        auto serverFinal = server.handleClientFinal(**clientFinal);
        QVERIFY(serverFinal.ok());
        QVERIFY(!scram.complete());
        auto last = scram.evaluate(*serverFinal);
        QVERIFY(last.ok() && !*last && scram.complete());

        SaslClient fooled("SCRAM-SHA-512", "alice", "alice-secret");
        (void)fooled.initialResponse();
        QVERIFY(!fooled.evaluate("r=not-our-nonce,s=QSXCR+Q6sek8bf92,i=4096").ok());
    }

    void malformedClientMessagesAreRefused() {
        const auto m = ScramMechanism::Sha256;
        auto lookup = [&](const std::string& u) { return credentialFor(m, "alice", "pw", u); };
        ScramServer s1(m, lookup);
        QVERIFY(!s1.handleClientFirst("p=tls-unique,,n=alice,r=x").ok());  // channel binding
        ScramServer s2(m, lookup);
        QVERIFY(!s2.handleClientFirst("n,,r=x").ok());  // no user
        ScramServer s3(m, lookup);
        QVERIFY(!s3.handleClientFinal("c=biws,r=x,p=AAAA").ok());  // final before first
        ScramServer s4(m, lookup, "srv");
        QVERIFY(s4.handleClientFirst("n,,n=alice,r=cli").ok());
        QVERIFY(!s4.handleClientFinal("c=biws,r=cliOTHER,p=AAAA").ok());  // nonce mismatch
        ScramServer s5(m, lookup);
        QVERIFY(!s5.handleClientFirst("n,a=bob,n=alice,r=x").ok());  // other authzid
    }
};

QTEST_GUILESS_MAIN(ScramTest)
#include "test_scram.moc"
