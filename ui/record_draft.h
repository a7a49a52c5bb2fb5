#pragma once

#include <QString>
#include <QVector>
#include <optional>
#include <utility>

#include "common/result.h"
#include "producer/producer_record.h"

namespace bs::ui {

// What the record composer holds: text as typed plus the serializer chosen for key and value.
// Turned into a ProducerRecord of serialized bytes by toRecord(), using core's serializers (the
// GUI's producer is configured with the bytes serializer, so each record may use its own).
struct RecordDraft {
    QString topic;
    std::optional<int> partition;  // nullopt: the partitioner decides
    QString keySerializer = QStringLiteral("string");
    QString keyText;
    QString valueSerializer = QStringLiteral("string");
    QString valueText;
    QVector<std::pair<QString, QString>> headers;
    std::optional<qint64> timestampMs;  // nullopt: stamped at send
};

// Expands ${n}, ${uuid} and ${time} (epoch ms) in `text`.
QString expandTemplate(const QString& text, qint64 n, qint64 nowMs);
bool hasTemplate(const QString& text);

// Serializes one field; nullopt bytes for Kafka null. Error names the serializer and the fault.
Result<std::optional<std::vector<uint8_t>>> serializeField(const QString& serializer,
                                                           const QString& text,
                                                           const QString& topic);

// The record to send for the n-th repetition (templates expanded, key/value serialized).
Result<producer::ProducerRecord> toRecord(const RecordDraft& draft, qint64 n, qint64 nowMs);

// The serializers the composer offers, in menu order ("string", "int", ...).
QVector<QString> composerSerializers();

// Short human preview of a field for the deliveries table.
QString previewField(const QString& serializer, const QString& text, int maxChars = 60);

}  // namespace bs::ui
