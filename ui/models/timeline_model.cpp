#include "models/timeline_model.h"

#include <QColor>
#include <QFont>
#include <QLocale>
#include <QTimer>
#include <algorithm>
#include <span>

#include "protocol/api_keys.h"
#include "protocol/errors.h"

namespace bs::ui {

using producer::Event;
using producer::EventType;
using producer::ReadyReason;

namespace {

QString errorName(int16_t code) {
    return QString::fromUtf8(protocol::errorName(static_cast<protocol::ErrorCode>(code)).data());
}

// "14 310 B" / "14.0 KB": bytes as a learner reads them.
QString bytes(int64_t b) {
    if (b < 100 * 1024)
        return QLocale::c().toString(static_cast<qlonglong>(b)).replace(',', ' ') +
               QStringLiteral(" B");
    return QStringLiteral("%1 KB").arg(static_cast<double>(b) / 1024.0, 0, 'f', 1);
}

QString reasonText(ReadyReason r, int64_t waitedMs, int64_t delayMs) {
    const QString name = QString::fromUtf8(producer::readyReasonName(r).data());
    switch (r) {
        case ReadyReason::LingerExpired:
            return QStringLiteral("%1, waited %2 ms").arg(name).arg(waitedMs);
        case ReadyReason::Lingering:
            return QStringLiteral("lingering, %1 ms left").arg(delayMs);
        case ReadyReason::BackingOff:
            return QStringLiteral("retry backoff, %1 ms left").arg(delayMs);
        case ReadyReason::ConnectionFailed:
        case ReadyReason::NotConnected:
            return delayMs > 0 ? QStringLiteral("%1, reconnect in %2 ms").arg(name).arg(delayMs)
                               : name;
        default:
            return name;
    }
}

// The serialized size as doSend() sees it: "null" for a null key or value.
QString sizeOrNull(int32_t n) {
    return n < 0 ? QStringLiteral("null") : bytes(n);
}

// Partitioners that place a keyed record by murmur2(key) (the others ignore keys).
bool hashesKeys(const QString& cls) {
    static const QStringList hashing = {
        QString(),
        QStringLiteral("builtin"),
        QStringLiteral("default"),
        QStringLiteral("sticky"),
        QStringLiteral("legacy"),
        QStringLiteral("org.apache.kafka.clients.producer.internals.DefaultPartitioner")};
    return hashing.contains(cls);
}

// The configured partitioner in a few words.
QString partitionerWords(const QString& cls) {
    if (cls.isEmpty() || cls == QLatin1String("builtin") || cls == QLatin1String("default"))
        return QStringLiteral("built-in partitioner");
    if (cls == QLatin1String("sticky") || cls.endsWith(QLatin1String(".DefaultPartitioner")))
        return QStringLiteral("sticky partitioner (KIP-480)");
    if (cls == QLatin1String("uniform-sticky") || cls.endsWith(QLatin1String("StickyPartitioner")))
        return QStringLiteral("UniformStickyPartitioner");
    if (cls == QLatin1String("legacy")) return QStringLiteral("legacy round robin");
    if (cls == QLatin1String("round-robin") || cls.endsWith(QLatin1String("RoundRobinPartitioner")))
        return QStringLiteral("RoundRobinPartitioner");
    return QStringLiteral("plugin partitioner");
}

TimelineModel::Step stepOf(EventType t) {
    using S = TimelineModel::Step;
    switch (t) {
        case EventType::RecordAppended:
        case EventType::BatchCreated:
        case EventType::BatchFull:
        case EventType::SenderWoken:
        case EventType::PartitionSwitched:
            return S::Append;
        case EventType::ReadyVerdict:
        case EventType::ReadyChecked:
            return S::Ready;
        case EventType::BatchClosed:
        case EventType::BatchDrained:
        case EventType::NodeDrained:
            return S::Drain;
        case EventType::RequestSent:
        case EventType::RequestWritten:
            return S::Request;
        case EventType::ResponseReceived:
        case EventType::BatchCompleted:
            return S::Response;
        case EventType::MetadataRequested:
        case EventType::MetadataUpdated:
            return S::Metadata;
        case EventType::BatchRetried:
        case EventType::BatchExpired:
        case EventType::BatchSplit:
            return S::Retry;
    }
    return S::Append;
}

}  // namespace

TimelineModel::TimelineModel(QObject* parent) : QAbstractListModel(parent) {}

QString TimelineModel::stepName(Step s) {
    switch (s) {
        case Step::Append:
            return tr("send() / append()");
        case Step::Ready:
            return tr("ready()");
        case Step::Drain:
            return tr("drain()");
        case Step::Request:
            return tr("request");
        case Step::Response:
            return tr("response");
        case Step::Metadata:
            return tr("metadata");
        case Step::Retry:
            return tr("retry / expiry");
    }
    return {};
}

void TimelineModel::buildRows(std::span<const Event> events, std::vector<Row>& out) {
    for (const Event& e : events) {
        // The client frames a ProduceRequest inside sendProduceRequest's client.send(), so its
        // RequestWritten is published just before the RequestSent that names the request: shown
        // the other way round, the call first, then what it did.
        if (e.type == EventType::RequestWritten &&
            static_cast<protocol::ApiKey>(e.apiKey) == protocol::ApiKey::Produce) {
            flushWritten(out);
            written_ = e;
            continue;
        }
        const bool sentOfWritten = written_ && e.type == EventType::RequestSent &&
                                   e.nodeId == written_->nodeId &&
                                   e.correlationId == written_->correlationId;
        if (!sentOfWritten) flushWritten(out);
        switch (e.type) {
            case EventType::BatchClosed:
                continue;  // BatchDrained follows at once
            case EventType::ReadyVerdict:
                verdicts_.push_back(
                    {e.nodeId, static_cast<ReadyReason>(e.reason), e.waitedMs, e.delayMs});
                continue;
            case EventType::BatchDrained:
                drained_.push_back({e.topicId, e.partition, e.batchId});
                continue;
            default:
                break;
        }
        Row r;
        r.e = e;
        r.step = stepOf(e.type);
        if (e.type == EventType::ReadyChecked) {
            r.verdicts.swap(verdicts_);
            verdicts_.clear();
            if (e.step) stepIteration_ = e.iteration;
            // An iteration with no data anywhere says nothing (the sender iterates for every
            // response and timeout); a Step's is kept, it is what the learner asked for.
            const bool idle =
                std::all_of(r.verdicts.begin(), r.verdicts.end(),
                            [](const Verdict& v) { return v.reason == ReadyReason::NoData; });
            if (idle && !e.step) continue;
        } else if (e.type == EventType::NodeDrained) {
            // drain() publishes its BatchDrained events, then the node's summary.
            r.drained.swap(drained_);
            drained_.clear();
        }
        r.inStep = e.iteration >= 0 && e.iteration == stepIteration_;
        out.push_back(std::move(r));
        if (sentOfWritten) flushWritten(out);
    }
}

void TimelineModel::addNote(const QString& text, Step step) {
    flushStaged();  // the note follows the events before it
    Row r;
    r.note = text;
    r.step = step;
    r.e.timeNs = -1;
    if (held_) {
        pending_.push_back(std::move(r));
        Q_EMIT heldCountChanged(heldCount());
        return;
    }
    std::vector<Row> rows;
    rows.push_back(std::move(r));
    insert(rows);
}

void TimelineModel::addLost(quint64 events, quint64 ringCapacity) {
    lost_ += events;
    lostRing_ = ringCapacity;
    flushWithinInterval();  // events are dropped only at full speed
}

void TimelineModel::flushWritten(std::vector<Row>& out) {
    if (!written_) return;
    Row r;
    r.e = *written_;
    r.step = stepOf(r.e.type);
    r.inStep = r.e.iteration >= 0 && r.e.iteration == stepIteration_;
    out.push_back(std::move(r));
    written_.reset();
}

void TimelineModel::applyEvents(const std::vector<Event>& events) {
    size_t from = 0;
    if (tickBudget_ > 0 && events.size() > static_cast<size_t>(tickBudget_)) {
        // More than a learner can read and more than the GUI thread can afford to turn into
        // lines (records pour in): only the newest iterations become lines, the skip is said.
        from = iterationStart(events, events.size() - static_cast<size_t>(tickBudget_));
        flushWritten(staged_);
        verdicts_.clear();
        drained_.clear();
        skipped_ += from;
    }
    buildRows(std::span(events).subspan(from), staged_);
    if (tickBudget_ > 0 && staged_.size() > static_cast<size_t>(tickBudget_)) {
        const size_t drop = staged_.size() - static_cast<size_t>(tickBudget_);
        for (size_t i = 0; i < drop; ++i)
            skipped_ += 1 + staged_[i].verdicts.size() + staged_[i].drained.size();
        staged_.erase(staged_.begin(), staged_.begin() + static_cast<std::ptrdiff_t>(drop));
    }
    if (staged_.empty()) return;
    if (events.size() >= static_cast<size_t>(busyEvents_))
        flushWithinInterval();
    else
        flushStaged();
}

void TimelineModel::flushWithinInterval() {
    const qint64 wait = minIntervalMs_ - (sinceInsert_.isValid() ? sinceInsert_.elapsed() : 0);
    if (minIntervalMs_ > 0 && sinceInsert_.isValid() && wait > 0) {
        if (!flushQueued_) {
            flushQueued_ = true;
            QTimer::singleShot(std::chrono::milliseconds(wait), this, [this] {
                flushQueued_ = false;
                flushStaged();
            });
        }
        return;
    }
    flushStaged();
}

void TimelineModel::flushStaged() {
    if (staged_.empty() && lost_ == 0) return;
    sinceInsert_.start();
    if (skipped_ > 0) {
        Row note;
        note.note =
            tr("⋯ %1 events not shown: at full speed the timeline keeps the newest %2 "
               "each %3 ms (Pause sender and Step to see every line)")
                .arg(QLocale::c().toString(static_cast<qulonglong>(skipped_)).replace(',', ' '))
                .arg(tickBudget_)
                .arg(minIntervalMs_);
        note.step = Step::Append;
        note.e.timeNs = -1;
        staged_.insert(staged_.begin(), std::move(note));
        skipped_ = 0;
    }
    if (lost_ > 0) {
        Row note;
        note.note = tr("⋯ %1 events lost: the producer's event ring (%2 events) was full before "
                       "the window read it (the pipeline never waits for the window)")
                        .arg(lost_)
                        .arg(lostRing_);
        note.step = Step::Append;
        note.e.timeNs = -1;
        staged_.push_back(std::move(note));
        lost_ = 0;
    }
    if (held_) {
        for (auto& r : staged_)
            pending_.push_back(std::move(r));
        staged_.clear();
        const size_t excess = pending_.size() - std::min<size_t>(pending_.size(), capacity_);
        pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(excess));
        Q_EMIT heldCountChanged(heldCount());
        return;
    }
    insert(staged_);
    staged_.clear();
}

