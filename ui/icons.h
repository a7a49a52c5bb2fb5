#pragma once

#include <QIcon>

namespace bs::ui {

// The toolbar and menu glyphs and the application icon: SVGs from resources/icons/ (compiled in
// through resources/batchscope.qrc), rendered with Qt SVG at every requested size.
enum class IconKind { Send, Pause, Step, Flush, Settings, Connect, Clear, Repeat, Cancel, App };
QIcon makeIcon(IconKind kind);

}  // namespace bs::ui
