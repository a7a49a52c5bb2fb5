#include "session/snapshot_poller.h"

#include <QDateTime>
#include <algorithm>

#include "session/cluster_session.h"
#include "session/send_service.h"

namespace bs::ui {

SnapshotPoller::SnapshotPoller(ClusterSession* session, SendService* sends, QObject* parent)
    : QObject(parent), session_(session), sends_(sends) {
    timer_.setInterval(kPollMs);
    connect(&timer_, &QTimer::timeout, this, &SnapshotPoller::poll);
    timer_.start();
    connect(sends_, &SendService::repeatStarted, this, &SnapshotPoller::repeatStarted);
}

void SnapshotPoller::repeatStarted(qint64 count, double ratePerSec, bool synchronous) {
    // Measured, the modes take hold only at the first busy hand-off: a 2 000 000-record repeat
    // at full speed lasts about a second, half of it drawn at 20 Hz. The repeat says its rate
    // now. A guess that was wrong is corrected by the next hand-off's measurement.
    // send().get() in a loop runs at one record per round trip, far below either mode.
    if (count < kPresumeBusyRecords || synchronous) return;
    const bool unthrottled = ratePerSec <= 0;
    if (!unthrottled && ratePerSec < kBusyRecordsPerSec) return;
    busy_ = true;
    flooded_ = flooded_ || unthrottled || ratePerSec >= kFloodRecordsPerSec;
    lastDrain_.start();
    applyInterval();
}

void SnapshotPoller::applyInterval() {
    // The views' refresh: 20 Hz; 10 Hz while busy, the low end of smooth; 5 Hz flooded, when a
    // lane is a different picture every frame. On a small machine the GUI thread's drawing is
    // CPU the pipeline does not get (bench_gui_overhead).
    const int interval = flooded_ ? kFloodPollMs : busy_ ? kBusyPollMs : kPollMs;
    if (timer_.interval() != interval) timer_.setInterval(interval);
}

void SnapshotPoller::drainDeliveries() {
    // Every tick while deliveries trickle in; while they pour in, every kBusyDrainMs: each
    // hand-off rebuilds up to 10 000 table rows and redraws the table, the histogram and the
    // progress, and a table scrolling 20 times a second is unreadable anyway.
    const qint64 sinceMs = lastDrain_.isValid() ? lastDrain_.elapsed() : kPollMs;
    // Timers run a little late or early: half a tick of slack.
    if (busy_ && sinceMs + timer_.interval() / 2 < kBusyDrainMs) return;
    lastDrain_.start();
    const qint64 n = sends_->takeDeliveries();
    const auto atLeast = [&](qint64 perSec, bool already) {
        return n * 1000 >= (already ? perSec / 2 : perSec) * std::max<qint64>(sinceMs, 1);
    };
    busy_ = atLeast(kBusyRecordsPerSec, busy_);
    flooded_ = busy_ && atLeast(kFloodRecordsPerSec, flooded_);
    applyInterval();
}

void SnapshotPoller::poll() {
    drainDeliveries();
    auto p = session_->producer();
    if (!p) return;
    // Events first: a response's error must be known when the snapshot shows it gone.
    events_.clear();
    p->events().poll(events_, 20000);
    if (!events_.empty()) Q_EMIT eventsReady(events_);
    const quint64 dropped = p->events().dropped();
    if (droppedOf_ != p.get()) {
        droppedOf_ = p.get();
        droppedSeen_ = 0;
    }
    if (dropped > droppedSeen_) {
        Q_EMIT eventsDropped(dropped - droppedSeen_, p->events().capacity());
        droppedSeen_ = dropped;
    }
    Q_EMIT snapshotReady(std::make_shared<const producer::ProducerSnapshot>(p->snapshot()));
    if (!clusterClock_.isValid() || clusterClock_.elapsed() >= 500) {
        clusterClock_.start();
        Q_EMIT clusterChanged(session_->clusterInfo());
    }
    // Charts take a point a second, every two while busy (six charts redraw for each).
    if (!metricsClock_.isValid() || metricsClock_.elapsed() >= (busy_ ? 2000 : 1000)) {
        metricsClock_.start();
        Q_EMIT metricsReady(p->metrics(), QDateTime::currentMSecsSinceEpoch());
    }
}

}  // namespace bs::ui
