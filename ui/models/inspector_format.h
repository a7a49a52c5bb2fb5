#pragma once

#include <QString>
#include <QStringList>
#include <optional>
#include <utility>
#include <vector>

#include "consumer/consumer_record.h"
#include "consumer/deserializers.h"

namespace bs::ui {

// How the topic inspector turns record bytes into text. Pure functions, any thread.

// A key, value or header value as shown: the deserializer's text, "null", or why the bytes
// are not what the deserializer expects.
struct FieldText {
    QString text;
    bool isNull = false;
    bool ok = true;
};
FieldText renderField(const consumer::Deserializer& d, const std::optional<consumer::Bytes>& bytes);

// One line of at most maxChars (line breaks shown as ⏎), for table cells.
QString previewText(const QString& text, int maxChars = 160);

// Header values as text when they are UTF-8, else hex.
QString headerValueText(const std::optional<consumer::Bytes>& value);
// "k=v, k2=v2" (or "" when there are none).
QString headersPreview(std::span<const consumer::Header> headers);

// hexdump -C style: offset, 16 bytes in hex, the printable ASCII.
QString hexDump(consumer::Bytes bytes, int maxBytes = 64 * 1024);
// Indented JSON, or nullopt with `error` set when the bytes are not JSON.
std::optional<QString> prettyJson(consumer::Bytes bytes, QString* error = nullptr);

// "2026-11-25 11:30:00.123" in UTC (or "-" for -1).
QString formatTimestamp(qint64 epochMs);

// Bytes of key + value + header keys and values (what the record carries).
qint64 payloadSize(const consumer::ConsumerRecord& r);

// "base 12 · 3 rec · lz4", the Batch column.
QString batchSummary(const consumer::BatchInfo& b);
// Every v2 header field of the batch as (label, value) rows, for the detail pane.
std::vector<std::pair<QString, QString>> batchFields(const consumer::BatchInfo& b);

// The deserializers the inspector offers, in menu order.
QStringList inspectorDeserializers();

}  // namespace bs::ui
