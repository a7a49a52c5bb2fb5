#include "connection_settings.h"

#include <QFileInfo>

namespace bs::ui {

namespace {
// A value inside sasl.jaas.config's double quotes (Kafka's JaasConfig unescapes \\ and \").
std::string jaasQuoted(const QString& value) {
    std::string out = "\"";
    for (char c : value.toStdString()) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + "\"";
}
}  // namespace

bool ConnectionSettings::usesTls() const {
    return securityProtocol == QLatin1String("SSL") ||
           securityProtocol == QLatin1String("SASL_SSL");
}

bool ConnectionSettings::usesSasl() const {
    return securityProtocol.startsWith(QLatin1String("SASL_"));
}

QString ConnectionSettings::securityProblem() const {
    static const QStringList protocols{QStringLiteral("PLAINTEXT"), QStringLiteral("SSL"),
                                       QStringLiteral("SASL_PLAINTEXT"),
                                       QStringLiteral("SASL_SSL")};
    if (!protocols.contains(securityProtocol))
        return QStringLiteral("security.protocol: '%1' is not one of %2")
            .arg(securityProtocol, protocols.join(QStringLiteral(", ")));
    if (usesSasl()) {
        if (saslMechanism != QLatin1String("PLAIN") &&
            saslMechanism != QLatin1String("SCRAM-SHA-256") &&
            saslMechanism != QLatin1String("SCRAM-SHA-512"))
            return QStringLiteral(
                       "sasl.mechanism: '%1' is not PLAIN, SCRAM-SHA-256 or "
                       "SCRAM-SHA-512")
                .arg(saslMechanism);
        if (saslUsername.trimmed().isEmpty()) return QStringLiteral("SASL user: give a user name");
        if (saslPassword.isEmpty()) return QStringLiteral("SASL password: give the password");
    }
    if (usesTls() && mode == Mode::External) {
        for (const auto& [label, file] :
             {std::pair{QStringLiteral("CA file"), caFile},
              std::pair{QStringLiteral("Client certificate"), clientCertFile}}) {
            if (file.isEmpty()) continue;
            const QFileInfo fi(file);
            if (!fi.exists()) return QStringLiteral("%1: '%2' does not exist").arg(label, file);
            if (!fi.isFile() || !fi.isReadable())
                return QStringLiteral("%1: '%2' is not a readable file").arg(label, file);
        }
    }
    return {};
}

std::map<std::string, std::string> ConnectionSettings::securityProperties(
    const std::string& trustedPem) const {
    std::map<std::string, std::string> p;
    p["security.protocol"] = securityProtocol.toStdString();
    if (usesTls()) {
        p["ssl.endpoint.identification.algorithm"] = verifyHostName ? "https" : "";
        if (!trustedPem.empty()) {
            p["ssl.truststore.type"] = "PEM";
            p["ssl.truststore.certificates"] = trustedPem;
        } else if (!caFile.isEmpty()) {
            p["ssl.truststore.type"] = "PEM";
            p["ssl.truststore.location"] = caFile.toStdString();
        }
        if (mode == Mode::External && !clientCertFile.isEmpty()) {
            p["ssl.keystore.type"] = "PEM";
            p["ssl.keystore.location"] = clientCertFile.toStdString();
        }
    }
    if (usesSasl()) {
        p["sasl.mechanism"] = saslMechanism.toStdString();
        const std::string module = saslMechanism == QLatin1String("PLAIN")
                                       ? "org.apache.kafka.common.security.plain.PlainLoginModule"
                                       : "org.apache.kafka.common.security.scram.ScramLoginModule";
        p["sasl.jaas.config"] = module + " required username=" + jaasQuoted(saslUsername) +
                                " password=" + jaasQuoted(saslPassword) + ";";
    }
    return p;
}

QString ConnectionSettings::passwordAccount() const {
    const QString where =
        mode == Mode::External ? bootstrapServers : QStringLiteral("embedded cluster");
    return QStringLiteral("%1 %2@%3").arg(saslMechanism, saslUsername, where);
}

QString ConnectionSettings::describe() const {
    const QString secured = securityProtocol == QLatin1String("PLAINTEXT")
                                ? QString()
                                : QStringLiteral(" (%1)").arg(securityProtocol);
    if (mode == Mode::External)
        return QStringLiteral("external cluster %1%2").arg(bootstrapServers, secured);
    return QStringLiteral("embedded cluster, %1 nodes%2").arg(nodes).arg(secured);
}

void ConnectionSettings::save(QSettings& s) const {
    s.beginGroup(QStringLiteral("connection"));
    s.setValue(QStringLiteral("mode"), mode == Mode::External ? "external" : "embedded");
    s.setValue(QStringLiteral("bootstrapServers"), bootstrapServers);
    s.setValue(QStringLiteral("nodes"), nodes);
    s.setValue(QStringLiteral("partitions"), partitions);
    s.setValue(QStringLiteral("topic"), topic);
    s.setValue(QStringLiteral("dataDir"), dataDir);
    s.setValue(QStringLiteral("autoCreateTopics"), autoCreateTopics);
    s.setValue(QStringLiteral("schemaRegistryUrl"), schemaRegistryUrl);
    // The password is not among these (the keyring has it).
    s.setValue(QStringLiteral("securityProtocol"), securityProtocol);
    s.setValue(QStringLiteral("saslMechanism"), saslMechanism);
    s.setValue(QStringLiteral("saslUsername"), saslUsername);
    s.setValue(QStringLiteral("caFile"), caFile);
    s.setValue(QStringLiteral("clientCertFile"), clientCertFile);
    s.setValue(QStringLiteral("verifyHostName"), verifyHostName);
    s.endGroup();
}

ConnectionSettings ConnectionSettings::load(QSettings& s) {
    ConnectionSettings c;
    s.beginGroup(QStringLiteral("connection"));
    c.mode = s.value(QStringLiteral("mode")).toString() == QLatin1String("external")
                 ? Mode::External
                 : Mode::Embedded;
    c.bootstrapServers = s.value(QStringLiteral("bootstrapServers")).toString();
    c.nodes = qBound(1, s.value(QStringLiteral("nodes"), 3).toInt(), 9);
    c.partitions = qBound(1, s.value(QStringLiteral("partitions"), 6).toInt(), 1000);
    c.topic = s.value(QStringLiteral("topic"), QStringLiteral("demo")).toString();
    c.dataDir = s.value(QStringLiteral("dataDir")).toString();
    c.autoCreateTopics = s.value(QStringLiteral("autoCreateTopics"), true).toBool();
    c.schemaRegistryUrl = s.value(QStringLiteral("schemaRegistryUrl")).toString().trimmed();
    c.securityProtocol =
        s.value(QStringLiteral("securityProtocol"), QStringLiteral("PLAINTEXT")).toString();
    c.saslMechanism =
        s.value(QStringLiteral("saslMechanism"), QStringLiteral("SCRAM-SHA-256")).toString();
    c.saslUsername = s.value(QStringLiteral("saslUsername")).toString();
    c.caFile = s.value(QStringLiteral("caFile")).toString();
    c.clientCertFile = s.value(QStringLiteral("clientCertFile")).toString();
    c.verifyHostName = s.value(QStringLiteral("verifyHostName"), true).toBool();
    s.endGroup();
    if (c.mode == Mode::External && c.bootstrapServers.isEmpty()) c.mode = Mode::Embedded;
    return c;
}

}  // namespace bs::ui
