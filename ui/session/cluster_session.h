#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QString>
#include <QStringList>
#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
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

    // Starts (or switches to) a connection with these user producer properties, in the
    // background: emits connectionStarted(), then connected() once the new cluster answered a
    // Metadata request, or connectionFailed() with the reason (refused, no such host, no answer
    // within settings.connectTimeoutMs). The current connection stays in use until the new one
    // works (except an embedded cluster replaced by another on the same data directory). A newer
    // connectTo() supersedes an attempt in progress.
    void connectTo(const ConnectionSettings& settings, PropertyMap producerProps);
    // Gives up the attempt in progress (connectionFailed() says so); the current connection stays.
    void cancelConnect();
    // An attempt started by connectTo() is in progress.
    bool connecting() const { return connecting_; }
    const ConnectionSettings& pendingConnection() const { return pending_; }
    // Milliseconds since the attempt in progress started.
    qint64 connectingForMs() const { return connectClock_.isValid() ? connectClock_.elapsed() : 0; }
    // Recreates the producer with new properties after flushing the old one.
    void applyProducerProps(PropertyMap producerProps);

    // --- GUI-thread state
    bool isConnected() const override { return connected_; }
    const ConnectionSettings& connection() const { return connection_; }
    const PropertyMap& producerProps() const { return props_; }
    // The configuration in effect (valid once connected).
    const producer::ProducerConfig& config() const { return config_; }
    QString bootstrapServers() const { return bootstrap_; }
    // What another client of this cluster needs (the inspector's consumer): bootstrap.servers
    // and the connection's security settings (with the password). Empty before connecting.
    PropertyMap clientProperties() const;
    bool embedded() const { return connection_.mode == ConnectionSettings::Mode::Embedded; }
    // schema.registry.url of the connection: the embedded cluster's registry, or the one given
    // in the connection settings for an external cluster; empty when there is none.
    QString schemaRegistryUrl() const { return schemaRegistryUrl_; }

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
    // While paused: one sender iteration (Sender.runOnce). Ignored while running.
    void stepSender();
    // RecordAppended on or off (the Send path's per-record lines), for this producer and the
    // next. Off by default: one event per record costs a lock per record and, at full speed,
    // crowds the per-batch events out of the stream's buffer.
    void setRecordEvents(bool on);
    // Keeps the frames of the last kFramesKept requests written (the request frame view), for
    // this producer and the next; off by default (each kept frame is a copy).
    void setFrameCapture(bool on);
    static constexpr size_t kFramesKept = 64;
    // A kept frame of the current producer (any thread); nullopt when not kept.
    std::optional<producer::RequestFrame> requestFrame(int node, int correlationId) const;
    // Resumes a paused sender and waits (off the GUI thread) until everything buffered completed.
    void flush();
    // Where `key` (serialized; nullopt for a null key) would go now; answered by explained().
    void requestExplain(const QString& topic, std::optional<std::vector<uint8_t>> key);

    // --- cluster
    ClusterInfo clusterInfo() const;
    int partitionCount(const QString& topic) const override;
    QString topicProblem(const QString& topic) const override;
    QString topicName(uint32_t topicId) const;
    // What changed in the producer's metadata since the last call, one line per kind of change
    // ("metadata: demo-0, demo-3: leader node 2 → none"); empty when nothing did. The first call
    // for a producer summarizes it. GUI thread.
    QStringList metadataChanges();
    QString setNodeLatency(int node, qint64 ms) override;
    QString setNodeUp(int node, bool up) override;
    QString injectErrors(int node, int apiKey, int errorCode, int count) override;
    // Makes `toNode` the leader of topic-partition in the embedded cluster; the producer learns
    // it from a NOT_LEADER_OR_FOLLOWER answer and the metadata refresh that follows.
    QString moveLeader(const QString& topic, int partition, int toNode);
    // Grows an embedded topic by `more` partitions (CreatePartitions' controller step); the
    // producer sees them at its next metadata refresh. Returns a problem, or "" and sets *now.
    QString addPartitions(const QString& topic, int more, int* now = nullptr);
    // Segment file and byte position of the batch holding topic-partition@offset (embedded
    // cluster only). Any thread; it reads the offset index and walks a few batch headers of the
    // file (Log::locate), so the GUI asks through requestLocate().
    RecordLocation locateRecord(const QString& topic, int partition, qint64 offset) const;
    // locateRecord() on a worker; answered by recordLocated().
    void requestLocate(const QString& topic, int partition, qint64 offset);

  Q_SIGNALS:
    // Emitted before the producer is replaced (a repeat stops): by applyProducerProps(), and
    // once a connection attempt succeeded.
    void replacingProducer();
    void connectionStarted(const QString& description, int timeoutMs);
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
    // A producer ready to be installed, and what it was built for.
    struct Installation {
        std::shared_ptr<producer::KafkaProducer> producer;
        producer::ProducerConfig config;
        std::shared_ptr<broker::EmbeddedCluster> cluster;  // null for an external cluster
        std::string clusterCertificate;  // the embedded cluster's generated one (SSL), PEM
        PropertyMap security;            // the client security settings it connected with
        ConnectionSettings settings;
        PropertyMap props;
        std::string bootstrap;
        std::string schemaRegistryUrl;
        uint64_t generation = 0;  // of the connectTo() it answers; 0: applyProducerProps
    };
    // Worker halves (they touch no GUI-thread state).
    Result<Installation> createProducer(std::string bootstrap, const PropertyMap& props,
                                        const PropertyMap& security) const;
    // The embedded cluster for `settings`, listening with its security.protocol (a certificate
    // made now for TLS, in tlsDir_; the user of the settings as the one SASL user).
    struct StartedCluster {
        std::shared_ptr<broker::EmbeddedCluster> cluster;
        std::string certificate;  // PEM, empty without TLS
    };
    Result<StartedCluster> startCluster(const ConnectionSettings& settings) const;
    // The connect worker's job: builds and tries the new connection while the old one serves.
    void attemptOnWorker(ConnectionSettings settings, PropertyMap props, uint64_t generation);
    // Waits until `p` got its first Metadata response; the reason it did not otherwise.
    QString awaitClusterOnWorker(producer::KafkaProducer& p, const ConnectionSettings& settings,
                                 uint64_t generation) const;
    // The producer worker's job: replaces the producer (and cluster) with the new ones.
    void installOnWorker(Installation next);
    // Asks the GUI thread to stop a repeat, then installs on the producer worker.
    void postInstall(Installation next);
    void closeProducerOnWorker(bool flushFirst);
    void stopClusterOnWorker();
    void reportConnectFailure(uint64_t generation, const QString& why);
    bool stale(uint64_t generation) const { return generation != connectGeneration_.load(); }

    // GUI thread only.
    ConnectionSettings connection_;
    PropertyMap props_;
    PropertyMap security_;  // the current connection's client security settings
    producer::ProducerConfig config_;
    QString bootstrap_;
    QString schemaRegistryUrl_;
    bool connected_ = false;
    bool connecting_ = false;
    // The metadata metadataChanges() last reported, and for which producer (GUI thread).
    std::weak_ptr<producer::KafkaProducer> seenOf_;
    std::optional<std::set<int>> seenNodes_;
    std::map<std::pair<std::string, int>, int> seenLeaders_;
    ConnectionSettings pending_;  // the attempt in progress
    QElapsedTimer connectClock_;
    bool paused_ = false;

    mutable std::mutex mu_;
    std::shared_ptr<producer::KafkaProducer> producer_;  // guarded by mu_
    std::shared_ptr<broker::EmbeddedCluster> cluster_;   // guarded by mu_
    std::string clusterCertificate_;                     // cluster_'s (SSL), guarded by mu_
    // Where a secured embedded cluster's certificate and key are written; removed on exit.
    const std::string tlsDir_;
    std::atomic<uint64_t> explainGeneration_{0};
    std::atomic<bool> workerPaused_{false};  // the pause wanted for producers created later
    std::atomic<bool> recordEvents_{false};  // RecordAppended wanted by producers created later
    std::atomic<bool> frameCapture_{false};  // frames kept by producers created later
    // Bumped by every connectTo()/cancelConnect(): an attempt of an older generation gives up.
    std::atomic<uint64_t> connectGeneration_{0};

    // Declared last: destroyed (joined) first, before the state their jobs use.
    std::unique_ptr<JobQueue> flushQueue_;
    std::unique_ptr<JobQueue> auxQueue_;
    std::unique_ptr<JobQueue> producerQueue_;
    std::unique_ptr<JobQueue> connectQueue_;  // posts installs to producerQueue_: joined before it
};

}  // namespace bs::ui
