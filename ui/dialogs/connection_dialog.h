#pragma once

#include <QDialog>

#include "connection_settings.h"

class QRadioButton;
class QLineEdit;
class QSpinBox;
class QCheckBox;
class QLabel;

namespace bs::ui {

// Switches between the embedded cluster and an external one at run time.
class ConnectionDialog : public QDialog {
    Q_OBJECT
  public:
    explicit ConnectionDialog(const ConnectionSettings& current, QWidget* parent = nullptr);
    ConnectionSettings settings() const;

  private:
    void validate();

    QRadioButton* embedded_;
    QRadioButton* external_;
    QSpinBox* nodes_;
    QSpinBox* partitions_;
    QLineEdit* topic_;
    QLineEdit* dataDir_;
    QCheckBox* autoCreate_;
    QLineEdit* bootstrap_;
    QLabel* error_;
    class QPushButton* ok_;
};

}  // namespace bs::ui
