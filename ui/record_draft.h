#pragma once

#include <QString>
#include <QVector>
#include <memory>
#include <optional>
#include <utility>

#include "common/result.h"
#include "producer/producer_record.h"
#include "record_template.h"
#include "serde/schema_serde.h"

namespace bs::ui {

// A header as the composer holds it: the value as UTF-8 text (templates allowed) or, `hex`, as
// hex bytes ("0a ff 10"), so a replayed header keeps bytes that are not UTF-8.
struct DraftHeader {
    QString key;
    QString value;
    bool hex = false;
    bool operator==(const DraftHeader&) const = default;
};

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
    QVector<DraftHeader> headers;
    std::optional<qint64> timestampMs;  // nullopt: stamped at send
    // The Schema Registry serializer of a field whose serializer is a schema format ("avro"):
    // resolved by the composer's schema picker (registry calls done), so serializing is pure.
    // Null: no schema picked yet (the field is then an error). Not saved with a message.
    std::shared_ptr<const serde::SchemaSerializer> keySchema, valueSchema;
    bool operator==(const RecordDraft&) const = default;
};

// The composer's repeat controls, kept with a saved message.
struct RepeatSettings {
    qint64 count = 100;
    double ratePerSec = 10;  // 0: as fast as the producer accepts
    bool synchronous = false;
    bool operator==(const RepeatSettings&) const = default;
};

// Expands the templates of `text` (record_template.h); a bad template leaves `text` as it is
// (previews only: toRecord() reports it).
QString expandTemplate(const QString& text, qint64 n, qint64 nowMs);

// A header's value bytes: UTF-8 of the (expanded) text, or the hex parsed. Error names the fault.
Result<std::vector<uint8_t>> headerBytes(const DraftHeader& header, qint64 n, qint64 nowMs);

// Serializes one field; nullopt bytes for Kafka null. Error names the serializer and the fault.
// A schema format ("avro", schema_formats.h) encodes with `schema` (an error when null).
Result<std::optional<std::vector<uint8_t>>> serializeField(
    const QString& serializer, const QString& text, const QString& topic,
    const serde::SchemaSerializer* schema = nullptr);

// The record to send for the n-th repetition (templates expanded, key/value serialized). A bad
// template is an error naming the field and the expression.
Result<producer::ProducerRecord> toRecord(const RecordDraft& draft, qint64 n, qint64 nowMs);

// The serializers the composer offers, in menu order ("string", "int", ..., then the schema
// formats: "avro").
QVector<QString> composerSerializers();

// Short human preview of a field for the deliveries table.
QString previewField(const QString& serializer, const QString& text, int maxChars = 60);

}  // namespace bs::ui
