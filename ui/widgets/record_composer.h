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
class QAction;
class QFormLayout;

namespace bs::ui {

class LiveProgressBar;
class SendService;
class TopicDirectory;
class SchemaPicker;

// The Record composer: topic, partition (auto or explicit), key and value with a serializer
// each, headers, timestamp; validated as typed (each field says why it is wrong and Send stays
// disabled); Send (Ctrl+Return) and repeat N at R records/s with templates (record_template.h);
// headers as text or hex bytes. Its fields carry object names (topic, partition, keySerializer,
// key, valueSerializer, value, headers, send, repeatCount, repeatRate, repeat, cancelRepeat, and
// <field>Error labels). A key or value of a Schema Registry format ("avro") gets a SchemaPicker
// (objects keySchema / valueSchema) and is encoded with the picked schema; a value the schema
// refuses is the field's error (the serializer's words: field and reason).
class RecordComposer : public QWidget {
    Q_OBJECT
  public:
    // Checks topics against `topics`; sends through `sends`.
    RecordComposer(const TopicDirectory* topics, SendService* sends, QWidget* parent = nullptr);

    RecordDraft draft() const;
    // Fills every field from `d` (a saved message, a replayed record); validates.
    void setDraft(const RecordDraft& d);
    // The repeat controls: count, records/s (0 = max), send().get().
    RepeatSettings repeatSettings() const;
    void setRepeatSettings(const RepeatSettings& r);
    bool isValid() const { return valid_; }
    QAction* sendAction() const { return sendAction_; }
    void setTopics(const QStringList& topics);
    // The connection's schema.registry.url (empty: none), for the schema pickers.
    void setSchemaRegistryUrl(const QString& url);
    SchemaPicker* keySchemaPicker() const { return keyPicker_; }
    SchemaPicker* valueSchemaPicker() const { return valuePicker_; }

  public Q_SLOTS:
    void validate();
    void sendOne();
    void startRepeat();

  Q_SIGNALS:
    // The key or topic changed: the explain panel recomputes.
    void keyChanged(const QString& topic, const std::optional<std::vector<uint8_t>>& keyBytes);

  private:
    void addHeaderRow(const DraftHeader& h);
    QLabel* makeErrorLabel(const QString& name);
    // Shows the pickers of schema-format fields and tells them the format and topic.
    void updateSchemaPickers();
    // A new schema's template goes into the editor unless the user typed something else there.
    void offerTemplate(bool key, const QString& json);
    static void setFieldError(QWidget* field, QLabel* label, const QString& error);

    const TopicDirectory* topics_;
    SendService* sends_;
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
    QCheckBox* sync_;  // send().get() per record
    QPushButton* repeat_;
    QPushButton* cancel_;
    LiveProgressBar* progress_;
    QLabel *topicError_, *partitionError_, *keyError_, *valueError_, *headersError_;
    QAction* sendAction_;
    QFormLayout* form_;
    SchemaPicker* keyPicker_;
    SchemaPicker* valuePicker_;
    QString keyTemplate_, valueTemplate_;  // the templates last offered (replaced when untouched)
    bool valid_ = false;
};

}  // namespace bs::ui
