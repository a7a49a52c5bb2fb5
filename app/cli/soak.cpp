#include "soak.h"

#include <algorithm>
#include <charconv>

namespace bs::cli::soak {

using protocol::ErrorCode;

const std::vector<FaultKind>& faultKinds() {
    // The errors are those a Produce response carries that Kafka classes as retriable: the
    // producer must retry each without losing, duplicating or reordering a record.
    static const std::vector<FaultKind> kinds = [] {
        std::vector<FaultKind> k{{FaultType::NodeDown, ErrorCode::NONE, "node-down"},
                                 {FaultType::SlowNode, ErrorCode::NONE, "slow-node"},
                                 {FaultType::LeaderMove, ErrorCode::NONE, "leader-move"}};
        for (ErrorCode e :
             {ErrorCode::NOT_LEADER_OR_FOLLOWER, ErrorCode::REQUEST_TIMED_OUT,
              ErrorCode::NOT_ENOUGH_REPLICAS, ErrorCode::NOT_ENOUGH_REPLICAS_AFTER_APPEND,
              ErrorCode::UNKNOWN_TOPIC_OR_PARTITION, ErrorCode::LEADER_NOT_AVAILABLE,
              ErrorCode::KAFKA_STORAGE_ERROR, ErrorCode::CORRUPT_MESSAGE})
            k.push_back({FaultType::ProduceError, e, std::string(protocol::errorName(e))});
        return k;
    }();
    return kinds;
}

// ---------------------------------------------------------------- FaultPlan

FaultPlan::FaultPlan(uint64_t seed, int32_t nodes, int32_t partitions, int64_t requestTimeoutMs)
    : rng_(seed), nodes_(nodes), partitions_(partitions), requestTimeoutMs_(requestTimeoutMs) {}

// Modulo rather than std::uniform_int_distribution, whose output differs between standard
// libraries: a seed means the same schedule wherever it runs.
int64_t FaultPlan::pick(int64_t lo, int64_t hi) {
    return lo + static_cast<int64_t>(rng_() % static_cast<uint64_t>(hi - lo + 1));
}

FaultStep FaultPlan::next() {
    if (round_.empty()) {
        round_.resize(faultKinds().size());
        for (size_t i = 0; i < round_.size(); ++i)
            round_[i] = i;
        for (size_t i = round_.size() - 1; i > 0; --i)  // Fisher-Yates, same reason as pick()
            std::swap(round_[i], round_[static_cast<size_t>(pick(0, static_cast<int64_t>(i)))]);
    }
    FaultStep s;
    s.kind = round_.back();
    round_.pop_back();
    s.afterMs = pick(200, 500);
    switch (faultKinds()[s.kind].type) {
        case FaultType::NodeDown:
            s.node = static_cast<int32_t>(pick(0, nodes_ - 1));
            s.holdMs = pick(500, 1500);
            break;
        case FaultType::SlowNode:
            // Slower than request.timeout.ms for long enough that requests sent meanwhile time
            // out: the broker has appended them, the producer sends them again.
            s.node = static_cast<int32_t>(pick(0, nodes_ - 1));
            s.latencyMs = requestTimeoutMs_ + pick(500, 1500);
            s.holdMs = pick(requestTimeoutMs_, 2 * requestTimeoutMs_);
            break;
        case FaultType::LeaderMove:
            s.partition = static_cast<int32_t>(pick(0, partitions_ - 1));
            s.hop = static_cast<int32_t>(pick(1, std::max(1, nodes_ - 1)));
            break;
        case FaultType::ProduceError:
            s.partition = static_cast<int32_t>(pick(0, partitions_ - 1));
            // Few: every request to that node fails, and a partition retrying its oldest batch
            // must get through between injections (retry.backoff.max.ms is short).
            s.errorCount = static_cast<int>(pick(1, 2));
            break;
    }
    return s;
}

// ---------------------------------------------------------------- FaultDriver

FaultDriver::FaultDriver(broker::ClusterControl& control, std::string topic, FaultPlan plan)
    : control_(control),
      topic_(std::move(topic)),
      plan_(std::move(plan)),
      armed_(static_cast<size_t>(control.nodeCount())),
      counts_(faultKinds().size(), 0) {}

FaultDriver::~FaultDriver() {
    stop();
}

void FaultDriver::start() {
    thread_ = std::thread([this] { run(); });
}

int64_t FaultDriver::nowMs() const {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                 start_)
        .count();
}

