#include "broker/metadata_cache.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <random>
#include <sstream>

#include "broker/cluster_config.h"
#include "broker/storage/file_io.h"

namespace bs::broker {

using protocol::ErrorCode;

namespace {

constexpr std::string_view kMagicLine = "batchscope-cluster-metadata 1";
constexpr int32_t kMaxPartitions = 10000;

std::string toHex(const protocol::Uuid& id) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string s;
    for (uint8_t b : id.bytes) {
        s += kDigits[b >> 4];
        s += kDigits[b & 15];
    }
    return s;
}

std::optional<protocol::Uuid> fromHex(std::string_view s) {
    if (s.size() != 32) return std::nullopt;
    auto nibble = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        return -1;
    };
    protocol::Uuid id;
    for (size_t i = 0; i < 16; ++i) {
        int hi = nibble(s[2 * i]), lo = nibble(s[2 * i + 1]);
        if (hi < 0 || lo < 0) return std::nullopt;
        id.bytes[i] = static_cast<uint8_t>(hi << 4 | lo);
    }
    return id;
}

// Kafka's controller also refuses names that collide once '.' and '_' are treated alike,
// because both map to the same metric name.
std::string metricName(std::string_view topic) {
    std::string s(topic);
    for (char& c : s)
        if (c == '.') c = '_';
    return s;
}

}  // namespace

protocol::Uuid randomUuid() {
    static thread_local std::mt19937_64 rng{std::random_device{}()};
    protocol::Uuid id;
    do {
        for (size_t i = 0; i < 16; i += 8) {
            uint64_t r = rng();
            std::memcpy(id.bytes.data() + i, &r, 8);
        }
        id.bytes[6] = static_cast<uint8_t>((id.bytes[6] & 0x0f) | 0x40);  // version 4
        id.bytes[8] = static_cast<uint8_t>((id.bytes[8] & 0x3f) | 0x80);  // IETF variant
    } while (id.isZero());
    return id;
}

std::string uuidToBase64(const protocol::Uuid& id) {
    static constexpr char kAlphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::string out;
    uint32_t acc = 0;
    int bits = 0;
    for (uint8_t b : id.bytes) {
        acc = (acc << 8) | b;
        bits += 8;
        while (bits >= 6) {
            out += kAlphabet[(acc >> (bits - 6)) & 63];
            bits -= 6;
        }
    }
    if (bits > 0) out += kAlphabet[(acc << (6 - bits)) & 63];
    return out;
}

Result<std::unique_ptr<MetadataCache>> MetadataCache::open(const std::filesystem::path& dataDir,
                                                           int nodeCount) {
    std::error_code ec;
    std::filesystem::create_directories(dataDir, ec);
    if (ec) return Error{"cannot create data dir " + dataDir.string() + ": " + ec.message()};
    std::unique_ptr<MetadataCache> cache(new MetadataCache(dataDir / "cluster.meta", nodeCount));
    if (auto s = cache->load(); !s) return Error{s.message()};
    return cache;
}

Status MetadataCache::load() {
    std::lock_guard lock(mu_);
    if (!std::filesystem::exists(file_)) {
        clusterId_ = uuidToBase64(randomUuid());
        return persistLocked();
    }
    std::ifstream in(file_);
    std::string line;
    if (!std::getline(in, line) || line != kMagicLine) {
        return Error{file_.string() + ": not a batchscope cluster metadata file"};
    }
    TopicMetadata* current = nullptr;
    int lineNo = 1;
    bool changed = false;
    while (std::getline(in, line)) {
        ++lineNo;
        std::istringstream ls(line);
        std::string kind;
        ls >> kind;
        auto bad = [&] {
            return Error{file_.string() + ":" + std::to_string(lineNo) + ": malformed line"};
        };
        if (kind.empty()) continue;
        if (kind == "cluster.id") {
            if (!(ls >> clusterId_)) return bad();
        } else if (kind == "next.producer.id") {
            if (!(ls >> nextProducerId_)) return bad();
        } else if (kind == "next.leader.start") {
            if (!(ls >> nextLeaderStart_)) return bad();
        } else if (kind == "topic") {
            std::string name, hex;
            int32_t count = 0;
            if (!(ls >> name >> hex >> count) || !validateTopicName(name) || count < 1 ||
                count > kMaxPartitions) {
                return bad();
            }
            auto id = fromHex(hex);
            if (!id) return bad();
            current = &topics_[name];
            current->name = name;
            current->id = *id;
            current->partitions.reserve(static_cast<size_t>(count));
        } else if (kind == "p") {
            PartitionMetadata p;
            if (current == nullptr || !(ls >> p.partition >> p.leader >> p.leaderEpoch) ||
                p.partition != static_cast<int32_t>(current->partitions.size()) || p.leader < 0) {
                return bad();
            }
            if (p.leader >= nodeCount_) {
                p.leader = p.partition % nodeCount_;
                ++p.leaderEpoch;
                changed = true;
            }
            current->partitions.push_back(p);
        } else {
            return bad();
        }
    }
    for (const auto& [name, t] : topics_) {
        if (t.partitions.empty()) {
            return Error{file_.string() + ": topic " + name + " has no partitions"};
        }
    }
    if (clusterId_.empty()) return Error{file_.string() + ": no cluster.id"};
    return changed ? persistLocked() : Status{};
}

