#include "models/replay_draft.h"

#include <string_view>

#include "common/json.h"
#include "common/text.h"

namespace bs::ui {

namespace {

std::string_view view(consumer::Bytes b) {
    return {reinterpret_cast<const char*>(b.data()), b.size()};
}

bool isUtf8(consumer::Bytes b) {
    return invalidUtf8At(view(b)) == std::string_view::npos;
}

QString hex(consumer::Bytes b) {
    return QString::fromStdString(toHex(b));
}

// Serializer and text for a key or value.
std::pair<QString, QString> field(const std::optional<consumer::Bytes>& bytes) {
    if (!bytes) return {QStringLiteral("null"), QString()};
    if (!isUtf8(*bytes)) return {QStringLiteral("bytes"), hex(*bytes)};
    const QString text = escapeTemplates(QString::fromUtf8(view(*bytes)));
    // "json" shows the user what it is (and checks edits); the bytes sent are the same text
    // (templates are expanded, so the escapes undone, before the serializer sees it).
    const bool json = !bytes->empty() && validateJson(view(*bytes)).ok();
    return {json ? QStringLiteral("json") : QStringLiteral("string"), text};
}

}  // namespace

QString escapeTemplates(const QString& text) {
    if (!text.contains(QLatin1String("${"))) return text;
    QString out = text;
    return out.replace(QLatin1String("${"), QLatin1String("$${"));
}

RecordDraft replayDraft(const QString& topic, const consumer::ConsumerRecord& record) {
    RecordDraft d;
    d.topic = topic;
    d.partition = record.partition();
    std::tie(d.keySerializer, d.keyText) = field(record.key);
    std::tie(d.valueSerializer, d.valueText) = field(record.value);
    for (const consumer::Header& h : record.headers) {
        DraftHeader dh;
        dh.key = QString::fromUtf8(h.key.data(), static_cast<qsizetype>(h.key.size()));
        if (h.value && !isUtf8(*h.value)) {
            dh.value = hex(*h.value);
            dh.hex = true;
        } else if (h.value) {
            dh.value = escapeTemplates(QString::fromUtf8(view(*h.value)));
        }
        d.headers.push_back(dh);
    }
    return d;
}

}  // namespace bs::ui