void FaultDriver::waitForSteps(uint64_t steps) {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return stepsApplied_ >= steps || stopping_; });
}

void FaultDriver::stop() {
    {
        std::lock_guard lock(mu_);
        if (stopped_) return;
        stopping_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
    std::lock_guard lock(mu_);
    revertAll();
    stopped_ = true;
}

std::vector<uint64_t> FaultDriver::counts() const {
    std::lock_guard lock(mu_);
    return counts_;
}

std::string FaultDriver::firstError() const {
    std::lock_guard lock(mu_);
    return firstError_;
}

void FaultDriver::note(const Status& s) {
    if (!s && firstError_.empty()) firstError_ = s.message();
}

void FaultDriver::run() {
    std::unique_lock lock(mu_);
    FaultStep step = plan_.next();
    int64_t nextAt = nowMs() + step.afterMs;
    while (!stopping_) {
        int64_t now = nowMs();
        // Reverts that are due, then the step if it is due.
        for (auto it = pending_.begin(); it != pending_.end();) {
            if (it->dueMs <= now) {
                revert(*it);
                it = pending_.erase(it);
            } else {
                ++it;
            }
        }
        accountErrors();
        if (now >= nextAt) {
            apply(step, now);
            ++stepsApplied_;
            cv_.notify_all();
            step = plan_.next();
            nextAt = now + step.afterMs;
        }
        // Wake for the next step or revert, and at least every 50 ms to see which injected
        // errors have been answered.
        int64_t wake = std::min(nextAt, now + 50);
        for (const Pending& p : pending_)
            wake = std::min(wake, p.dueMs);
        cv_.wait_for(lock, std::chrono::milliseconds(std::max<int64_t>(1, wake - nowMs())),
                     [&] { return stopping_; });
    }
}

int32_t FaultDriver::leaderOf(int32_t partition) const {
    for (const auto& t : control_.status().topics) {
        if (t.name != topic_) continue;
        for (const auto& p : t.partitions)
            if (p.partition == partition) return p.leader;
    }
    return -1;
}

void FaultDriver::apply(const FaultStep& step, int64_t atMs) {
    const FaultKind& kind = faultKinds()[step.kind];
    switch (kind.type) {
        case FaultType::NodeDown:
        case FaultType::SlowNode: {
            // One node down and one node slow at a time: a fault of the same type still in
            // force is reverted first, so a revert never undoes a newer fault.
            for (auto it = pending_.begin(); it != pending_.end(); ++it) {
                if (it->type == kind.type) {
                    revert(*it);
                    pending_.erase(it);
                    break;
                }
            }
            const Status s = kind.type == FaultType::NodeDown
                                 ? control_.takeDown(step.node)
                                 : control_.setLatency(step.node, step.latencyMs);
            note(s);
            if (!s) return;
            pending_.push_back({atMs + step.holdMs, kind.type, step.node});
            ++counts_[step.kind];
            return;
        }
        case FaultType::LeaderMove: {
            const int32_t leader = leaderOf(step.partition);
            if (leader < 0) return;
            const int32_t to = (leader + step.hop) % control_.nodeCount();
            if (to == leader) return;
            auto moved = control_.moveLeader(topic_, step.partition, to);
            if (!moved) {
                note(moved.error());
                return;
            }
            ++counts_[step.kind];
            return;
        }
        case FaultType::ProduceError: {
            const int32_t leader = leaderOf(step.partition);
            if (leader < 0) return;
            const Status s = control_.injectErrors(leader, protocol::ApiKey::Produce, kind.error,
                                                   step.errorCount);
            note(s);
            if (s)
                armed_[static_cast<size_t>(leader)].push_back({step.kind, step.errorCount, false});
            return;
        }
    }
}

void FaultDriver::revert(const Pending& p) {
    note(p.type == FaultType::NodeDown ? control_.bringUp(p.node) : control_.setLatency(p.node, 0));
}

// The broker consumes a node's Produce injections first in, first out, and only this thread
// arms them: what it still holds is a suffix of armed_[node], the oldest possibly in part.
void FaultDriver::accountErrors() {
    const auto nodes = control_.status().nodes;
    for (size_t n = 0; n < armed_.size() && n < nodes.size(); ++n) {
        auto& armed = armed_[n];
        if (armed.empty()) continue;
        std::vector<broker::InjectedError> left;
        for (const auto& e : nodes[n].pendingErrors)
            if (e.api == protocol::ApiKey::Produce) left.push_back(e);
        while (armed.size() > left.size()) {  // answered in full
            if (!armed.front().counted) ++counts_[armed.front().kind];
            armed.pop_front();
        }
        if (!armed.empty() && !left.empty() && left.front().remaining < armed.front().count &&
            !armed.front().counted) {
            armed.front().counted = true;
            ++counts_[armed.front().kind];
        }
    }
}

void FaultDriver::revertAll() {
    accountErrors();
    for (const Pending& p : pending_)
        revert(p);
    pending_.clear();
    for (int32_t n = 0; n < control_.nodeCount(); ++n)
        note(control_.injectErrors(n, protocol::ApiKey::Produce, ErrorCode::NOT_LEADER_OR_FOLLOWER,
                                   0));
    for (auto& a : armed_)
        a.clear();
}

// ---------------------------------------------------------------- records and the check

std::string keyText(int32_t key) {
    std::string k = "k";
    k += std::to_string(key);
    return k;
}

std::string valueText(int32_t key, int64_t seq) {
    std::string v = keyText(key);
    v += '#';
    v += std::to_string(seq);
    return v;
}

OrderCheck::OrderCheck(std::vector<int64_t> sentPerKey)
    : sent_(std::move(sentPerKey)), seen_(sent_.size()), highest_(sent_.size(), -1) {
    for (size_t k = 0; k < sent_.size(); ++k)
        seen_[k].resize(static_cast<size_t>(sent_[k]), false);
}

void OrderCheck::add(std::string_view key, std::string_view value) {
    int32_t k = -1;
    int64_t seq = -1;
    const size_t hash = value.rfind('#');
    const bool shaped = key.size() > 1 && key[0] == 'k' && hash != std::string_view::npos &&
                        value.substr(0, hash) == key;
    if (shaped) {
        auto kr = std::from_chars(key.data() + 1, key.data() + key.size(), k);
        auto sr = std::from_chars(value.data() + hash + 1, value.data() + value.size(), seq);
        if (kr.ec != std::errc() || kr.ptr != key.data() + key.size() || sr.ec != std::errc() ||
            sr.ptr != value.data() + value.size())
            k = -1;
    }
    if (k < 0 || static_cast<size_t>(k) >= sent_.size() || seq < 0 ||
        seq >= sent_[static_cast<size_t>(k)]) {
        ++unexpected_;
        return;
    }
    const auto ki = static_cast<size_t>(k);
    auto seen = seen_[ki][static_cast<size_t>(seq)];
    if (seen) {
        ++duplicated_;
        return;
    }
    seen = true;
    ++distinct_;
    if (seq < highest_[ki])
        ++reordered_;
    else
        highest_[ki] = seq;
}

int64_t OrderCheck::lost() const {
    int64_t sent = 0;
    for (int64_t s : sent_)
        sent += s;
    return sent - distinct_;
}

}  // namespace bs::cli::soak
