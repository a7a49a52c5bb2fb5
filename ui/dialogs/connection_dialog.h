#pragma once

#include <QDialog>
#include <atomic>
#include <functional>
#include <memory>

#include "connection_settings.h"

class QRadioButton;
class QLineEdit;
class QSpinBox;
class QCheckBox;
class QComboBox;
class QLabel;
class QPushButton;
class QGroupBox;

namespace bs::ui {

class JobQueue;

// Switches between the embedded cluster and an external one at run time, each PLAINTEXT or
// secured (TLS, SASL). Test connection tries the external cluster's first bootstrap server off
// the GUI thread and shows each setup step. The password is shown as dots and never logged.
class ConnectionDialog : public QDialog {
    Q_OBJECT
  public:
    explicit ConnectionDialog(const ConnectionSettings& current, QWidget* parent = nullptr);
    ~ConnectionDialog() override;
    ConnectionSettings settings() const;

    // Saved clusters (saved_clusters.h, in QSettings): the one chosen in the list, if any.
    QString chosenCluster() const;
    // Fills the fields from the saved cluster `name` (its password from the keyring comes later,
    // if at all: the field is cleared). False when there is none of that name.
    bool chooseCluster(const QString& name);
    // Saves the fields under `name` (not the password) and lists it.
    void saveCluster(const QString& name);
    void deleteCluster(const QString& name);
    // How a chosen saved cluster's password is found (the keyring, PasswordStore::load): asked
    // with its passwordAccount(), it answers later through the callback (empty: none).
    using PasswordLookup =
        std::function<void(const QString& account, std::function<void(const QString&)> found)>;
    void setPasswordLookup(PasswordLookup lookup) { passwordLookup_ = std::move(lookup); }

    // How long Test connection waits for the broker.
    static constexpr int kTestTimeoutMs = 10000;

  Q_SIGNALS:
    // Test connection finished; `report` is the step list shown.
    void testFinished(bool ok, const QString& report);

  private:
    void setFields(const ConnectionSettings& c);
    void refreshClusters(const QString& select);
    void validate();
    void updateSecurityFields();
    void testConnection();
    QWidget* fileField(QLineEdit* edit, const QString& title);

    QRadioButton* embedded_;
    QRadioButton* external_;
    QSpinBox* nodes_;
    QSpinBox* partitions_;
    QLineEdit* topic_;
    QLineEdit* dataDir_;
    QCheckBox* autoCreate_;
    QLineEdit* bootstrap_;
    QLineEdit* registryUrl_;  // External: schema.registry.url
    QComboBox* protocol_;
    QComboBox* mechanism_;
    QLineEdit* user_;
    QLineEdit* password_;
    QLineEdit* caFile_;
    QLineEdit* clientCert_;
    QCheckBox* verifyHost_;
    QLabel* securityHint_;
    QPushButton* test_;
    QLabel* testResult_;
    QLabel* error_;
    QPushButton* ok_;
    QComboBox* clusters_;
    PasswordLookup passwordLookup_;  // saved clusters; item 0: "(not saved)"
    // The probe's worker; the flag ends a probe still running when the dialog closes.
    std::shared_ptr<std::atomic<bool>> cancelProbe_;
    std::unique_ptr<JobQueue> probeQueue_;
};

}  // namespace bs::ui
