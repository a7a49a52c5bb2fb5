#pragma once

#include <QString>
#include <QVector>
#include <map>

namespace bs::ui {

// Rows the Deliveries table keeps (the newest); also the most a poll tick hands over.
inline constexpr int kDeliveriesKept = 10000;

// One completed send as the GUI shows it (built on the sender thread by the callback, handed to
// the GUI thread in batches).
struct Delivery {
    qint64 seq = 0;  // 1-based order of send()
    QString topic;
    int partition = -1;
    qint64 offset = -1;
    qint64 timestampMs = -1;
    double latencyMs = -1;  // send() to callback (RecordMetadata::latencyUs); -1 unknown
    QString key;            // previews
    QString value;
    QString error;  // empty on success
    bool ok() const { return error.isEmpty(); }
};

// What the views receive at each poll tick: the newest deliveries as rows (at most as many as the
// Deliveries table keeps) and counts that cover every delivery of the tick, shown or not. At full
// speed a tick brings ~100 000 deliveries; only the newest few thousand can ever be seen.
struct DeliveryTick {
    QVector<Delivery> rows;     // oldest first
    qint64 ok = 0, failed = 0;  // all of the tick's deliveries, rows included
    struct PartitionCount {
        QString topic;
        int partition = -1;
        qint64 ok = 0;
    };
    QVector<PartitionCount> okByPartition;  // all of the tick's successes

    // A tick holding exactly these rows (tests, and anything sending few records).
    static DeliveryTick fromRows(QVector<Delivery> rows);
};

// The cluster as the Cluster dock shows it.
struct NodeInfo {
    int id = -1;
    QString host;
    int port = 0;
    bool up = true;
    qint64 latencyMs = 0;
    int connections = 0;
    int pendingErrors = 0;
};
struct TopicInfo {
    QString name;
    QVector<std::pair<int, int>> partitions;  // (partition, leader node or -1)
    // Partitions whose leader is down, with that node: the embedded cluster keeps one replica,
    // so no other node can lead them until it is back.
    std::map<int, int> leaderDown;
};
struct ClusterInfo {
    bool embedded = false;
    QString clusterId;
    QString bootstrap;
    QVector<NodeInfo> nodes;
    QVector<TopicInfo> topics;
};

}  // namespace bs::ui
