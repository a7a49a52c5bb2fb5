#pragma once

// The inspector's Export: records read back, written as a record file (docs/RECORD_FILES.md)
// that Import records… (and `batchscope-cli produce --input`) read back unchanged.

#include <QString>
#include <vector>

#include "consumer/consumer_record.h"
#include "record_file/file_record.h"

namespace bs::ui {

// A fetched record as a record file holds it (topic, partition, offset, timestamp, key, value,
// headers; bytes copied).
recordfile::FileRecord fileRecordOf(const consumer::ConsumerRecord& record);
// Writes the file whole or not at all (QSaveFile); returns the error, empty on success.
QString writeRecordFile(const QString& path, recordfile::Format format,
                        const std::vector<recordfile::FileRecord>& records);

}  // namespace bs::ui
