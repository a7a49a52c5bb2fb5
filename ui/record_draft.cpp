#include "record_draft.h"

#include <algorithm>
#include <map>
#include <memory>

#include "common/text.h"
#include "producer/serializers.h"
#include "schema_formats.h"

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
    for (const QString& f : schemaFormatNames())
        out.push_back(f);
    return out;
}

QString expandTemplate(const QString& text, qint64 n, qint64 nowMs) {
    if (!text.contains(QLatin1Char('$'))) return text;
    auto expanded = expandTemplates(text, TemplateContext{n, nowMs, nullptr});
    return expanded ? *expanded : text;
}

Result<std::vector<uint8_t>> headerBytes(const DraftHeader& header, qint64 n, qint64 nowMs) {
    if (header.hex) {
        auto bytes = parseHex(header.value.toStdString());
        if (!bytes) return Error{"hex: " + bytes.error().message};
        return std::move(*bytes);
    }
    auto text = expandTemplates(header.value, TemplateContext{n, nowMs, nullptr});
    if (!text) return text.error();
    const QByteArray utf8 = text->toUtf8();
    return std::vector<uint8_t>(utf8.begin(), utf8.end());
}

Result<std::optional<std::vector<uint8_t>>> serializeField(const QString& serializer,
                                                           const QString& text,
                                                           const QString& topic,
                                                           const serde::SchemaSerializer* schema) {
    if (isSchemaFormatName(serializer)) {
        if (!schema) return Error{"pick a schema for " + serializer.toStdString()};
        auto bytes = schema->serialize(text.toStdString());
        if (!bytes) return bytes.error();
        return std::optional<std::vector<uint8_t>>{std::move(*bytes)};
    }
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
    const TemplateContext context{n, nowMs, nullptr};
    auto keyText = expandTemplates(draft.keyText, context);
    if (!keyText) return Error{"key: " + keyText.error().message};
    auto key = serializeField(draft.keySerializer, *keyText, draft.topic, draft.keySchema.get());
    if (!key) return Error{"key: " + key.error().message};
    auto valueText = expandTemplates(draft.valueText, context);
    if (!valueText) return Error{"value: " + valueText.error().message};
    auto value =
        serializeField(draft.valueSerializer, *valueText, draft.topic, draft.valueSchema.get());
    if (!value) return Error{"value: " + value.error().message};
    if (key->has_value()) record.key = std::move(**key);
    if (value->has_value()) record.value = std::move(**value);
    for (const DraftHeader& h : draft.headers) {
        auto bytes = headerBytes(h, n, nowMs);
        if (!bytes) return Error{"header '" + h.key.toStdString() + "': " + bytes.error().message};
        record.headers.push_back(producer::Header{h.key.toStdString(), std::move(*bytes)});
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
