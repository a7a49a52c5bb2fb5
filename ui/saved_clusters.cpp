#include "saved_clusters.h"

#include <QUrl>
#include <algorithm>

namespace bs::ui::saved_clusters {

namespace {
const QString kGroup = QStringLiteral("clusters");

// QSettings keys cannot hold '/' or '\': the name is percent-encoded.
QString key(const QString& name) {
    return QString::fromLatin1(QUrl::toPercentEncoding(name, " "));
}
QString nameOf(const QString& key) {
    return QUrl::fromPercentEncoding(key.toLatin1());
}
}  // namespace

QStringList names(QSettings& s) {
    s.beginGroup(kGroup);
    QStringList out;
    for (const QString& k : s.childGroups())
        out << nameOf(k);
    s.endGroup();
    std::sort(out.begin(), out.end(),
              [](const QString& a, const QString& b) { return a.localeAwareCompare(b) < 0; });
    return out;
}

std::optional<ConnectionSettings> load(QSettings& s, const QString& name) {
    if (!names(s).contains(name)) return std::nullopt;
    s.beginGroup(kGroup + QLatin1Char('/') + key(name));
    ConnectionSettings c = ConnectionSettings::load(s);
    s.endGroup();
    return c;
}

void save(QSettings& s, const QString& name, const ConnectionSettings& c) {
    remove(s, name);
    s.beginGroup(kGroup + QLatin1Char('/') + key(name));
    c.save(s);  // never the password
    s.endGroup();
}

void remove(QSettings& s, const QString& name) {
    s.beginGroup(kGroup);
    s.remove(key(name));
    s.endGroup();
}

QString lastUsed(QSettings& s) {
    return s.value(QStringLiteral("clusterLastUsed")).toString();
}

void setLastUsed(QSettings& s, const QString& name) {
    s.setValue(QStringLiteral("clusterLastUsed"), name);
}

}  // namespace bs::ui::saved_clusters
