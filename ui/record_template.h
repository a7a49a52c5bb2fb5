#pragma once

#include <QString>

#include "common/result.h"

class QRandomGenerator;

namespace bs::ui {

// The composer's templates, expanded once per record sent (key, value and header values):
//   ${n}                     the record's number: 1, 2, 3, ... (single sends count too)
//   ${uuid}                  a random UUID, new for each occurrence
//   ${time}                  epoch milliseconds at send
//   ${now.iso}               the same instant as ISO 8601 UTC, e.g. 2026-12-06T11:50:24.123Z
//   ${random.int(a,b)}       a uniform integer in [a, b] (64-bit, a <= b)
//   ${random.choice(a|b|c)}  one of the alternatives, uniformly (text between the bars, as is)
//   $${                      a literal "${"
// Anything else inside ${...}, or a ${ without its }, is an error naming the expression.
struct TemplateContext {
    qint64 n = 1;
    qint64 nowMs = 0;
    // Null: QRandomGenerator::global(). Tests pass a seeded one.
    QRandomGenerator* random = nullptr;
};

Result<QString> expandTemplates(const QString& text, const TemplateContext& context);

// The first problem in `text`'s templates ("${random.int(5,1)}: a must not exceed b"), or an
// empty string; nothing is evaluated.
QString templateProblem(const QString& text);

// Whether `text` holds anything to expand (then it differs per record).
bool hasTemplate(const QString& text);

}  // namespace bs::ui
