#include "consumer/consumer_group_admin.h"

#include "client/metadata.h"
#include "protocol/frame.h"
#include "protocol/messages/find_coordinator.h"
#include "protocol/messages/group_admin.h"
#include "protocol/messages/list_offsets.h"
#include "protocol/messages/metadata.h"
#include "protocol/messages/offset_commit.h"
#include "protocol/reader.h"

namespace bs::consumer {

using client::TopicPartition;
using protocol::ApiKey;
using protocol::ErrorCode;

namespace {

std::string errorText(ErrorCode e) {
    return std::string(protocol::errorName(e));
}

// The consumer protocol's assignment (Kafka's ConsumerProtocolAssignment): int16 version, then
// [topic, [partition]]; user data and later fields are not needed here.
std::vector<TopicPartition> decodeAssignment(const std::vector<uint8_t>& bytes) {
    std::vector<TopicPartition> out;
    if (bytes.size() < 2) return out;
    protocol::Reader r(bytes);
    r.int16("version");
    const int32_t topics = r.arrayLength("topics", false);
    for (int32_t t = 0; t < topics && r.ok(); ++t) {
        const std::string topic = r.string("topic");
        const int32_t n = r.arrayLength("partitions", false);
        for (int32_t i = 0; i < n && r.ok(); ++i) {
            const int32_t p = r.int32("partition");
            if (r.ok()) out.push_back({topic, p});
        }
    }
    return out;
}

}  // namespace

ConsumerGroupAdmin::ConsumerGroupAdmin(const ConsumerConfig& config, const Clock& clock)
    : config_(config), clock_(clock) {}

Result<std::unique_ptr<ConsumerGroupAdmin>> ConsumerGroupAdmin::create(const ConsumerConfig& config,
                                                                       const Clock& clock) {
    auto nodes = client::Metadata::parseBootstrapServers(config.bootstrapServers);
    if (!nodes) return Error{"bootstrap.servers: " + nodes.error().message};
    std::unique_ptr<ConsumerGroupAdmin> a(new ConsumerGroupAdmin(config, clock));
    client::NetworkClientConfig nc;
    nc.clientId = config.clientId.empty() ? "batchscope-admin" : config.clientId;
    nc.reconnectBackoffMs = config.reconnectBackoffMs;
    nc.reconnectBackoffMaxMs = config.reconnectBackoffMaxMs;
    nc.connectionSetupTimeoutMs = config.socketConnectionSetupTimeoutMs;
    nc.security = config.security;
    a->client_ = std::make_unique<client::AsioNetworkClient>(nc, clock);
    a->bootstrap_ = *nodes;
    a->client_->setNodes(a->bootstrap_);
    return a;
}

Result<std::vector<uint8_t>> ConsumerGroupAdmin::call(
    int32_t node, ApiKey api, int16_t maxVersion,
    std::function<void(int16_t, protocol::Writer&)> writeBody, int16_t& version) {
    const int64_t deadline = clock_.nowMs() + config_.requestTimeoutMs;
    while (!client_->ready(node, clock_.nowMs())) {
        if (clock_.nowMs() > deadline) {
            const std::string why = client_->connectionError(node);
            return Error{"cannot connect to node " + std::to_string(node) +
                         (why.empty() ? "" : ": " + why)};
        }
        client_->poll(50, clock_.nowMs());
    }
    std::optional<Result<std::vector<uint8_t>>> result;
    client::ClientRequest req;
    req.destination = node;
    req.apiKey = api;
    req.maxVersion = maxVersion;
    req.requestTimeoutMs = config_.requestTimeoutMs;
    req.writeBody = std::move(writeBody);
    req.callback = [&](const client::ClientResponse& r) {
        version = r.apiVersion;
        if (!r.ok()) {
            result = Error{std::string(protocol::apiName(api)) + " to node " +
                           std::to_string(node) + ": " + r.error};
        } else {
            result = std::vector<uint8_t>(r.body.begin(), r.body.end());
        }
    };
    client_->send(std::move(req), clock_.nowMs());
    while (!result)
        client_->poll(100, clock_.nowMs());
    return std::move(*result);
}

Status ConsumerGroupAdmin::refreshMetadata(const std::vector<std::string>& topics) {
    const std::vector<client::Node>& candidates = brokers_.empty() ? bootstrap_ : brokers_;
    std::string lastError = "no broker to ask";
    for (const auto& n : candidates) {
        int16_t v = 0;
        auto body = call(
            n.id, ApiKey::Metadata, -1,
            [&](int16_t version, protocol::Writer& w) {
                protocol::MetadataRequest m;
                m.topics.emplace();
                for (const auto& t : topics)
                    m.topics->push_back({{}, t});
                m.allowAutoTopicCreation = false;
                encode(m, version, w);
            },
            v);
        if (!body) {
            lastError = body.error().message;
            continue;
        }
        protocol::MetadataResponse resp;
        if (auto s = protocol::decodeBody(resp, v, *body); !s) return Error{s.message()};
        brokers_.clear();
        for (const auto& b : resp.brokers)
            brokers_.push_back({b.nodeId, b.host, b.port, b.rack});
        client_->setNodes(brokers_);
        for (const auto& t : resp.topics) {
            if (t.errorCode != ErrorCode::NONE) {
                return Error{"topic " + t.name.value_or("") + ": " + errorText(t.errorCode)};
            }
            for (const auto& p : t.partitions)
                leaders_[{t.name.value_or(""), p.partitionIndex}] = p.leaderId;
        }
        return {};
    }
    return Error{lastError};
}

Result<int32_t> ConsumerGroupAdmin::coordinator(const std::string& groupId) {
    if (brokers_.empty())
        if (auto s = refreshMetadata({}); !s) return Error{s.message()};
    int16_t v = 0;
    auto body = call(
        brokers_.front().id, ApiKey::FindCoordinator, 3,
        [&](int16_t version, protocol::Writer& w) {
            protocol::FindCoordinatorRequest req;
            req.key = groupId;
            encode(req, version, w);
        },
        v);
    if (!body) return body.error();
    protocol::FindCoordinatorResponse resp;
    if (auto s = protocol::decodeBody(resp, v, *body); !s) return Error{s.message()};
    if (resp.errorCode != ErrorCode::NONE) {
        return Error{"FindCoordinator for group '" + groupId + "': " + errorText(resp.errorCode)};
    }
    return resp.nodeId;
}

Result<std::vector<ListedGroup>> ConsumerGroupAdmin::listGroups() {
    if (auto s = refreshMetadata({}); !s) return Error{s.message()};
    std::vector<ListedGroup> out;
    for (const auto& n : std::vector<client::Node>(brokers_)) {
        int16_t v = 0;
        auto body = call(
            n.id, ApiKey::ListGroups, -1,
            [](int16_t version, protocol::Writer& w) {
                encode(protocol::ListGroupsRequest{}, version, w);
            },
            v);
        if (!body) return body.error();
        protocol::ListGroupsResponse resp;
        if (auto s = protocol::decodeBody(resp, v, *body); !s) return Error{s.message()};
        if (resp.errorCode != ErrorCode::NONE) {
            return Error{"ListGroups on node " + std::to_string(n.id) + ": " +
                         errorText(resp.errorCode)};
        }
        for (const auto& g : resp.groups)
            out.push_back({g.groupId, g.protocolType, g.groupState});
    }
    return out;
}

Result<GroupDescription> ConsumerGroupAdmin::describeGroup(const std::string& groupId) {
    auto node = coordinator(groupId);
    if (!node) return node.error();
    int16_t v = 0;
    auto body = call(
        *node, ApiKey::DescribeGroups, -1,
        [&](int16_t version, protocol::Writer& w) {
            protocol::DescribeGroupsRequest req;
            req.groups = {groupId};
            encode(req, version, w);
        },
        v);
    if (!body) return body.error();
    protocol::DescribeGroupsResponse resp;
    if (auto s = protocol::decodeBody(resp, v, *body); !s) return Error{s.message()};
    if (resp.groups.size() != 1) return Error{"DescribeGroups: no answer for '" + groupId + "'"};
    const auto& g = resp.groups.front();
    if (g.errorCode != ErrorCode::NONE) {
        return Error{"DescribeGroups for group '" + groupId + "': " + errorText(g.errorCode)};
    }
    GroupDescription d;
    d.groupId = g.groupId;
    d.state = g.groupState;
    d.protocolType = g.protocolType;
    d.protocol = g.protocolData;
    d.coordinator = *node;
    for (const auto& m : g.members) {
        GroupMemberDescription md{m.memberId, m.groupInstanceId, m.clientId, m.clientHost, {}};
        if (g.protocolType == "consumer") md.assignment = decodeAssignment(m.memberAssignment);
        d.members.push_back(std::move(md));
    }
    return d;
}

Result<std::map<TopicPartition, int64_t>> ConsumerGroupAdmin::committedOffsets(
    const std::string& groupId) {
    auto node = coordinator(groupId);
    if (!node) return node.error();
    int16_t v = 0;
    auto body = call(
        *node, ApiKey::OffsetFetch, 7,
        [&](int16_t version, protocol::Writer& w) {
            protocol::OffsetFetchRequest req;
            req.groupId = groupId;  // topics null: every committed partition
            encode(req, version, w);
        },
        v);
    if (!body) return body.error();
    protocol::OffsetFetchResponse resp;
    if (auto s = protocol::decodeBody(resp, v, *body); !s) return Error{s.message()};
    if (resp.errorCode != ErrorCode::NONE) {
        return Error{"OffsetFetch for group '" + groupId + "': " + errorText(resp.errorCode)};
    }
    std::map<TopicPartition, int64_t> out;
    for (const auto& t : resp.topics)
        for (const auto& p : t.partitions)
            if (p.errorCode == ErrorCode::NONE && p.committedOffset >= 0)
                out[{t.name, p.partitionIndex}] = p.committedOffset;
    return out;
}

Result<std::vector<int32_t>> ConsumerGroupAdmin::partitionsFor(const std::string& topic) {
    if (auto s = refreshMetadata({topic}); !s) return Error{s.message()};
    std::vector<int32_t> out;
    for (const auto& [tp, leader] : leaders_)
        if (tp.topic == topic) out.push_back(tp.partition);
    return out;
}

Result<std::map<TopicPartition, int64_t>> ConsumerGroupAdmin::listOffsets(
    const std::map<TopicPartition, int64_t>& timestamps) {
    std::vector<std::string> topics;
    for (const auto& [tp, ts] : timestamps)
        if (topics.empty() || topics.back() != tp.topic) topics.push_back(tp.topic);
    if (auto s = refreshMetadata(topics); !s) return Error{s.message()};
    std::map<int32_t, protocol::ListOffsetsRequest> byLeader;
    for (const auto& [tp, ts] : timestamps) {
        auto it = leaders_.find(tp);
        if (it == leaders_.end()) return Error{"unknown partition " + tp.toString()};
        auto& req = byLeader[it->second];
        req.replicaId = -1;
        if (req.topics.empty() || req.topics.back().name != tp.topic)
            req.topics.push_back({tp.topic, {}});
        req.topics.back().partitions.push_back({tp.partition, -1, ts});
    }
    std::map<TopicPartition, int64_t> out;
    std::vector<TopicPartition> noOffset;
    for (const auto& [node, req] : byLeader) {
        int16_t v = 0;
        auto body = call(
            node, ApiKey::ListOffsets, -1,
            [&](int16_t version, protocol::Writer& w) { encode(req, version, w); }, v);
        if (!body) return body.error();
        protocol::ListOffsetsResponse resp;
        protocol::Reader r(*body);
        if (auto s = decode(resp, v, r); !s) return Error{s.message()};
        for (const auto& t : resp.topics) {
            for (const auto& p : t.partitions) {
                if (p.errorCode != ErrorCode::NONE) {
                    return Error{"ListOffsets " + t.name + "-" + std::to_string(p.partitionIndex) +
                                 ": " + errorText(p.errorCode)};
                }
                if (p.offset < 0) {
                    noOffset.push_back({t.name, p.partitionIndex});
                } else {
                    out[{t.name, p.partitionIndex}] = p.offset;
                }
            }
        }
    }
    if (!noOffset.empty()) {
        // No record at or after the timestamp: the log end, as Kafka's reset does.
        std::map<TopicPartition, int64_t> latest;
        for (const auto& tp : noOffset)
            latest[tp] = -1;
        auto ends = listOffsets(latest);
        if (!ends) return ends.error();
        out.insert(ends->begin(), ends->end());
    }
    return out;
}

Status ConsumerGroupAdmin::commitOffsets(const std::string& groupId,
                                         const std::map<TopicPartition, int64_t>& offsets) {
    auto node = coordinator(groupId);
    if (!node) return Error{node.error().message};
    protocol::OffsetCommitRequest req;
    req.groupId = groupId;
    req.generationId = -1;
    for (const auto& [tp, offset] : offsets) {
        if (req.topics.empty() || req.topics.back().name != tp.topic)
            req.topics.push_back({tp.topic, {}});
        req.topics.back().partitions.push_back({tp.partition, offset, -1, -1, std::string()});
    }
    int16_t v = 0;
    auto body = call(
        *node, ApiKey::OffsetCommit, -1,
        [&](int16_t version, protocol::Writer& w) { encode(req, version, w); }, v);
    if (!body) return Error{body.error().message};
    protocol::OffsetCommitResponse resp;
    if (auto s = protocol::decodeBody(resp, v, *body); !s) return Error{s.message()};
    for (const auto& t : resp.topics)
        for (const auto& p : t.partitions)
            if (p.errorCode != ErrorCode::NONE)
                return Error{"OffsetCommit " + t.name + "-" + std::to_string(p.partitionIndex) +
                             ": " + errorText(p.errorCode)};
    return {};
}

}  // namespace bs::consumer
