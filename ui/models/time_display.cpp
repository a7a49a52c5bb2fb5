#include "models/time_display.h"

#include <QCoreApplication>
#include <QDateTime>

namespace bs::ui {

namespace {
QString tr(const char* s) {
    return QCoreApplication::translate("TimeDisplay", s);
}
}  // namespace

QString formatTime(qint64 epochMs, TimeDisplay display, qint64 nowMs) {
    if (epochMs < 0) return QStringLiteral("-");
    const QString format = QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz");
    switch (display) {
        case TimeDisplay::Utc:
            return QDateTime::fromMSecsSinceEpoch(epochMs, Qt::UTC).toString(format);
        case TimeDisplay::Local:
            return QDateTime::fromMSecsSinceEpoch(epochMs, Qt::LocalTime).toString(format);
        case TimeDisplay::Relative:
            break;
    }
    const qint64 diff = nowMs - epochMs;
    const qint64 s = (diff < 0 ? -diff : diff) / 1000;
    if (s == 0) return tr("now");
    QString amount;
    if (s < 60)
        amount = tr("%1 s").arg(s);
    else if (s < 3600)
        amount = tr("%1 min").arg(s / 60);
    else if (s < 86400)
        amount = tr("%1 h").arg(s / 3600);
    else
        amount = tr("%1 d").arg(s / 86400);
    return diff >= 0 ? tr("%1 ago").arg(amount) : tr("in %1").arg(amount);
}

QString timeColumnTitle(TimeDisplay display) {
    switch (display) {
        case TimeDisplay::Utc:
            return tr("Timestamp (UTC)");
        case TimeDisplay::Local:
            return tr("Timestamp (local)");
        case TimeDisplay::Relative:
            return tr("Timestamp (age)");
    }
    return {};
}

}  // namespace bs::ui
