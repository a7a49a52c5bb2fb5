#include "broker/group_store.h"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>
#include <sstream>

#include "broker/storage/file_io.h"
#include "common/text.h"

namespace bs::broker {
namespace {

using nlohmann::json;

json nullable(const std::optional<std::string>& s) {
    return s ? json(*s) : json(nullptr);
}
std::optional<std::string> nullableFrom(const json& j) {
    if (j.is_null()) return std::nullopt;
    return j.get<std::string>();
}

json groupRecord(const Group& g) {
    json members = json::array();
    for (const auto& [id, m] : g.members) {
        const std::vector<uint8_t>* metadata =
            g.protocolName ? m.metadataFor(*g.protocolName) : nullptr;
        members.push_back({{"id", id},
                           {"instance", nullable(m.groupInstanceId)},
                           {"clientId", m.clientId},
                           {"clientHost", m.clientHost},
                           {"rebalanceTimeoutMs", m.rebalanceTimeoutMs},
                           {"sessionTimeoutMs", m.sessionTimeoutMs},
                           {"metadata", metadata ? toHex(*metadata) : std::string()},
                           {"assignment", toHex(m.assignment)}});
    }
    return {{"type", "group"},
            {"group", g.groupId},
            {"protocolType", g.protocolType},
            {"protocol", nullable(g.protocolName)},
            {"generation", g.generationId},
            {"leader", nullable(g.leaderId)},
            {"members", members}};
}

json offsetRecord(const std::string& groupId, const GroupTopicPartition& tp,
                  const CommittedOffset& o) {
    return {{"type", "offset"},
            {"group", groupId},
            {"topic", tp.first},
            {"partition", tp.second},
            {"offset", o.offset},
            {"leaderEpoch", o.leaderEpoch},
            {"metadata", nullable(o.metadata)},
            {"timestamp", o.commitTimestampMs}};
}

std::vector<uint8_t> hexField(const json& j, const char* key) {
    auto bytes = parseHex(j.at(key).get<std::string>());
    if (!bytes) throw std::runtime_error(std::string(key) + ": " + bytes.error().message);
    return std::move(*bytes);
}

// Applies one journal record to `groups`.
void applyRecord(const json& r, std::map<std::string, Group>& groups) {
    const std::string type = r.at("type").get<std::string>();
    const std::string groupId = r.at("group").get<std::string>();
    if (type == "delete") {
        groups.erase(groupId);
        return;
    }
    Group& g = groups[groupId];
    g.groupId = groupId;
    if (type == "offset") {
        CommittedOffset o;
        o.offset = r.at("offset").get<int64_t>();
        o.leaderEpoch = r.at("leaderEpoch").get<int32_t>();
        o.metadata = nullableFrom(r.at("metadata"));
        o.commitTimestampMs = r.at("timestamp").get<int64_t>();
        g.offsets[{r.at("topic").get<std::string>(), r.at("partition").get<int32_t>()}] = o;
        return;
    }
    if (type != "group") throw std::runtime_error("unknown record type '" + type + "'");
    g.protocolType = r.at("protocolType").get<std::string>();
    g.protocolName = nullableFrom(r.at("protocol"));
    g.generationId = r.at("generation").get<int32_t>();
    g.leaderId = nullableFrom(r.at("leader"));
    g.members.clear();
    g.staticMembers.clear();
    for (const auto& jm : r.at("members")) {
        GroupMember m;
        m.memberId = jm.at("id").get<std::string>();
        m.groupInstanceId = nullableFrom(jm.at("instance"));
        m.clientId = jm.at("clientId").get<std::string>();
        m.clientHost = jm.at("clientHost").get<std::string>();
        m.rebalanceTimeoutMs = jm.at("rebalanceTimeoutMs").get<int32_t>();
        m.sessionTimeoutMs = jm.at("sessionTimeoutMs").get<int32_t>();
        m.protocolType = g.protocolType;
        if (g.protocolName) m.protocols.push_back({*g.protocolName, hexField(jm, "metadata")});
        m.assignment = hexField(jm, "assignment");
        if (m.groupInstanceId) g.staticMembers[*m.groupInstanceId] = m.memberId;
        g.members[m.memberId] = std::move(m);
    }
    g.state = g.members.empty() ? GroupState::Empty : GroupState::Stable;
}

}  // namespace

Result<std::unique_ptr<GroupStore>> GroupStore::open(const std::filesystem::path& dataDir,
                                                     std::map<std::string, Group>& groups) {
    std::unique_ptr<GroupStore> store(new GroupStore(dataDir / "__consumer_offsets.journal"));
    const auto& file = store->file_;
    {
        std::ifstream in(file);
        std::string line;
        int lineNo = 0;
        while (in && std::getline(in, line)) {
            ++lineNo;
            if (line.empty()) continue;
            try {
                applyRecord(json::parse(line), groups);
            } catch (const std::exception& e) {
                // A crash can leave a torn last line; Kafka would truncate it the same way.
                spdlog::warn("{}:{}: skipped an unreadable record: {}", file.string(), lineNo,
                             e.what());
            }
        }
    }
    if (auto s = store->rewrite(groups); !s) return Error{s.message()};
    return store;
}

Status GroupStore::rewrite(const std::map<std::string, Group>& groups) {
    std::string compacted;
    for (const auto& [id, g] : groups) {
        compacted += groupRecord(g).dump() + "\n";
        for (const auto& [tp, o] : g.offsets)
            compacted += offsetRecord(id, tp, o).dump() + "\n";
    }
    if (out_.is_open()) out_.close();
    if (auto s = fileio::replaceFileDurably(file_, compacted); !s) return s;
    out_.open(file_, std::ios::app | std::ios::binary);
    if (!out_) return Error{"cannot append to " + file_.string()};
    appended_ = 0;
    return {};
}

Status GroupStore::maybeCompact(const std::map<std::string, Group>& groups, int64_t threshold) {
    if (appended_ <= threshold) return {};
    return rewrite(groups);
}

Status GroupStore::appendLine(const std::string& line) {
    appended_ += static_cast<int64_t>(line.size()) + 1;
    out_ << line << '\n';
    out_.flush();
    if (!out_) return Error{"cannot append to " + file_.string()};
    return {};
}

Status GroupStore::appendGroup(const Group& group) {
    return appendLine(groupRecord(group).dump());
}

Status GroupStore::appendOffsets(
    const std::string& groupId,
    const std::vector<std::pair<GroupTopicPartition, CommittedOffset>>& offsets) {
    std::string lines;
    for (const auto& [tp, o] : offsets) {
        if (!lines.empty()) lines += '\n';
        lines += offsetRecord(groupId, tp, o).dump();
    }
    return appendLine(lines);
}

Status GroupStore::appendDelete(const std::string& groupId) {
    return appendLine(json{{"type", "delete"}, {"group", groupId}}.dump());
}

}  // namespace bs::broker
