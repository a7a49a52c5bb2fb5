#pragma once

#include <QWidget>

#include "record_draft.h"

class QComboBox;
class QLineEdit;
class QPlainTextEdit;
class QSpinBox;
class QDoubleSpinBox;
class QLabel;
class QPushButton;
class QTableWidget;
class QCheckBox;
class QDateTimeEdit;
class QProgressBar;
class QAction;

namespace bs::ui {

class AppController;

// The Record composer: topic, partition (auto or explicit), key and value with a serializer
// each, headers, timestamp; validated as typed (each field says why it is wrong and Send stays
// disabled); Send (Ctrl+Return) and repeat N at R records/s with ${n}/${uuid}/${time}.
class RecordComposer : public QWidget {
    Q_OBJECT
  public:
    explicit RecordComposer(AppController* controller, QWidget* parent = nullptr);

    RecordDraft draft() const;
    bool isValid() const { return valid_; }
    QAction* sendAction() const { return sendAction_; }
    void setTopics(const QStringList& topics);

    // Widgets, for the GUI tests.
    QComboBox* topicBox() const { return topic_; }
    QSpinBox* partitionSpin() const { return partition_; }
    QComboBox* keySerializerBox() const { return keySer_; }
    QLineEdit* keyEdit() const { return key_; }
    QComboBox* valueSerializerBox() const { return valueSer_; }
    QPlainTextEdit* valueEdit() const { return value_; }
    QPushButton* sendButton() const { return send_; }
    QPushButton* repeatButton() const { return repeat_; }
    QSpinBox* repeatCount() const { return count_; }
    QDoubleSpinBox* repeatRate() const { return rate_; }
    QLabel* topicError() const { return topicError_; }
    QLabel* partitionError() const { return partitionError_; }
    QLabel* keyError() const { return keyError_; }
    QLabel* valueError() const { return valueError_; }

  public Q_SLOTS:
    void validate();
    void sendOne();
    void startRepeat();

  Q_SIGNALS:
    // The key or topic changed: the explain panel recomputes.
    void keyChanged(const QString& topic, const std::optional<std::vector<uint8_t>>& keyBytes);

  private:
    QLabel* makeErrorLabel();
    static void setFieldError(QWidget* field, QLabel* label, const QString& error);

    AppController* controller_;
    QComboBox* topic_;
    QSpinBox* partition_;
    QComboBox* keySer_;
    QLineEdit* key_;
    QComboBox* valueSer_;
    QPlainTextEdit* value_;
    QTableWidget* headers_;
    QCheckBox* explicitTs_;
    QDateTimeEdit* timestamp_;
    QPushButton* send_;
    QSpinBox* count_;
    QDoubleSpinBox* rate_;
    QPushButton* repeat_;
    QPushButton* cancel_;
    QProgressBar* progress_;
    QLabel *topicError_, *partitionError_, *keyError_, *valueError_, *headersError_;
    QAction* sendAction_;
    bool valid_ = false;
};

}  // namespace bs::ui
