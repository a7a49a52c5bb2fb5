#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>
#include <QStringList>
#include <QVector>
#include <map>
#include <optional>
#include <string>

#include "common/result.h"

namespace bs::ui {

// A lesson is data (resources/lessons/*.json, format in docs/LESSONS.md): steps that set up the
// world, run something, and name the place in the window to look at and what should be seen
// there. Parsed once; immutable.

// A node named directly ("2") or as the leader of a partition of the lesson's topic
// ("leader:0"), resolved against the cluster when the step starts.
struct NodeRef {
    int node = -1;
    int leaderOf = -1;
};

// A node id (2 or "2") or "leader:P"; nullopt for anything else.
std::optional<NodeRef> nodeRefFromJson(const QJsonValue& v);

// One change to an embedded node (the Cluster dock's controls), or to the step's topic.
struct NodeChange {
    NodeRef node;
    int addPartitions = 0;  // > 0: grow the step's topic by this many partitions (no node)
    std::optional<bool> up;
    std::optional<qint64> latencyMs;
    int apiKey = -1;  // with errorCode/errorCount: answer the next requests of this API so
    int errorCode = 0;
    int errorCount = 0;
};

// What a step sends, as the composer would: the fields by name, then Send or Repeat.
struct LessonSend {
    QString key;
    QString keySerializer = QStringLiteral("string");  // "null": keyless
    QString value = QStringLiteral("lesson record ${n}");
    QString valueSerializer = QStringLiteral("string");
    int partition = -1;  // -1: the partitioner decides
    int count = 1;
    double rate = 0;  // records/s; 0: as fast as send() returns
};

// Something the pipeline must show for the step to be done (kinds in docs/LESSONS.md).
struct LessonExpect {
    QString kind;
    QJsonObject args;
    QString says;  // the outcome in the learner's words, ticked when seen
};

struct LessonStep {
    QString title;
    QString text;   // two or three sentences in the Java client's terms
    QString look;   // objectName of the widget to look at (a dock, a view, a field)
    QString topic;  // this step's topic; empty: the lesson's
    // Producer properties this step sets on top of the earlier steps' ("" removes a key).
    std::map<std::string, std::string> producer;
    QVector<NodeChange> cluster;  // embedded cluster only; skipped (and said) elsewhere
    QString sender;               // "", "pause", "resume", "step" or "flush"
    std::optional<LessonSend> send;
    QVector<LessonExpect> expect;
};

struct Lesson {
    QString id;  // the file's base name without its order prefix, e.g. "batching"
    QString title;
    QString summary;
    QString topic = QStringLiteral("demo");
    QVector<LessonStep> steps;
};

// The expectation kinds the runner knows.
const QStringList& lessonExpectKinds();

// Parses one lesson; the error names `source`, the step and the field at fault.
Result<Lesson> parseLesson(const QByteArray& json, const QString& source);

// The lessons shipped in resources/lessons, in file-name order; files that do not parse are
// left out and named in `errors`.
QVector<Lesson> builtInLessons(QStringList* errors = nullptr);

}  // namespace bs::ui
