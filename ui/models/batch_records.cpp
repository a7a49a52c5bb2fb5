#include "models/batch_records.h"

#include <QObject>
#include <QStringList>
#include <string_view>

#include "common/text.h"
#include "models/inspector_format.h"
#include "protocol/record/record_batch.h"

namespace bs::ui {

namespace {

QString fieldText(const std::optional<protocol::Bytes>& bytes) {
    if (!bytes) return QStringLiteral("null");
    const std::string_view view(reinterpret_cast<const char*>(bytes->data()), bytes->size());
    const QString text = invalidUtf8At(view) == std::string_view::npos
                             ? QString::fromUtf8(view.data(), qsizetype(view.size()))
                             : QStringLiteral("0x") + QString::fromStdString(toHex(*bytes));
    return previewText(text, 40).toHtmlEscaped();
}

}  // namespace

QString batchRecordsText(std::span<const uint8_t> batch, int maxShown) {
    protocol::RecordBatchReader reader(protocol::Bytes(batch.data(), batch.size()));
    QStringList lines;
    int shown = 0, total = 0;
    while (reader.nextBatch()) {
        total += reader.batch().recordCount;
        protocol::Record r;
        while (shown < maxShown && reader.nextRecord(r)) {
            QString line = QStringLiteral("%1: %2 → %3")
                               .arg(r.offset)
                               .arg(fieldText(r.key), fieldText(r.value));
            if (r.headerCount > 0)
                line += r.headerCount == 1 ? QObject::tr(" (1 header)")
                                           : QObject::tr(" (%1 headers)").arg(r.headerCount);
            lines << line;
            ++shown;
        }
    }
    if (!reader.ok())
        return QObject::tr("records unreadable: %1")
            .arg(QString::fromStdString(reader.error()).toHtmlEscaped());
    if (total > shown) lines << QObject::tr("… and %1 more").arg(total - shown);
    // One flowing paragraph: a line each would take the accumulator's height for its lanes.
    return lines.join(QStringLiteral(" · "));
}

}  // namespace bs::ui
