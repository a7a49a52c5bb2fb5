#pragma once

#include <QSettings>
#include <QString>

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
    // How long a new connection may take to answer its first Metadata request before the
    // attempt is given up (the current connection stays meanwhile). Not persisted.
    int connectTimeoutMs = 15000;

    QString describe() const;
    void save(QSettings& s) const;
    static ConnectionSettings load(QSettings& s);
};

}  // namespace bs::ui
