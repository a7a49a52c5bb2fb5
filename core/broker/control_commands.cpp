#include "broker/control_commands.h"

#include <cctype>
#include <charconv>
#include <sstream>
#include <vector>

namespace bs::broker {

using protocol::ApiKey;
using protocol::ErrorCode;

namespace {

std::vector<std::string_view> splitWords(std::string_view line) {
    std::vector<std::string_view> words;
    size_t i = 0;
    while (i < line.size()) {
        while (i < line.size() && std::isspace(static_cast<unsigned char>(line[i])))
            ++i;
        size_t start = i;
        while (i < line.size() && !std::isspace(static_cast<unsigned char>(line[i])))
            ++i;
        if (i > start) words.push_back(line.substr(start, i - start));
    }
    return words;
}

template <class T>
Result<T> parseNumber(std::string_view word, const char* what) {
    T v{};
    auto [end, ec] = std::from_chars(word.data(), word.data() + word.size(), v);
    if (ec != std::errc() || end != word.data() + word.size()) {
        return Error{std::string(what) + " '" + std::string(word) + "' is not a number"};
    }
    return v;
}

// "list-offsets", "ListOffsets", "list_offsets" -> "listoffsets".
std::string normalized(std::string_view word) {
    std::string s;
    for (char c : word) {
        if (c == '-' || c == '_') continue;
        s += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return s;
}

Result<ApiKey> parseApi(std::string_view word) {
    const std::string want = normalized(word);
    for (const auto& r : protocol::supportedApis()) {
        if (normalized(protocol::apiName(r.apiKey)) == want) return r.apiKey;
    }
    return Error{"unknown API '" + std::string(word) +
                 "' (produce, fetch, list-offsets, metadata, api-versions, create-topics, "
                 "init-producer-id, find-coordinator, join-group, sync-group, heartbeat, "
                 "leave-group, offset-commit, offset-fetch, list-groups, describe-groups, "
                 "delete-groups, create-partitions)"};
}

Result<ErrorCode> parseError(std::string_view word) {
    if (!word.empty() && (word[0] == '-' || std::isdigit(static_cast<unsigned char>(word[0])))) {
        auto code = parseNumber<int16_t>(word, "error code");
        if (!code) return Error{code.error().message};
        if (!protocol::isKnownError(*code)) {
            return Error{"error code " + std::string(word) + " is not a Kafka error code"};
        }
        return protocol::toErrorCode(*code);
    }
    std::string upper;
    for (char c : word)
        upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    for (int code = -1; code <= 200; ++code) {
        if (protocol::isKnownError(static_cast<int16_t>(code)) &&
            protocol::errorName(protocol::toErrorCode(static_cast<int16_t>(code))) == upper) {
            return protocol::toErrorCode(static_cast<int16_t>(code));
        }
    }
    return Error{"unknown error name '" + std::string(word) +
                 "' (use Kafka's name, e.g. NOT_LEADER_OR_FOLLOWER, or a numeric code)"};
}

Status usage(std::string_view command, std::string_view form) {
    return Error{"usage: " + std::string(command) + " " + std::string(form)};
}

}  // namespace

std::string_view controlCommandsHelp() {
    return "  latency NODE MS              add MS milliseconds to every response of NODE (0 = "
           "none)\n"
           "  down NODE                    close NODE's listener and connections\n"
           "  up NODE                      listen again on NODE's port\n"
           "  error NODE API ERROR [N]     answer the next N (default 1) API requests on NODE "
           "with\n"
           "                               ERROR (Kafka name or code); N = 0 disarms\n"
           "                               API: produce fetch list-offsets metadata api-versions\n"
           "                                    create-topics init-producer-id find-coordinator\n"
           "                                    join-group sync-group heartbeat leave-group\n"
           "                                    offset-commit offset-fetch list-groups\n"
           "                                    describe-groups delete-groups\n"
           "                                    create-partitions\n"
           "  leader TOPIC PARTITION NODE  move the partition's leadership to NODE (epoch + 1)\n"
           "  create TOPIC [PARTITIONS]    create a topic\n"
           "  partitions TOPIC COUNT       grow TOPIC to COUNT partitions (keys move)\n"
           "  status                       nodes, faults, topics and network refusals\n"
           "  help                         this list\n";
}

std::string formatClusterStatus(const ClusterStatus& s) {
    std::ostringstream out;
    out << "cluster " << s.clusterId << " controller " << s.controllerId << "\n";
    for (const auto& n : s.nodes) {
        out << "node " << n.nodeId << " " << n.host << ":" << n.port << " "
            << (n.up ? "up" : "DOWN") << " latency=" << n.latencyMs << "ms"
            << " connections=" << n.connections;
        for (const auto& e : n.pendingErrors) {
            out << " error[" << protocol::apiName(e.api) << " " << protocol::errorName(e.error)
                << " x" << e.remaining << "]";
        }
        out << "\n";
    }
    for (const auto& t : s.topics) {
        out << "topic " << t.name << " partitions=" << t.partitions.size() << " leaders=";
        for (size_t i = 0; i < t.partitions.size(); ++i) {
            out << (i ? "," : "") << t.partitions[i].leader;
        }
        out << "\n";
    }
    const NetworkStatus& net = s.network;
    out << "network buffered-request-bytes=" << net.bufferedRequestBytes
        << " peak=" << net.peakBufferedRequestBytes
        << " queued.max.request.bytes=" << net.queuedMaxRequestBytes
        << " memory-waits=" << net.memoryWaits
        << " queued-response-bytes=" << net.queuedResponseBytes
        << " peak=" << net.peakQueuedResponseBytes << " refused";
    for (size_t k = 0; k < kRefusalKinds; ++k)
        out << " " << refusalName(static_cast<Refusal>(k)) << "=" << net.refusals[k];
    out << "\n";
    return out.str();
}

Result<std::string> executeControlCommand(ClusterControl& control, std::string_view line) {
    const auto words = splitWords(line);
    if (words.empty()) return std::string();
    const std::string_view cmd = words[0];
    auto node = [&](size_t i) { return parseNumber<int32_t>(words[i], "node"); };
    auto done = [](const Status& s) -> Result<std::string> {
        if (!s) return Error{s.message()};
        return std::string("ok\n");
    };
    if (cmd == "help") return std::string(controlCommandsHelp());
    if (cmd == "status") return formatClusterStatus(control.status());
    if (cmd == "latency") {
        if (words.size() != 3) return Error{usage(cmd, "NODE MS").message()};
        auto n = node(1);
        if (!n) return Error{n.error().message};
        auto ms = parseNumber<int64_t>(words[2], "latency");
        if (!ms) return Error{ms.error().message};
        return done(control.setLatency(*n, *ms));
    }
    if (cmd == "down" || cmd == "up") {
        if (words.size() != 2) return Error{usage(cmd, "NODE").message()};
        auto n = node(1);
        if (!n) return Error{n.error().message};
        return done(cmd == "down" ? control.takeDown(*n) : control.bringUp(*n));
    }
    if (cmd == "error") {
        if (words.size() != 4 && words.size() != 5) {
            return Error{usage(cmd, "NODE API ERROR [COUNT]").message()};
        }
        auto n = node(1);
        if (!n) return Error{n.error().message};
        auto api = parseApi(words[2]);
        if (!api) return Error{api.error().message};
        auto error = parseError(words[3]);
        if (!error) return Error{error.error().message};
        int count = 1;
        if (words.size() == 5) {
            auto c = parseNumber<int>(words[4], "count");
            if (!c) return Error{c.error().message};
            count = *c;
        }
        return done(control.injectErrors(*n, *api, *error, count));
    }
    if (cmd == "leader") {
        if (words.size() != 4) return Error{usage(cmd, "TOPIC PARTITION NODE").message()};
        auto p = parseNumber<int32_t>(words[2], "partition");
        if (!p) return Error{p.error().message};
        auto n = node(3);
        if (!n) return Error{n.error().message};
        auto moved = control.moveLeader(words[1], *p, *n);
        if (!moved) return Error{moved.error().message};
        return "ok: " + std::string(words[1]) + "-" + std::to_string(*p) + " leader " +
               std::to_string(moved->leader) + " epoch " + std::to_string(moved->leaderEpoch) +
               "\n";
    }
    if (cmd == "create") {
        if (words.size() != 2 && words.size() != 3) {
            return Error{usage(cmd, "TOPIC [PARTITIONS]").message()};
        }
        int32_t partitions = -1;
        if (words.size() == 3) {
            auto p = parseNumber<int32_t>(words[2], "partitions");
            if (!p) return Error{p.error().message};
            partitions = *p;
        }
        auto created = control.createTopic(words[1], partitions);
        if (created.error != ErrorCode::NONE) {
            return Error{std::string(protocol::errorName(created.error)) + ": " + created.message};
        }
        return "ok: created " + std::string(words[1]) + " with " +
               std::to_string(created.topic.partitions.size()) + " partitions\n";
    }
    if (cmd == "partitions") {
        if (words.size() != 3) return Error{usage(cmd, "TOPIC COUNT").message()};
        auto c = parseNumber<int32_t>(words[2], "count");
        if (!c) return Error{c.error().message};
        auto grown = control.createPartitions(words[1], *c);
        if (grown.error != ErrorCode::NONE) {
            return Error{std::string(protocol::errorName(grown.error)) + ": " + grown.message};
        }
        return "ok: " + std::string(words[1]) + " now has " +
               std::to_string(grown.topic.partitions.size()) + " partitions\n";
    }
    return Error{"unknown command '" + std::string(cmd) + "' (try 'help')"};
}

}  // namespace bs::broker
