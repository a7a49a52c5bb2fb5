#include "models/sender_model.h"

#include <algorithm>
#include <set>

namespace bs::ui {

void SenderModel::setLimits(int maxInFlight, qint64 requestTimeoutMs) {
    maxInFlight_ = std::max(1, maxInFlight);
    requestTimeoutMs_ = std::max<qint64>(1, requestTimeoutMs);
}

void SenderModel::clear() {
    nodes_.clear();
    responseErrors_.clear();
    retries_ = failedBatches_ = expired_ = 0;
    Q_EMIT changed();
}

const SenderModel::NodeLane* SenderModel::node(int nodeId) const {
    for (const auto& n : nodes_)
        if (n.nodeId == nodeId) return &n;
    return nullptr;
}

int SenderModel::inFlightCount() const {
    int n = 0;
    for (const auto& lane : nodes_)
        n += static_cast<int>(lane.inFlight.size());
    return n;
}

qint64 SenderModel::completedRequests() const {
    qint64 n = 0;
    for (const auto& lane : nodes_)
        n += lane.completedTotal;
    return n;
}

void SenderModel::update(const producer::ProducerSnapshot& s) {
    timeMs_ = s.timeMs;
    senderState_ = s.senderState;
    std::map<int, NodeLane> old;
    for (auto& n : nodes_)
        old.emplace(n.nodeId, std::move(n));
    QVector<NodeLane> next;
    std::set<int> seen;
    for (const auto& ns : s.nodes) {
        NodeLane lane;
        lane.nodeId = ns.nodeId;
        lane.address = QStringLiteral("%1:%2").arg(QString::fromStdString(ns.host)).arg(ns.port);
        lane.connected = ns.connected;
        for (const auto& r : ns.inFlight) {
            Request q;
            q.correlationId = r.correlationId;
            for (const auto& tp : r.partitions)
                q.partitions << QString::fromStdString(tp.toString());
            for (auto id : r.batchIds)
                q.batchIds << id;
            q.records = r.recordCount;
            q.bytes = r.bytes;
            q.elapsedMs = std::max<qint64>(0, s.timeMs - r.sentMs);
            lane.inFlight.push_back(q);
        }
        seen.insert(ns.nodeId);
        next.push_back(std::move(lane));
    }
    // Nodes that vanished from the snapshot keep their lane (e.g. down), disconnected.
    for (auto& [id, lane] : old)
        if (!seen.count(id)) {
            NodeLane keep;
            keep.nodeId = id;
            keep.address = lane.address;
            next.push_back(std::move(keep));
        }
    for (auto& lane : next) {
        auto it = old.find(lane.nodeId);
        if (it == old.end()) continue;
        NodeLane& prev = it->second;
        lane.completedTotal = prev.completedTotal;
        lane.errorTotal = prev.errorTotal;
        std::set<int> still;
        for (const auto& r : lane.inFlight)
            still.insert(r.correlationId);
        for (const auto& r : prev.inFlight) {
            if (still.count(r.correlationId)) continue;
            Request done = r;
            done.completed = true;
            done.completedAtMs = s.timeMs;
            auto err = responseErrors_.find({lane.nodeId, r.correlationId});
            if (err != responseErrors_.end()) {
                done.errorCode = err->second;
                responseErrors_.erase(err);
            } else if (!lane.connected) {
                done.errorCode = -2;  // connection lost: no response
            }
            lane.completedTotal++;
            if (done.errorCode != 0) lane.errorTotal++;
            lane.recent.push_back(done);
        }
        for (const auto& r : prev.recent)
            if (s.timeMs - r.completedAtMs < kRecentMs) lane.recent.push_back(r);
        std::stable_sort(
            lane.recent.begin(), lane.recent.end(),
            [](const Request& a, const Request& b) { return a.completedAtMs < b.completedAtMs; });
        while (lane.recent.size() > 4)
            lane.recent.pop_front();  // two columns of two
    }
    std::sort(next.begin(), next.end(),
              [](const NodeLane& a, const NodeLane& b) { return a.nodeId < b.nodeId; });
    nodes_ = std::move(next);
    if (responseErrors_.size() > 4096) responseErrors_.clear();  // bounded; stale keys only
    Q_EMIT changed();
}

void SenderModel::applyEvents(const std::vector<producer::Event>& events) {
    for (const auto& e : events) {
        switch (e.type) {
            case producer::EventType::ResponseReceived:
                if (e.errorCode != 0) {
                    responseErrors_[{e.nodeId, e.correlationId}] = e.errorCode;
                }
                break;
            case producer::EventType::BatchRetried:
                retries_++;
                break;
            case producer::EventType::BatchExpired:
                expired_++;
                break;
            case producer::EventType::BatchCompleted:
                if (e.errorCode != 0) failedBatches_++;
                break;
            default:
                break;
        }
    }
}

}  // namespace bs::ui
