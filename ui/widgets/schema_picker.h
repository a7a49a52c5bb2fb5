#pragma once

#include <QString>
#include <QStringList>
#include <QWidget>
#include <memory>
#include <vector>

#include "job_queue.h"
#include "serde/schema_serde.h"

class QComboBox;
class QLabel;
class QToolButton;

namespace bs::ui {

// The composer's schema picker for the key or the value when its type is a Schema Registry
// format (schema_formats.h): a registry subject and version (latest by default) listed from
// the connection's registry, the message type for formats that have them (Protobuf), or a local
// schema file registered under TopicNameStrategy (auto.register.schemas). Every registry call
// runs on its own worker (`bs-registry`); the resolved SchemaSerializer (which then serializes
// without the network) and any problem come back by queued calls. Object names: <side>Subject,
// <side>Version, <side>MessageType, <side>SchemaFile, <side>SchemaRefresh, <side>SchemaStatus
// with <side> "key" or "value". Lives on the GUI thread.
class SchemaPicker : public QWidget {
    Q_OBJECT
  public:
    SchemaPicker(bool isKey, QWidget* parent = nullptr);
    ~SchemaPicker() override;  // joins the worker

    // A schema format's name ("avro"); the picker resolves schemas of this format only.
    void setFormat(const QString& formatName);
    // The connection's schema.registry.url (empty: none): lists its subjects anew.
    void setRegistryUrl(const QString& url);
    QString registryUrl() const { return url_; }
    // The topic a schema file is registered for ({topic}-value / {topic}-key). A subject that was
    // picked as the old topic's own follows the topic to the new one's, when the registry has
    // it (TopicNameStrategy); a subject chosen for something else stays.
    void setTopic(const QString& topic);
    // Lists the registry's subjects again (keeps the chosen one when it is still there).
    void refresh();
    // Registers the schema in `path` under the topic's subject and picks it.
    void registerFile(const QString& path);
    // Picks subject and version (-1: latest) once the subjects are listed.
    void pick(const QString& subject, int version = -1);

    // The serializer of the picked schema; null while resolving or when there is a problem.
    std::shared_ptr<const serde::SchemaSerializer> serializer() const { return serializer_; }
    // Why there is no serializer (no registry, unreachable, resolving…); empty when there is one.
    QString problem() const { return problem_; }
    QString schemaText() const { return schemaText_; }
    QString registryType() const { return registryType_; }

  Q_SIGNALS:
    // serializer() or problem() changed.
    void changed();
    // A schema was newly resolved: a JSON template built from its fields, for the editor.
    void templateReady(const QString& json);

  private:
    struct Resolved {
        std::shared_ptr<const serde::SchemaSerializer> serializer;
        QString subject, schemaText, registryType, error;
        int version = 0;
        int id = 0;
        std::vector<int32_t> versions;
        QStringList messageTypes;
    };
    void resolve();
    void applyResolved(quint64 gen, const Resolved& r);
    void setProblem(const QString& problem);
    std::string prefix() const { return isKey_ ? "key." : "value."; }
    // {topic}-key or {topic}-value.
    QString ownSubject(const QString& topic) const;

    const bool isKey_;
    // GUI thread only.
    QString url_, topic_, formatName_;
    std::shared_ptr<serde::SchemaRegistryClient> client_;  // shared with queued jobs
    std::shared_ptr<const serde::SchemaSerializer> serializer_;
    QString problem_, schemaText_, registryType_;
    QString wantedSubject_;
    // The subject was not chosen for itself (none yet, or the topic's own): it follows the topic.
    bool followsTopic_ = true;
    int wantedVersion_ = -1;
    quint64 gen_ = 0;  // bumped per request: answers of older ones are dropped
    QComboBox* subject_;
    QComboBox* version_;
    QComboBox* messageType_;
    QToolButton* file_;
    QToolButton* refresh_;
    QLabel* status_;
    // Declared last: joined first, before the state its jobs use.
    std::unique_ptr<JobQueue> queue_;
};

}  // namespace bs::ui