size_t TimelineModel::iterationStart(const std::vector<Event>& events, size_t cut) {
    int64_t last = -1;  // the iteration of the last sender-thread event before `cut`
    for (size_t i = cut; i-- > 0;)
        if (events[i].iteration >= 0) {
            last = events[i].iteration;
            break;
        }
    for (size_t i = cut; i < events.size(); ++i)
        if (events[i].iteration >= 0 && events[i].iteration != last) return i;
    return cut;
}

void TimelineModel::insert(std::vector<Row>& rows, size_t first) {
    if (first >= rows.size()) return;
    // Only the newest `capacity_` of a large tick can be shown.
    first = std::max(first, rows.size() - std::min<size_t>(rows.size() - first, capacity_));
    const int incoming = static_cast<int>(rows.size() - first);
    // Drop the oldest first so the view's rows never exceed the cap.
    const int overflow = static_cast<int>(rows_.size()) + incoming - capacity_;
    if (overflow > 0) {
        beginRemoveRows({}, 0, overflow - 1);
        rows_.popFront(static_cast<size_t>(overflow));
        endRemoveRows();
    }
    const int at = static_cast<int>(rows_.size());
    beginInsertRows({}, at, at + incoming - 1);
    for (size_t i = first; i < rows.size(); ++i)
        rows_.pushBack(std::move(rows[i]));
    endInsertRows();
}

