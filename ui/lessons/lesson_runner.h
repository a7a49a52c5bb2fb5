#pragma once

#include <QObject>
#include <QPointer>
#include <QString>
#include <QStringList>
#include <QTimer>
#include <QVector>
#include <climits>
#include <map>
#include <memory>
#include <vector>

#include "lessons/lesson.h"
#include "producer/kafka_producer.h"
#include "session/cluster_session.h"

class QMainWindow;
class QWidget;

namespace bs::ui {

class AppController;
struct DeliveryTick;

// Runs a lesson in the real window: each step sets up the world (producer properties, the
// embedded cluster's nodes, the sender), sends as the composer does, points at a place in the
// window, and watches the pipeline's deliveries, events and snapshots until what the step
// expects has happened. Nothing is simulated: the numbers are the producer's. GUI thread.
class LessonRunner : public QObject {
    Q_OBJECT
  public:
    // What the pipeline did during one step.
    struct StepStats {
        qint64 firstSeq = LLONG_MAX;  // deliveries with seq >= firstSeq are the step's
        qint64 ok = 0, failed = 0;
        std::map<int, qint64> byPartition;    // successes
        std::map<QString, int> keyPartition;  // the last partition each key was delivered to
        QStringList errors;
        bool offsetUnknown = false, offsetKnown = false;
        bool inOrder = true;
        qint64 lastOffset = -1;
        qint64 requests = 0, requestRecords = 0, batches = 0;
        int maxBatchesPerRequest = 0;
        std::map<int, int> inFlight;  // node -> Produce requests awaiting their response
        int maxInFlight = 0;
        int onNewBatchSwitches = 0, stickyBytesSwitches = 0;
        int retried = 0;
        bool drainRotated = false;
        bool blocked = false;  // a send() was seen waiting in BufferPool.allocate()
        QString located;       // segment file and position of the step's last record
        bool sendsStarted = false;
        double recordsPerRequest() const;
        double batchesPerRecord() const;
    };

    LessonRunner(AppController* controller, QMainWindow* window, QObject* parent = nullptr);

    // Starts `lesson` at its first step with the world reset: every embedded node up and fast,
    // the producer properties the window had before any lesson ran.
    void start(const Lesson& lesson);
    void next();
    void back();
    void restart();
    // Stops watching; the settings the lesson set stay, and settingsSet() still says them.
    void leave();

    bool active() const { return active_; }
    const Lesson& lesson() const { return lesson_; }
    int stepIndex() const { return step_; }
    const StepStats& stats(int step) const { return stats_.at(static_cast<size_t>(step)); }
    // Per expectation of the current step, whether it has been seen.
    QVector<bool> met() const;
    // Every expectation seen and the step's sends answered.
    bool stepDone() const;
    // Expectations not seen yet, as the learner reads them (tests print them).
    QStringList unmet() const;
    // The widget the current step points at (a dock, a view, a field), or null.
    QWidget* lookTarget() const;
    // "1 000 records · 12 ProduceRequests · 83.3 records per request · 20 batches".
    QString measurements() const;
    // Producer properties and cluster changes the lesson has made, "" when none.
    QString settingsSet() const;
    // Steps or parts skipped on this connection (faults on an external cluster), and failures.
    const QStringList& notes() const { return notes_; }

  Q_SIGNALS:
    void changed();
    void stepSeen(int step);

  private:
    void enterStep(int step, bool resetWorld);
    void continueStep();  // after the producer was recreated, if it had to be
    void startSends();
    void evaluate();
    bool check(const LessonExpect& x) const;
    int resolve(const NodeRef& ref) const;
    QList<int> partitionsLedBy(int node) const;
    // The current step's topic (its own, else the lesson's).
    const QString& topic() const;
    int partitionCount() const;
    void onDeliveries(const DeliveryTick& tick);
    void onEvents(const std::vector<producer::Event>& events);
    void onSnapshot(const std::shared_ptr<const producer::ProducerSnapshot>& s);
    void onLocated(const QString& topic, int partition, qint64 offset, const RecordLocation& l);
    StepStats& current() { return stats_[static_cast<size_t>(step_)]; }

    AppController* controller_;
    QMainWindow* window_;
    // GUI thread only.
    Lesson lesson_;
    int step_ = -1;
    bool active_ = false;
    bool waitingForProducer_ = false;
    bool doneSignalled_ = false;
    bool sendsPending_ = false;  // waiting for the previous repeat to end
    bool haveBase_ = false;
    PropertyMap baseProps_;  // the window's properties before the first lesson
    std::vector<StepStats> stats_;
    QStringList notes_;
    QStringList clusterChanges_;  // said in settingsSet()
    qint64 lastOkPartition_ = -1, lastOkOffset_ = -1;
    bool locateAsked_ = false;
    QTimer tick_;
};

}  // namespace bs::ui
