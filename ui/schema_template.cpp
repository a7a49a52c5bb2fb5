#include "schema_template.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>

namespace bs::ui {

namespace {

// Avro named types seen so far (a record may name a type defined earlier), by name and full name.
using NamedTypes = QMap<QString, QJsonObject>;

QJsonValue avroPlaceholder(const QJsonValue& type, NamedTypes& named, int depth);

void remember(const QJsonObject& o, NamedTypes& named) {
    const QString name = o.value(QLatin1String("name")).toString();
    if (name.isEmpty()) return;
    named.insert(name, o);
    const QString ns = o.value(QLatin1String("namespace")).toString();
    if (!ns.isEmpty()) named.insert(ns + QLatin1Char('.') + name, o);
}

QJsonValue avroPrimitive(const QString& t, NamedTypes& named, int depth) {
    if (t == QLatin1String("string") || t == QLatin1String("bytes")) return QString();
    if (t == QLatin1String("int") || t == QLatin1String("long")) return 0;
    if (t == QLatin1String("float") || t == QLatin1String("double")) return 0.0;
    if (t == QLatin1String("boolean")) return false;
    if (t == QLatin1String("null")) return QJsonValue::Null;
    if (auto it = named.find(t); it != named.end()) return avroPlaceholder(*it, named, depth + 1);
    return QJsonValue::Null;
}

QJsonValue avroPlaceholder(const QJsonValue& type, NamedTypes& named, int depth) {
    if (depth > 16) return QJsonValue::Null;  // a recursive type: stop somewhere
    if (type.isString()) return avroPrimitive(type.toString(), named, depth);
    if (type.isArray()) {
        // A union: null when it allows null, else the first branch as Avro's JSON encoding
        // writes a union ({"type": value}).
        const QJsonArray branches = type.toArray();
        for (const QJsonValue& b : branches)
            if (b.toString() == QLatin1String("null")) return QJsonValue::Null;
        if (branches.isEmpty()) return QJsonValue::Null;
        const QJsonValue first = branches.first();
        QString branchName = first.toString();
        if (first.isObject()) {
            const QJsonObject o = first.toObject();
            branchName = o.value(QLatin1String("name")).toString();
            if (branchName.isEmpty()) branchName = o.value(QLatin1String("type")).toString();
            const QString ns = o.value(QLatin1String("namespace")).toString();
            if (!ns.isEmpty() && o.contains(QLatin1String("name")))
                branchName = ns + QLatin1Char('.') + branchName;
        }
        return QJsonObject{{branchName, avroPlaceholder(first, named, depth + 1)}};
    }
    if (!type.isObject()) return QJsonValue::Null;
    const QJsonObject o = type.toObject();
    const QString t = o.value(QLatin1String("type")).toString();
    if (t == QLatin1String("record") || t == QLatin1String("error")) {
        remember(o, named);
        QJsonObject out;
        for (const QJsonValue& fv : o.value(QLatin1String("fields")).toArray()) {
            const QJsonObject f = fv.toObject();
            const QString name = f.value(QLatin1String("name")).toString();
            out.insert(name,
                       f.contains(QLatin1String("default"))
                           ? f.value(QLatin1String("default"))
                           : avroPlaceholder(f.value(QLatin1String("type")), named, depth + 1));
        }
        return out;
    }
    if (t == QLatin1String("enum")) {
        remember(o, named);
        const QJsonArray symbols = o.value(QLatin1String("symbols")).toArray();
        return symbols.isEmpty() ? QJsonValue(QString()) : symbols.first();
    }
    if (t == QLatin1String("fixed")) {
        remember(o, named);
        return QString();
    }
    if (t == QLatin1String("array")) return QJsonArray();
    if (t == QLatin1String("map")) return QJsonObject();
    return avroPrimitive(t, named, depth);  // {"type": "int", "logicalType": ...}
}

QJsonValue jsonSchemaPlaceholder(const QJsonObject& s, int depth) {
    if (depth > 16) return QJsonValue::Null;
    if (s.contains(QLatin1String("default"))) return s.value(QLatin1String("default"));
    QJsonValue typeValue = s.value(QLatin1String("type"));
    if (typeValue.isArray()) typeValue = typeValue.toArray().first();
    const QString t = typeValue.toString();
    if (t == QLatin1String("object") || s.contains(QLatin1String("properties"))) {
        QJsonObject out;
        const QJsonObject props = s.value(QLatin1String("properties")).toObject();
        for (auto it = props.begin(); it != props.end(); ++it)
            out.insert(it.key(), jsonSchemaPlaceholder(it.value().toObject(), depth + 1));
        return out;
    }
    if (t == QLatin1String("string")) return QString();
    if (t == QLatin1String("integer") || t == QLatin1String("number")) return 0;
    if (t == QLatin1String("boolean")) return false;
    if (t == QLatin1String("array")) return QJsonArray();
    if (const QJsonArray e = s.value(QLatin1String("enum")).toArray(); !e.isEmpty())
        return e.first();
    return QJsonValue::Null;
}

QString indented(const QJsonValue& v) {
    if (v.isObject()) return QString::fromUtf8(QJsonDocument(v.toObject()).toJson()).trimmed();
    if (v.isArray()) return QString::fromUtf8(QJsonDocument(v.toArray()).toJson()).trimmed();
    // A scalar: QJsonDocument holds only objects and arrays, so wrap and unwrap.
    const QString wrapped =
        QString::fromUtf8(QJsonDocument(QJsonArray{v}).toJson(QJsonDocument::Compact));
    return wrapped.mid(1, wrapped.size() - 2);
}

}  // namespace

QString schemaJsonTemplate(const QString& registryType, const QString& schemaText) {
    const QString type = registryType.toUpper();
    if (type == QLatin1String("PROTOBUF")) return QStringLiteral("{}");
    QJsonParseError err{};
    // An Avro schema may be a bare string ("string"): parse it inside an array.
    const QJsonDocument doc =
        QJsonDocument::fromJson(QStringLiteral("[%1]").arg(schemaText).toUtf8(), &err);
    if (err.error != QJsonParseError::NoError || !doc.isArray()) return QStringLiteral("{}");
    const QJsonValue schema = doc.array().first();
    if (type == QLatin1String("JSON")) return indented(jsonSchemaPlaceholder(schema.toObject(), 0));
    NamedTypes named;
    return indented(avroPlaceholder(schema, named, 0));
}

}  // namespace bs::ui
