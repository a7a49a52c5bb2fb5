#include "models/saved_messages.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>
#include <QStandardPaths>
#include <QUrl>
#include <algorithm>

namespace bs::ui {

namespace {

constexpr auto kMessageFormat = "batchscope.saved-message/1";
constexpr auto kCollectionFormat = "batchscope.saved-messages/1";

Error fail(const QString& s) {
    return Error{s.toStdString()};
}

QJsonObject field(const QString& serializer, const QString& text) {
    return QJsonObject{{QStringLiteral("serializer"), serializer}, {QStringLiteral("text"), text}};
}

// Reads the member `key` of `o`, of the JSON type `type`; `optional`: may be absent or null.
Result<QJsonValue> member(const QJsonObject& o, const QString& key, QJsonValue::Type type,
                          const QString& where, bool optional = false) {
    const QJsonValue v = o.value(key);
    if ((v.isUndefined() || v.isNull()) && optional) return QJsonValue();
    if (v.isUndefined()) return fail(QStringLiteral("%1'%2' is missing").arg(where, key));
    if (v.type() != type) {
        static const char* names[] = {"null",     "a boolean", "a number",
                                      "a string", "an array",  "an object"};
        const int t = type == QJsonValue::Bool     ? 1
                      : type == QJsonValue::Double ? 2
                      : type == QJsonValue::String ? 3
                      : type == QJsonValue::Array  ? 4
                                                   : 5;
        return fail(QStringLiteral("%1'%2' must be %3").arg(where, key, QLatin1String(names[t])));
    }
    return v;
}

Status writeJson(const QString& path, const QJsonObject& o) {
    // QSaveFile: a crash while writing leaves the old file, not half a new one.
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return fail(QStringLiteral("cannot write %1: %2").arg(path, f.errorString()));
    f.write(QJsonDocument(o).toJson(QJsonDocument::Indented));
    if (!f.commit()) return fail(QStringLiteral("cannot write %1: %2").arg(path, f.errorString()));
    return {};
}

Result<QJsonObject> readJson(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return fail(QStringLiteral("cannot read %1: %2").arg(path, f.errorString()));
    QJsonParseError err;
    const QJsonDocument doc = QJsonDocument::fromJson(f.readAll(), &err);
    if (err.error != QJsonParseError::NoError)
        return fail(QStringLiteral("%1: invalid JSON at byte %2: %3")
                        .arg(path)
                        .arg(err.offset)
                        .arg(err.errorString()));
    if (!doc.isObject()) return fail(QStringLiteral("%1: expected a JSON object").arg(path));
    return doc.object();
}

}  // namespace

QJsonObject toJson(const SavedMessage& m) {
    const RecordDraft& d = m.draft;
    QJsonArray headers;
    for (const DraftHeader& h : d.headers)
        headers.append(QJsonObject{
            {QStringLiteral("key"), h.key},
            {QStringLiteral("value"), h.value},
            {QStringLiteral("encoding"), h.hex ? QStringLiteral("hex") : QStringLiteral("utf8")}});
    return QJsonObject{
        {QStringLiteral("format"), QLatin1String(kMessageFormat)},
        {QStringLiteral("name"), m.name},
        {QStringLiteral("topic"), d.topic},
        {QStringLiteral("partition"), d.partition ? QJsonValue(*d.partition) : QJsonValue()},
        {QStringLiteral("key"), field(d.keySerializer, d.keyText)},
        {QStringLiteral("value"), field(d.valueSerializer, d.valueText)},
        {QStringLiteral("headers"), headers},
        {QStringLiteral("timestamp"),
         d.timestampMs ? QJsonValue(static_cast<double>(*d.timestampMs)) : QJsonValue()},
        {QStringLiteral("repeat"),
         QJsonObject{{QStringLiteral("count"), static_cast<double>(m.repeat.count)},
                     {QStringLiteral("ratePerSec"), m.repeat.ratePerSec},
                     {QStringLiteral("sync"), m.repeat.synchronous}}}};
}

Result<SavedMessage> savedMessageFromJson(const QJsonObject& o, const QString& where) {
    SavedMessage m;
    RecordDraft& d = m.draft;
#define BS_TAKE(var, obj, key, type, prefix, optional)                   \
    auto var = member(obj, QStringLiteral(key), type, prefix, optional); \
    if (!var) return var.error();
    BS_TAKE(format, o, "format", QJsonValue::String, where, true)
    if (!format->isNull() && format->toString() != QLatin1String(kMessageFormat))
        return fail(QStringLiteral("%1'format' is '%2', expected '%3'")
                        .arg(where, format->toString(), QLatin1String(kMessageFormat)));
    BS_TAKE(name, o, "name", QJsonValue::String, where, false)
    m.name = name->toString().trimmed();
    if (m.name.isEmpty()) return fail(QStringLiteral("%1'name' is empty").arg(where));
    BS_TAKE(topic, o, "topic", QJsonValue::String, where, false)
    d.topic = topic->toString();
    BS_TAKE(partition, o, "partition", QJsonValue::Double, where, true)
    if (!partition->isNull()) {
        const double p = partition->toDouble();
        if (p < 0 || p != static_cast<int>(p))
            return fail(QStringLiteral("%1'partition' must be a partition number or null, not %2")
                            .arg(where)
                            .arg(p));
        d.partition = static_cast<int>(p);
    }
    for (const bool isKey : {true, false}) {
        const QString name = isKey ? QStringLiteral("key") : QStringLiteral("value");
        auto f = member(o, name, QJsonValue::Object, where);
        if (!f) return f.error();
        const QString inner = where + name + QLatin1Char('.');
        BS_TAKE(ser, f->toObject(), "serializer", QJsonValue::String, inner, false)
        BS_TAKE(text, f->toObject(), "text", QJsonValue::String, inner, true)
        if (!composerSerializers().contains(ser->toString()))
            return fail(
                QStringLiteral("%1'serializer': unknown serializer '%2' (known: %3)")
                    .arg(inner, ser->toString(), composerSerializers().join(QLatin1String(", "))));
        (isKey ? d.keySerializer : d.valueSerializer) = ser->toString();
        (isKey ? d.keyText : d.valueText) = text->toString();
    }
    BS_TAKE(headers, o, "headers", QJsonValue::Array, where, true)
    const QJsonArray hs = headers->toArray();
    for (qsizetype i = 0; i < hs.size(); ++i) {
        const QString at = QStringLiteral("%1headers[%2].").arg(where).arg(i);
        if (!hs[i].isObject())
            return fail(QStringLiteral("%1: must be an object").arg(at.chopped(1)));
        const QJsonObject h = hs[i].toObject();
        BS_TAKE(key, h, "key", QJsonValue::String, at, false)
        BS_TAKE(value, h, "value", QJsonValue::String, at, true)
        BS_TAKE(encoding, h, "encoding", QJsonValue::String, at, true)
        const QString enc = encoding->isNull() ? QStringLiteral("utf8") : encoding->toString();
        if (enc != QLatin1String("utf8") && enc != QLatin1String("hex"))
            return fail(
                QStringLiteral("%1'encoding' must be \"utf8\" or \"hex\", not '%2'").arg(at, enc));
        d.headers.push_back({key->toString(), value->toString(), enc == QLatin1String("hex")});
    }
    BS_TAKE(timestamp, o, "timestamp", QJsonValue::Double, where, true)
    if (!timestamp->isNull()) d.timestampMs = static_cast<qint64>(timestamp->toDouble());
    BS_TAKE(repeat, o, "repeat", QJsonValue::Object, where, true)
    if (!repeat->isNull()) {
        const QJsonObject r = repeat->toObject();
        const QString at = where + QStringLiteral("repeat.");
        BS_TAKE(count, r, "count", QJsonValue::Double, at, true)
        BS_TAKE(rate, r, "ratePerSec", QJsonValue::Double, at, true)
        BS_TAKE(sync, r, "sync", QJsonValue::Bool, at, true)
        if (!count->isNull()) {
            if (count->toDouble() < 1)
                return fail(QStringLiteral("%1'count' must be at least 1").arg(at));
            m.repeat.count = static_cast<qint64>(count->toDouble());
        }
        if (!rate->isNull()) {
            if (rate->toDouble() < 0)
                return fail(QStringLiteral("%1'ratePerSec' must not be negative").arg(at));
            m.repeat.ratePerSec = rate->toDouble();
        }
        if (!sync->isNull()) m.repeat.synchronous = sync->toBool();
    }
#undef BS_TAKE
    return m;
}

SavedMessageStore::SavedMessageStore(QString dir) : dir_(std::move(dir)) {}

QString SavedMessageStore::defaultDir() {
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) +
           QStringLiteral("/saved-messages");
}