void TimelineModel::RowRing::pushBack(Row&& r) {
    if (size_ == slots_.size()) {
        // Still growing toward the cap: straighten a wrapped ring, then append.
        std::rotate(slots_.begin(), slots_.begin() + static_cast<std::ptrdiff_t>(head_),
                    slots_.end());
        head_ = 0;
        slots_.push_back(std::move(r));
        ++size_;
        return;
    }
    Row& slot = slots_[(head_ + size_) % slots_.size()];
    // Assigned field by field so the slot's vectors keep their capacity.
    slot.e = r.e;
    slot.step = r.step;
    slot.inStep = r.inStep;
    slot.verdicts.assign(r.verdicts.begin(), r.verdicts.end());
    slot.drained.assign(r.drained.begin(), r.drained.end());
    slot.note = std::move(r.note);
    ++size_;
}

void TimelineModel::RowRing::popFront(size_t n) {
    n = std::min(n, size_);
    if (n == 0) return;
    head_ = (head_ + n) % slots_.size();
    size_ -= n;
}

void TimelineModel::RowRing::clear() {
    slots_.clear();
    head_ = size_ = 0;
}

void TimelineModel::setHeld(bool held) {
    if (held == held_) return;
    held_ = held;
    if (!held_) {
        insert(pending_);
        pending_.clear();
        Q_EMIT heldCountChanged(0);
    }
}

