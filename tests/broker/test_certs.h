#pragma once

// Certificates made at test time with the openssl CLI: a CA, a server certificate it signs
// (SAN localhost and 127.0.0.1), a client certificate it signs (mutual TLS, also as PKCS12),
// and a second, untrusted CA with a server certificate of its own.
#include <QDir>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QtTest>

namespace bs::test {

class TestCerts {
  public:
    // Creates everything in `dir`; false (with a warning) when openssl fails.
    bool create(const QString& dir) {
        dir_ = dir;
        QFile ext(path("ext.cnf"));
        if (!ext.open(QIODevice::WriteOnly)) return false;
        ext.write("subjectAltName=DNS:localhost,IP:127.0.0.1\n");
        ext.close();
        return makeCa("ca", "Batchscope Test CA") && makeCa("other-ca", "Untrusted CA") &&
               makeSigned("server", "ca", "localhost", true) &&
               makeSigned("client", "ca", "batchscope-client", false) &&
               makeSigned("rogue-server", "other-ca", "localhost", true) &&
               run({"pkcs12", "-export", "-in", path("client.pem"), "-inkey", path("client.key"),
                    "-out", path("client.p12"), "-passout", "pass:p12-secret"}) &&
               concat({"client.key", "client.pem"}, "client-keystore.pem");
    }
    QString path(const QString& name) const { return dir_ + "/" + name; }

  private:
    bool run(const QStringList& args) {
        QProcess p;
        p.start("openssl", args);
        if (!p.waitForFinished(60000) || p.exitCode() != 0) {
            qWarning() << "openssl" << args << p.readAllStandardError();
            return false;
        }
        return true;
    }
    bool makeCa(const QString& name, const QString& cn) {
        return run({"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                    "-nodes", "-keyout", path(name + ".key"), "-out", path(name + ".pem"), "-days",
                    "2", "-subj", "/CN=" + cn});
    }
    bool makeSigned(const QString& name, const QString& ca, const QString& cn, bool san) {
        QStringList sign{"x509",
                         "-req",
                         "-in",
                         path(name + ".csr"),
                         "-CA",
                         path(ca + ".pem"),
                         "-CAkey",
                         path(ca + ".key"),
                         "-CAcreateserial",
                         "-out",
                         path(name + ".pem"),
                         "-days",
                         "2"};
        if (san) sign += QStringList{"-extfile", path("ext.cnf")};
        return run({"req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                    "-keyout", path(name + ".key"), "-out", path(name + ".csr"), "-subj",
                    "/CN=" + cn}) &&
               run(sign);
    }
    bool concat(const QStringList& parts, const QString& out) {
        QFile o(path(out));
        if (!o.open(QIODevice::WriteOnly)) return false;
        for (const auto& part : parts) {
            QFile in(path(part));
            if (!in.open(QIODevice::ReadOnly)) return false;
            o.write(in.readAll());
        }
        return true;
    }

    QString dir_;
};

}  // namespace bs::test
