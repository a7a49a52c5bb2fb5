#pragma once

#include <QSettings>
#include <QString>
#include <map>
#include <string>

namespace bs::ui {

// Where the producer sends: the embedded cluster (the default a new user gets) or an external
// Kafka cluster. Persisted under "connection/" in QSettings.
struct ConnectionSettings {
    enum class Mode { Embedded, External };
    Mode mode = Mode::Embedded;
    QString bootstrapServers;  // External
    int nodes = 3;             // Embedded
    int partitions = 6;
    QString topic = QStringLiteral("demo");
    QString dataDir;  // Embedded; empty: the cluster's default data dir
    bool autoCreateTopics = true;
    // External: schema.registry.url of the cluster's Schema Registry (empty: none). The embedded
    // cluster brings its own.
    QString schemaRegistryUrl;
    // How long a new connection may take to answer its first Metadata request before the
    // attempt is given up (the current connection stays meanwhile). Not persisted.
    int connectTimeoutMs = 15000;

    // security.protocol and its settings, for either mode (the embedded cluster then listens so).
    QString securityProtocol = QStringLiteral("PLAINTEXT");
    QString saslMechanism = QStringLiteral("SCRAM-SHA-256");
    QString saslUsername;
    // Never saved with the rest: PasswordStore keeps it in the system keyring.
    QString saslPassword;
    QString caFile;              // External: ssl.truststore.location (PEM); empty: the system's CAs
    QString clientCertFile;      // External: ssl.keystore.location (PEM: key + chain), mutual TLS
    bool verifyHostName = true;  // ssl.endpoint.identification.algorithm=https

    bool usesTls() const;
    bool usesSasl() const;
    // What is missing or wrong in the security settings, naming the field; empty when usable.
    QString securityProblem() const;
    // The client properties for them (security.protocol, ssl.*, sasl.jaas.config with the
    // password). `trustedPem`: the embedded cluster's generated certificate.
    std::map<std::string, std::string> securityProperties(const std::string& trustedPem = {}) const;
    // The keyring entry holding the SASL password of these settings.
    QString passwordAccount() const;

    QString describe() const;
    void save(QSettings& s) const;
    static ConnectionSettings load(QSettings& s);
};

}  // namespace bs::ui
