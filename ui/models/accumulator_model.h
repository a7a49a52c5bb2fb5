#pragma once

#include <QObject>
#include <QString>
#include <QVector>
#include <map>
#include <optional>

#include "producer/observation.h"

namespace bs::ui {

// The Record accumulator view's data: one lane per partition, each holding the partition's
// batches (oldest first) and, briefly, the batches just drained (so a drain is seen, not just
// a disappearance). Fed from ProducerSnapshot; GUI thread only. Tests assert on it directly.
class AccumulatorModel : public QObject {
    Q_OBJECT
  public:
    struct Batch {
        uint64_t id = 0;
        int records = 0;
        qint64 sizeBytes = 0;
        qint64 capacity = 0;
        qint64 ageMs = 0;
        int attempts = 0;
        int baseSequence = -1;
        producer::BatchState state = producer::BatchState::Open;
        bool drained = false;    // left the deque (drained into a request, or completed)
        bool noLeader = false;   // waiting in a lane whose leader is down (Lane::waitingReason)
        qint64 drainedAtMs = 0;  // snapshot time it left
    };
    struct Lane {
        QString topic;
        int partition = 0;
        bool muted = false;
        int leader = -1;         // leader node from cluster metadata, -1 unknown/offline
        int downLeader = -1;     // no leader because this node, its only replica, is down
        QVector<Batch> batches;  // deque order, then drained ghosts
        qint64 queuedRecords() const;
        // Why its batches cannot be sent ("waiting for leader: ..."); empty when they can.
        QString waitingReason() const;
    };

    explicit AccumulatorModel(QObject* parent = nullptr) : QObject(parent) {}

    // batch.size and linger.ms of the producer in effect (for fill and age scales).
    void setLimits(qint64 batchSize, qint64 lingerMs);
    // Keeps lanes for every partition of `topic`, even empty ones (stable layout).
    void setTopicPartitions(const QString& topic, int partitions);
    // Leader node per partition (shown in the lane header; where its batches will be sent).
    // `downNode`: the partition has no leader because that node (its only replica) is down.
    void setLeader(const QString& topic, int partition, int node, int downNode = -1);
    void update(const producer::ProducerSnapshot& snapshot);
    void clear();

    const QVector<Lane>& lanes() const { return lanes_; }
    const Lane* lane(const QString& topic, int partition) const;
    // Records and batches waiting in deques (drained ghosts excluded).
    qint64 queuedRecords() const;
    int queuedBatches() const;
    qint64 batchSize() const { return batchSize_; }
    qint64 lingerMs() const { return lingerMs_; }
    qint64 timeMs() const { return timeMs_; }
    const producer::BufferPoolSnapshot& bufferPool() const { return pool_; }
    producer::SenderState senderState() const { return senderState_; }

    // The clicked batch in words ("<b>demo-3 batch 7</b>: 12 records, ..."); nullopt once it
    // has left the accumulator.
    std::optional<QString> describeBatch(const QString& topic, int partition, quint64 id) const;
    // The view's header line: "12 records in 3 batches · running".
    QString summary() const;

    // How long a drained batch stays visible, fading.
    static constexpr qint64 kGhostMs = 900;

  Q_SIGNALS:
    void changed();

  private:
    QVector<Lane> lanes_;                     // sorted by (topic, partition)
    std::map<QString, int> topicPartitions_;  // lanes to keep per topic
    std::map<std::pair<QString, int>, std::pair<int, int>> leaders_;  // (leader, down leader)
    qint64 batchSize_ = 16384;
    qint64 lingerMs_ = 5;
    qint64 timeMs_ = 0;
    producer::BufferPoolSnapshot pool_;
    producer::SenderState senderState_ = producer::SenderState::NotStarted;
};

}  // namespace bs::ui
