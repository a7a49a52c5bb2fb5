#include "models/sender_model.h"

#include <algorithm>
#include <set>

#include "protocol/api_keys.h"
#include "protocol/errors.h"

namespace bs::ui {

QString connectionLabel(const SenderModel::NodeLane& lane) {
    if (lane.connected) return {};
    if (lane.down) return QObject::tr("down");
    if (!lane.connectionError.isEmpty()) return QObject::tr("unreachable");
    return QObject::tr("not connected");
}

QString errorLabel(int code) {
    if (code == 0) return QStringLiteral("OK");
    if (code == -2) return QObject::tr("DISCONNECTED");
    if (code == -3) return QObject::tr("RETRY");
    return QString::fromUtf8(protocol::errorName(static_cast<protocol::ErrorCode>(code)).data());
}

void SenderModel::setLimits(int maxInFlight, qint64 requestTimeoutMs) {
    maxInFlight_ = std::max(1, maxInFlight);
    requestTimeoutMs_ = std::max<qint64>(1, requestTimeoutMs);
}

void SenderModel::clear() {
    nodes_.clear();
    outcome_.clear();
    responded_.clear();
    control_.clear();
    batchToRequest_.clear();
    retries_ = failedBatches_ = expired_ = 0;
    Q_EMIT changed();
}

void SenderModel::setNodesDown(const std::set<int>& down) {
    if (down == down_) return;
    down_ = down;
    for (auto& lane : nodes_)
        lane.down = down_.count(lane.nodeId) > 0;
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

void SenderModel::finish(NodeLane& lane, Request r) {
    r.completed = true;
    r.completedAtMs = timeMs_;
    auto it = outcome_.find({lane.nodeId, r.correlationId});
    r.errorCode = it != outcome_.end() ? it->second : (lane.connected ? 0 : -2);
    lane.completedTotal++;
    if (r.errorCode != 0) lane.errorTotal++;
    lane.recent.push_back(r);
}

void SenderModel::setOutcome(const Key& key, qint16 code) {
    qint16& slot = outcome_[key];
    if (slot != 0 || code == 0) return;
    slot = code;
    // Already shown as completed: correct it in place.
    for (auto& lane : nodes_)
        if (lane.nodeId == key.first)
            for (auto& r : lane.recent)
                if (r.correlationId == key.second && r.errorCode == 0) {
                    r.errorCode = code;
                    lane.errorTotal++;
                }
}

void SenderModel::update(const producer::ProducerSnapshot& s) {
    timeMs_ = s.timeMs;
    senderState_ = s.senderState;
    std::map<int, NodeLane> old;
    for (auto& n : nodes_)
        old.emplace(n.nodeId, std::move(n));
    QVector<NodeLane> next;
    std::set<int> seen;
    std::set<Key> inFlightNow;
    for (const auto& ns : s.nodes) {
        // A bootstrap server (negative id) is an address, not a broker: no lane.
        if (ns.nodeId < 0) continue;
        NodeLane lane;
        lane.nodeId = ns.nodeId;
        lane.address = QStringLiteral("%1:%2").arg(QString::fromStdString(ns.host)).arg(ns.port);
        lane.connected = ns.connected;
        lane.down = down_.count(ns.nodeId) > 0;
        lane.connectionError = QString::fromStdString(ns.connectionError);
        for (const auto& r : ns.inFlight) {
            Request q;
            q.correlationId = r.correlationId;
            for (const auto& tp : r.partitions)
                q.partitions << QString::fromStdString(tp.toString());
            for (auto id : r.batchIds) {
                q.batchIds << id;
                batchToRequest_[id] = {ns.nodeId, r.correlationId};
            }
            q.records = r.recordCount;
            q.bytes = r.bytes;
            q.elapsedMs = std::max<qint64>(0, s.timeMs - r.sentMs);
            lane.inFlight.push_back(q);
            inFlightNow.insert({ns.nodeId, r.correlationId});
        }
        // Metadata requests take slots too; one never answered is dropped after
        // request.timeout.ms, as the client gives up on it.
        for (auto it = control_.begin(); it != control_.end();) {
            if (it->first.first != ns.nodeId) {
                ++it;
                continue;
            }
            Request q = it->second.first;
            q.elapsedMs = std::max<qint64>(0, s.timeMs - it->second.second);
            if (q.elapsedMs > requestTimeoutMs_) {
                outcome_[it->first] = -2;
                it = control_.erase(it);
                continue;
            }
            lane.inFlight.push_back(q);
            inFlightNow.insert(it->first);
            ++it;
        }
        seen.insert(ns.nodeId);
        next.push_back(std::move(lane));
    }
    // Nodes that vanished from the snapshot keep their lane (e.g. down), disconnected; the
    // bootstrap pseudo-nodes (negative ids) are dropped once real metadata replaced them.
    for (auto& [id, lane] : old)
        if (!seen.count(id) && id >= 0) {
            NodeLane keep;
            keep.nodeId = id;
            keep.address = lane.address;
            keep.down = down_.count(id) > 0;
            next.push_back(std::move(keep));
        }
    for (auto& lane : next) {
        auto it = old.find(lane.nodeId);
        if (it != old.end()) {
            NodeLane& prev = it->second;
            lane.completedTotal = prev.completedTotal;
            lane.errorTotal = prev.errorTotal;
            for (const auto& r : prev.recent)
                if (s.timeMs - r.completedAtMs < kRecentMs) lane.recent.push_back(r);
            // Requests seen in flight before and gone now have completed.
            for (const auto& r : prev.inFlight) {
                const Key key{lane.nodeId, r.correlationId};
                if (inFlightNow.count(key)) continue;
                responded_.erase(key);
                finish(lane, r);
            }
        }
        // Requests answered between two snapshots (fast brokers) were never seen in flight.
        for (auto r = responded_.begin(); r != responded_.end();) {
            if (r->first.first == lane.nodeId && !inFlightNow.count(r->first)) {
                finish(lane, r->second);
                r = responded_.erase(r);
            } else {
                ++r;
            }
        }
        while (lane.recent.size() > 4)
            lane.recent.pop_front();  // two columns of two
    }
    std::sort(next.begin(), next.end(),
              [](const NodeLane& a, const NodeLane& b) { return a.nodeId < b.nodeId; });
    nodes_ = std::move(next);
    // Bounded bookkeeping: only recent keys matter.
    if (outcome_.size() > 4096) outcome_.clear();
    if (batchToRequest_.size() > 65536) batchToRequest_.clear();
    if (responded_.size() > 1024) responded_.clear();
    if (control_.size() > 1024) control_.clear();
    Q_EMIT changed();
}

void SenderModel::applyEvents(const std::vector<producer::Event>& events) {
    for (const auto& e : events) {
        switch (e.type) {
            case producer::EventType::ResponseReceived: {
                const Key key{e.nodeId, e.correlationId};
                if (e.errorCode != 0) setOutcome(key, e.errorCode);
                Request r;
                r.correlationId = e.correlationId;
                for (const auto& lane : nodes_)
                    if (lane.nodeId == e.nodeId)
                        for (const auto& q : lane.inFlight)
                            if (q.correlationId == e.correlationId) r = q;
                responded_[key] = r;
                break;
            }
            case producer::EventType::BatchRetried: {
                retries_++;
                auto it = batchToRequest_.find(e.batchId);
                // The broker's error when it sent one (a retry after a timeout has none).
                if (it != batchToRequest_.end())
                    setOutcome(it->second, e.errorCode != 0 ? e.errorCode : -3);
                break;
            }
            case producer::EventType::BatchExpired:
                expired_++;
                break;
            case producer::EventType::BatchCompleted:
                if (e.errorCode != 0) {
                    failedBatches_++;
                    auto it = batchToRequest_.find(e.batchId);
                    if (it != batchToRequest_.end()) setOutcome(it->second, e.errorCode);
                }
                break;
            case producer::EventType::RequestWritten: {
                const Key key{e.nodeId, e.correlationId};
                Request r;
                r.correlationId = e.correlationId;
                r.bytes = e.bytes;
                if (static_cast<protocol::ApiKey>(e.apiKey) == protocol::ApiKey::Produce) {
                    if (e.attempts != 0) break;  // the snapshot shows it in flight
                    r.unacknowledged = true;     // acks=0: done once written
                    r.records = e.recordCount;
                    responded_[key] = r;
                    break;
                }
                r.api = QString::fromUtf8(
                    protocol::apiName(static_cast<protocol::ApiKey>(e.apiKey)).data());
                control_[key] = {r, e.timeNs / 1'000'000};
                break;
            }
            case producer::EventType::MetadataUpdated: {
                const Key key{e.nodeId, e.correlationId};
                auto it = control_.find(key);
                if (it == control_.end()) break;
                responded_[key] = it->second.first;
                control_.erase(it);
                break;
            }
            default:
                break;
        }
    }
}

std::optional<QString> SenderModel::describeRequest(int nodeId, int correlationId) const {
    const NodeLane* lane = node(nodeId);
    if (!lane) return std::nullopt;
    auto describe = [&](const Request& r) {
        if (!r.api.isEmpty())
            return tr("<b>node %1 %2Request #%3</b>: %4 bytes · %5 ms%6 · not a ProduceRequest, "
                      "but it takes an in-flight slot of the connection as every request does")
                .arg(nodeId)
                .arg(r.api)
                .arg(r.correlationId)
                .arg(r.bytes)
                .arg(r.elapsedMs)
                .arg(r.completed ? tr(" · answered") : tr(" · waiting for the answer"));
        if (r.unacknowledged)
            return tr("<b>node %1 ProduceRequest #%2</b>, acks=0: %3 · %4 bytes · written and "
                      "forgotten: no response comes, its records count as sent once written")
                .arg(nodeId)
                .arg(r.correlationId)
                .arg(r.records == 1 ? tr("1 record") : tr("%1 records").arg(r.records))
                .arg(r.bytes);
        QStringList ids;
        for (auto id : r.batchIds)
            ids << QString::number(id);
        return tr("<b>node %1 ProduceRequest #%2</b>: %3 · %4 · %5 bytes · %6 ms%7 · "
                  "carries batch ids %8 (as in the accumulator's batch details)")
            .arg(nodeId)
            .arg(r.correlationId)
            .arg(r.partitions.join(QStringLiteral(", ")))
            .arg(r.records == 1 ? tr("1 record") : tr("%1 records").arg(r.records))
            .arg(r.bytes)
            .arg(r.elapsedMs)
            .arg(r.completed ? tr(" · completed: %1").arg(errorLabel(r.errorCode))
                             : tr(" of request.timeout.ms %1").arg(requestTimeoutMs_))
            .arg(ids.join(QStringLiteral(", ")));
    };
    for (const auto& r : lane->inFlight)
        if (r.correlationId == correlationId) return describe(r);
    for (const auto& r : lane->recent)
        if (r.correlationId == correlationId) return describe(r);
    return std::nullopt;
}

QString SenderModel::summary() const {
    return tr("%1 in flight · %2 completed · %3 retries · %4 failed")
        .arg(inFlightCount())
        .arg(completedRequests())
        .arg(retries_)
        .arg(failedBatches_);
}

}  // namespace bs::ui
