#include "lessons/lesson_runner.h"

#include <QComboBox>
#include <QDockWidget>
#include <QDoubleSpinBox>
#include <QLineEdit>
#include <QMainWindow>
#include <QPlainTextEdit>
#include <QSpinBox>
#include <algorithm>

#include "app_controller.h"
#include "delivery.h"
#include "widgets/record_composer.h"
#include "widgets/topic_inspector.h"

namespace bs::ui {

using producer::EventType;
using producer::SwitchCause;

namespace {
QString number(double v, int decimals = 0) {
    return QLocale::c().toString(v, 'f', decimals).replace(QLatin1Char(','), QLatin1Char(' '));
}

NodeRef nodeRefOf(const QJsonObject& args) {
    return nodeRefFromJson(args.value(QStringLiteral("node"))).value_or(NodeRef{});
}
}  // namespace

double LessonRunner::StepStats::recordsPerRequest() const {
    return requests > 0 ? static_cast<double>(requestRecords) / static_cast<double>(requests) : 0;
}

double LessonRunner::StepStats::batchesPerRecord() const {
    return ok + failed > 0 ? static_cast<double>(batches) / static_cast<double>(ok + failed) : 0;
}

LessonRunner::LessonRunner(AppController* controller, QMainWindow* window, QObject* parent)
    : QObject(parent), controller_(controller), window_(window) {
    ClusterSession* session = &controller_->session();
    connect(&controller_->sends(), &SendService::delivered, this, &LessonRunner::onDeliveries);
    connect(&controller_->sends(), &SendService::sendFailed, this, [this](const QString& e) {
        if (active_ && step_ >= 0 && current().sendsStarted) current().errors << e;
    });
    connect(&controller_->sends(), &SendService::repeatFinished, this, [this] {
        if (active_ && sendsPending_ && !waitingForProducer_) startSends();
    });
    connect(&controller_->poller(), &SnapshotPoller::eventsReady, this, &LessonRunner::onEvents);
    connect(&controller_->poller(), &SnapshotPoller::snapshotReady, this,
            &LessonRunner::onSnapshot);
    connect(session, &ClusterSession::producerRecreated, this, [this] {
        if (active_ && waitingForProducer_) {
            waitingForProducer_ = false;
            continueStep();
        }
    });
    connect(session, &ClusterSession::connectionFailed, this, [this](const QString& why) {
        if (!active_ || !waitingForProducer_) return;
        waitingForProducer_ = false;
        notes_ << tr("Step %1: the producer could not be created: %2").arg(step_ + 1).arg(why);
        Q_EMIT changed();
    });
    connect(session, &ClusterSession::recordLocated, this, &LessonRunner::onLocated);
    tick_.setInterval(150);
    connect(&tick_, &QTimer::timeout, this, &LessonRunner::evaluate);
}

void LessonRunner::start(const Lesson& lesson) {
    if (!haveBase_) {
        baseProps_ = controller_->session().producerProps();
        haveBase_ = true;
    }
    lesson_ = lesson;
    active_ = true;
    notes_.clear();
    clusterChanges_.clear();
    stats_.assign(static_cast<size_t>(lesson_.steps.size()), StepStats{});
    enterStep(0, true);
}

void LessonRunner::next() {
    if (active_ && step_ + 1 < lesson_.steps.size()) enterStep(step_ + 1, false);
}

void LessonRunner::back() {
    if (active_ && step_ > 0) enterStep(step_ - 1, false);
}

void LessonRunner::restart() {
    if (!lesson_.steps.isEmpty()) start(lesson_);
}

void LessonRunner::leave() {
    active_ = false;
    tick_.stop();
    controller_->sends().cancelRepeat();
    Q_EMIT changed();
}

const QString& LessonRunner::topic() const {
    if (step_ >= 0 && step_ < lesson_.steps.size() && !lesson_.steps[step_].topic.isEmpty())
        return lesson_.steps[step_].topic;
    return lesson_.topic;
}

int LessonRunner::partitionCount() const {
    for (const auto& t : controller_->session().clusterInfo().topics)
        if (t.name == topic()) return static_cast<int>(t.partitions.size());
    return 0;
}

int LessonRunner::resolve(const NodeRef& ref) const {
    if (ref.node >= 0) return ref.node;
    for (const auto& t : controller_->session().clusterInfo().topics) {
        if (t.name != topic()) continue;
        if (auto it = t.leaderDown.find(ref.leaderOf); it != t.leaderDown.end()) return it->second;
        for (const auto& [p, leader] : t.partitions)
            if (p == ref.leaderOf) return leader;
    }
    return -1;
}

QList<int> LessonRunner::partitionsLedBy(int node) const {
    QList<int> out;
    for (const auto& t : controller_->session().clusterInfo().topics) {
        if (t.name != topic()) continue;
        for (const auto& [p, leader] : t.partitions) {
            const auto down = t.leaderDown.find(p);
            if (leader == node || (down != t.leaderDown.end() && down->second == node)) out << p;
        }
    }
    return out;
}

void LessonRunner::enterStep(int step, bool resetWorld) {
    ClusterSession& session = controller_->session();
    controller_->sends().cancelRepeat();
    step_ = step;
    doneSignalled_ = false;
    locateAsked_ = false;
    sendsPending_ = false;
    stats_[static_cast<size_t>(step)] = StepStats{};
    const LessonStep& s = lesson_.steps[step];

    // The world: a lesson starts from every node up and fast; each step's changes follow.
    if (session.embedded()) {
        if (resetWorld)
            for (const auto& n : session.clusterInfo().nodes) {
                (void)session.setNodeUp(n.id, true);
                (void)session.setNodeLatency(n.id, 0);
            }
        for (const NodeChange& c : s.cluster) {
            if (c.addPartitions > 0) {
                int now = 0;
                const QString problem = session.addPartitions(topic(), c.addPartitions, &now);
                if (problem.isEmpty())
                    clusterChanges_ << tr("%1 grown to %2 partitions").arg(topic()).arg(now);
                else
                    notes_ << tr("Step %1: %2").arg(step + 1).arg(problem);
                continue;
            }
            const int node = resolve(c.node);
            if (node < 0) {
                notes_ << tr("Step %1: no node to change (no leader known)").arg(step + 1);
                continue;
            }
            QString problem;
            if (c.up) {
                problem = session.setNodeUp(node, *c.up);
                clusterChanges_ << tr("node %1 %2").arg(node).arg(*c.up ? tr("up") : tr("down"));
            }
            if (c.latencyMs) {
                problem = session.setNodeLatency(node, *c.latencyMs);
                clusterChanges_ << tr("node %1 +%2 ms").arg(node).arg(*c.latencyMs);
            }
            if (c.errorCount > 0) {
                problem = session.injectErrors(node, c.apiKey, c.errorCode, c.errorCount);
                clusterChanges_
                    << tr("node %1: next %2 answer(s) an error").arg(node).arg(c.errorCount);
            }
            if (!problem.isEmpty()) notes_ << tr("Step %1: %2").arg(step + 1).arg(problem);
        }
    } else if (!s.cluster.isEmpty()) {
        notes_ << tr("Step %1 changes broker nodes, which only the embedded cluster allows: that "
                     "part is skipped on this connection.")
                      .arg(step + 1);
    }

    // The producer: the base properties, then every step's up to this one (so Back is exact).
    PropertyMap props = baseProps_;
    for (int i = 0; i <= step; ++i)
        for (const auto& [k, v] : lesson_.steps[i].producer) {
            if (v.empty())
                props.erase(k);
            else
                props[k] = v;
        }
    waitingForProducer_ = props != session.producerProps();
    if (waitingForProducer_) session.applyProducerProps(props);

    // Point at the place to look.
    if (QWidget* target = lookTarget()) {
        for (QWidget* w = target; w; w = w->parentWidget())
            if (auto* dock = qobject_cast<QDockWidget*>(w)) {
                dock->show();
                dock->raise();
            }
    }
    tick_.start();
    if (!waitingForProducer_) continueStep();
    Q_EMIT changed();
}

void LessonRunner::continueStep() {
    ClusterSession& session = controller_->session();
    const LessonStep& s = lesson_.steps[step_];
    if (s.sender == QLatin1String("pause")) session.setSenderPaused(true);
    if (s.sender == QLatin1String("resume")) session.setSenderPaused(false);
    if (s.sender == QLatin1String("step")) session.stepSender();
    if (s.sender == QLatin1String("flush")) session.flush();
    startSends();
    Q_EMIT changed();
}

void LessonRunner::startSends() {
    const LessonStep& s = lesson_.steps[step_];
    if (s.send && s.send->count > 1 && controller_->sends().repeating()) {
        // The last step's repeat is still winding down (cancelled or just finished): this
        // step's starts when it has.
        sendsPending_ = true;
        return;
    }
    sendsPending_ = false;
    StepStats& st = current();
    st.firstSeq = controller_->sends().sentCount() + 1;
    st.sendsStarted = true;
    if (!s.send) return;
    // Filled in as a learner would, so the composer and the explain panel show the record.
    auto* comp = window_->findChild<RecordComposer*>();
    if (!comp) return;
    const LessonSend& d = *s.send;
    if (auto* t = comp->findChild<QComboBox*>(QStringLiteral("topic"))) t->setCurrentText(topic());
    comp->findChild<QSpinBox*>(QStringLiteral("partition"))->setValue(d.partition);
    comp->findChild<QComboBox*>(QStringLiteral("keySerializer"))->setCurrentText(d.keySerializer);
    comp->findChild<QLineEdit*>(QStringLiteral("key"))->setText(d.key);
    comp->findChild<QComboBox*>(QStringLiteral("valueSerializer"))
        ->setCurrentText(d.valueSerializer);
    comp->findChild<QPlainTextEdit*>(QStringLiteral("value"))->setPlainText(d.value);
    comp->validate();
    if (d.count == 1) {
        comp->sendOne();
        return;
    }
    comp->findChild<QSpinBox*>(QStringLiteral("repeatCount"))->setValue(d.count);
    comp->findChild<QDoubleSpinBox*>(QStringLiteral("repeatRate"))->setValue(d.rate);
    comp->startRepeat();
    if (!controller_->sends().repeating())
        notes_ << tr("Step %1: the composer refused the record (see its fields)").arg(step_ + 1);
}

void LessonRunner::onDeliveries(const DeliveryTick& tick) {
    if (!active_ || step_ < 0) return;
    StepStats& st = current();
    for (const Delivery& d : tick.rows) {
        if (d.seq < st.firstSeq || d.topic != topic()) continue;
        if (!d.ok()) {
            ++st.failed;
            st.errors << d.error;
            continue;
        }
        ++st.ok;
        ++st.byPartition[d.partition];
        if (!d.key.isEmpty()) st.keyPartition[d.key] = d.partition;
        if (d.offset < 0) {
            st.offsetUnknown = true;
            continue;
        }
        st.offsetKnown = true;
        if (d.offset <= st.lastOffset) st.inOrder = false;
        st.lastOffset = d.offset;
        lastOkPartition_ = d.partition;
        lastOkOffset_ = d.offset;
    }
}

void LessonRunner::onEvents(const std::vector<producer::Event>& events) {
    if (!active_ || step_ < 0 || waitingForProducer_) return;
    StepStats& st = current();
    for (const producer::Event& e : events) {
        switch (e.type) {
            case EventType::RequestSent: {
                ++st.requests;
                st.requestRecords += e.recordCount;
                st.maxBatchesPerRequest = std::max(st.maxBatchesPerRequest, e.batchCount);
                const int n = ++st.inFlight[e.nodeId];
                st.maxInFlight = std::max(st.maxInFlight, n);
                break;
            }
            case EventType::ResponseReceived:
                st.inFlight[e.nodeId] = std::max(0, st.inFlight[e.nodeId] - 1);
                break;
            case EventType::BatchCreated:
                ++st.batches;
                break;
            case EventType::BatchRetried:
                ++st.retried;
                break;
            case EventType::PartitionSwitched:
                if (e.reason == static_cast<uint8_t>(SwitchCause::OnNewBatch))
                    ++st.onNewBatchSwitches;
                else
                    ++st.stickyBytesSwitches;
                break;
            case EventType::NodeDrained:
                if (e.partitionCount > 1 && e.batchCount > 0 && e.nextDrainIndex != e.drainIndex)
                    st.drainRotated = true;
                break;
            default:
                break;
        }
    }
}

void LessonRunner::onSnapshot(const std::shared_ptr<const producer::ProducerSnapshot>& s) {
    if (!active_ || step_ < 0 || !s) return;
    if (s->bufferPool.queuedWaiters > 0) current().blocked = true;
}

void LessonRunner::onLocated(const QString& topic, int partition, qint64 offset,
                             const RecordLocation& l) {
    if (!active_ || step_ < 0) return;
    current().located = l.ok() ? tr("%1-%2@%3: %4, byte %5")
                                     .arg(topic)
                                     .arg(partition)
                                     .arg(offset)
                                     .arg(l.segmentPath)
                                     .arg(l.position)
                               : tr("not located: %1").arg(l.error);
}

bool LessonRunner::check(const LessonExpect& x) const {
    const StepStats& st = stats_[static_cast<size_t>(step_)];
    const QJsonObject& a = x.args;
    const auto ref = [&]() -> const StepStats& {
        return stats_[static_cast<size_t>(a.value(QStringLiteral("step")).toInt(1) - 1)];
    };
    const QString& k = x.kind;
    if (k == QLatin1String("delivered"))
        return st.ok >= a.value(QStringLiteral("atLeast")).toInt(1);
    if (k == QLatin1String("allInPartition")) {
        const int p = a.value(QStringLiteral("partition")).toInt(-1);
        return st.ok > 0 && st.byPartition.size() == 1 && st.byPartition.begin()->first == p;
    }
    if (k == QLatin1String("onePartition")) return st.ok > 0 && st.byPartition.size() == 1;
    if (k == QLatin1String("partitionsAtLeast"))
        return static_cast<int>(st.byPartition.size()) >= a.value(QStringLiteral("count")).toInt(2);
    if (k == QLatin1String("avoidsNode")) {
        const auto node = resolve(nodeRefOf(a));
        const QList<int> led = partitionsLedBy(node);
        if (st.ok == 0 || led.isEmpty()) return false;
        return std::none_of(st.byPartition.begin(), st.byPartition.end(),
                            [&](const auto& kv) { return led.contains(kv.first); });
    }
    if (k == QLatin1String("partitionSwitch")) {
        const int n = a.value(QStringLiteral("cause")).toString() == QLatin1String("onNewBatch")
                          ? st.onNewBatchSwitches
                          : st.stickyBytesSwitches;
        return n >= a.value(QStringLiteral("atLeast")).toInt(1);
    }
    if (k == QLatin1String("fewerRequestsPerRecordThan")) {
        const StepStats& r = ref();
        return st.requests > 0 && r.requests > 0 && st.ok > 0 && r.ok > 0 &&
               st.recordsPerRequest() > r.recordsPerRequest();
    }
    if (k == QLatin1String("moreBatchesPerRecordThan")) {
        const StepStats& r = ref();
        return st.ok > 0 && r.ok > 0 && st.batchesPerRecord() > r.batchesPerRecord();
    }
    if (k == QLatin1String("batchesPerRequest")) {
        if (a.contains(QStringLiteral("atLeast")))
            return st.maxBatchesPerRequest >= a.value(QStringLiteral("atLeast")).toInt();
        return st.requests > 0 &&
               st.maxBatchesPerRequest <= a.value(QStringLiteral("atMost")).toInt();
    }
    if (k == QLatin1String("drainRotates")) return st.drainRotated;
    if (k == QLatin1String("inFlight")) {
        if (a.contains(QStringLiteral("atLeast")))
            return st.maxInFlight >= a.value(QStringLiteral("atLeast")).toInt();
        return st.requests > 0 && st.maxInFlight <= a.value(QStringLiteral("atMost")).toInt();
    }
    if (k == QLatin1String("retried"))
        return st.retried >= a.value(QStringLiteral("atLeast")).toInt(1);
    if (k == QLatin1String("noFailures")) return st.ok > 0 && st.failed == 0 && st.errors.isEmpty();
    if (k == QLatin1String("inOrder")) return st.ok > 1 && st.inOrder;
    if (k == QLatin1String("sendBlocked")) return st.blocked;
    if (k == QLatin1String("failedWith")) {
        const QString text = a.value(QStringLiteral("contains")).toString();
        return std::any_of(st.errors.begin(), st.errors.end(),
                           [&](const QString& e) { return e.contains(text); });
    }
    if (k == QLatin1String("offsetUnknown")) return st.offsetUnknown;
    if (k == QLatin1String("offsetKnown")) return st.offsetKnown && !st.offsetUnknown;
    if (k == QLatin1String("locatedOnDisk")) return st.located.contains(QStringLiteral(".log"));
    if (k == QLatin1String("keysMoved")) {
        const StepStats& r = ref();
        int moved = 0;
        for (const auto& [key, p] : st.keyPartition) {
            const auto before = r.keyPartition.find(key);
            if (before != r.keyPartition.end() && before->second != p) ++moved;
        }
        return moved >= a.value(QStringLiteral("atLeast")).toInt(1);
    }
    if (k == QLatin1String("fewerOnNode")) {
        // Records per partition on the node's partitions against the others'.
        const QList<int> led = partitionsLedBy(resolve(nodeRefOf(a)));
        const int others = partitionCount() - static_cast<int>(led.size());
        if (st.ok == 0 || led.isEmpty() || others <= 0) return false;
        qint64 onNode = 0;
        for (int p : led)
            if (auto it = st.byPartition.find(p); it != st.byPartition.end()) onNode += it->second;
        const double perLed = static_cast<double>(onNode) / static_cast<double>(led.size());
        const double perOther = static_cast<double>(st.ok - onNode) / others;
        return perLed <= a.value(QStringLiteral("atMost")).toDouble(0.5) * perOther;
    }
    return false;
}

QVector<bool> LessonRunner::met() const {
    QVector<bool> out;
    if (step_ < 0 || step_ >= lesson_.steps.size()) return out;
    for (const LessonExpect& x : lesson_.steps[step_].expect)
        out << check(x);
    return out;
}

bool LessonRunner::stepDone() const {
    if (!active_ || step_ < 0 || waitingForProducer_) return false;
    const LessonStep& s = lesson_.steps[step_];
    const StepStats& st = stats_[static_cast<size_t>(step_)];
    if (s.send && st.ok + st.failed < s.send->count) return false;
    const QVector<bool> m = met();
    return std::all_of(m.begin(), m.end(), [](bool b) { return b; });
}

QStringList LessonRunner::unmet() const {
    QStringList out;
    const QVector<bool> m = met();
    for (int i = 0; i < m.size(); ++i)
        if (!m[i]) out << lesson_.steps[step_].expect[i].says;
    if (step_ >= 0 && step_ < lesson_.steps.size() && lesson_.steps[step_].send) {
        const StepStats& st = stats_[static_cast<size_t>(step_)];
        const int count = lesson_.steps[step_].send->count;
        if (st.ok + st.failed < count)
            out << tr("%1 of %2 records answered").arg(st.ok + st.failed).arg(count);
    }
    if (waitingForProducer_) out << tr("the producer is being recreated");
    return out;
}

void LessonRunner::evaluate() {
    if (!active_ || step_ < 0) return;
    const LessonStep& s = lesson_.steps[step_];
    // The record to follow to disk: asked once the step's records are in.
    const bool wantsLocation = std::any_of(s.expect.begin(), s.expect.end(), [](const auto& x) {
        return x.kind == QLatin1String("locatedOnDisk");
    });
    const StepStats& st = current();
    if (wantsLocation && !locateAsked_ && st.ok > 0 && lastOkOffset_ >= 0 &&
        (!s.send || st.ok + st.failed >= s.send->count)) {
        locateAsked_ = true;
        controller_->session().requestLocate(topic(), static_cast<int>(lastOkPartition_),
                                             lastOkOffset_);
        if (auto* inspector = window_->findChild<TopicInspector*>())
            inspector->showRecord(topic(), static_cast<int>(lastOkPartition_), lastOkOffset_);
    }
    if (!doneSignalled_ && stepDone()) {
        doneSignalled_ = true;
        Q_EMIT stepSeen(step_);
    }
    Q_EMIT changed();
}

QWidget* LessonRunner::lookTarget() const {
    if (step_ < 0 || step_ >= lesson_.steps.size()) return nullptr;
    return window_->findChild<QWidget*>(lesson_.steps[step_].look);
}

QString LessonRunner::measurements() const {
    if (step_ < 0 || step_ >= lesson_.steps.size()) return {};
    const StepStats& st = stats_[static_cast<size_t>(step_)];
    QStringList parts;
    parts << tr("%1 delivered").arg(number(static_cast<double>(st.ok)));
    if (st.failed) parts << tr("%1 failed").arg(st.failed);
    parts << tr("%1 ProduceRequests").arg(number(static_cast<double>(st.requests)));
    if (st.requests) parts << tr("%1 records per request").arg(number(st.recordsPerRequest(), 1));
    parts << tr("%1 batches").arg(number(static_cast<double>(st.batches)));
    if (!st.byPartition.empty()) {
        QStringList ps;
        for (const auto& [p, n] : st.byPartition)
            ps << QStringLiteral("P%1: %2").arg(p).arg(n);
        parts << ps.join(QStringLiteral(", "));
    }
    if (st.retried) parts << tr("%1 retried").arg(st.retried);
    if (st.maxInFlight) parts << tr("at most %1 in flight per node").arg(st.maxInFlight);
    if (!st.located.isEmpty()) parts << st.located;
    return parts.join(QStringLiteral(" · "));
}

QString LessonRunner::settingsSet() const {
    QStringList parts;
    std::map<std::string, std::string> set;
    for (int i = 0; i <= step_ && i < lesson_.steps.size(); ++i)
        for (const auto& [k, v] : lesson_.steps[i].producer)
            set[k] = v.empty() ? std::string("(default)") : v;
    for (const auto& [k, v] : set)
        parts << QStringLiteral("%1=%2").arg(QString::fromStdString(k), QString::fromStdString(v));
    // Back and Next apply a step's changes again: each is said once.
    QStringList changes = clusterChanges_;
    changes.removeDuplicates();
    parts << changes;
    return parts.join(QStringLiteral(" · "));
}

}  // namespace bs::ui
