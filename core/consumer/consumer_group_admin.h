#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "client/network_client_asio.h"
#include "client/node.h"
#include "client/topic_partition.h"
#include "common/clock.h"
#include "common/result.h"
#include "consumer/consumer_config.h"

namespace bs::consumer {

// A member as DescribeGroups reports it, its assignment decoded from the consumer protocol.
struct GroupMemberDescription {
    std::string memberId;
    std::optional<std::string> groupInstanceId;
    std::string clientId;
    std::string host;
    std::vector<client::TopicPartition> assignment;
};

struct GroupDescription {
    std::string groupId;
    std::string state;  // Kafka's: Empty, Stable, PreparingRebalance, ..., Dead
    std::string protocolType;
    std::string protocol;  // the assignor, when Stable
    int32_t coordinator = -1;
    std::vector<GroupMemberDescription> members;
};

struct ListedGroup {
    std::string groupId;
    std::string protocolType;
    std::string state;  // empty when the broker does not report it (ListGroups < v4)
};

// Blocking consumer group administration for the command line (the parts of Java's Admin that
// kafka-consumer-groups.sh uses): list, describe, committed offsets, log end offsets, offsets
// for a timestamp, and committing new offsets for an inactive group. Each call bootstraps the
// metadata it needs and waits at most `request.timeout.ms`. Thread ownership: the caller's
// thread; owns its AsioNetworkClient.
class ConsumerGroupAdmin {
  public:
    static Result<std::unique_ptr<ConsumerGroupAdmin>> create(const ConsumerConfig& config,
                                                              const Clock& clock);

    // Every group of every node (ListGroups is answered per coordinator).
    Result<std::vector<ListedGroup>> listGroups();
    Result<GroupDescription> describeGroup(const std::string& groupId);
    Result<std::map<client::TopicPartition, int64_t>> committedOffsets(const std::string& groupId);
    // ListOffsets for each partition: -2 earliest, -1 latest, else the first offset at or after
    // that timestamp (the log end offset when there is none).
    Result<std::map<client::TopicPartition, int64_t>> listOffsets(
        const std::map<client::TopicPartition, int64_t>& timestamps);
    // OffsetCommit outside group management (generation -1): Kafka accepts it only while the
    // group has no members.
    Status commitOffsets(const std::string& groupId,
                         const std::map<client::TopicPartition, int64_t>& offsets);
    Result<std::vector<int32_t>> partitionsFor(const std::string& topic);

  private:
    ConsumerGroupAdmin(const ConsumerConfig& config, const Clock& clock);
    Status refreshMetadata(const std::vector<std::string>& topics);
    Result<int32_t> coordinator(const std::string& groupId);
    // One request to `node`, waiting for its answer; the body after the response header.
    Result<std::vector<uint8_t>> call(int32_t node, protocol::ApiKey api, int16_t maxVersion,
                                      std::function<void(int16_t, protocol::Writer&)> writeBody,
                                      int16_t& version);

    const ConsumerConfig config_;
    const Clock& clock_;
    std::unique_ptr<client::AsioNetworkClient> client_;
    std::vector<client::Node> bootstrap_;
    std::vector<client::Node> brokers_;
    std::map<client::TopicPartition, int32_t> leaders_;
};

}  // namespace bs::consumer
