#include "client/metadata.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>

#include <spdlog/spdlog.h>

namespace bs::client {

using protocol::ErrorCode;

std::shared_ptr<const Cluster> Cluster::empty() {
    return std::make_shared<Cluster>();
}

std::shared_ptr<const Cluster> Cluster::bootstrap(std::vector<Node> nodes) {
    auto c = std::make_shared<Cluster>();
    c->bootstrap_ = true;
    c->nodes_ = std::move(nodes);
    return c;
}

namespace {
// Kafka lists every partition of a topic exactly once, ids 0..n-1. Anything else (a huge or
// negative id, a duplicate) is a corrupt answer: sizing the table by it could exhaust memory.
bool hasDensePartitionIds(
    const std::vector<protocol::MetadataResponse::MetadataResponsePartition>& partitions) {
    std::vector<bool> seen(partitions.size(), false);
    for (const auto& p : partitions) {
        if (p.partitionIndex < 0 || static_cast<size_t>(p.partitionIndex) >= partitions.size() ||
            seen[static_cast<size_t>(p.partitionIndex)])
            return false;
        seen[static_cast<size_t>(p.partitionIndex)] = true;
    }
    return true;
}
}  // namespace

std::shared_ptr<const Cluster> Cluster::fromResponse(const protocol::MetadataResponse& response,
                                                     const Cluster* previous) {
    auto c = std::make_shared<Cluster>();
    c->clusterId_ = response.clusterId;
    for (const auto& b : response.brokers)
        c->nodes_.push_back(Node{b.nodeId, b.host, b.port, b.rack});
    for (const auto& t : response.topics) {
        if (!t.name) continue;
        TopicInfo info;
        info.error = t.errorCode;
        const bool wellFormed = hasDensePartitionIds(t.partitions);
        if (!wellFormed && t.errorCode == ErrorCode::NONE)
            spdlog::warn("metadata for topic '{}' has bad partition ids; ignoring it", *t.name);
        if (t.errorCode == ErrorCode::NONE && wellFormed) {
            info.partitions.resize(t.partitions.size());
            for (size_t i = 0; i < info.partitions.size(); ++i)
                info.partitions[i].tp = TopicPartition{*t.name, static_cast<int32_t>(i)};
            for (const auto& p : t.partitions) {
                PartitionInfo& pi = info.partitions[static_cast<size_t>(p.partitionIndex)];
                bool leaderKnown = p.leaderId >= 0 && c->nodeById(p.leaderId) != nullptr;
                pi.leader = leaderKnown ? p.leaderId : -1;
                pi.leaderEpoch = p.leaderEpoch;
                pi.replicas = p.replicaNodes;
                pi.isr = p.isrNodes;
                pi.offlineReplicas = p.offlineReplicas;
            }
        } else if (previous && (protocol::isRetriable(t.errorCode) || !wellFormed)) {
            if (const TopicInfo* old = previous->topic(*t.name)) {
                info.partitions = old->partitions;
                for (auto& p : info.partitions)
                    p.leader = -1;  // leaders are in doubt
            }
        }
        c->topics_[*t.name] = std::move(info);
    }
    c->index();
    return c;
}

void Cluster::index() {
    byNode_.clear();
    for (auto& [name, info] : topics_) {
        info.available.clear();
        for (const auto& p : info.partitions) {
            if (p.leader < 0) continue;
            info.available.push_back(p.tp.partition);
            byNode_[p.leader].push_back(p.tp);
        }
    }
}

const Node* Cluster::nodeById(int32_t id) const {
    for (const auto& n : nodes_)
        if (n.id == id) return &n;
    return nullptr;
}

const Cluster::TopicInfo* Cluster::topic(std::string_view name) const {
    auto it = topics_.find(name);
    return it == topics_.end() ? nullptr : &it->second;
}

std::vector<PartitionInfo> Cluster::partitionsForTopic(std::string_view name) const {
    const TopicInfo* t = topic(name);
    return t ? t->partitions : std::vector<PartitionInfo>{};
}

ErrorCode Cluster::topicError(std::string_view name) const {
    const TopicInfo* t = topic(name);
    return t ? t->error : ErrorCode::NONE;
}

std::set<std::string> Cluster::topics() const {
    std::set<std::string> out;
    for (const auto& [name, info] : topics_)
        out.insert(name);
    return out;
}

std::optional<int32_t> Cluster::leaderFor(const TopicPartition& tp) const {
    const TopicInfo* t = topic(tp.topic);
    if (!t || tp.partition < 0 || static_cast<size_t>(tp.partition) >= t->partitions.size())
        return std::nullopt;
    int32_t leader = t->partitions[static_cast<size_t>(tp.partition)].leader;
    return leader >= 0 ? std::optional<int32_t>(leader) : std::nullopt;
}

std::optional<int32_t> Cluster::leaderEpochFor(const TopicPartition& tp) const {
    const TopicInfo* t = topic(tp.topic);
    if (!t || tp.partition < 0 || static_cast<size_t>(tp.partition) >= t->partitions.size())
        return std::nullopt;
    int32_t epoch = t->partitions[static_cast<size_t>(tp.partition)].leaderEpoch;
    return epoch >= 0 ? std::optional<int32_t>(epoch) : std::nullopt;
}

int32_t Cluster::partitionCountForTopic(std::string_view name) const {
    const TopicInfo* t = topic(name);
    return t ? static_cast<int32_t>(t->partitions.size()) : 0;
}

std::span<const int32_t> Cluster::availablePartitionsForTopic(std::string_view name) const {
    const TopicInfo* t = topic(name);
    return t ? std::span<const int32_t>(t->available) : std::span<const int32_t>{};
}

std::span<const TopicPartition> Cluster::partitionsForNode(int32_t nodeId) const {
    auto it = byNode_.find(nodeId);
    return it == byNode_.end() ? std::span<const TopicPartition>{}
                               : std::span<const TopicPartition>(it->second);
}

// ------------------------------------------------------------------------------------ Metadata

Metadata::Metadata(int64_t refreshBackoffMs, int64_t metadataMaxAgeMs, const Clock& clock,
                   int64_t refreshBackoffMaxMs)
    : refreshBackoffMs_(refreshBackoffMs),
      refreshBackoffMaxMs_(refreshBackoffMaxMs),
      metadataMaxAgeMs_(metadataMaxAgeMs),
      clock_(clock),
      cluster_(Cluster::empty()),
      backoffMs_(refreshBackoffMs) {}

int64_t Metadata::backoffLocked(int attempts) {
    // Java's ExponentialBackoff(retry.backoff.ms, 2, retry.backoff.max.ms, 0.2).
    if (refreshBackoffMaxMs_ <= refreshBackoffMs_) return refreshBackoffMs_;
    double term = static_cast<double>(refreshBackoffMs_) * std::pow(2.0, std::min(attempts, 30));
    std::uniform_real_distribution<double> jitter(0.8, 1.2);
    return std::min(refreshBackoffMaxMs_, static_cast<int64_t>(term * jitter(rng_)));
}

Result<std::vector<Node>> Metadata::parseBootstrapServers(const std::vector<std::string>& servers) {
    std::vector<Node> nodes;
    int32_t id = -1;
    for (const auto& s : servers) {
        auto colon = s.rfind(':');
        if (colon == std::string::npos || colon == 0 || colon + 1 == s.size())
            return Error{"bootstrap.servers: '" + s + "' is not host:port"};
        std::string host = s.substr(0, colon);
        if (host.size() > 2 && host.front() == '[' && host.back() == ']')
            host = host.substr(1, host.size() - 2);
        int port = 0;
        auto [p, ec] = std::from_chars(s.data() + colon + 1, s.data() + s.size(), port);
        if (ec != std::errc() || p != s.data() + s.size() || port <= 0 || port > 65535)
            return Error{"bootstrap.servers: bad port in '" + s + "'"};
        nodes.push_back(Node{id--, host, port, std::nullopt});
    }
    if (nodes.empty()) return Error{"bootstrap.servers: no servers given"};
    return nodes;
}

void Metadata::bootstrap(std::vector<Node> nodes) {
    std::lock_guard lock(mu_);
    cluster_ = Cluster::bootstrap(std::move(nodes));
    epoch_.store(nextEpoch(), std::memory_order_release);
    needUpdate_ = true;
}

uint64_t Metadata::nextEpoch() {
    static std::atomic<uint64_t> epochs{0};
    return epochs.fetch_add(1, std::memory_order_relaxed) + 1;
}

std::shared_ptr<const Cluster> Metadata::fetch() const {
    std::lock_guard lock(mu_);
    return cluster_;
}

int64_t Metadata::updateVersion() const {
    std::lock_guard lock(mu_);
    return version_;
}

void Metadata::add(const std::string& topic, int64_t) {
    std::lock_guard lock(mu_);
    if (topics_.insert(topic).second) needUpdate_ = true;
}

std::set<std::string> Metadata::topics() const {
    std::lock_guard lock(mu_);
    return topics_;
}

void Metadata::requestUpdate() {
    std::lock_guard lock(mu_);
    needUpdate_ = true;
}

bool Metadata::updateRequested() const {
    std::lock_guard lock(mu_);
    return needUpdate_;
}

MetadataSnapshot Metadata::snapshot(int64_t nowMs) const {
    std::shared_ptr<const Cluster> cluster;
    std::set<std::string> topics;
    MetadataSnapshot s;
    {
        std::lock_guard lock(mu_);
        cluster = cluster_;
        topics = topics_;
        s.version = version_;
        s.ageMs = version_ > 0 ? std::max<int64_t>(0, nowMs - lastSuccessfulRefreshMs_) : -1;
        s.updateRequested = needUpdate_;
        s.requestInFlight = inFlight_;
        s.timeToNextUpdateMs = timeToNextUpdateLocked(nowMs);
        s.connectionProblem = connectionProblem_;
    }
    // The cluster is immutable: read outside the lock.
    s.bootstrap = cluster->isBootstrap();
    s.nodes = cluster->nodes();
    for (const auto& name : topics) {
        MetadataSnapshot::Topic t;
        t.name = name;
        t.error = cluster->topicError(name);
        t.partitions = cluster->partitionsForTopic(name);
        const auto available = cluster->availablePartitionsForTopic(name);
        t.available.assign(available.begin(), available.end());
        s.topics.push_back(std::move(t));
    }
    return s;
}

int64_t Metadata::timeToNextUpdate(int64_t nowMs) const {
    std::lock_guard lock(mu_);
    return timeToNextUpdateLocked(nowMs);
}

int64_t Metadata::timeToNextUpdateLocked(int64_t nowMs) const {
    if (inFlight_) return INT64_MAX;
    int64_t expire =
        needUpdate_ ? 0
                    : std::max<int64_t>(0, lastSuccessfulRefreshMs_ + metadataMaxAgeMs_ - nowMs);
    int64_t allow = lastRefreshMs_ ? std::max<int64_t>(0, *lastRefreshMs_ + backoffMs_ - nowMs) : 0;
    return std::max(expire, allow);
}

protocol::MetadataRequest Metadata::newMetadataRequest() const {
    std::lock_guard lock(mu_);
    protocol::MetadataRequest req;
    req.topics.emplace();
    for (const auto& t : topics_)
        req.topics->push_back({protocol::Uuid{}, t});
    req.allowAutoTopicCreation = true;
    return req;
}

void Metadata::onRequestSent(int64_t nowMs) {
    std::lock_guard lock(mu_);
    inFlight_ = true;
    lastRefreshMs_ = nowMs;
}

bool Metadata::requestInFlight() const {
    std::lock_guard lock(mu_);
    return inFlight_;
}

void Metadata::update(const protocol::MetadataResponse& response, int64_t nowMs) {
    {
        std::lock_guard lock(mu_);
        auto next = Cluster::fromResponse(response, cluster_.get());
        inFlight_ = false;
        lastRefreshMs_ = nowMs;
        lastSuccessfulRefreshMs_ = nowMs;
        needUpdate_ = false;
        attempts_ = 0;
        fatalError_.clear();
        connectionProblem_.clear();
        backoffMs_ = backoffLocked(0);
        // Topics still unknown or leaderless: ask again after the backoff (Java does so for
        // new topics until they appear).
        for (const auto& t : topics_) {
            if (next->partitionCountForTopic(t) == 0 ||
                next->availablePartitionsForTopic(t).size() !=
                    static_cast<size_t>(next->partitionCountForTopic(t)))
                needUpdate_ = true;
        }
        cluster_ = std::move(next);
        ++version_;
        epoch_.store(nextEpoch(), std::memory_order_release);
    }
    updated_.notify_all();
}

void Metadata::failedUpdate(int64_t nowMs) {
    {
        std::lock_guard lock(mu_);
        inFlight_ = false;
        lastRefreshMs_ = nowMs;
        needUpdate_ = true;
        backoffMs_ = backoffLocked(attempts_++);
    }
    updated_.notify_all();
}

void Metadata::fatalError(std::string why) {
    {
        std::lock_guard lock(mu_);
        fatalError_ = std::move(why);
    }
    updated_.notify_all();
}

void Metadata::checkConnection(const NetworkClient& client, int32_t node) {
    if (auto refused = client.authenticationError(node)) fatalError(*refused);
    if (!client.connectionFailed(node)) return;
    std::string where = "node " + std::to_string(node);
    if (const Node* n = fetch()->nodeById(node))
        where = n->host + ":" + std::to_string(n->port) + " (" + where + ")";
    std::lock_guard lock(mu_);
    connectionProblem_ = where + ": " + client.connectionError(node);
}

std::string Metadata::connectionProblem() const {
    std::lock_guard lock(mu_);
    return connectionProblem_;
}

std::optional<std::string> Metadata::fatalErrorMessage() const {
    std::lock_guard lock(mu_);
    if (fatalError_.empty()) return std::nullopt;
    return fatalError_;
}

Result<std::shared_ptr<const Cluster>> Metadata::awaitTopic(const std::string& topic,
                                                            int64_t maxWaitMs,
                                                            const std::function<void()>& wakeSender,
                                                            std::optional<int32_t> partition) {
    const int64_t begin = clock_.nowMs();
    add(topic, begin);
    std::unique_lock lock(mu_);
    while (true) {
        if (closed_) return Error{"producer closed while waiting for metadata of '" + topic + "'"};
        if (!fatalError_.empty()) return Error{fatalError_};
        const int32_t count = cluster_->partitionCountForTopic(topic);
        if (count > 0 && (!partition || *partition < count)) return cluster_;
        ErrorCode err = cluster_->topicError(topic);
        if (err != ErrorCode::NONE && !protocol::isRetriable(err)) {
            return Error{"topic '" + topic + "': " + std::string(protocol::errorName(err))};
        }
        int64_t elapsed = clock_.nowMs() - begin;
        if (elapsed >= maxWaitMs) {
            if (count > 0)  // Java's wording
                return Error{"Partition " + std::to_string(*partition) + " of topic " + topic +
                             " with partition count " + std::to_string(count) +
                             " is not present in metadata after " + std::to_string(maxWaitMs) +
                             " ms (max.block.ms)"};
            return Error{"Topic " + topic + " not present in metadata after " +
                         std::to_string(maxWaitMs) + " ms (max.block.ms)" +
                         (connectionProblem_.empty()
                              ? std::string()
                              : "; last connection problem: " + connectionProblem_)};
        }
        needUpdate_ = true;
        lock.unlock();
        if (wakeSender) wakeSender();
        lock.lock();
        // Bounded waits: the clock may be a MockClock another thread advances.
        updated_.wait_for(lock,
                          std::chrono::milliseconds(std::min<int64_t>(maxWaitMs - elapsed, 50)));
    }
}

void Metadata::close() {
    {
        std::lock_guard lock(mu_);
        closed_ = true;
    }
    updated_.notify_all();
}

}  // namespace bs::client