void TimelineModel::clear() {
    beginResetModel();
    rows_.clear();
    pending_.clear();
    staged_.clear();
    skipped_ = 0;
    lost_ = 0;
    verdicts_.clear();
    drained_.clear();
    written_.reset();
    endResetModel();
    Q_EMIT heldCountChanged(0);
}

void TimelineModel::setCapacity(int rows) {
    capacity_ = std::max(rows, 1);
    const int overflow = static_cast<int>(rows_.size()) - capacity_;
    if (overflow > 0) {
        beginRemoveRows({}, 0, overflow - 1);
        rows_.popFront(static_cast<size_t>(overflow));
        endRemoveRows();
    }
}

int TimelineModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}

QString TimelineModel::topicName(uint32_t id) const {
    return names_ ? names_(id) : QString::number(id);
}

QString TimelineModel::tp(uint32_t topicId, int32_t partition) const {
    return QStringLiteral("%1-%2").arg(topicName(topicId)).arg(partition);
}

QVariant TimelineModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= static_cast<int>(rows_.size())) return {};
    const Row& r = rows_[static_cast<size_t>(index.row())];
    const Event& e = r.e;
    switch (role) {
        case Qt::DisplayRole:
            return text(index.row());
        case Qt::ToolTipRole:
            if (!r.note.isEmpty()) return tr("written by the window");
            return QStringLiteral("%1 · %2 ms")
                .arg(QString::fromUtf8(producer::eventTypeName(e.type).data()))
                .arg(static_cast<double>(e.timeNs) / 1e6, 0, 'f', 3);
        case Qt::ForegroundRole:
            if (e.errorCode != 0 && e.type != EventType::BatchExpired)
                return QColor(0xc0, 0x39, 0x2b);
            return {};
        case Qt::FontRole:
            if (e.type == EventType::ReadyChecked || !r.note.isEmpty()) {
                QFont f;
                f.setBold(true);
                return f;
            }
            return {};
        case StepRole:
            return static_cast<int>(r.step);
        case NodeRole:
            return e.nodeId;
        case NodesRole: {
            QList<int> nodes;
            if (e.nodeId >= 0) nodes << e.nodeId;
            for (const Verdict& v : r.verdicts)
                nodes << v.node;
            return QVariant::fromValue(nodes);
        }
        case PartitionRole: {
            QStringList tps;
            if (e.partition >= 0 && e.topicId != producer::kNoTopic)
                tps << tp(e.topicId, e.partition);
            if (e.fromPartition >= 0 && e.fromPartition != e.partition &&
                e.topicId != producer::kNoTopic)
                tps << tp(e.topicId, e.fromPartition);
            for (const Drained& d : r.drained)
                tps << tp(d.topicId, d.partition);
            return tps.join(QLatin1Char(';'));
        }
        case TopicRole:
            if (e.topicId != producer::kNoTopic) return topicName(e.topicId);
            if (!r.drained.empty()) return topicName(r.drained.front().topicId);
            return QString();
        case BatchIdRole:
            if (e.batchId) return static_cast<qulonglong>(e.batchId);
            if (!r.drained.empty()) return static_cast<qulonglong>(r.drained.front().batchId);
            return qulonglong{0};
        case CorrelationRole:
            return e.correlationId;
        case IterationRole:
            return static_cast<qlonglong>(e.iteration);
        case InStepRole:
            return r.inStep;
        default:
            return {};
    }
}

