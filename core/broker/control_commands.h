#pragma once

#include <string>
#include <string_view>

#include "broker/cluster_control.h"
#include "common/result.h"

namespace bs::broker {

// The text form of the control API, as typed on the standalone broker's stdin:
//   latency NODE MS | down NODE | up NODE | error NODE API ERROR [COUNT]
//   leader TOPIC PARTITION NODE | create TOPIC [PARTITIONS] | status | help
// API is a Kafka API name in any case, with or without dashes (produce, Fetch, list-offsets,
// metadata, api-versions, create-topics, init-producer-id); ERROR is Kafka's error name
// (NOT_LEADER_OR_FOLLOWER) or its numeric code. Returns what to print, or an error naming the
// bad word.
Result<std::string> executeControlCommand(ClusterControl& control, std::string_view line);

// The command summary above, one command per line (for --help and `help`).
std::string_view controlCommandsHelp();

// Text rendering of ClusterControl::status().
std::string formatClusterStatus(const ClusterStatus& status);

}  // namespace bs::broker
