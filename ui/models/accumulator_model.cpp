#include "models/accumulator_model.h"

#include <algorithm>
#include <unordered_map>

#include <QCoreApplication>

namespace bs::ui {

qint64 AccumulatorModel::Lane::queuedRecords() const {
    qint64 n = 0;
    for (const auto& b : batches)
        if (!b.drained) n += b.records;
    return n;
}

void AccumulatorModel::setLimits(qint64 batchSize, qint64 lingerMs) {
    batchSize_ = std::max<qint64>(1, batchSize);
    lingerMs_ = std::max<qint64>(0, lingerMs);
}

void AccumulatorModel::setTopicPartitions(const QString& topic, int partitions) {
    topicPartitions_[topic] = partitions;
}

QString AccumulatorModel::Lane::waitingReason() const {
    if (leader >= 0 || downLeader < 0) return {};
    return QObject::tr("waiting for leader: node %1 is down and %2-%3 has no other replica")
        .arg(downLeader)
        .arg(topic)
        .arg(partition);
}

void AccumulatorModel::setLeader(const QString& topic, int partition, int node, int downNode) {
    leaders_[{topic, partition}] = {node, downNode};
}

void AccumulatorModel::clear() {
    lanes_.clear();
    Q_EMIT changed();
}

const AccumulatorModel::Lane* AccumulatorModel::lane(const QString& topic, int partition) const {
    for (const auto& l : lanes_)
        if (l.partition == partition && l.topic == topic) return &l;
    return nullptr;
}

qint64 AccumulatorModel::queuedRecords() const {
    qint64 n = 0;
    for (const auto& l : lanes_)
        n += l.queuedRecords();
    return n;
}

int AccumulatorModel::queuedBatches() const {
    int n = 0;
    for (const auto& l : lanes_)
        for (const auto& b : l.batches)
            n += b.drained ? 0 : 1;
    return n;
}

void AccumulatorModel::update(const producer::ProducerSnapshot& s) {
    timeMs_ = s.timeMs;
    pool_ = s.bufferPool;
    senderState_ = s.senderState;

    // Previous lanes by key, to turn vanished batches into fading ghosts.
    std::map<std::pair<QString, int>, Lane> old;
    for (auto& l : lanes_)
        old.emplace(std::make_pair(l.topic, l.partition), std::move(l));

    std::map<std::pair<QString, int>, Lane> next;
    for (const auto& [topic, n] : topicPartitions_)
        for (int p = 0; p < n; ++p)
            next[{topic, p}] = Lane{topic, p, false, -1, -1, {}};
    for (const auto& ps : s.partitions) {
        const QString topic = QString::fromStdString(ps.tp.topic);
        Lane& lane = next[{topic, ps.tp.partition}];
        lane.topic = topic;
        lane.partition = ps.tp.partition;
        lane.muted = ps.muted;
        for (const auto& b : ps.batches) {
            Batch out;
            out.id = b.batchId;
            out.records = b.recordCount;
            out.sizeBytes = b.sizeBytes;
            out.capacity = b.capacity > 0 ? b.capacity : batchSize_;
            out.ageMs = std::max<qint64>(0, s.timeMs - b.createdMs);
            out.attempts = b.attempts;
            out.baseSequence = b.baseSequence;
            out.state = b.state;
            lane.batches.push_back(out);
        }
    }
    for (auto& [key, lane] : next) {
        auto it = old.find(key);
        if (it == old.end()) continue;
        std::unordered_map<uint64_t, bool> present;
        for (const auto& b : lane.batches)
            present[b.id] = true;
        for (const auto& b : it->second.batches) {
            if (present.count(b.id)) continue;
            Batch ghost = b;
            if (!ghost.drained) {
                ghost.drained = true;
                ghost.drainedAtMs = s.timeMs;
            }
            if (s.timeMs - ghost.drainedAtMs < kGhostMs) lane.batches.push_back(ghost);
        }
    }
    lanes_.clear();
    lanes_.reserve(static_cast<int>(next.size()));
    for (auto& [key, lane] : next) {
        auto leader = leaders_.find(key);
        lane.leader = leader == leaders_.end() ? -1 : leader->second.first;
        lane.downLeader = leader == leaders_.end() ? -1 : leader->second.second;
        const bool waiting = lane.leader < 0 && lane.downLeader >= 0;
        for (auto& b : lane.batches)
            b.noLeader = waiting && !b.drained;
        lanes_.push_back(std::move(lane));
    }
    Q_EMIT changed();
}

std::optional<QString> AccumulatorModel::describeBatch(const QString& topic, int partition,
                                                       quint64 id) const {
    const Lane* l = lane(topic, partition);
    if (!l) return std::nullopt;
    for (const auto& b : l->batches) {
        if (b.id != id) continue;
        return tr("<b>%1-%2 batch %3</b>: %4, %5 of %6 bytes, age %7 ms of linger.ms %8, "
                  "attempts %9, base sequence %10, %11")
            .arg(topic)
            .arg(partition)
            .arg(b.id)
            .arg(b.records == 1 ? tr("1 record") : tr("%1 records").arg(b.records))
            .arg(b.sizeBytes)
            .arg(b.capacity)
            .arg(b.ageMs)
            .arg(lingerMs_)
            .arg(b.attempts)
            .arg(b.baseSequence)
            .arg(b.drained    ? tr("drained into a ProduceRequest")
                 : b.noLeader ? l->waitingReason()
                              : QString::fromUtf8(producer::batchStateName(b.state).data()));
    }
    return std::nullopt;
}

QString AccumulatorModel::summary() const {
    return tr("%1 records in %2 batches · %3")
        .arg(queuedRecords())
        .arg(queuedBatches())
        .arg(QString::fromUtf8(producer::senderStateName(senderState_).data()));
}

}  // namespace bs::ui
