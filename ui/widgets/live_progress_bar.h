#pragma once

#include <QProgressBar>

namespace bs::ui {

// A progress bar for values that change many times a second (buffer.memory in use, a repeat's,
// an import's and a topic search's progress). QProgressBar::setValue() repaints at once for every
// visible change: the bar and every widget under it painted and flushed on the spot, outside Qt's
// update pass. At full speed that was a fifth of the GUI thread. setLiveValue() leaves the painting
// to the next update pass, with the other views.
class LiveProgressBar : public QProgressBar {
    Q_OBJECT
  public:
    using QProgressBar::QProgressBar;
    void setLiveValue(int value);
};

}  // namespace bs::ui
