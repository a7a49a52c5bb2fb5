#pragma once

#include <QString>

namespace bs::ui {

// How the topic inspector shows record timestamps (its records' context menu chooses).
enum class TimeDisplay { Utc, Local, Relative };

// "2026-12-06 12:00:00.123" in UTC or the local zone, or relative to `nowMs`: "now",
// "42 s ago", "3 min ago", "5 h ago", "2 d ago", "in 7 s". "-" for no timestamp (-1).
QString formatTime(qint64 epochMs, TimeDisplay display, qint64 nowMs);
// The column title: "Timestamp (UTC)", "Timestamp (local)", "Timestamp (age)".
QString timeColumnTitle(TimeDisplay display);

}  // namespace bs::ui
