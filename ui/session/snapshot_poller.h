#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>
#include <memory>
#include <vector>

#include "delivery.h"
#include "producer/kafka_producer.h"

namespace bs::ui {

class ClusterSession;
class SendService;

// The views' clock: every tick it hands the deliveries that arrived to the views (SendService),
// then the producer's new events, a snapshot, now and then the cluster and the metrics. 20 Hz;
// 10 Hz while deliveries pour in, when the deliveries are handed over every 500 ms only; 5 Hz
// from 400 000 records/s (Wireshark's live packet list refreshes every 500 ms). Lives
// on the GUI thread; never blocks (snapshot() and events() take the producer's locks briefly).
class SnapshotPoller : public QObject {
    Q_OBJECT
  public:
    SnapshotPoller(ClusterSession* session, SendService* sends, QObject* parent = nullptr);

    // Snapshot period (ms): 50 = 20 Hz (kBusyPollMs while deliveries pour in, kFloodPollMs at
    // a rate where every lane and slot changes completely between two frames anyway).
    static constexpr int kPollMs = 50;
    static constexpr int kBusyPollMs = 100;
    static constexpr int kFloodPollMs = 200;
    static constexpr int kBusyDrainMs = 500;
    // Busy (flooded) from this rate up, and again below half of it (no flapping near the line).
    static constexpr qint64 kBusyRecordsPerSec = 40000;
    static constexpr qint64 kFloodRecordsPerSec = 400000;
    // A repeat of at least this many records, unthrottled or at a busy rate, is taken to be
    // busy from its start rather than from the first hand-off that measures it.
    static constexpr qint64 kPresumeBusyRecords = 100000;

    bool busy() const { return busy_; }
    bool flooded() const { return flooded_; }
    int intervalMs() const { return timer_.interval(); }
    void stop() { timer_.stop(); }

  Q_SIGNALS:
    void snapshotReady(const std::shared_ptr<const producer::ProducerSnapshot>& snapshot);
    void eventsReady(const std::vector<producer::Event>& events);
    // Events the producer's EventStream dropped since the last tick because its ring was full
    // (the publishers never wait for this reader); `capacity` is the ring's size.
    void eventsDropped(quint64 count, quint64 capacity);
    void metricsReady(const std::vector<producer::Metric>& metrics, qint64 timeMs);
    void clusterChanged(const ClusterInfo& info);

  private:
    void poll();
    // A repeat begins: one that will pour records in starts busy (or flooded) at once.
    void repeatStarted(qint64 count, double ratePerSec, bool synchronous);
    void applyInterval();
    // Hands deliveries to the views unless busy and too soon.
    void drainDeliveries();

    ClusterSession* const session_;
    SendService* const sends_;
    // GUI thread only.
    QTimer timer_;
    bool busy_ = false;     // deliveries pour in: views refresh and take rows less often
    bool flooded_ = false;  // at full speed: 5 Hz, the GUI thread's CPU is the pipeline's
    // poll()'s events, kept for its capacity: a tick can carry 20 000 (2.6 MB), and a vector
    // grown afresh each tick was mapped and unmapped by malloc every time.
    std::vector<producer::Event> events_;
    // EventStream::dropped() of `droppedOf_` at the last tick (a new producer starts at 0).
    const producer::KafkaProducer* droppedOf_ = nullptr;
    quint64 droppedSeen_ = 0;
    QElapsedTimer lastDrain_, clusterClock_, metricsClock_;
};

}  // namespace bs::ui