Status MetadataCache::persistLocked() const {
    std::ostringstream out;
    out << kMagicLine << '\n'
        << "cluster.id " << clusterId_ << '\n'
        << "next.producer.id " << nextProducerId_ << '\n'
        << "next.leader.start " << nextLeaderStart_ << '\n';
    for (const auto& [name, t] : topics_) {
        out << "topic " << name << ' ' << toHex(t.id) << ' ' << t.partitions.size() << '\n';
        for (const auto& p : t.partitions) {
            out << "p " << p.partition << ' ' << p.leader << ' ' << p.leaderEpoch << '\n';
        }
    }
    return fileio::replaceFileDurably(file_, out.str());
}

std::optional<TopicMetadata> MetadataCache::topic(std::string_view name) const {
    std::lock_guard lock(mu_);
    auto it = topics_.find(name);
    if (it == topics_.end()) return std::nullopt;
    return it->second;
}

std::vector<TopicMetadata> MetadataCache::topics() const {
    std::lock_guard lock(mu_);
    std::vector<TopicMetadata> all;
    all.reserve(topics_.size());
    for (const auto& [name, t] : topics_)
        all.push_back(t);
    return all;
}

std::optional<PartitionMetadata> MetadataCache::partition(std::string_view topic,
                                                          int32_t partition) const {
    std::lock_guard lock(mu_);
    auto it = topics_.find(topic);
    if (it == topics_.end() || partition < 0 ||
        partition >= static_cast<int32_t>(it->second.partitions.size())) {
        return std::nullopt;
    }
    return it->second.partitions[static_cast<size_t>(partition)];
}

CreateTopicOutcome MetadataCache::createTopic(std::string_view name, int32_t partitions,
                                              bool validateOnly) {
    CreateTopicOutcome out;
    if (auto s = validateTopicName(name); !s) {
        out.error = ErrorCode::INVALID_TOPIC_EXCEPTION;
        out.message = s.message();
        return out;
    }
    if (partitions < 1 || partitions > kMaxPartitions) {
        out.error = ErrorCode::INVALID_PARTITIONS;
        out.message = "Number of partitions must be 1.." + std::to_string(kMaxPartitions) +
                      ", got " + std::to_string(partitions);
        return out;
    }
    std::lock_guard lock(mu_);
    if (auto it = topics_.find(name); it != topics_.end()) {
        out.error = ErrorCode::TOPIC_ALREADY_EXISTS;
        out.message = "Topic '" + std::string(name) + "' already exists.";
        out.topic = it->second;
        return out;
    }
    const std::string metric = metricName(name);
    for (const auto& [existing, t] : topics_) {
        if (metricName(existing) == metric) {
            out.error = ErrorCode::INVALID_TOPIC_EXCEPTION;
            out.message = "Topic '" + std::string(name) + "' collides with existing topic '" +
                          existing + "' ('.' and '_' are interchangeable in metric names)";
            return out;
        }
    }
    TopicMetadata t;
    t.name = std::string(name);
    t.id = randomUuid();
    t.partitions.resize(static_cast<size_t>(partitions));
    for (int32_t p = 0; p < partitions; ++p) {
        t.partitions[static_cast<size_t>(p)] = {p, (nextLeaderStart_ + p) % nodeCount_, 0};
    }
    out.topic = t;
    if (validateOnly) return out;
    topics_.emplace(t.name, std::move(t));
    nextLeaderStart_ = (nextLeaderStart_ + 1) % nodeCount_;
    if (auto s = persistLocked(); !s) {
        topics_.erase(out.topic.name);  // never half-applied: not visible unless persisted
        nextLeaderStart_ = (nextLeaderStart_ + nodeCount_ - 1) % nodeCount_;
        out.error = ErrorCode::KAFKA_STORAGE_ERROR;
        out.message = s.message();
    }
    return out;
}

