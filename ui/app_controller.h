#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>
#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "connection_settings.h"
#include "delivery.h"
#include "delivery_feed.h"
#include "job_queue.h"
#include "producer/kafka_producer.h"
#include "record_draft.h"

namespace bs::broker {
class EmbeddedCluster;
}

namespace bs::ui {

using PropertyMap = std::map<std::string, std::string>;

// Where the embedded cluster stores the batch holding a record (the topic inspector's "on disk").
struct RecordLocation {
    QString segmentPath;  // the .log file
    qint64 segmentBaseOffset = -1;
    qint64 position = -1;  // byte position of the batch in the file
    int sizeInBytes = 0;   // of the whole batch
    qint64 batchBaseOffset = -1;
    qint64 batchLastOffset = -1;
    QString error;  // why there is no location (external cluster, offset not in the log, ...)
    bool ok() const { return error.isEmpty(); }
};

// Owns the cluster connection (an EmbeddedCluster or an external bootstrap list) and the
// Producer, and is the only place the GUI touches them. Blocking work (send, flush, start-up,
// close) runs on worker JobQueues; completions come back as signals on the GUI thread; the
// views are fed by polling snapshot() at 20 Hz. Lives on the GUI thread.
class AppController : public QObject {
    Q_OBJECT
  public:
    explicit AppController(QObject* parent = nullptr);
    ~AppController() override;

    // Starts (or switches to) a connection with these user producer properties; asynchronous:
    // emits connected() or connectionFailed().
    void connectTo(const ConnectionSettings& settings, PropertyMap producerProps);
    // Recreates the producer with new properties after flushing the old one.
    void applyProducerProps(PropertyMap producerProps);

    // --- GUI-thread state
    bool isConnected() const { return connected_; }
    const ConnectionSettings& connection() const { return connection_; }
    const PropertyMap& producerProps() const { return props_; }
    // The configuration in effect (valid once connected).
    const producer::ProducerConfig& config() const { return config_; }
    QString bootstrapServers() const { return bootstrap_; }

    // --- sending (never blocks the caller)
    void send(const RecordDraft& draft);
    void sendRepeated(const RecordDraft& draft, qint64 count, double ratePerSec);
    void cancelRepeat();
    bool repeating() const { return repeating_; }
    qint64 sentCount() const { return sent_.load(); }
    qint64 deliveredCount() const { return feed_.okCount(); }
    qint64 failedCount() const { return feed_.failedCount(); }

    // --- pipeline control
    void setSenderPaused(bool paused);
    bool senderPaused() const { return paused_; }
    void stepSender();
    // Resumes a paused sender and waits (off the GUI thread) until everything buffered completed.
    void flush();
    // Where `key` (serialized; nullopt for a null key) would go now; answered by explained().
    void requestExplain(const QString& topic, std::optional<std::vector<uint8_t>> key);

    // --- cluster
    bool embedded() const { return connection_.mode == ConnectionSettings::Mode::Embedded; }
    ClusterInfo clusterInfo() const;
    // Partition count of a topic from metadata; -1 when not known.
    int partitionCount(const QString& topic) const;
    // Why a record cannot go to `topic` (bad name, unknown with auto-create off); empty if fine.
    QString topicProblem(const QString& topic) const;
    QString setNodeLatency(int node, qint64 ms);
    QString setNodeUp(int node, bool up);
    QString injectErrors(int node, int apiKey, int errorCode, int count);
    QString topicName(uint32_t topicId) const;
    // Segment file and byte position of the batch holding topic-partition@offset (embedded
    // cluster only). Any thread; it reads the offset index and walks a few batch headers of the
    // file (Log::locate), so the GUI asks through requestLocate().
    RecordLocation locateRecord(const QString& topic, int partition, qint64 offset) const;
    // locateRecord() on a worker; answered by recordLocated().
    void requestLocate(const QString& topic, int partition, qint64 offset);

    // Snapshot period (ms) of the views' poll: 50 = 20 Hz (100 while deliveries pour in).
    static constexpr int kPollMs = 50;

