#pragma once

#include <QString>

#include "consumer/consumer_record.h"
#include "record_draft.h"

namespace bs::ui {

// "Send again…": a stored record as a composer draft that sends the same bytes. Key and value
// that are valid UTF-8 become text ("string", or "json" when they parse as JSON: both send the
// text's UTF-8 unchanged), others hex ("bytes"), null stays null; header values likewise, hex
// when not UTF-8. Text is escaped ($${) so nothing in it is taken for a template. The partition
// is kept; the timestamp is left to the producer (a replay is a new record).
RecordDraft replayDraft(const QString& topic, const consumer::ConsumerRecord& record);

// `text` with every "${" written "$${", so the composer sends it as it is.
QString escapeTemplates(const QString& text);

}  // namespace bs::ui