CreateTopicOutcome MetadataCache::createPartitions(std::string_view name, int32_t count,
                                                   const std::vector<int32_t>* leaders,
                                                   bool validateOnly) {
    CreateTopicOutcome out;
    auto fail = [&](ErrorCode e, std::string message) {
        out.error = e;
        out.message = std::move(message);
        return out;
    };
    std::lock_guard lock(mu_);
    auto it = topics_.find(name);
    if (it == topics_.end())
        return fail(ErrorCode::UNKNOWN_TOPIC_OR_PARTITION,
                    "Topic '" + std::string(name) + "' does not exist.");
    TopicMetadata& t = it->second;
    const auto current = static_cast<int32_t>(t.partitions.size());
    out.topic = t;
    if (count == current)
        return fail(ErrorCode::INVALID_PARTITIONS,
                    "Topic already has " + std::to_string(current) + " partition(s).");
    if (count < current)
        return fail(ErrorCode::INVALID_PARTITIONS,
                    "The topic " + t.name + " currently has " + std::to_string(current) +
                        " partition(s); " + std::to_string(count) + " would not be an increase.");
    if (count > kMaxPartitions)
        return fail(ErrorCode::INVALID_PARTITIONS, "Number of partitions must be 1.." +
                                                       std::to_string(kMaxPartitions) + ", got " +
                                                       std::to_string(count));
    const int32_t additional = count - current;
    if (leaders) {
        if (static_cast<int32_t>(leaders->size()) != additional)
            return fail(ErrorCode::INVALID_REPLICA_ASSIGNMENT,
                        "Attempted to add " + std::to_string(additional) +
                            " additional partition(s), but only " +
                            std::to_string(leaders->size()) + " assignment(s) were specified.");
        for (int32_t node : *leaders)
            if (node < 0 || node >= nodeCount_)
                return fail(ErrorCode::INVALID_REPLICA_ASSIGNMENT,
                            "The manual partition assignment includes broker " +
                                std::to_string(node) + ", but no such broker is registered.");
    }
    // The topic's own round robin goes on where createTopic() started it.
    const int32_t start = t.partitions.empty() ? 0 : t.partitions.front().leader;
    for (int32_t p = current; p < count; ++p) {
        const int32_t leader =
            leaders ? (*leaders)[static_cast<size_t>(p - current)] : (start + p) % nodeCount_;
        out.topic.partitions.push_back({p, leader, 0});
    }
    if (validateOnly) return out;
    const TopicMetadata before = t;
    t = out.topic;
    if (auto s = persistLocked(); !s) {
        t = before;  // never half-applied
        return fail(ErrorCode::KAFKA_STORAGE_ERROR, s.message());
    }
    return out;
}

Result<PartitionMetadata> MetadataCache::moveLeader(std::string_view topic, int32_t partition,
                                                    int32_t toNode) {
    if (toNode < 0 || toNode >= nodeCount_) {
        return Error{"node " + std::to_string(toNode) + " does not exist (nodes 0.." +
                     std::to_string(nodeCount_ - 1) + ")"};
    }
    std::lock_guard lock(mu_);
    auto it = topics_.find(topic);
    if (it == topics_.end()) return Error{"unknown topic '" + std::string(topic) + "'"};
    auto& parts = it->second.partitions;
    if (partition < 0 || partition >= static_cast<int32_t>(parts.size())) {
        return Error{"topic '" + std::string(topic) + "' has no partition " +
                     std::to_string(partition)};
    }
    auto& p = parts[static_cast<size_t>(partition)];
    const PartitionMetadata before = p;
    p.leader = toNode;
    ++p.leaderEpoch;
    if (auto s = persistLocked(); !s) {
        p = before;
        return Error{s.message()};
    }
    return p;
}

Result<int64_t> MetadataCache::allocateProducerId() {
    std::lock_guard lock(mu_);
    const int64_t id = nextProducerId_++;
    if (auto s = persistLocked(); !s) {
        --nextProducerId_;
        return Error{s.message()};
    }
    return id;
}

bool MetadataCache::isAllocatedProducerId(int64_t id) const {
    std::lock_guard lock(mu_);
    return id >= kFirstProducerId && id < nextProducerId_;
}

}  // namespace bs::broker