QString TimelineModel::text(int row) const {
    if (row < 0 || row >= static_cast<int>(rows_.size())) return {};
    const Row& r = rows_[static_cast<size_t>(row)];
    const QString s = sentence(r);
    // Lines an iteration run by Step produced hang under its ready() line.
    if (r.inStep && r.e.type != EventType::ReadyChecked) return QStringLiteral("    └ ") + s;
    return s;
}

QString TimelineModel::appendSentence(const Event& e) const {
    QString how;
    switch (static_cast<producer::PartitionChoice>(e.reason)) {
        case producer::PartitionChoice::Explicit:
            how = tr("the record names P%1 (partition() returns it first)").arg(e.partition);
            break;
        case producer::PartitionChoice::Accumulator:
            how = tr("keyless -> the accumulator's sticky partition P%1").arg(e.partition);
            break;
        case producer::PartitionChoice::Partitioner:
            if (e.keyBytes >= 0 && hashesKeys(settings_.partitionerClass))
                how = tr("murmur2(key) % partitions -> P%1").arg(e.partition);
            else
                how = tr("%1%2 -> P%3")
                          .arg(partitionerWords(settings_.partitionerClass))
                          .arg(e.keyBytes >= 0 ? tr(" (ignores the key)") : tr(", keyless"))
                          .arg(e.partition);
            break;
    }
    return tr("doSend(): key %1, value %2; partition(): %3; append(): %4 batch #%5 now holds "
              "%6 records (+%7)")
        .arg(sizeOrNull(e.keyBytes), sizeOrNull(e.valueBytes), how, tp(e.topicId, e.partition))
        .arg(e.batchId)
        .arg(e.recordCount)
        .arg(bytes(e.bytes));
}

QString TimelineModel::switchSentence(const Event& e) const {
    const QString from = tp(e.topicId, e.fromPartition);
    const QString to = tp(e.topicId, e.partition);
    if (static_cast<producer::SwitchCause>(e.reason) == producer::SwitchCause::OnNewBatch)
        return e.partition == e.fromPartition
                   ? tr("append(): %1 would need a new batch (abortOnNewBatch) -> "
                        "partitioner.onNewBatch() -> partition() again: still %1 (a key or a "
                        "single available partition decides)")
                         .arg(from)
                   : tr("append(): %1 would need a new batch (abortOnNewBatch) -> "
                        "partitioner.onNewBatch() -> partition() again: %2 (KIP-480)")
                         .arg(from, to);
    if (e.partition == e.fromPartition)
        return tr("BuiltInPartitioner: %1 took %2 >= batch.size %3 -> next sticky partition "
                  "drawn at random: %1 again (KIP-794)")
            .arg(from, bytes(e.bytes), bytes(settings_.batchSize));
    return tr("BuiltInPartitioner: %1 took %2 >= batch.size %3 -> next sticky partition %4 "
              "(KIP-794)")
        .arg(from, bytes(e.bytes), bytes(settings_.batchSize), to);
}

