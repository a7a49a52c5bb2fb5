#pragma once

#include <QAbstractListModel>
#include <QElapsedTimer>
#include <QSortFilterProxyModel>
#include <functional>
#include <optional>
#include <set>
#include <span>
#include <vector>

#include "producer/observation.h"

namespace bs::ui {

// The "Send path" timeline: every pipeline event as one line, in the Java client's words with
// its function names, newest last. Events arrive in batches (applyEvents, GUI thread) and are
// kept as compact rows; a line's text is built only when a view asks for it, so the model can
// hold many lines cheaply. ReadyVerdict events fold into their iteration's ready() line,
// BatchDrained into the drain(node) line; BatchClosed (always followed by BatchDrained) is not
// shown. Oldest rows are dropped past a cap. Lives on the GUI thread.
class TimelineModel : public QAbstractListModel {
    Q_OBJECT
  public:
    // The pipeline step a line belongs to (the step filter).
    enum class Step { Append, Ready, Drain, Request, Response, Metadata, Retry };
    enum Role {
        StepRole = Qt::UserRole + 1,  // int(Step)
        NodeRole,                     // the node the line names, -1 if none
        PartitionRole,                // "topic-partition" the line names, or several, ; joined
        BatchIdRole,                  // qulonglong, 0 if none
        CorrelationRole,              // int, -1 if none
        TopicRole,
        IterationRole,  // Sender.runOnce iteration, -1 for application-thread events
        InStepRole,     // bool: part of an iteration run by Step
        NodesRole,      // QList<int>: every node the line names
    };
    struct Settings {
        int acks = -1;
        int maxRequestSize = 1048576;
        int batchSize = 16384;
        QString partitionerClass;  // partitioner.class ("" = built-in)
    };

    explicit TimelineModel(QObject* parent = nullptr);

    // Resolves an event's topic id to a name (the producer's EventStream).
    void setTopicNames(std::function<QString(uint32_t)> names) { names_ = std::move(names); }
    void setSettings(Settings s) { settings_ = s; }
    void applyEvents(const std::vector<producer::Event>& events);
    // Held: new lines wait (counted) and the lines shown stay still; released: they are added.
    void setHeld(bool held);
    bool held() const { return held_; }
    int heldCount() const { return static_cast<int>(pending_.size()); }
    void clear();
    // A line the window writes itself (e.g. the partitioner switched at run time: the producer
    // was recreated), in order with the events.
    void addNote(const QString& text, Step step = Step::Append);
    // Events the producer's ring dropped before the window read them. Said in one line that
    // comes with the next lines added, not at once: at full speed drops are reported at every
    // poll, and a line of its own each time redrew the timeline twice as often as the throttle
    // allows.
    void addLost(quint64 events, quint64 ringCapacity);
    // Lines kept at most (oldest dropped first).
    void setCapacity(int rows);
    // At full speed (a batch of at least `busyEvents` events): lines are added at most every
    // `minIntervalMs` (what arrives sooner waits), and at most `budget` of the newest lines
    // each time (0: all); the older ones are skipped with a line that says how many. Smaller
    // batches (single sends, Step) are shown at once. Defaults: every event at once.
    void setThrottle(int budget, int minIntervalMs, int busyEvents = 1) {
        tickBudget_ = std::max(budget, 0);
        minIntervalMs_ = std::max(minIntervalMs, 0);
        busyEvents_ = std::max(busyEvents, 1);
    }

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    // The sentence of row `row` (what DisplayRole shows).
    QString text(int row) const;
    static QString stepName(Step s);

  Q_SIGNALS:
    void heldCountChanged(int n);

  private:
    struct Verdict {
        int32_t node;
        producer::ReadyReason reason;
        int64_t waitedMs, delayMs;
    };
    struct Drained {
        uint32_t topicId;
        int32_t partition;
        uint64_t batchId;
    };
    struct Row {
        producer::Event e;
        Step step;
        bool inStep = false;
        std::vector<Verdict> verdicts;  // ReadyChecked
        std::vector<Drained> drained;   // NodeDrained
        QString note;                   // a window note instead of an event
    };
    // The shown rows: a ring that reuses its slots once full, so a model fed tens of thousands
    // of events a second at full speed allocates nothing per line (a deque freed and allocated
    // a node every two rows).
    class RowRing {
      public:
        size_t size() const { return size_; }
        const Row& operator[](size_t i) const { return slots_[(head_ + i) % slots_.size()]; }
        void pushBack(Row&& r);
        void popFront(size_t n);
        void clear();

      private:
        std::vector<Row> slots_;
        size_t head_ = 0;  // index of the oldest row
        size_t size_ = 0;
    };
    // Turns events into rows (folding verdicts and drains); appends to `out`.
    void buildRows(std::span<const producer::Event> events, std::vector<Row>& out);
    // The first event at or after `cut` that begins a Sender.runOnce iteration (`cut` if none).
    static size_t iterationStart(const std::vector<producer::Event>& events, size_t cut);
    // Appends the held-back RequestWritten, if any.
    void flushWritten(std::vector<Row>& out);
    // Moves rows [first, end) of `rows` into the view.
    void insert(std::vector<Row>& rows, size_t first = 0);
    void flushStaged();
    // flushStaged() now, or once minIntervalMs_ has passed since the last lines were added.
    void flushWithinInterval();
    QString topicName(uint32_t id) const;
    QString tp(uint32_t topicId, int32_t partition) const;
    QString sentence(const Row& r) const;
    QString appendSentence(const producer::Event& e) const;
    QString switchSentence(const producer::Event& e) const;

    RowRing rows_;
    std::vector<Row> pending_;  // held rows
    // Folding state across applyEvents calls (a tick may end between an iteration's events).
    std::vector<Verdict> verdicts_;
    std::vector<Drained> drained_;
    std::optional<producer::Event> written_;  // a Produce RequestWritten awaiting its RequestSent
    int64_t stepIteration_ = -1;
    bool held_ = false;
    int capacity_ = 50000;
    quint64 lost_ = 0, lostRing_ = 0;  // dropped events not yet said, the ring's size
    int tickBudget_ = 0;
    int minIntervalMs_ = 0;
    int busyEvents_ = 1;
    std::vector<Row> staged_;  // built, waiting for the next insert (throttle)
    size_t skipped_ = 0;       // events skipped since the last insert
    bool flushQueued_ = false;
    QElapsedTimer sinceInsert_;
    Settings settings_;
    std::function<QString(uint32_t)> names_;
};

// Filters the timeline by partition ("topic-p"), node and pipeline step; empty = all.
class TimelineFilter : public QSortFilterProxyModel {
    Q_OBJECT
  public:
    using QSortFilterProxyModel::QSortFilterProxyModel;
    void setPartition(const QString& tp);
    void setNode(int node);               // -1: all
    void setStep(int step);               // -1: all, else int(TimelineModel::Step)
    void setOnlyStepIterations(bool on);  // only what Step runs did

  protected:
    bool filterAcceptsRow(int row, const QModelIndex& parent) const override;

  private:
    QString partition_;
    int node_ = -1;
    int step_ = -1;
    bool onlySteps_ = false;
};

}  // namespace bs::ui
