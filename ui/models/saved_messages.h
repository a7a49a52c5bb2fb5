#pragma once

#include <QJsonObject>
#include <QString>
#include <QVector>

#include "common/result.h"
#include "record_draft.h"

namespace bs::ui {

// A composer record kept under a name: the draft (topic, partition, key and value with their
// serializers, headers, timestamp) and the repeat settings. Templates stay unexpanded.
struct SavedMessage {
    QString name;
    RecordDraft draft;
    RepeatSettings repeat;
    bool operator==(const SavedMessage&) const = default;
};

// The JSON of one message (the file format, documented in the README):
//   {"format": "batchscope.saved-message/1", "name": ..., "topic": ..., "partition": null|N,
//    "key": {"serializer": ..., "text": ...}, "value": {...},
//    "headers": [{"key": ..., "value": ..., "encoding": "utf8"|"hex"}],
//    "timestamp": null|epoch-ms, "repeat": {"count": N, "ratePerSec": R, "sync": bool}}
QJsonObject toJson(const SavedMessage& m);
// Error names the field that is missing or of the wrong type (`where` prefixes it).
Result<SavedMessage> savedMessageFromJson(const QJsonObject& o, const QString& where);

// The saved messages in a folder, one readable JSON file per message (<name>.json, the name
// percent-encoded where a file name cannot hold it), so they can be read, diffed and copied by
// hand. A collection file ({"format": "batchscope.saved-messages/1", "messages": [...]}) exports
// and imports many at once. GUI thread only (small files, read and written at once).
class SavedMessageStore {
  public:
    // The folder is created on first save.
    explicit SavedMessageStore(QString dir);
    // <AppDataLocation>/saved-messages.
    static QString defaultDir();
    const QString& dir() const { return dir_; }

    // Every message in the folder, by name. Files that cannot be read are skipped and named in
    // `problems` (if given), one line each.
    QVector<SavedMessage> list(QStringList* problems = nullptr) const;
    Result<SavedMessage> load(const QString& name) const;
    bool contains(const QString& name) const;
    // Writes (or replaces) the message's file.
    Status save(const SavedMessage& m);
    Status remove(const QString& name);
    // Error if `to` exists already or `from` does not.
    Status rename(const QString& from, const QString& to);

    // The named messages (all when `names` is empty) into one collection file.
    Status exportTo(const QString& path, const QStringList& names = {}) const;
    // Every message of a collection file (or of a single message's file); all or nothing: the
    // first bad entry is the error ("messages[3]: 'key.serializer' is missing") and nothing is
    // saved. Returns the names imported; same-named messages are replaced.
    Result<QStringList> importFrom(const QString& path);

    QString fileOf(const QString& name) const;

  private:
    QString dir_;
};

}  // namespace bs::ui
