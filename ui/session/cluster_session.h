#pragma once

#include <QObject>
#include <QString>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "connection_settings.h"
#include "delivery.h"
#include "job_queue.h"
#include "producer/kafka_producer.h"
#include "session/session_interfaces.h"

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

// The connection: the cluster (an EmbeddedCluster, or an external bootstrap list), the
// KafkaProducer on it, the pipeline controls (pause, step, flush, explain) and the faults the
// embedded cluster can be given. Starting, switching and closing run on the producer worker
// (`bs-send`), which the SendService shares so a record sent after a settings change goes to the
// new producer; completions come back as signals on the GUI thread. Lives on the GUI thread.
class ClusterSession : public QObject, public FaultControls, public TopicDirectory {
    Q_OBJECT
  public:
    explicit ClusterSession(QObject* parent = nullptr);
    // Closes the producer (its callbacks end), stops the embedded cluster, joins the workers.
    ~ClusterSession() override;

    // Starts (or switches to) a connection with these user producer properties; asynchronous:
    // emits connected() or connectionFailed().
    void connectTo(const ConnectionSettings& settings, PropertyMap producerProps);
    // Recreates the producer with new properties after flushing the old one.
    void applyProducerProps(PropertyMap producerProps);

    // --- GUI-thread state
    bool isConnected() const override { return connected_; }
    const ConnectionSettings& connection() const { return connection_; }
    const PropertyMap& producerProps() const { return props_; }
    // The configuration in effect (valid once connected).
    const producer::ProducerConfig& config() const { return config_; }
    QString bootstrapServers() const { return bootstrap_; }
    bool embedded() const { return connection_.mode == ConnectionSettings::Mode::Embedded; }

    // --- the producer worker (any thread)
    // The current producer; null before the first connection and while one is being replaced.
    std::shared_ptr<producer::KafkaProducer> producer() const;
    // Runs `job` on the producer worker, after every connection change asked for before.
    void post(std::function<void()> job);
    // Drops the worker's jobs not yet started.
    void clearPending();

    // --- pipeline control
    void setSenderPaused(bool paused);
    bool senderPaused() const { return paused_; }
    void stepSender();
    // Resumes a paused sender and waits (off the GUI thread) until everything buffered completed.
    void flush();
    // Where `key` (serialized; nullopt for a null key) would go now; answered by explained().
    void requestExplain(const QString& topic, std::optional<std::vector<uint8_t>> key);

    // --- cluster
    ClusterInfo clusterInfo() const;
    int partitionCount(const QString& topic) const override;
    QString topicProblem(const QString& topic) const override;
    QString topicName(uint32_t topicId) const;
    QString setNodeLatency(int node, qint64 ms) override;
    QString setNodeUp(int node, bool up) override;
    QString injectErrors(int node, int apiKey, int errorCode, int count) override;
    // Segment file and byte position of the batch holding topic-partition@offset (embedded
    // cluster only). Any thread; it reads the offset index and walks a few batch headers of the
    // file (Log::locate), so the GUI asks through requestLocate().
    RecordLocation locateRecord(const QString& topic, int partition, qint64 offset) const;
    // locateRecord() on a worker; answered by recordLocated().
    void requestLocate(const QString& topic, int partition, qint64 offset);

  Q_SIGNALS:
    // Emitted by connectTo() and applyProducerProps() before anything changes (a repeat stops).
    void replacingProducer();
    void connected(const QString& description);
    void connectionFailed(const QString& error);
    void producerRecreated();
    void explained(const producer::PartitionExplanation& explanation, const QString& error);
    void senderPausedChanged(bool paused);
    void flushFinished();
    void recordLocated(const QString& topic, int partition, qint64 offset,
                       const RecordLocation& location);

  private:
    std::shared_ptr<broker::EmbeddedCluster> cluster() const;
    // Producer-worker halves.
    void startOnWorker(ConnectionSettings settings, PropertyMap props, bool keepCluster);
    void closeProducerOnWorker(bool flushFirst);

    // GUI thread only.
    ConnectionSettings connection_;
    PropertyMap props_;
    producer::ProducerConfig config_;
    QString bootstrap_;
    bool connected_ = false;
    bool paused_ = false;

    mutable std::mutex mu_;
    std::shared_ptr<producer::KafkaProducer> producer_;  // guarded by mu_
    std::shared_ptr<broker::EmbeddedCluster> cluster_;   // guarded by mu_
    std::atomic<uint64_t> explainGeneration_{0};
    std::atomic<bool> workerPaused_{false};  // the pause wanted for producers created later

    // Declared last: destroyed (joined) first, before the state their jobs use.
    std::unique_ptr<JobQueue> flushQueue_;
    std::unique_ptr<JobQueue> auxQueue_;
    std::unique_ptr<JobQueue> producerQueue_;
};

}  // namespace bs::ui
