#include "connection_settings.h"

namespace bs::ui {

QString ConnectionSettings::describe() const {
    if (mode == Mode::External) return QStringLiteral("external cluster %1").arg(bootstrapServers);
    return QStringLiteral("embedded cluster, %1 nodes").arg(nodes);
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
    s.endGroup();
    if (c.mode == Mode::External && c.bootstrapServers.isEmpty()) c.mode = Mode::Embedded;
    return c;
}

}  // namespace bs::ui
