#pragma once

#include <QDialog>
#include <QMap>
#include <map>
#include <string>

class QLabel;
class QPushButton;
class QWidget;

namespace bs::ui {

// Every ProducerConfig key, grouped (batching, delivery, reliability, partitioning, network,
// serialization), each with its default and, in its tooltip, what it does (from config_def);
// validated as typed by the core's own parser; import/export .properties. Only keys that differ
// from the default are returned.
class ProducerSettingsDialog : public QDialog {
    Q_OBJECT
  public:
    ProducerSettingsDialog(const std::map<std::string, std::string>& current,
                           const QString& bootstrap, QWidget* parent = nullptr);
    std::map<std::string, std::string> properties() const;
    // Sets one key's editor (tests, import).
    void setValue(const QString& key, const QString& value);
    QString errorText() const;
    // Replaces the fields with a .properties file's keys, or, if any key or value is bad,
    // changes nothing and shows why; returns that reason (empty when imported).
    QString importFrom(const QString& path);
    // The message line under the fields (validation errors, import problems).
    QString message() const;
    bool isValid() const { return valid_; }

  private:
    void validate();
    void importFile();
    void exportFile();
    QString valueOf(const QString& key) const;

    QMap<QString, QWidget*> editors_;
    QString bootstrap_;
    QLabel* error_;
    QPushButton* ok_;
    bool valid_ = true;
};

}  // namespace bs::ui
