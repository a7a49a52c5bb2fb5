#pragma once

#include <QString>
#include <QVector>

namespace bs::ui {

// One completed send as the GUI shows it (built on the sender thread by the callback, handed to
// the GUI thread in batches).
struct Delivery {
    qint64 seq = 0;  // 1-based order of send()
    QString topic;
    int partition = -1;
    qint64 offset = -1;
    qint64 timestampMs = -1;
    double latencyMs = 0;  // send() to callback
    QString key;           // previews
    QString value;
    QString error;  // empty on success
    bool ok() const { return error.isEmpty(); }
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
};
struct ClusterInfo {
    bool embedded = false;
    QString clusterId;
    QString bootstrap;
    QVector<NodeInfo> nodes;
    QVector<TopicInfo> topics;
};

}  // namespace bs::ui
