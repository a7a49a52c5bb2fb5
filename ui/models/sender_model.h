#pragma once

#include <QObject>
#include <QString>
#include <QStringList>
#include <QVector>
#include <map>
#include <optional>
#include <set>
#include <vector>

#include "producer/observation.h"

namespace bs::ui {

// The Sender view's data: one lane per broker node with its in-flight ProduceRequests (from
// ProducerSnapshot) and the requests that just completed, kept a moment with their outcome
// (from the event stream) so completions and errors are seen. GUI thread only.
// "OK", Kafka's error name, "DISCONNECTED" (-2: the connection closed before a response) or
// "RETRY" (-3: retried without a broker error, e.g. request.timeout.ms).
QString errorLabel(int code);

class SenderModel : public QObject {
    Q_OBJECT
  public:
    struct Request {
        int correlationId = -1;
        QStringList partitions;  // "demo-3"
        QVector<quint64> batchIds;
        int records = 0;
        qint64 bytes = 0;
        qint64 elapsedMs = 0;  // now - sent (in flight) or the round trip (completed)
        bool completed = false;
        qint16 errorCode = 0;  // completed: the response's (first) error; -2 = no response
        qint64 completedAtMs = 0;
        // Empty for a ProduceRequest; else the API of a request that takes an in-flight slot
        // of the connection too ("Metadata"): NetworkClient counts every request.
        QString api;
        bool unacknowledged = false;  // acks=0: written and forgotten, no response
    };
    struct NodeLane {
        int nodeId = -1;
        QString address;
        bool connected = false;
        bool down = false;          // the cluster reports the node down (embedded cluster)
        QString connectionError;    // why the last connection attempt failed, if it did
        QVector<Request> inFlight;  // oldest first
        QVector<Request> recent;    // completed, newest last, fading
        qint64 completedTotal = 0;
        qint64 errorTotal = 0;
    };

    explicit SenderModel(QObject* parent = nullptr) : QObject(parent) {}

    void setLimits(int maxInFlight, qint64 requestTimeoutMs);
    // Nodes the cluster reports down: a lane without a connection says "down" only for these.
    void setNodesDown(const std::set<int>& down);
    void update(const producer::ProducerSnapshot& snapshot);
    // BatchRetried / ResponseReceived / BatchExpired / BatchCompleted feed outcomes and counters;
    // RequestWritten adds Metadata requests (answered by MetadataUpdated) and acks=0 requests.
    void applyEvents(const std::vector<producer::Event>& events);
    void clear();

    const QVector<NodeLane>& nodes() const { return nodes_; }
    const NodeLane* node(int nodeId) const;
    int inFlightCount() const;
    qint64 completedRequests() const;
    qint64 retries() const { return retries_; }              // batches re-enqueued
    qint64 failedBatches() const { return failedBatches_; }  // completed with an error
    qint64 expiredBatches() const { return expired_; }
    int maxInFlight() const { return maxInFlight_; }
    qint64 requestTimeoutMs() const { return requestTimeoutMs_; }

    // The clicked request in words ("<b>node 1 ProduceRequest #12</b>: ..."), in flight or
    // among the recent; nullopt when the node or the request is not known.
    std::optional<QString> describeRequest(int nodeId, int correlationId) const;
    // The view's header line: "5 in flight · 120 completed · 0 retries · 0 failed".
    QString summary() const;
    producer::SenderState senderState() const { return senderState_; }

    static constexpr qint64 kRecentMs = 1500;

  Q_SIGNALS:
    void changed();

  private:
    QVector<NodeLane> nodes_;         // by node id
    using Key = std::pair<int, int>;  // (node, correlation id)
    void finish(NodeLane& lane, Request r);
    void setOutcome(const Key& key, qint16 code);
    // Outcomes from events (ResponseReceived, BatchRetried, failed BatchCompleted).
    std::map<Key, qint16> outcome_;
    // Requests answered (ResponseReceived) but not yet moved to `recent`.
    std::map<Key, Request> responded_;
    // Written requests of other APIs awaiting their answer, with when they were written (ms).
    std::map<Key, std::pair<Request, qint64>> control_;
    // Which request carries each in-flight batch (to attribute retries and failures).
    std::map<uint64_t, Key> batchToRequest_;
    std::set<int> down_;
    int maxInFlight_ = 5;
    qint64 requestTimeoutMs_ = 30000;
    qint64 retries_ = 0;
    qint64 failedBatches_ = 0;
    qint64 expired_ = 0;
    qint64 timeMs_ = 0;
    producer::SenderState senderState_ = producer::SenderState::NotStarted;
};

// A lane's connection in a word: empty when connected, "down" (the cluster says so),
// "unreachable" (the last connection attempt failed) or "not connected" (no connection needed
// yet: the producer connects to a broker when it has something for it).
QString connectionLabel(const SenderModel::NodeLane& lane);

}  // namespace bs::ui
