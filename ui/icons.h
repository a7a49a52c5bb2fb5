#pragma once

#include <QIcon>

namespace bs::ui {

// Toolbar icons drawn with QPainter at every requested size (crisp at any device pixel ratio;
// Debian's Qt 6.4 here ships no SVG icon engine).
enum class IconKind { Send, Pause, Step, Flush, Settings, Connect, Clear, Repeat, Cancel, App };
QIcon makeIcon(IconKind kind);

}  // namespace bs::ui
