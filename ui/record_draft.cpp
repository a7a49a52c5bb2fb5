#include "record_draft.h"

#include <QUuid>
#include <algorithm>
#include <map>
#include <memory>

#include "producer/serializers.h"

namespace bs::ui {

namespace {
// The composer's menu: BRIEF's list, named as core's serializers name them.
constexpr const char* kSerializers[] = {"string", "int",  "long", "double",
                                        "bytes",  "uuid", "json", "null"};
}  // namespace

QVector<QString> composerSerializers() {
    QVector<QString> out;
    for (const char* s : kSerializers)
        out.push_back(QString::fromLatin1(s));
    return out;
}

bool hasTemplate(const QString& text) {
    return text.contains(QLatin1String("${n}")) || text.contains(QLatin1String("${uuid}")) ||
           text.contains(QLatin1String("${time}"));
}

QString expandTemplate(const QString& text, qint64 n, qint64 nowMs) {
    if (!text.contains(QLatin1String("${"))) return text;
    QString out = text;
    out.replace(QLatin1String("${n}"), QString::number(n));
    out.replace(QLatin1String("${time}"), QString::number(nowMs));
    while (out.contains(QLatin1String("${uuid}"))) {
        // Each occurrence gets its own UUID.
        const int at = static_cast<int>(out.indexOf(QLatin1String("${uuid}")));
        out.replace(at, 7, QUuid::createUuid().toString(QUuid::WithoutBraces));
    }
    return out;
}

Result<std::optional<std::vector<uint8_t>>> serializeField(const QString& serializer,
                                                           const QString& text,
                                                           const QString& topic) {
    // Serializers are stateless: one per name per thread, not one per record.
    thread_local std::map<QString, std::unique_ptr<producer::Serializer>> cache;
    auto& slot = cache[serializer];
    if (!slot) {
        auto created = producer::createSerializer(serializer.toStdString());
        if (!created) return created.error();
        slot = std::move(*created);
    }
    const producer::Serializer* ser = slot.get();
    producer::FieldValue input = nullptr;
    if (serializer != QLatin1String("null")) input = text.toStdString();
    std::vector<uint8_t> bytes;
    bool isNull = false;
    const Status st = ser->serialize(topic.toStdString(), input, bytes, isNull);
    if (!st) return Error{st.message()};
    if (isNull) return std::optional<std::vector<uint8_t>>{};
    return std::optional<std::vector<uint8_t>>{std::move(bytes)};
}

Result<producer::ProducerRecord> toRecord(const RecordDraft& draft, qint64 n, qint64 nowMs) {
    producer::ProducerRecord record;
    record.topic = draft.topic.toStdString();
    record.partition = draft.partition;
    record.timestamp = draft.timestampMs;
    auto key =
        serializeField(draft.keySerializer, expandTemplate(draft.keyText, n, nowMs), draft.topic);
    if (!key) return Error{"key: " + key.error().message};
    auto value = serializeField(draft.valueSerializer, expandTemplate(draft.valueText, n, nowMs),
                                draft.topic);
    if (!value) return Error{"value: " + value.error().message};
    if (key->has_value()) record.key = std::move(**key);
    if (value->has_value()) record.value = std::move(**value);
    for (const auto& [k, v] : draft.headers) {
        const QByteArray utf8 = expandTemplate(v, n, nowMs).toUtf8();
        record.headers.push_back(
            producer::Header{k.toStdString(), std::vector<uint8_t>(utf8.begin(), utf8.end())});
    }
    return record;
}

QString previewField(const QString& serializer, const QString& text, int maxChars) {
    if (serializer == QLatin1String("null")) return QStringLiteral("null");
    // Runs once per record sent from the GUI: whitespace runs become one space, and only the
    // characters shown are looked at (no regex; the text may be a megabyte).
    QString s;
    s.reserve(std::min<qsizetype>(text.size(), maxChars));
    bool inSpace = false;
    for (const QChar c : text) {
        if (c.isSpace()) {
            inSpace = true;
            continue;
        }
        if (inSpace) s += QLatin1Char(' ');
        inSpace = false;
        if (s.size() >= maxChars) {
            s.truncate(maxChars - 1);
            s += QChar(0x2026);
            return s;
        }
        s += c;
    }
    if (inSpace) s += QLatin1Char(' ');
    if (s.size() > maxChars) {
        s.truncate(maxChars - 1);
        s += QChar(0x2026);
    }
    return s;
}

}  // namespace bs::ui
