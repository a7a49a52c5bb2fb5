#include "models/inspector_format.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QStringDecoder>

#include "protocol/record/compression.h"

namespace bs::ui {

namespace {

QString hexOf(consumer::Bytes b) {
    return QString::fromLatin1(
        QByteArray(reinterpret_cast<const char*>(b.data()), static_cast<qsizetype>(b.size()))
            .toHex(' '));
}

QString qsv(std::string_view s) {
    return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size()));
}

}  // namespace

FieldText renderField(const consumer::Deserializer& d,
                      const std::optional<consumer::Bytes>& bytes) {
    if (!bytes) return {QStringLiteral("null"), true, true};
    std::string out;
    if (Status s = d.deserialize(*bytes, out); !s.ok())
        return {QString::fromStdString(s.message()), false, false};
    return {QString::fromStdString(out), false, true};
}

QString previewText(const QString& text, int maxChars) {
    QString s = text.left(maxChars + 1);
    s.replace(QLatin1Char('\n'), QChar(0x23CE));
    s.remove(QLatin1Char('\r'));
    if (s.size() > maxChars) s = s.left(maxChars - 1) + QChar(0x2026);
    return s;
}

QString headerValueText(const std::optional<consumer::Bytes>& value) {
    if (!value) return QStringLiteral("null");
    QStringDecoder utf8(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    QString s = utf8(QByteArrayView(value->data(), static_cast<qsizetype>(value->size())));
    if (utf8.hasError()) return QStringLiteral("0x") + hexOf(*value).remove(QLatin1Char(' '));
    return s;
}

QString headersPreview(std::span<const consumer::Header> headers) {
    QStringList parts;
    for (const auto& h : headers)
        parts << qsv(h.key) + QLatin1Char('=') + headerValueText(h.value);
    return parts.join(QStringLiteral(", "));
}

QString hexDump(consumer::Bytes bytes, int maxBytes) {
    QString out;
    const size_t n = std::min(bytes.size(), static_cast<size_t>(std::max(maxBytes, 0)));
    out.reserve(static_cast<qsizetype>(n / 16 + 1) * 78);
    for (size_t line = 0; line < n; line += 16) {
        out += QStringLiteral("%1  ").arg(line, 8, 16, QLatin1Char('0'));
        QString ascii;
        for (size_t i = line; i < line + 16; ++i) {
            if (i < n) {
                out += QStringLiteral("%1 ").arg(bytes[i], 2, 16, QLatin1Char('0'));
                ascii += (bytes[i] >= 0x20 && bytes[i] < 0x7f)
                             ? QLatin1Char(static_cast<char>(bytes[i]))
                             : QLatin1Char('.');
            } else {
                out += QStringLiteral("   ");
            }
            if (i == line + 7) out += QLatin1Char(' ');
        }
        out += QStringLiteral(" |") + ascii + QStringLiteral("|\n");
    }
    if (n < bytes.size()) out += QStringLiteral("… %1 more bytes\n").arg(bytes.size() - n);
    if (bytes.empty()) out = QStringLiteral("(0 bytes)");
    return out;
}

std::optional<QString> prettyJson(consumer::Bytes bytes, QString* error) {
    const QByteArray raw(reinterpret_cast<const char*>(bytes.data()),
                         static_cast<qsizetype>(bytes.size()));
    QJsonParseError pe;
    QJsonDocument doc = QJsonDocument::fromJson(raw, &pe);
    if (pe.error == QJsonParseError::NoError && !doc.isNull())
        return QString::fromUtf8(doc.toJson(QJsonDocument::Indented));
    // A bare scalar ("42", "\"text\"") is JSON too; QJsonDocument wants an object or array.
    QJsonParseError pe2;
    QJsonDocument wrapped = QJsonDocument::fromJson(QByteArray("[") + raw + QByteArray("]"), &pe2);
    if (pe2.error == QJsonParseError::NoError && wrapped.array().size() == 1) {
        QByteArray inner = wrapped.toJson(QJsonDocument::Compact);
        return QString::fromUtf8(inner.mid(1, inner.size() - 2));
    }
    if (error)
        *error = QStringLiteral("not JSON: %1 at byte %2").arg(pe.errorString()).arg(pe.offset);
    return std::nullopt;
}

QString formatTimestamp(qint64 epochMs) {
    if (epochMs < 0) return QStringLiteral("-");
    return QDateTime::fromMSecsSinceEpoch(epochMs, Qt::UTC)
        .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"));
}

qint64 payloadSize(const consumer::ConsumerRecord& r) {
    qint64 n = std::max(r.serializedKeySize(), 0) + std::max(r.serializedValueSize(), 0);
    for (const auto& h : r.headers)
        n += static_cast<qint64>(h.key.size()) +
             (h.value ? static_cast<qint64>(h.value->size()) : 0);
    return n;
}

QString batchSummary(const consumer::BatchInfo& b) {
    return QStringLiteral("base %1 · %2 rec · %3")
        .arg(b.baseOffset)
        .arg(b.recordCount)
        .arg(qsv(protocol::compressionName(b.compression)));
}

std::vector<std::pair<QString, QString>> batchFields(const consumer::BatchInfo& b) {
    auto n = [](qint64 v) { return QString::number(v); };
    std::vector<std::pair<QString, QString>> f;
    f.emplace_back(QStringLiteral("base offset"), n(b.baseOffset));
    f.emplace_back(
        QStringLiteral("last offset delta"),
        QStringLiteral("%1 (last offset %2)").arg(b.lastOffsetDelta).arg(b.lastOffset()));
    f.emplace_back(QStringLiteral("record count"), n(b.recordCount));
    f.emplace_back(QStringLiteral("compression"), qsv(protocol::compressionName(b.compression)));
    f.emplace_back(QStringLiteral("timestamp type"),
                   qsv(protocol::timestampTypeName(b.timestampType)));
    f.emplace_back(
        QStringLiteral("base timestamp"),
        QStringLiteral("%1 (%2 UTC)").arg(b.baseTimestamp).arg(formatTimestamp(b.baseTimestamp)));
    f.emplace_back(
        QStringLiteral("max timestamp"),
        QStringLiteral("%1 (%2 UTC)").arg(b.maxTimestamp).arg(formatTimestamp(b.maxTimestamp)));
    f.emplace_back(QStringLiteral("producer id"), n(b.producerId));
    f.emplace_back(QStringLiteral("producer epoch"), n(b.producerEpoch));
    f.emplace_back(
        QStringLiteral("base sequence"),
        b.baseSequence < 0
            ? n(b.baseSequence)
            : QStringLiteral("%1 (last sequence %2)").arg(b.baseSequence).arg(b.lastSequence()));
    f.emplace_back(QStringLiteral("partition leader epoch"), n(b.partitionLeaderEpoch));
    f.emplace_back(QStringLiteral("transactional / control"),
                   QStringLiteral("%1 / %2")
                       .arg(b.isTransactional ? QStringLiteral("yes") : QStringLiteral("no"))
                       .arg(b.isControl ? QStringLiteral("yes") : QStringLiteral("no")));
    f.emplace_back(QStringLiteral("CRC"),
                   QStringLiteral("0x%1").arg(b.crc, 8, 16, QLatin1Char('0')));
    f.emplace_back(QStringLiteral("size"), QStringLiteral("%1 bytes").arg(b.sizeInBytes));
    return f;
}

QStringList inspectorDeserializers() {
    return {QStringLiteral("string"), QStringLiteral("int"),   QStringLiteral("long"),
            QStringLiteral("double"), QStringLiteral("bytes"), QStringLiteral("uuid"),
            QStringLiteral("json"),   QStringLiteral("short"), QStringLiteral("float")};
}

}  // namespace bs::ui
