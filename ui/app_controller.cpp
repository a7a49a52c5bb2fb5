#include "app_controller.h"

namespace bs::ui {

AppController::AppController() : session_(std::make_unique<ClusterSession>()) {
    sends_ = std::make_unique<SendService>(session_.get());
    poller_ = std::make_unique<SnapshotPoller>(session_.get(), sends_.get());
}

AppController::~AppController() {
    poller_.reset();
    // A repeat in progress stops at its next record, so the session's worker can be joined.
    sends_->cancelRepeat();
    session_.reset();
}

}  // namespace bs::ui