QString TimelineModel::sentence(const Row& r) const {
    if (!r.note.isEmpty()) return r.note;
    const Event& e = r.e;
    switch (e.type) {
        case EventType::RecordAppended:
            return appendSentence(e);
        case EventType::PartitionSwitched:
            return switchSentence(e);
        case EventType::BatchCreated:
            return tr("append(): no batch to take the record -> new batch %1 #%2 (%3 buffer), "
                      "wakeup()")
                .arg(tp(e.topicId, e.partition))
                .arg(e.batchId)
                .arg(bytes(e.bytes));
        case EventType::BatchFull:
            return tr("append(): tryAppend failed (batch full) -> %1 #%2 closed for appends "
                      "with %3 records, %4")
                .arg(tp(e.topicId, e.partition))
                .arg(e.batchId)
                .arg(e.recordCount)
                .arg(bytes(e.bytes));
        case EventType::SenderWoken:
            return tr(
                "Sender.wakeup(): the sender's poll() is interrupted (new or full batch, "
                "flush)");
        case EventType::ReadyChecked: {
            QStringList ready, notReady;
            for (const Verdict& v : r.verdicts) {
                const QString item =
                    tr("node %1 (%2)").arg(v.node).arg(reasonText(v.reason, v.waitedMs, v.delayMs));
                (producer::isReadyReason(v.reason) ? ready : notReady) << item;
            }
            QString s =
                tr("Sender.runOnce #%1%2: ready() -> %3")
                    .arg(e.iteration)
                    .arg(e.step ? tr(" (Step)") : QString())
                    .arg(ready.isEmpty() ? tr("no node ready") : ready.join(QStringLiteral(", ")));
            if (!notReady.isEmpty())
                s += tr("; not ready: %1").arg(notReady.join(QStringLiteral(", ")));
            if (e.delayMs >= 0) s += tr("; next ready check in %1 ms").arg(e.delayMs);
            return s;
        }
        case EventType::NodeDrained: {
            QStringList parts;
            for (const Drained& d : r.drained)
                parts << QStringLiteral("P%1").arg(d.partition);
            if (e.batchCount == 0)
                return tr("drain(node %1): nothing drainable (drainIndex stays %2)")
                    .arg(e.nodeId)
                    .arg(e.nextDrainIndex);
            return tr("drain(node %1): %2 (drainIndex %3 -> %4 of %5), %6 batches, %7 records, "
                      "%8 <= max.request.size %9")
                .arg(e.nodeId)
                .arg(parts.join(QStringLiteral(", ")))
                .arg(e.drainIndex)
                .arg(e.nextDrainIndex)
                .arg(e.partitionCount)
                .arg(e.batchCount)
                .arg(e.recordCount)
                .arg(bytes(e.bytes))
                .arg(bytes(settings_.maxRequestSize));
        }
        case EventType::RequestSent:
            return tr("sendProduceRequests: node %1 correlation %2, %3 batches, %4 records, %5, "
                      "acks=%6")
                .arg(e.nodeId)
                .arg(e.correlationId)
                .arg(e.batchCount)
                .arg(e.recordCount)
                .arg(bytes(e.bytes))
                .arg(settings_.acks == -1 ? QStringLiteral("all")
                                          : QString::number(settings_.acks));
        case EventType::RequestWritten: {
            const auto api = static_cast<protocol::ApiKey>(e.apiKey);
            QString s = tr("NetworkClient: %1Request v%2 %3 written to node %4 (%5)")
                            .arg(QString::fromUtf8(protocol::apiName(api).data()))
                            .arg(e.apiVersion)
                            .arg(e.correlationId)
                            .arg(e.nodeId)
                            .arg(bytes(e.bytes));
            if (api == protocol::ApiKey::Produce && e.attempts == 0)
                s += tr(", acks=0: no response expected, done once written");
            return s;
        }
        case EventType::ResponseReceived:
            if (e.errorCode)
                return tr("handleProduceResponse: request %1 to node %2 failed: %3")
                    .arg(e.correlationId)
                    .arg(e.nodeId)
                    .arg(errorName(e.errorCode));
            return tr("handleProduceResponse: response %1 from node %2")
                .arg(e.correlationId)
                .arg(e.nodeId);
        case EventType::BatchCompleted:
            if (e.errorCode)
                return tr("failBatch: %1 #%2 (%3 records) failed: %4")
                    .arg(tp(e.topicId, e.partition))
                    .arg(e.batchId)
                    .arg(e.recordCount)
                    .arg(errorName(e.errorCode));
            return tr("completeBatch: %1 #%2 done, %3 records at offset %4")
                .arg(tp(e.topicId, e.partition))
                .arg(e.batchId)
                .arg(e.recordCount)
                .arg(e.offset);
        case EventType::BatchRetried:
            return tr("reenqueueBatch: %1 #%2 back to the front of its deque, attempt %3 next "
                      "(%4)")
                .arg(tp(e.topicId, e.partition))
                .arg(e.batchId)
                .arg(e.attempts + 1)
                .arg(e.errorCode ? errorName(e.errorCode) : tr("request failed"));
        case EventType::BatchExpired:
            return tr("expiredBatches: %1 #%2 (%3 records) expired: delivery.timeout.ms passed")
                .arg(tp(e.topicId, e.partition))
                .arg(e.batchId)
                .arg(e.recordCount);
        case EventType::BatchSplit:
            return tr("splitAndReenqueue: %1 #%2 MESSAGE_TOO_LARGE -> split into smaller batches")
                .arg(tp(e.topicId, e.partition))
                .arg(e.batchId);
        case EventType::MetadataRequested: {
            switch (static_cast<producer::MetadataCause>(e.reason)) {
                case producer::MetadataCause::UnknownLeader:
                    return tr("metadata: leader of %1 unknown -> requestUpdate()")
                        .arg(e.partition >= 0 ? tp(e.topicId, e.partition) : tr("a partition"));
                case producer::MetadataCause::ErrorResponse:
                    return tr("metadata: %1 answered %2 -> requestUpdate()")
                        .arg(tp(e.topicId, e.partition), errorName(e.errorCode));
                case producer::MetadataCause::Disconnected:
                    return tr("metadata: node %1 disconnected -> requestUpdate()").arg(e.nodeId);
                case producer::MetadataCause::ConnectionFailed:
                    return tr("metadata: connecting to node %1 failed (its leadership may have "
                              "moved) -> requestUpdate()")
                        .arg(e.nodeId);
                case producer::MetadataCause::TopicAwaited:
                    return tr("metadata: waitOnMetadata() waits for a topic -> refresh");
                case producer::MetadataCause::MaxAge:
                    return tr("metadata: metadata.max.age.ms passed -> refresh");
                case producer::MetadataCause::None:
                    break;
            }
            return tr("metadata: refresh requested");
        }
        case EventType::MetadataUpdated:
            return tr("metadata: update from node %1 (response %2): leaders as the cluster "
                      "now says")
                .arg(e.nodeId)
                .arg(e.correlationId);
        case EventType::BatchClosed:
        case EventType::BatchDrained:
        case EventType::ReadyVerdict:
            break;
    }
    return QString::fromUtf8(producer::eventTypeName(e.type).data());
}