  Q_SIGNALS:
    void connected(const QString& description);
    void connectionFailed(const QString& error);
    void producerRecreated();
    void snapshotReady(const std::shared_ptr<const producer::ProducerSnapshot>& snapshot);
    void eventsReady(const std::vector<producer::Event>& events);
    void metricsReady(const std::vector<producer::Metric>& metrics, qint64 timeMs);
    void clusterChanged(const ClusterInfo& info);
    void delivered(const bs::ui::DeliveryTick& tick);
    void sendFailed(const QString& error);
    void repeatProgress(qint64 done, qint64 total);
    void repeatFinished(qint64 sent, bool cancelled);
    void explained(const producer::PartitionExplanation& explanation, const QString& error);
    void senderPausedChanged(bool paused);
    void flushFinished();
    void recordLocated(const QString& topic, int partition, qint64 offset,
                       const RecordLocation& location);

  private:
    std::shared_ptr<producer::KafkaProducer> producer() const;
    std::shared_ptr<broker::EmbeddedCluster> cluster() const;
    // Worker-thread halves.
    void startOnWorker(ConnectionSettings settings, PropertyMap props, bool keepCluster);
    // A draft ready to send many times: without templates, serialized and previewed once.
    struct PreparedDraft {
        explicit PreparedDraft(RecordDraft d);
        RecordDraft draft;
        std::optional<Result<producer::ProducerRecord>> fixed;
        QString keyPreview, valuePreview;
    };
    SendJob* openJob(const PreparedDraft& prepared);
    // Sends record `n` of the job; false if it could not be handed to the producer.
    bool sendOnWorker(const PreparedDraft& prepared, producer::KafkaProducer* p, SendJob* job,
                      qint64 n);
    // A record's callback: its delivery report into the job's feed.
    static void report(SendJob* job, qint64 seq, const producer::RecordMetadata& md,
                       const Error* error, QString key, QString value);
    void closeProducerOnWorker(bool flushFirst);
    // Hands deliveries to the views unless busy and too soon; true if it did.
    bool drainDeliveries();
    void poll();

    // GUI thread only.
    ConnectionSettings connection_;
    PropertyMap props_;
    producer::ProducerConfig config_;
    QString bootstrap_;
    bool connected_ = false;
    bool paused_ = false;
    bool repeating_ = false;
    qint64 repeatTotal_ = 0;
    bool busy_ = false;  // deliveries pour in: views refresh and take rows less often
    QElapsedTimer lastDrain_, clusterClock_, metricsClock_;
    static constexpr int kBusyPollMs = 100;
    static constexpr int kBusyDrainMs = 500;
    // Busy from this rate up, idle again below half of it (no flapping near the threshold).
    static constexpr qint64 kBusyRecordsPerSec = 40000;
    QTimer pollTimer_;

    // Thread-safe. Declared before the producer, so destroyed after it: a producer still
    // alive here (the destructor closes it first) could only call back into a live feed.
    DeliveryFeed feed_{kDeliveriesKept};
    mutable std::mutex mu_;
    std::shared_ptr<producer::KafkaProducer> producer_;  // guarded by mu_
    std::shared_ptr<broker::EmbeddedCluster> cluster_;   // guarded by mu_
    qint64 seq_ = 0;                                     // the send queue's thread only
    std::atomic<qint64> sent_{0};                        // written by the send queue's thread only
    std::atomic<qint64> repeatDone_{0};
    std::atomic<bool> cancelRepeat_{false};
    std::atomic<uint64_t> explainGeneration_{0};
    std::atomic<bool> workerPaused_{false};  // the pause wanted for producers created later

    // Declared last: destroyed (joined) first, before the state their jobs use.
    std::unique_ptr<JobQueue> flushQueue_;
    std::unique_ptr<JobQueue> auxQueue_;
    std::unique_ptr<JobQueue> sendQueue_;
};

}  // namespace bs::ui
