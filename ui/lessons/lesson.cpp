#include "lessons/lesson.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

#include "protocol/api_keys.h"
#include "protocol/errors.h"

namespace bs::ui {

namespace {

Error fail(const QString& source, int step, const QString& what) {
    const QString where =
        step < 0 ? source : QStringLiteral("%1, step %2").arg(source).arg(step + 1);
    return Error{QStringLiteral("%1: %2").arg(where, what).toStdString()};
}

}  // namespace

std::optional<NodeRef> nodeRefFromJson(const QJsonValue& v) {
    if (v.isDouble() && v.toInt(-1) >= 0) return NodeRef{v.toInt(), -1};
    static const QRegularExpression leader(QStringLiteral("^leader:(\\d+)$"));
    if (v.isString()) {
        const auto m = leader.match(v.toString());
        if (m.hasMatch()) return NodeRef{-1, m.captured(1).toInt()};
        bool ok = false;
        const int n = v.toString().toInt(&ok);
        if (ok && n >= 0) return NodeRef{n, -1};
    }
    return std::nullopt;
}

namespace {

int apiKeyNamed(const QString& name) {
    for (int k = 0; k < 100; ++k) {
        const auto n = protocol::apiName(static_cast<protocol::ApiKey>(k));
        if (QString::fromUtf8(n.data(), static_cast<qsizetype>(n.size())) == name) return k;
    }
    return -1;
}

int errorCodeNamed(const QString& name) {
    for (int c = 1; c < 150; ++c) {
        const auto n = protocol::errorName(static_cast<protocol::ErrorCode>(c));
        if (QString::fromUtf8(n.data(), static_cast<qsizetype>(n.size())) == name) return c;
    }
    return -1;
}

Result<NodeChange> parseNodeChange(const QJsonObject& o, const QString& source, int step) {
    NodeChange c;
    if (o.contains(QStringLiteral("addPartitions"))) {
        c.addPartitions = o.value(QStringLiteral("addPartitions")).toInt(0);
        if (c.addPartitions < 1 || o.contains(QStringLiteral("node")))
            return fail(source, step,
                        QStringLiteral("cluster: addPartitions must be >= 1 and takes no node"));
        return c;
    }
    const auto ref = nodeRefFromJson(o.value(QStringLiteral("node")));
    if (!ref)
        return fail(source, step,
                    QStringLiteral("cluster: \"node\" must be a node id or \"leader:P\""));
    c.node = *ref;
    if (o.contains(QStringLiteral("up"))) c.up = o.value(QStringLiteral("up")).toBool();
    if (o.contains(QStringLiteral("latencyMs"))) {
        const int ms = o.value(QStringLiteral("latencyMs")).toInt(-1);
        if (ms < 0) return fail(source, step, QStringLiteral("cluster: latencyMs must be >= 0"));
        c.latencyMs = ms;
    }
    if (o.contains(QStringLiteral("error"))) {
        const QJsonObject e = o.value(QStringLiteral("error")).toObject();
        c.apiKey = apiKeyNamed(e.value(QStringLiteral("api")).toString());
        if (c.apiKey < 0)
            return fail(source, step,
                        QStringLiteral("cluster: error.api \"%1\" is not a Kafka API name")
                            .arg(e.value(QStringLiteral("api")).toString()));
        c.errorCode = errorCodeNamed(e.value(QStringLiteral("code")).toString());
        if (c.errorCode < 0)
            return fail(source, step,
                        QStringLiteral("cluster: error.code \"%1\" is not a Kafka error name")
                            .arg(e.value(QStringLiteral("code")).toString()));
        c.errorCount = e.value(QStringLiteral("count")).toInt(1);
    }
    return c;
}

Result<LessonSend> parseSend(const QJsonObject& o, const QString& source, int step) {
    LessonSend s;
    s.key = o.value(QStringLiteral("key")).toString();
    s.keySerializer = o.value(QStringLiteral("keySerializer")).toString(s.keySerializer);
    s.value = o.value(QStringLiteral("value")).toString(s.value);
    s.valueSerializer = o.value(QStringLiteral("valueSerializer")).toString(s.valueSerializer);
    s.partition = o.value(QStringLiteral("partition")).toInt(-1);
    s.count = o.value(QStringLiteral("count")).toInt(1);
    s.rate = o.value(QStringLiteral("rate")).toDouble(0);
    if (s.count < 1) return fail(source, step, QStringLiteral("send: count must be >= 1"));
    if (s.rate < 0) return fail(source, step, QStringLiteral("send: rate must be >= 0"));
    return s;
}

}  // namespace

const QStringList& lessonExpectKinds() {
    static const QStringList kinds = {
        QStringLiteral("delivered"),
        QStringLiteral("allInPartition"),
        QStringLiteral("onePartition"),
        QStringLiteral("partitionsAtLeast"),
        QStringLiteral("avoidsNode"),
        QStringLiteral("partitionSwitch"),
        QStringLiteral("fewerRequestsPerRecordThan"),
        QStringLiteral("moreBatchesPerRecordThan"),
        QStringLiteral("batchesPerRequest"),
        QStringLiteral("drainRotates"),
        QStringLiteral("inFlight"),
        QStringLiteral("retried"),
        QStringLiteral("noFailures"),
        QStringLiteral("inOrder"),
        QStringLiteral("sendBlocked"),
        QStringLiteral("failedWith"),
        QStringLiteral("offsetUnknown"),
        QStringLiteral("offsetKnown"),
        QStringLiteral("locatedOnDisk"),
        QStringLiteral("keysMoved"),
        QStringLiteral("fewerOnNode"),
    };
    return kinds;
}

Result<Lesson> parseLesson(const QByteArray& json, const QString& source) {
    QJsonParseError err;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &err);
    if (doc.isNull())
        return fail(
            source, -1,
            QStringLiteral("not JSON at byte %1: %2").arg(err.offset).arg(err.errorString()));
    if (!doc.isObject()) return fail(source, -1, QStringLiteral("a lesson is a JSON object"));
    const QJsonObject o = doc.object();
    Lesson l;
    l.title = o.value(QStringLiteral("title")).toString();
    l.summary = o.value(QStringLiteral("summary")).toString();
    l.topic = o.value(QStringLiteral("topic")).toString(l.topic);
    if (l.title.isEmpty()) return fail(source, -1, QStringLiteral("\"title\" is missing"));
    const QJsonArray steps = o.value(QStringLiteral("steps")).toArray();
    if (steps.isEmpty()) return fail(source, -1, QStringLiteral("\"steps\" is missing or empty"));
    static const QStringList senderVerbs = {QString(), QStringLiteral("pause"),
                                            QStringLiteral("resume"), QStringLiteral("step"),
                                            QStringLiteral("flush")};
    for (int i = 0; i < steps.size(); ++i) {
        const QJsonObject so = steps[i].toObject();
        LessonStep s;
        s.title = so.value(QStringLiteral("title")).toString();
        s.text = so.value(QStringLiteral("text")).toString();
        s.look = so.value(QStringLiteral("look")).toString();
        s.topic = so.value(QStringLiteral("topic")).toString();
        if (s.title.isEmpty() || s.text.isEmpty() || s.look.isEmpty())
            return fail(source, i, QStringLiteral("\"title\", \"text\" and \"look\" are required"));
        const QJsonObject props = so.value(QStringLiteral("producer")).toObject();
        for (auto it = props.begin(); it != props.end(); ++it) {
            if (!it.value().isString())
                return fail(source, i,
                            QStringLiteral("producer: %1 must be a string").arg(it.key()));
            s.producer[it.key().toStdString()] = it.value().toString().toStdString();
        }
        for (const QJsonValue& c : so.value(QStringLiteral("cluster")).toArray()) {
            auto change = parseNodeChange(c.toObject(), source, i);
            if (!change) return change.error();
            s.cluster.push_back(*change);
        }
        s.sender = so.value(QStringLiteral("sender")).toString();
        if (!senderVerbs.contains(s.sender))
            return fail(
                source, i,
                QStringLiteral("sender \"%1\" is not pause, resume, step or flush").arg(s.sender));
        if (so.contains(QStringLiteral("send"))) {
            auto send = parseSend(so.value(QStringLiteral("send")).toObject(), source, i);
            if (!send) return send.error();
            s.send = *send;
        }
        for (const QJsonValue& e : so.value(QStringLiteral("expect")).toArray()) {
            const QJsonObject eo = e.toObject();
            LessonExpect x;
            x.kind = eo.value(QStringLiteral("kind")).toString();
            x.says = eo.value(QStringLiteral("says")).toString();
            x.args = eo;
            if (!lessonExpectKinds().contains(x.kind))
                return fail(
                    source, i,
                    QStringLiteral("expect: unknown kind \"%1\" (docs/LESSONS.md lists them)")
                        .arg(x.kind));
            if (x.says.isEmpty())
                return fail(source, i,
                            QStringLiteral("expect %1: \"says\" is missing").arg(x.kind));
            const int ref = eo.value(QStringLiteral("step")).toInt(0) - 1;
            if ((x.kind == QLatin1String("fewerRequestsPerRecordThan") ||
                 x.kind == QLatin1String("moreBatchesPerRecordThan") ||
                 x.kind == QLatin1String("keysMoved")) &&
                (ref < 0 || ref >= i))
                return fail(
                    source, i,
                    QStringLiteral("expect %1: \"step\" must name an earlier step (1-based)")
                        .arg(x.kind));
            s.expect.push_back(x);
        }
        l.steps.push_back(std::move(s));
    }
    return l;
}

QVector<Lesson> builtInLessons(QStringList* errors) {
    QVector<Lesson> lessons;
    QDir dir(QStringLiteral(":/lessons"));
    const QStringList files = dir.entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name);
    for (const QString& name : files) {
        QFile f(dir.filePath(name));
        if (!f.open(QIODevice::ReadOnly)) {
            if (errors) errors->push_back(QStringLiteral("%1: cannot be read").arg(name));
            continue;
        }
        auto lesson = parseLesson(f.readAll(), name);
        if (!lesson) {
            if (errors) errors->push_back(QString::fromStdString(lesson.error().message));
            continue;
        }
        // "03-batching.json" -> "batching"
        lesson->id = QFileInfo(name).completeBaseName().section(QLatin1Char('-'), 1);
        lessons.push_back(std::move(*lesson));
    }
    return lessons;
}

}  // namespace bs::ui
