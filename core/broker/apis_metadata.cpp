// Metadata, CreateTopics and CreatePartitions (the controller's side of the embedded cluster).
#include <spdlog/spdlog.h>

#include <set>

#include "broker/kafka_apis.h"
#include "protocol/frame.h"

namespace bs::broker {

using apis_detail::malformed;
using apis_detail::respond;
using protocol::ApiKey;
using protocol::ErrorCode;

namespace {

// The topic names a CreateTopics or CreatePartitions request lists more than once (Kafka
// answers each of those entries INVALID_REQUEST).
template <class Topics>
std::set<std::string_view> namesGivenTwice(const Topics& topics) {
    std::set<std::string_view> seen, twice;
    for (const auto& t : topics)
        if (!seen.insert(t.name).second) twice.insert(t.name);
    return twice;
}

// One topic as Metadata describes it. No replication: replicas = isr = [leader]; a partition
// whose leader node is down is offline (leader -1, LEADER_NOT_AVAILABLE), as in Kafka with
// replication factor 1.
protocol::MetadataResponse::MetadataResponseTopic describe(const TopicMetadata& t,
                                                           const FaultInjector& faults) {
    protocol::MetadataResponse::MetadataResponseTopic out;
    out.name = t.name;
    out.topicId = t.id;
    out.partitions.reserve(t.partitions.size());
    for (const auto& p : t.partitions) {
        protocol::MetadataResponse::MetadataResponsePartition mp;
        mp.partitionIndex = p.partition;
        mp.leaderEpoch = p.leaderEpoch;
        mp.replicaNodes = {p.leader};
        if (faults.isDown(p.leader)) {
            mp.errorCode = ErrorCode::LEADER_NOT_AVAILABLE;
            mp.leaderId = -1;
            mp.offlineReplicas = {p.leader};
        } else {
            mp.leaderId = p.leader;
            mp.isrNodes = {p.leader};
        }
        out.partitions.push_back(std::move(mp));
    }
    return out;
}

}  // namespace

RequestOutcome KafkaApis::handleMetadata(int32_t nodeId, const protocol::RequestHeader& h,
                                         std::span<const uint8_t> body) {
    protocol::MetadataRequest req;
    if (auto s = protocol::decodeBody(req, h.apiVersion, body); !s) return malformed("Metadata", s);
    const auto injected = faults_.takeError(nodeId, ApiKey::Metadata);

    protocol::MetadataResponse r;
    r.clusterId = metadata_.clusterId();
    for (const auto& e : endpoints_) {
        if (faults_.isDown(e.nodeId)) continue;
        r.brokers.push_back({e.nodeId, e.host, e.port, std::nullopt});
        if (r.controllerId < 0) r.controllerId = e.nodeId;
    }

    // v0 cannot send null: there an empty list asks for all topics, as in Kafka.
    if (!req.topics || (h.apiVersion == 0 && req.topics->empty())) {
        for (const auto& t : metadata_.topics())
            r.topics.push_back(describe(t, faults_));
    } else {
        for (const auto& wanted : *req.topics) {
            protocol::MetadataResponse::MetadataResponseTopic out;
            std::optional<TopicMetadata> t;
            if (wanted.name) {
                out.name = wanted.name;
                ErrorCode error = ErrorCode::NONE;
                t = topicOrCreate(*wanted.name, req.allowAutoTopicCreation && !injected, error);
                out.errorCode = error;
            } else {
                // v10+: lookup by topic id.
                for (auto& candidate : metadata_.topics()) {
                    if (candidate.id == wanted.topicId) t = std::move(candidate);
                }
                out.topicId = wanted.topicId;
                if (!t) out.errorCode = ErrorCode::UNKNOWN_TOPIC_ID;
            }
            r.topics.push_back(t ? describe(*t, faults_) : std::move(out));
        }
    }
    if (injected) {
        for (auto& t : r.topics) {
            t.errorCode = *injected;
            t.partitions.clear();
        }
    }
    return respond(h, r);
}

RequestOutcome KafkaApis::handleCreateTopics(int32_t nodeId, const protocol::RequestHeader& h,
                                             std::span<const uint8_t> body) {
    protocol::CreateTopicsRequest req;
    if (auto s = protocol::decodeBody(req, h.apiVersion, body); !s) {
        return malformed("CreateTopics", s);
    }
    const auto injected = faults_.takeError(nodeId, ApiKey::CreateTopics);
    const std::set<std::string_view> duplicated = namesGivenTwice(req.topics);

    protocol::CreateTopicsResponse r;
    for (const auto& t : req.topics) {
        protocol::CreateTopicsResponse::CreatableTopicResult res;
        res.name = t.name;
        auto fail = [&](ErrorCode e, std::string message) {
            res.errorCode = e;
            res.errorMessage = std::move(message);
        };
        const int32_t partitions =
            t.numPartitions == -1 ? config_.defaultPartitions : t.numPartitions;
        if (injected) {
            fail(*injected, "injected by fault injection");
        } else if (duplicated.contains(t.name)) {
            fail(ErrorCode::INVALID_REQUEST,
                 "Create topics request from client contains multiple entries for topic " + t.name);
        } else if (t.replicationFactor != -1 && t.replicationFactor != 1) {
            fail(ErrorCode::INVALID_REPLICATION_FACTOR,
                 "Replication factor must be 1 (or -1 for the default): the embedded cluster "
                 "does not replicate, got " +
                     std::to_string(t.replicationFactor));
        } else if (!t.assignments.empty()) {
            fail(ErrorCode::INVALID_REPLICA_ASSIGNMENT,
                 "Manual replica assignment is not supported by the embedded cluster");
        } else if (!t.configs.empty()) {
            fail(ErrorCode::INVALID_CONFIG, "Topic config '" + t.configs.front().name +
                                                "' is not supported: the embedded cluster uses "
                                                "its own log settings for every topic");
        } else {
            auto created = metadata_.createTopic(t.name, partitions, req.validateOnly);
            if (created.error != ErrorCode::NONE) {
                fail(created.error, created.message);
            } else {
                res.topicId = req.validateOnly ? protocol::Uuid{} : created.topic.id;
                res.numPartitions = static_cast<int32_t>(created.topic.partitions.size());
                res.replicationFactor = 1;
                res.configs.emplace();
                if (!req.validateOnly) {
                    spdlog::info("created topic {} with {} partitions", t.name, partitions);
                    // Open the logs now, so the directories exist before the first produce.
                    for (const auto& p : created.topic.partitions) {
                        if (auto part = replicas_.getPartition(t.name, p.partition); !part) {
                            spdlog::error("topic {}: {}", t.name, part.error().message);
                        }
                    }
                }
            }
        }
        r.topics.push_back(std::move(res));
    }
    return respond(h, r);
}

RequestOutcome KafkaApis::handleCreatePartitions(int32_t nodeId, const protocol::RequestHeader& h,
                                                 std::span<const uint8_t> body) {
    protocol::CreatePartitionsRequest req;
    if (auto s = protocol::decodeBody(req, h.apiVersion, body); !s) {
        return malformed("CreatePartitions", s);
    }
    const auto injected = faults_.takeError(nodeId, ApiKey::CreatePartitions);
    const std::set<std::string_view> duplicated = namesGivenTwice(req.topics);
    protocol::CreatePartitionsResponse r;
    for (const auto& t : req.topics) {
        protocol::CreatePartitionsResponse::CreatePartitionsTopicResult res;
        res.name = t.name;
        auto fail = [&](ErrorCode e, std::string message) {
            res.errorCode = e;
            res.errorMessage = std::move(message);
        };
        // Replication factor 1: each new partition's assignment is its leader alone.
        std::optional<std::vector<int32_t>> leaders;
        bool badAssignment = false;
        if (t.assignments) {
            leaders.emplace();
            for (const auto& a : *t.assignments) {
                if (a.brokerIds.size() != 1) badAssignment = true;
                leaders->push_back(a.brokerIds.empty() ? -1 : a.brokerIds.front());
            }
        }
        if (injected) {
            fail(*injected, "injected by fault injection");
        } else if (duplicated.contains(t.name)) {
            fail(ErrorCode::INVALID_REQUEST, "Duplicate topic name.");
        } else if (badAssignment) {
            fail(ErrorCode::INVALID_REPLICA_ASSIGNMENT,
                 "Each new partition's assignment must name exactly one broker: the embedded "
                 "cluster does not replicate");
        } else {
            auto grown = metadata_.createPartitions(t.name, t.count, leaders ? &*leaders : nullptr,
                                                    req.validateOnly);
            if (grown.error != ErrorCode::NONE) {
                fail(grown.error, grown.message);
            } else if (!req.validateOnly) {
                spdlog::info("topic {} now has {} partitions", t.name, t.count);
                for (const auto& p : grown.topic.partitions) {
                    if (auto part = replicas_.getPartition(t.name, p.partition); !part) {
                        spdlog::error("topic {}: {}", t.name, part.error().message);
                    }
                }
            }
        }
        r.results.push_back(std::move(res));
    }
    return respond(h, r);
}

}  // namespace bs::broker