QString SavedMessageStore::fileOf(const QString& name) const {
    // Readable where it can be: letters, digits, space and -_.() stay as typed.
    const QString base = QString::fromLatin1(QUrl::toPercentEncoding(name, " ()"));
    return dir_ + QLatin1Char('/') + base + QStringLiteral(".json");
}

QVector<SavedMessage> SavedMessageStore::list(QStringList* problems) const {
    QVector<SavedMessage> out;
    const QDir dir(dir_);
    for (const QString& file : dir.entryList({QStringLiteral("*.json")}, QDir::Files)) {
        const QString path = dir.filePath(file);
        auto json = readJson(path);
        auto m = json ? savedMessageFromJson(*json, path + QStringLiteral(": "))
                      : Result<SavedMessage>(json.error());
        if (m)
            out.push_back(std::move(*m));
        else if (problems)
            problems->append(QString::fromStdString(m.error().message));
    }
    std::sort(out.begin(), out.end(), [](const SavedMessage& a, const SavedMessage& b) {
        return QString::localeAwareCompare(a.name, b.name) < 0;
    });
    return out;
}

Result<SavedMessage> SavedMessageStore::load(const QString& name) const {
    const QString path = fileOf(name);
    auto json = readJson(path);
    if (!json) return json.error();
    return savedMessageFromJson(*json, path + QStringLiteral(": "));
}

