#include "record_template.h"

#include <QDateTime>
#include <QRandomGenerator>
#include <QStringList>
#include <QUuid>
#include <limits>

namespace bs::ui {

namespace {

// One ${...} expression, parsed (and checked) before anything is evaluated.
struct Expression {
    enum Kind { N, Uuid, Time, NowIso, RandomInt, RandomChoice } kind = N;
    qint64 low = 0, high = 0;
    QStringList choices;
};

Error problem(const QString& expr, const QString& why) {
    return Error{QStringLiteral("${%1}: %2").arg(expr, why).toStdString()};
}

// The argument list of name(...), or an error when the parentheses are missing.
Result<QString> arguments(const QString& expr, QLatin1String name) {
    if (!expr.endsWith(QLatin1Char(')')) || expr.size() < name.size() + 2 ||
        expr.at(name.size()) != QLatin1Char('('))
        return problem(expr, QStringLiteral("expected %1(...)").arg(name));
    return expr.mid(name.size() + 1, expr.size() - name.size() - 2);
}

Result<Expression> parse(const QString& expr) {
    Expression e;
    if (expr == QLatin1String("n")) return e;
    if (expr == QLatin1String("uuid")) return e.kind = Expression::Uuid, e;
    if (expr == QLatin1String("time")) return e.kind = Expression::Time, e;
    if (expr == QLatin1String("now.iso")) return e.kind = Expression::NowIso, e;
    if (expr.startsWith(QLatin1String("random.int"))) {
        auto args = arguments(expr, QLatin1String("random.int"));
        if (!args) return args.error();
        const QStringList parts = args->split(QLatin1Char(','));
        if (parts.size() != 2)
            return problem(expr, QStringLiteral("random.int takes two integers, a and b"));
        bool okA = false, okB = false;
        e.low = parts[0].trimmed().toLongLong(&okA);
        e.high = parts[1].trimmed().toLongLong(&okB);
        if (!okA) return problem(expr, QStringLiteral("'%1' is not an integer").arg(parts[0]));
        if (!okB) return problem(expr, QStringLiteral("'%1' is not an integer").arg(parts[1]));
        if (e.low > e.high)
            return problem(expr,
                           QStringLiteral("a (%1) must not exceed b (%2)").arg(e.low).arg(e.high));
        e.kind = Expression::RandomInt;
        return e;
    }
    if (expr.startsWith(QLatin1String("random.choice"))) {
        auto args = arguments(expr, QLatin1String("random.choice"));
        if (!args) return args.error();
        if (args->isEmpty()) return problem(expr, QStringLiteral("random.choice has no choices"));
        e.choices = args->split(QLatin1Char('|'));
        e.kind = Expression::RandomChoice;
        return e;
    }
    return problem(expr, QStringLiteral("unknown template (known: ${n}, ${uuid}, ${time}, "
                                        "${now.iso}, ${random.int(a,b)}, "
                                        "${random.choice(a|b|c)})"));
}

QString evaluate(const Expression& e, const TemplateContext& c) {
    QRandomGenerator* rng = c.random ? c.random : QRandomGenerator::global();
    switch (e.kind) {
        case Expression::N:
            return QString::number(c.n);
        case Expression::Uuid:
            return QUuid::createUuid().toString(QUuid::WithoutBraces);
        case Expression::Time:
            return QString::number(c.nowMs);
        case Expression::NowIso:
            return QDateTime::fromMSecsSinceEpoch(c.nowMs, Qt::UTC).toString(Qt::ISODateWithMs);
        case Expression::RandomInt: {
            // [low, high] may span the whole 64-bit range: draw the offset unsigned.
            const quint64 span = static_cast<quint64>(e.high) - static_cast<quint64>(e.low);
            const quint64 offset = span == std::numeric_limits<quint64>::max()
                                       ? rng->generate64()
                                       : rng->bounded(span + 1);
            return QString::number(static_cast<qint64>(static_cast<quint64>(e.low) + offset));
        }
        case Expression::RandomChoice:
            return e.choices.at(static_cast<int>(rng->bounded(e.choices.size())));
    }
    return {};
}

// Walks `text`: literal runs go to `out` (if given), each expression to `onExpression`.
template <class OnExpression>
Status walk(const QString& text, QString* out, OnExpression onExpression) {
    qsizetype i = 0;
    while (i < text.size()) {
        const qsizetype dollar = text.indexOf(QLatin1Char('$'), i);
        if (dollar < 0) {
            if (out) out->append(QStringView(text).mid(i));
            break;
        }
        if (out) out->append(QStringView(text).mid(i, dollar - i));
        if (text.mid(dollar, 3) == QLatin1String("$${")) {
            if (out) out->append(QLatin1String("${"));
            i = dollar + 3;
            continue;
        }
        if (text.mid(dollar, 2) != QLatin1String("${")) {
            if (out) out->append(QLatin1Char('$'));
            i = dollar + 1;
            continue;
        }
        const qsizetype close = text.indexOf(QLatin1Char('}'), dollar + 2);
        if (close < 0)
            return Error{QStringLiteral("'%1': template without its closing '}' (write $${ for "
                                        "a literal ${)")
                             .arg(text.mid(dollar, 24))
                             .toStdString()};
        auto parsed = parse(text.mid(dollar + 2, close - dollar - 2));
        if (!parsed) return parsed.error();
        onExpression(*parsed);
        i = close + 1;
    }
    return {};
}

}  // namespace

Result<QString> expandTemplates(const QString& text, const TemplateContext& context) {
    if (!text.contains(QLatin1Char('$'))) return text;
    // Parse everything first: a bad expression late in the text leaves nothing half-expanded.
    if (const Status st = walk(text, nullptr, [](const Expression&) {}); !st)
        return Error{st.message()};
    QString out;
    out.reserve(text.size() + 16);
    (void)walk(text, &out, [&](const Expression& e) { out += evaluate(e, context); });
    return out;
}

QString templateProblem(const QString& text) {
    if (!text.contains(QLatin1Char('$'))) return {};
    const Status st = walk(text, nullptr, [](const Expression&) {});
    return st ? QString() : QString::fromStdString(st.message());
}

bool hasTemplate(const QString& text) {
    return text.contains(QLatin1String("${"));
}

}  // namespace bs::ui
