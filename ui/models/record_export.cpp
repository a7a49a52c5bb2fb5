#include "models/record_export.h"

#include <QSaveFile>

#include "record_file/writer.h"

namespace bs::ui {

recordfile::FileRecord fileRecordOf(const consumer::ConsumerRecord& r) {
    auto bytes = [](const std::optional<consumer::Bytes>& b) {
        return b ? std::optional<recordfile::Bytes>(recordfile::Bytes(b->begin(), b->end()))
                 : std::nullopt;
    };
    recordfile::FileRecord f;
    f.topic = r.topic();
    f.partition = r.partition();
    f.offset = r.offset;
    if (r.timestamp >= 0) f.timestamp = r.timestamp;
    f.key = bytes(r.key);
    f.value = bytes(r.value);
    for (const auto& h : r.headers)
        f.headers.push_back({std::string(h.key), bytes(h.value)});
    return f;
}

QString writeRecordFile(const QString& path, recordfile::Format format,
                        const std::vector<recordfile::FileRecord>& records) {
    QSaveFile out(path);
    if (!out.open(QIODevice::WriteOnly))
        return QObject::tr("cannot write %1: %2").arg(path, out.errorString());
    auto put = [&out](const std::string& s) {
        return out.write(s.data(), static_cast<qint64>(s.size())) == static_cast<qint64>(s.size());
    };
    bool ok = put(recordfile::fileStart(format));
    for (const auto& r : records)
        ok = ok && put(recordfile::encodeRecord(format, r));
    if (!ok || !out.commit())
        return QObject::tr("cannot write %1: %2").arg(path, out.errorString());
    return {};
}

}  // namespace bs::ui