bool SavedMessageStore::contains(const QString& name) const {
    return QFile::exists(fileOf(name));
}

Status SavedMessageStore::save(const SavedMessage& m) {
    if (m.name.trimmed().isEmpty()) return fail(QStringLiteral("a saved message needs a name"));
    if (!QDir().mkpath(dir_)) return fail(QStringLiteral("cannot create %1").arg(dir_));
    return writeJson(fileOf(m.name), toJson(m));
}

Status SavedMessageStore::remove(const QString& name) {
    if (!QFile::remove(fileOf(name)))
        return fail(QStringLiteral("cannot delete '%1' (%2)").arg(name, fileOf(name)));
    return {};
}

Status SavedMessageStore::rename(const QString& from, const QString& to) {
    const QString target = to.trimmed();
    if (target.isEmpty()) return fail(QStringLiteral("a saved message needs a name"));
    if (target == from) return {};
    if (contains(target))
        return fail(QStringLiteral("a message named '%1' exists already").arg(target));
    auto m = load(from);
    if (!m) return m.error();
    m->name = target;
    if (Status st = save(*m); !st) return st;
    return remove(from);
}

Status SavedMessageStore::exportTo(const QString& path, const QStringList& names) const {
    QJsonArray messages;
    for (const SavedMessage& m : list())
        if (names.isEmpty() || names.contains(m.name)) messages.append(toJson(m));
    return writeJson(path, QJsonObject{{QStringLiteral("format"), QLatin1String(kCollectionFormat)},
                                       {QStringLiteral("messages"), messages}});
}

Result<QStringList> SavedMessageStore::importFrom(const QString& path) {
    auto json = readJson(path);
    if (!json) return json.error();
    QVector<SavedMessage> parsed;
    if (json->contains(QStringLiteral("messages"))) {
        const QString format = json->value(QStringLiteral("format")).toString();
        if (!format.isEmpty() && format != QLatin1String(kCollectionFormat))
            return fail(QStringLiteral("%1: 'format' is '%2', expected '%3'")
                            .arg(path, format, QLatin1String(kCollectionFormat)));
        const QJsonValue v = json->value(QStringLiteral("messages"));
        if (!v.isArray()) return fail(QStringLiteral("%1: 'messages' must be an array").arg(path));
        const QJsonArray a = v.toArray();
        for (qsizetype i = 0; i < a.size(); ++i) {
            const QString where = QStringLiteral("%1: messages[%2]: ").arg(path).arg(i);
            if (!a[i].isObject()) return fail(where + QStringLiteral("must be an object"));
            auto m = savedMessageFromJson(a[i].toObject(), where);
            if (!m) return m.error();
            parsed.push_back(std::move(*m));
        }
    } else {
        auto m = savedMessageFromJson(*json, path + QStringLiteral(": "));
        if (!m) return m.error();
        parsed.push_back(std::move(*m));
    }
    QStringList names;
    for (const SavedMessage& m : parsed) {
        if (Status st = save(m); !st) return Error{st.message()};
        names << m.name;
    }
    return names;
}

}  // namespace bs::ui
