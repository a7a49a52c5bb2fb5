#pragma once

#include <QSettings>
#include <QStringList>
#include <optional>

#include "connection_settings.h"

namespace bs::ui {

// The named clusters of the connection dialog and the toolbar's switcher, each a
// ConnectionSettings saved under "clusters/<name>/connection/" in QSettings (the name
// percent-encoded), and the last one used. Passwords are never here: PasswordStore keeps each
// one in the keyring under its settings' passwordAccount(). GUI thread.
namespace saved_clusters {

QStringList names(QSettings& s);
std::optional<ConnectionSettings> load(QSettings& s, const QString& name);
// Replaces a same-named entry. The password field is not written.
void save(QSettings& s, const QString& name, const ConnectionSettings& c);
void remove(QSettings& s, const QString& name);
// The cluster chosen last (switcher or dialog); empty when none.
QString lastUsed(QSettings& s);
void setLastUsed(QSettings& s, const QString& name);

}  // namespace saved_clusters

}  // namespace bs::ui
