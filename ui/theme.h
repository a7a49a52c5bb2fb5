#pragma once

#include <QColor>
#include <QPalette>
#include <QString>

#include "producer/observation.h"

namespace bs::ui {

enum class Theme { System, Light, Dark };

// Applies a Fusion palette for the theme (System keeps the platform palette).
void applyTheme(Theme theme);
Theme themeFromName(const QString& name);
QString themeName(Theme theme);

// Colours of the custom-painted views, derived from the widget's palette so they read well on
// light and dark backgrounds. States differ by colour AND by pattern/label (colour-blind safe).
struct ViewColors {
    QColor base, laneA, laneB, text, dim, grid;
    QColor open, closed, inFlight, retrying, drained, ok, error, linger, warn;
    static ViewColors from(const QPalette& palette);
    QColor forState(producer::BatchState state) const;
};

}  // namespace bs::ui