// ------------------------------------------------------------------ filter

void TimelineFilter::setPartition(const QString& tp) {
    partition_ = tp.trimmed();
    invalidateRowsFilter();
}

void TimelineFilter::setNode(int node) {
    node_ = node;
    invalidateRowsFilter();
}

void TimelineFilter::setStep(int step) {
    step_ = step;
    invalidateRowsFilter();
}

void TimelineFilter::setOnlyStepIterations(bool on) {
    onlySteps_ = on;
    invalidateRowsFilter();
}

bool TimelineFilter::filterAcceptsRow(int row, const QModelIndex& parent) const {
    const QModelIndex i = sourceModel()->index(row, 0, parent);
    if (step_ >= 0 && i.data(TimelineModel::StepRole).toInt() != step_) return false;
    if (onlySteps_ && !i.data(TimelineModel::InStepRole).toBool()) return false;
    if (node_ >= 0 && !i.data(TimelineModel::NodesRole).value<QList<int>>().contains(node_))
        return false;
    if (!partition_.isEmpty()) {
        const QStringList tps =
            i.data(TimelineModel::PartitionRole).toString().split(QLatin1Char(';'));
        // "3" matches partition 3 of any topic, "t-3" that partition only.
        bool hit = false;
        for (const QString& tp : tps) {
            if (tp.isEmpty()) continue;
            if (tp == partition_ || (!partition_.contains(QLatin1Char('-')) &&
                                     tp.section(QLatin1Char('-'), -1) == partition_))
                hit = true;
        }
        if (!hit) return false;
    }
    return true;
}

}  // namespace bs::ui
