#include "live_progress_bar.h"

namespace bs::ui {

void LiveProgressBar::setLiveValue(int value) {
    if (value == this->value()) return;
    // repaint() does nothing while updates are disabled; enabling them again schedules update().
    setUpdatesEnabled(false);
    setValue(value);
    setUpdatesEnabled(true);
}

}  // namespace bs::ui
