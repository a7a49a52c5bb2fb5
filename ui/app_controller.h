#pragma once

#include <memory>

#include "session/cluster_session.h"
#include "session/send_service.h"
#include "session/snapshot_poller.h"

namespace bs::ui {

// What the window runs on, one piece per concern: the ClusterSession (cluster, producer, faults),
// the SendService (sending, repeat, the delivery feed) and the SnapshotPoller (what the views
// draw). Owns the three and tears them down in the order that keeps callbacks safe. Lives on the
// GUI thread; main() and the tests create one and hand it to the MainWindow.
class AppController {
  public:
    AppController();
    ~AppController();
    AppController(const AppController&) = delete;
    AppController& operator=(const AppController&) = delete;

    ClusterSession& session() { return *session_; }
    SendService& sends() { return *sends_; }
    SnapshotPoller& poller() { return *poller_; }

  private:
    // Destroyed in reverse: the poller stops first, the session closes the producer (whose
    // callbacks report into the send service's feed) and joins its workers (which run the send
    // service's jobs), then the send service goes.
    std::unique_ptr<SendService> sends_;
    std::unique_ptr<ClusterSession> session_;
    std::unique_ptr<SnapshotPoller> poller_;
};

}  // namespace bs::ui
