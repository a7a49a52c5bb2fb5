#pragma once

// The narrow views of the session that widgets depend on (ClusterSession implements them), so a
// widget sees only what it uses and can be shown against something else in a test.

#include <QString>
#include <QtGlobal>

namespace bs::ui {

// What the Cluster dock may do to the embedded cluster. Each returns an empty string on success,
// else why not (in words for the user). GUI thread.
class FaultControls {
  public:
    virtual ~FaultControls() = default;
    virtual QString setNodeLatency(int node, qint64 ms) = 0;
    virtual QString setNodeUp(int node, bool up) = 0;
    virtual QString injectErrors(int node, int apiKey, int errorCode, int count) = 0;
};

// What the Record composer checks a record's topic and partition against. GUI thread.
class TopicDirectory {
  public:
    virtual ~TopicDirectory() = default;
    virtual bool isConnected() const = 0;
    // Partition count of a topic from metadata; -1 when not known.
    virtual int partitionCount(const QString& topic) const = 0;
    // Why a record cannot go to `topic` (bad name, unknown with auto-create off); empty if fine.
    virtual QString topicProblem(const QString& topic) const = 0;
};

}  // namespace bs::ui
