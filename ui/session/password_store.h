#pragma once

#include <QObject>
#include <QString>
#include <functional>

namespace bs::ui {

// The saved connection's SASL password, in the system keyring through QtKeychain (Secret
// Service, KWallet, macOS Keychain, Windows Credential Manager). Never anywhere else: the plain
// settings file has no fallback, so with no keyring the password lasts for this run only and
// `done` says why. Asynchronous (the keyring may prompt the user); GUI thread.
class PasswordStore : public QObject {
    Q_OBJECT
  public:
    explicit PasswordStore(QObject* parent = nullptr);

    // `done(error)`: empty error once saved.
    void save(const QString& account, const QString& password,
              std::function<void(const QString& error)> done);
    // `done(password, error)`: the password, or an empty one and why.
    void load(const QString& account,
              std::function<void(const QString& password, const QString& error)> done);
    void forget(const QString& account);

    static constexpr const char* kService = "batchscope";
};

}  // namespace bs::ui
