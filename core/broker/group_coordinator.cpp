// The classic group protocol's state machine, after Kafka's GroupCoordinator:
// Empty -> PreparingRebalance (members (re)join) -> CompletingRebalance (the leader assigns)
// -> Stable (members heartbeat) -> PreparingRebalance on any membership change.
#include "broker/group_coordinator.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>

#include "broker/metadata_cache.h"
#include "common/text.h"

namespace bs::broker {

using protocol::ErrorCode;

std::string_view groupStateName(GroupState s) {
    switch (s) {
        case GroupState::Empty:
            return "Empty";
        case GroupState::PreparingRebalance:
            return "PreparingRebalance";
        case GroupState::CompletingRebalance:
            return "CompletingRebalance";
        case GroupState::Stable:
            return "Stable";
        case GroupState::Dead:
            return "Dead";
    }
    return "Unknown";
}

namespace {

// Java's String.hashCode over the UTF-16 code units of a UTF-8 string.
int32_t javaStringHash(const std::string& s) {
    uint32_t h = 0;
    auto add = [&h](uint32_t unit) { h = 31 * h + unit; };
    for (size_t i = 0; i < s.size();) {
        const auto c = static_cast<uint8_t>(s[i]);
        uint32_t cp = c;
        size_t n = 1;
        if (c >= 0xF0 && i + 3 < s.size()) {
            cp = (c & 0x07u) << 18 | (static_cast<uint8_t>(s[i + 1]) & 0x3Fu) << 12 |
                 (static_cast<uint8_t>(s[i + 2]) & 0x3Fu) << 6 |
                 (static_cast<uint8_t>(s[i + 3]) & 0x3Fu);
            n = 4;
        } else if (c >= 0xE0 && i + 2 < s.size()) {
            cp = (c & 0x0Fu) << 12 | (static_cast<uint8_t>(s[i + 1]) & 0x3Fu) << 6 |
                 (static_cast<uint8_t>(s[i + 2]) & 0x3Fu);
            n = 3;
        } else if (c >= 0xC0 && i + 1 < s.size()) {
            cp = (c & 0x1Fu) << 6 | (static_cast<uint8_t>(s[i + 1]) & 0x3Fu);
            n = 2;
        }
        if (cp >= 0x10000) {
            cp -= 0x10000;
            add(0xD800 + (cp >> 10));
            add(0xDC00 + (cp & 0x3FF));
        } else {
            add(cp);
        }
        i += n;
    }
    return static_cast<int32_t>(h);
}

std::string uuidText() {
    const std::string hex = toHex(randomUuid().bytes);
    return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
           hex.substr(16, 4) + "-" + hex.substr(20);
}

std::string lower(std::string_view s) {
    std::string out;
    for (char c : s)
        out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

protocol::JoinGroupResponse joinError(ErrorCode e, const std::string& memberId = {}) {
    protocol::JoinGroupResponse r;
    r.errorCode = e;
    r.memberId = memberId;
    return r;
}

protocol::SyncGroupResponse syncError(ErrorCode e) {
    protocol::SyncGroupResponse r;
    r.errorCode = e;
    return r;
}

}  // namespace

Result<std::unique_ptr<GroupCoordinator>> GroupCoordinator::open(
    const std::filesystem::path& dataDir, const GroupCoordinatorConfig& config,
    const Clock& clock) {
    std::unique_ptr<GroupCoordinator> c(new GroupCoordinator(config, clock));
    auto store = GroupStore::open(dataDir, c->groups_);
    if (!store) return Error{store.error().message};
    c->store_ = std::move(*store);
    // Loaded members get a full session to come back, as Kafka schedules their heartbeats.
    for (auto& [id, g] : c->groups_) {
        for (auto& [mid, m] : g.members)
            m.heartbeatDeadlineMs = c->now() + m.sessionTimeoutMs;
    }
    if (!c->groups_.empty()) {
        spdlog::info("group coordinator loaded {} groups from {}", c->groups_.size(),
                     c->store_->file().string());
    }
    return c;
}

int32_t GroupCoordinator::partitionFor(const std::string& groupId) const {
    const int32_t h = javaStringHash(groupId);
    const int32_t positive = h == INT32_MIN ? 0 : std::abs(h);  // Kafka's Utils.abs
    return positive % config_.offsetsTopicPartitions;
}

Group& GroupCoordinator::getOrCreate(const std::string& groupId) {
    Group& g = groups_[groupId];
    g.groupId = groupId;
    return g;
}

bool GroupCoordinator::supportsProtocols(
    const Group& g, const std::string& protocolType,
    const std::vector<protocol::JoinGroupRequest::Protocol>& protocols) const {
    if (protocolType.empty() || protocols.empty()) return false;
    if (g.members.empty()) return true;
    if (g.protocolType != protocolType) return false;
    // Some protocol must be supported by every member (Kafka: candidateProtocols).
    for (const auto& p : protocols) {
        bool all = true;
        for (const auto& [id, m] : g.members)
            if (!m.metadataFor(p.name)) all = false;
        if (all) return true;
    }
    return false;
}

std::string GroupCoordinator::newMemberId(const std::string& clientId) const {
    return clientId + "-" + uuidText();
}

void GroupCoordinator::joinGroup(const JoinParams& p, JoinCallback done) {
    std::lock_guard lock(mu_);
    if (p.groupId.empty()) return done(joinError(ErrorCode::INVALID_GROUP_ID, p.memberId));
    if (p.sessionTimeoutMs < config_.minSessionTimeoutMs ||
        p.sessionTimeoutMs > config_.maxSessionTimeoutMs) {
        return done(joinError(ErrorCode::INVALID_SESSION_TIMEOUT, p.memberId));
    }
    auto it = groups_.find(p.groupId);
    if (it == groups_.end() && !p.memberId.empty() && !p.groupInstanceId) {
        return done(joinError(ErrorCode::UNKNOWN_MEMBER_ID, p.memberId));
    }
    Group& g = getOrCreate(p.groupId);
    if (g.state == GroupState::Dead) {
        return done(joinError(ErrorCode::COORDINATOR_NOT_AVAILABLE, p.memberId));
    }

    if (p.memberId.empty()) {
        if (!supportsProtocols(g, p.protocolType, p.protocols)) {
            return done(joinError(ErrorCode::INCONSISTENT_GROUP_PROTOCOL));
        }
        if (p.groupInstanceId && g.staticMembers.count(*p.groupInstanceId)) {
            return staticMemberRejoin(g, p, std::move(done));
        }
        if (static_cast<int64_t>(g.members.size()) >= config_.groupMaxSize) {
            return done(joinError(ErrorCode::GROUP_MAX_SIZE_REACHED));
        }
        const std::string memberId = newMemberId(p.clientId);
        if (p.requireKnownMemberId && !p.groupInstanceId) {
            // KIP-394: the member learns its id first and joins again with it.
            g.pendingMembers[memberId] = now() + p.sessionTimeoutMs;
            return done(joinError(ErrorCode::MEMBER_ID_REQUIRED, memberId));
        }
        return addMemberAndRebalance(g, p, memberId, std::move(done));
    }

    if (!supportsProtocols(g, p.protocolType, p.protocols)) {
        return done(joinError(ErrorCode::INCONSISTENT_GROUP_PROTOCOL, p.memberId));
    }
    if (g.pendingMembers.count(p.memberId)) {
        g.pendingMembers.erase(p.memberId);
        return addMemberAndRebalance(g, p, p.memberId, std::move(done));
    }
    if (p.groupInstanceId) {
        auto s = g.staticMembers.find(*p.groupInstanceId);
        if (s != g.staticMembers.end() && s->second != p.memberId) {
            return done(joinError(ErrorCode::FENCED_INSTANCE_ID, p.memberId));
        }
    }
    auto m = g.members.find(p.memberId);
    if (m == g.members.end()) return done(joinError(ErrorCode::UNKNOWN_MEMBER_ID, p.memberId));
    GroupMember& member = m->second;
    switch (g.state) {
        case GroupState::PreparingRebalance:
            return updateMemberAndRebalance(g, member, p, std::move(done));
        case GroupState::CompletingRebalance:
            // The join response was lost: the same answer again, unless the protocols changed.
            if (member.protocols == p.protocols) return done(joinResponse(g, p.memberId));
            return updateMemberAndRebalance(g, member, p, std::move(done));
        case GroupState::Stable:
            if (g.leaderId == p.memberId || member.protocols != p.protocols) {
                return updateMemberAndRebalance(g, member, p, std::move(done));
            }
            return done(joinResponse(g, p.memberId));
        case GroupState::Empty:
        case GroupState::Dead:
            return done(joinError(ErrorCode::UNKNOWN_MEMBER_ID, p.memberId));
    }
}

void GroupCoordinator::staticMemberRejoin(Group& g, const JoinParams& p, JoinCallback done) {
    // A static member that restarted: it takes over its old member id's place (and
    // assignment) under a new id; the old id is fenced (KIP-345).
    const std::string oldId = g.staticMembers.at(*p.groupInstanceId);
    const std::string newId = newMemberId(p.clientId);
    auto node = g.members.extract(oldId);
    if (node.empty()) return addMemberAndRebalance(g, p, newId, std::move(done));
    GroupMember& old = node.mapped();
    if (old.awaitingJoin) old.awaitingJoin(joinError(ErrorCode::FENCED_INSTANCE_ID, oldId));
    if (old.awaitingSync) old.awaitingSync(syncError(ErrorCode::FENCED_INSTANCE_ID));
    old.awaitingJoin = nullptr;
    old.awaitingSync = nullptr;
    node.key() = newId;
    node.mapped().memberId = newId;
    g.members.insert(std::move(node));
    g.staticMembers[*p.groupInstanceId] = newId;
    const bool wasLeader = g.leaderId == oldId;
    if (wasLeader) g.leaderId = newId;
    GroupMember& member = g.members.at(newId);
    const bool sameProtocols = member.protocols == p.protocols;
    if (g.state == GroupState::Stable && sameProtocols && !wasLeader) {
        completeHeartbeat(g, member);
        persistGroup(g);
        return done(joinResponse(g, newId));
    }
    updateMemberAndRebalance(g, member, p, std::move(done));
}

void GroupCoordinator::addMemberAndRebalance(Group& g, const JoinParams& p,
                                             const std::string& memberId, JoinCallback done) {
    GroupMember m;
    m.memberId = memberId;
    m.groupInstanceId = p.groupInstanceId;
    m.clientId = p.clientId;
    m.clientHost = p.clientHost;
    m.rebalanceTimeoutMs = p.rebalanceTimeoutMs;
    m.sessionTimeoutMs = p.sessionTimeoutMs;
    m.protocolType = p.protocolType;
    m.protocols = p.protocols;
    m.awaitingJoin = std::move(done);
    m.isNew = true;
    m.heartbeatDeadlineMs = now() + p.sessionTimeoutMs;
    if (g.members.empty()) g.protocolType = p.protocolType;
    if (p.groupInstanceId) g.staticMembers[*p.groupInstanceId] = memberId;
    if (!g.leaderId || !g.has(*g.leaderId)) g.leaderId = memberId;
    g.members[memberId] = std::move(m);
    if (g.state == GroupState::PreparingRebalance && g.initialDelay) {
        // Kafka's InitialDelayedJoin: each new member buys the others a little more time.
        g.joinDeadlineMs = std::min(now() + config_.initialRebalanceDelayMs, g.joinMaxDeadlineMs);
    }
    if (g.state != GroupState::PreparingRebalance) prepareRebalance(g);
    tryCompleteJoin(g);
}

void GroupCoordinator::updateMemberAndRebalance(Group& g, GroupMember& m, const JoinParams& p,
                                                JoinCallback done) {
    m.protocols = p.protocols;
    m.rebalanceTimeoutMs = p.rebalanceTimeoutMs;
    m.sessionTimeoutMs = p.sessionTimeoutMs;
    m.clientId = p.clientId;
    m.clientHost = p.clientHost;
    if (m.awaitingJoin) m.awaitingJoin(joinError(ErrorCode::UNKNOWN_MEMBER_ID, m.memberId));
    m.awaitingJoin = std::move(done);
    if (g.state != GroupState::PreparingRebalance) prepareRebalance(g);
    tryCompleteJoin(g);
}

void GroupCoordinator::prepareRebalance(Group& g) {
    if (g.state == GroupState::CompletingRebalance) {
        propagateAssignments(g, ErrorCode::REBALANCE_IN_PROGRESS);
    }
    const int32_t rebalanceTimeout = g.maxRebalanceTimeoutMs();
    if (g.state == GroupState::Empty && config_.initialRebalanceDelayMs > 0) {
        g.initialDelay = true;
        g.joinDeadlineMs = now() + config_.initialRebalanceDelayMs;
        g.joinMaxDeadlineMs = now() + std::max(rebalanceTimeout, config_.initialRebalanceDelayMs);
    } else {
        g.initialDelay = false;
        g.joinDeadlineMs = now() + rebalanceTimeout;
    }
    spdlog::debug("group {}: preparing to rebalance (generation {})", g.groupId, g.generationId);
    g.state = GroupState::PreparingRebalance;
}

void GroupCoordinator::tryCompleteJoin(Group& g) {
    if (g.state != GroupState::PreparingRebalance || g.initialDelay) return;
    if (!g.pendingMembers.empty()) return;
    for (const auto& [id, m] : g.members)
        if (!m.awaitingJoin) return;
    completeJoin(g);
}

std::optional<std::string> GroupCoordinator::selectProtocol(const Group& g) const {
    // Kafka: each member votes for its most preferred protocol among those all support.
    std::vector<std::string> candidates;
    const GroupMember& first = g.members.begin()->second;
    for (const auto& p : first.protocols) {
        bool all = true;
        for (const auto& [id, m] : g.members)
            if (!m.metadataFor(p.name)) all = false;
        if (all) candidates.push_back(p.name);
    }
    if (candidates.empty()) return std::nullopt;
    std::map<std::string, int> votes;
    for (const auto& [id, m] : g.members) {
        for (const auto& p : m.protocols) {
            if (std::find(candidates.begin(), candidates.end(), p.name) != candidates.end()) {
                ++votes[p.name];
                break;
            }
        }
    }
    std::string best = candidates.front();
    for (const auto& c : candidates)
        if (votes[c] > votes[best]) best = c;
    return best;
}

void GroupCoordinator::completeJoin(Group& g) {
    // Members that did not rejoin in time are out (Kafka: notYetRejoinedMembers).
    std::vector<std::string> absent;
    for (const auto& [id, m] : g.members)
        if (!m.awaitingJoin) absent.push_back(id);
    for (const auto& id : absent)
        removeMember(g, id);
    g.initialDelay = false;
    ++g.generationId;
    if (g.members.empty()) {
        g.state = GroupState::Empty;
        g.protocolName.reset();
        g.leaderId.reset();
        spdlog::info("group {}: generation {} with no members (Empty)", g.groupId, g.generationId);
        persistGroup(g);
        return;
    }
    g.protocolName = selectProtocol(g);
    if (!g.leaderId || !g.has(*g.leaderId)) g.leaderId = g.members.begin()->first;
    g.state = GroupState::CompletingRebalance;
    g.syncDeadlineMs = now() + g.maxRebalanceTimeoutMs();
    spdlog::info("group {}: generation {} with {} members, protocol {}, leader {}", g.groupId,
                 g.generationId, g.members.size(), g.protocolName.value_or(""),
                 g.leaderId.value_or(""));
    for (auto& [id, m] : g.members) {
        auto response = joinResponse(g, id);
        auto callback = std::move(m.awaitingJoin);
        m.awaitingJoin = nullptr;
        m.isNew = false;
        m.assignment.clear();
        completeHeartbeat(g, m);
        callback(response);
    }
}

protocol::JoinGroupResponse GroupCoordinator::joinResponse(const Group& g,
                                                           const std::string& memberId) const {
    protocol::JoinGroupResponse r;
    r.generationId = g.generationId;
    r.protocolType = g.protocolType;
    r.protocolName = g.protocolName;
    r.leader = g.leaderId.value_or("");
    r.memberId = memberId;
    if (g.leaderId == memberId && g.protocolName) {
        for (const auto& [id, m] : g.members) {
            const auto* metadata = m.metadataFor(*g.protocolName);
            r.members.push_back(
                {id, m.groupInstanceId, metadata ? *metadata : std::vector<uint8_t>{}});
        }
    }
    return r;
}

void GroupCoordinator::removeMember(Group& g, const std::string& memberId) {
    auto it = g.members.find(memberId);
    if (it == g.members.end()) return;
    GroupMember& m = it->second;
    if (m.awaitingJoin) m.awaitingJoin(joinError(ErrorCode::UNKNOWN_MEMBER_ID, memberId));
    if (m.awaitingSync) m.awaitingSync(syncError(ErrorCode::UNKNOWN_MEMBER_ID));
    if (m.groupInstanceId) {
        auto s = g.staticMembers.find(*m.groupInstanceId);
        if (s != g.staticMembers.end() && s->second == memberId) g.staticMembers.erase(s);
    }
    g.members.erase(it);
    if (g.leaderId == memberId) {
        g.leaderId.reset();
        if (!g.members.empty()) g.leaderId = g.members.begin()->first;
    }
}

void GroupCoordinator::propagateAssignments(Group& g, ErrorCode error) {
    for (auto& [id, m] : g.members) {
        if (error != ErrorCode::NONE) m.assignment.clear();
        if (!m.awaitingSync) continue;
        auto callback = std::move(m.awaitingSync);
        m.awaitingSync = nullptr;
        protocol::SyncGroupResponse r;
        r.errorCode = error;
        r.protocolType = g.protocolType;
        r.protocolName = g.protocolName;
        if (error == ErrorCode::NONE) r.assignment = m.assignment;
        completeHeartbeat(g, m);
        callback(r);
    }
}

void GroupCoordinator::completeHeartbeat(Group&, GroupMember& m) {
    m.heartbeatDeadlineMs = now() + m.sessionTimeoutMs;
}

void GroupCoordinator::persistGroup(const Group& g) {
    if (auto s = store_->appendGroup(g); !s) {
        spdlog::error("group {}: {}", g.groupId, s.message());
    }
}

void GroupCoordinator::syncGroup(const SyncParams& p, SyncCallback done) {
    std::lock_guard lock(mu_);
    auto it = groups_.find(p.groupId);
    if (it == groups_.end()) return done(syncError(ErrorCode::UNKNOWN_MEMBER_ID));
    Group& g = it->second;
    if (g.state == GroupState::Dead) return done(syncError(ErrorCode::COORDINATOR_NOT_AVAILABLE));
    if (p.groupInstanceId) {
        auto s = g.staticMembers.find(*p.groupInstanceId);
        if (s != g.staticMembers.end() && s->second != p.memberId) {
            return done(syncError(ErrorCode::FENCED_INSTANCE_ID));
        }
    }
    auto m = g.members.find(p.memberId);
    if (m == g.members.end()) return done(syncError(ErrorCode::UNKNOWN_MEMBER_ID));
    if (p.generationId != g.generationId) return done(syncError(ErrorCode::ILLEGAL_GENERATION));
    if ((p.protocolType && *p.protocolType != g.protocolType) ||
        (p.protocolName && *p.protocolName != g.protocolName.value_or(""))) {
        return done(syncError(ErrorCode::INCONSISTENT_GROUP_PROTOCOL));
    }
    GroupMember& member = m->second;
    switch (g.state) {
        case GroupState::Empty:
        case GroupState::Dead:
            return done(syncError(ErrorCode::UNKNOWN_MEMBER_ID));
        case GroupState::PreparingRebalance:
            return done(syncError(ErrorCode::REBALANCE_IN_PROGRESS));
        case GroupState::CompletingRebalance: {
            member.awaitingSync = std::move(done);
            completeHeartbeat(g, member);
            if (g.leaderId != p.memberId) return;
            for (auto& [id, gm] : g.members)
                gm.assignment.clear();
            for (const auto& a : p.assignments) {
                auto target = g.members.find(a.memberId);
                if (target != g.members.end()) target->second.assignment = a.assignment;
            }
            persistGroup(g);
            g.state = GroupState::Stable;
            spdlog::info("group {}: generation {} is Stable", g.groupId, g.generationId);
            return propagateAssignments(g, ErrorCode::NONE);
        }
        case GroupState::Stable: {
            completeHeartbeat(g, member);
            protocol::SyncGroupResponse r;
            r.protocolType = g.protocolType;
            r.protocolName = g.protocolName;
            r.assignment = member.assignment;
            return done(r);
        }
    }
}

ErrorCode GroupCoordinator::heartbeat(const std::string& groupId, const std::string& memberId,
                                      const std::optional<std::string>& groupInstanceId,
                                      int32_t generationId) {
    std::lock_guard lock(mu_);
    auto it = groups_.find(groupId);
    if (it == groups_.end()) return ErrorCode::UNKNOWN_MEMBER_ID;
    Group& g = it->second;
    if (g.state == GroupState::Dead) return ErrorCode::COORDINATOR_NOT_AVAILABLE;
    if (groupInstanceId) {
        auto s = g.staticMembers.find(*groupInstanceId);
        if (s != g.staticMembers.end() && s->second != memberId) {
            return ErrorCode::FENCED_INSTANCE_ID;
        }
    }
    auto m = g.members.find(memberId);
    if (m == g.members.end() || g.state == GroupState::Empty) return ErrorCode::UNKNOWN_MEMBER_ID;
    if (generationId != g.generationId) return ErrorCode::ILLEGAL_GENERATION;
    completeHeartbeat(g, m->second);
    return g.state == GroupState::PreparingRebalance ? ErrorCode::REBALANCE_IN_PROGRESS
                                                     : ErrorCode::NONE;
}

std::vector<protocol::LeaveGroupResponse::Member> GroupCoordinator::leaveGroup(
    const std::string& groupId, const std::vector<protocol::LeaveGroupRequest::Member>& members) {
    std::lock_guard lock(mu_);
    std::vector<protocol::LeaveGroupResponse::Member> out;
    auto it = groups_.find(groupId);
    bool changed = false;
    for (const auto& leaving : members) {
        protocol::LeaveGroupResponse::Member r{leaving.memberId, leaving.groupInstanceId,
                                               ErrorCode::NONE};
        if (it == groups_.end()) {
            r.errorCode = ErrorCode::UNKNOWN_MEMBER_ID;
            out.push_back(r);
            continue;
        }
        Group& g = it->second;
        std::string memberId = leaving.memberId;
        if (leaving.groupInstanceId) {
            auto s = g.staticMembers.find(*leaving.groupInstanceId);
            if (s == g.staticMembers.end()) {
                r.errorCode = ErrorCode::UNKNOWN_MEMBER_ID;
            } else if (!memberId.empty() && s->second != memberId) {
                r.errorCode = ErrorCode::FENCED_INSTANCE_ID;
            } else {
                memberId = s->second;
            }
        }
        if (r.errorCode == ErrorCode::NONE) {
            if (g.pendingMembers.erase(memberId)) {
                tryCompleteJoin(g);
            } else if (!g.has(memberId)) {
                r.errorCode = ErrorCode::UNKNOWN_MEMBER_ID;
            } else {
                spdlog::info("group {}: member {} left", groupId, memberId);
                removeMember(g, memberId);
                changed = true;
            }
        }
        out.push_back(r);
    }
    if (changed) {
        Group& g = it->second;
        if (g.state == GroupState::Stable || g.state == GroupState::CompletingRebalance) {
            prepareRebalance(g);
        }
        tryCompleteJoin(g);
    }
    return out;
}

std::vector<ErrorCode> GroupCoordinator::commitOffsets(
    const CommitParams& p,
    const std::vector<std::pair<GroupTopicPartition, CommittedOffset>>& offsets) {
    std::lock_guard lock(mu_);
    auto all = [&](ErrorCode e) { return std::vector<ErrorCode>(offsets.size(), e); };
    if (p.groupId.empty()) return all(ErrorCode::INVALID_GROUP_ID);
    auto it = groups_.find(p.groupId);
    if (it == groups_.end() && p.generationId >= 0) return all(ErrorCode::ILLEGAL_GENERATION);
    Group& g = getOrCreate(p.groupId);  // a commit outside group management creates it
    if (g.state == GroupState::Dead) return all(ErrorCode::COORDINATOR_NOT_AVAILABLE);
    if (p.groupInstanceId) {
        auto s = g.staticMembers.find(*p.groupInstanceId);
        if (s != g.staticMembers.end() && s->second != p.memberId) {
            return all(ErrorCode::FENCED_INSTANCE_ID);
        }
    }
    const bool simple = p.generationId < 0 && g.state == GroupState::Empty;
    if (!simple) {
        if (g.state == GroupState::CompletingRebalance)
            return all(ErrorCode::REBALANCE_IN_PROGRESS);
        if (!g.has(p.memberId)) return all(ErrorCode::UNKNOWN_MEMBER_ID);
        if (p.generationId != g.generationId) return all(ErrorCode::ILLEGAL_GENERATION);
        completeHeartbeat(g, g.members.at(p.memberId));
    }
    std::vector<ErrorCode> errors;
    std::vector<std::pair<GroupTopicPartition, CommittedOffset>> stored;
    for (const auto& [tp, o] : offsets) {
        if (o.metadata &&
            static_cast<int64_t>(o.metadata->size()) > config_.offsetMetadataMaxBytes) {
            errors.push_back(ErrorCode::OFFSET_METADATA_TOO_LARGE);
            continue;
        }
        errors.push_back(ErrorCode::NONE);
        stored.push_back({tp, o});
    }
    if (!stored.empty()) {
        if (auto s = store_->appendOffsets(p.groupId, stored); !s) {
            spdlog::error("group {}: {}", p.groupId, s.message());
            return all(ErrorCode::UNKNOWN_SERVER_ERROR);
        }
        for (const auto& [tp, o] : stored)
            g.offsets[tp] = o;
        if (auto s = store_->maybeCompact(groups_, config_.journalCompactBytes); !s) {
            spdlog::error("group coordinator: {}", s.message());
        }
    }
    return errors;
}

std::map<GroupTopicPartition, CommittedOffset> GroupCoordinator::committedOffsets(
    const std::string& groupId) const {
    std::lock_guard lock(mu_);
    auto it = groups_.find(groupId);
    if (it == groups_.end()) return {};
    return it->second.offsets;
}

std::vector<protocol::ListGroupsResponse::Group> GroupCoordinator::listGroups(
    const std::vector<std::string>& statesFilter) const {
    std::lock_guard lock(mu_);
    std::vector<protocol::ListGroupsResponse::Group> out;
    for (const auto& [id, g] : groups_) {
        const std::string state(groupStateName(g.state));
        if (!statesFilter.empty()) {
            bool match = false;
            for (const auto& f : statesFilter)
                if (lower(f) == lower(state)) match = true;
            if (!match) continue;
        }
        out.push_back({id, g.protocolType, state});
    }
    return out;
}

protocol::DescribeGroupsResponse::Group GroupCoordinator::describeGroup(
    const std::string& groupId) const {
    std::lock_guard lock(mu_);
    protocol::DescribeGroupsResponse::Group d;
    d.groupId = groupId;
    auto it = groups_.find(groupId);
    if (it == groups_.end()) {
        d.groupState = "Dead";
        return d;
    }
    const Group& g = it->second;
    d.groupState = std::string(groupStateName(g.state));
    d.protocolType = g.protocolType;
    const bool stable = g.state == GroupState::Stable && g.protocolName;
    if (stable) d.protocolData = *g.protocolName;
    for (const auto& [id, m] : g.members) {
        protocol::DescribeGroupsResponse::Member dm;
        dm.memberId = id;
        dm.groupInstanceId = m.groupInstanceId;
        dm.clientId = m.clientId;
        dm.clientHost = m.clientHost;
        if (stable) {
            if (const auto* md = m.metadataFor(*g.protocolName)) dm.memberMetadata = *md;
            dm.memberAssignment = m.assignment;
        }
        d.members.push_back(std::move(dm));
    }
    return d;
}

ErrorCode GroupCoordinator::deleteGroup(const std::string& groupId) {
    std::lock_guard lock(mu_);
    if (groupId.empty()) return ErrorCode::INVALID_GROUP_ID;
    auto it = groups_.find(groupId);
    if (it == groups_.end()) return ErrorCode::GROUP_ID_NOT_FOUND;
    if (it->second.state != GroupState::Empty) return ErrorCode::NON_EMPTY_GROUP;
    if (auto s = store_->appendDelete(groupId); !s) {
        spdlog::error("group {}: {}", groupId, s.message());
        return ErrorCode::UNKNOWN_SERVER_ERROR;
    }
    groups_.erase(it);
    spdlog::info("group {} deleted", groupId);
    return ErrorCode::NONE;
}

void GroupCoordinator::tick() {
    std::lock_guard lock(mu_);
    const int64_t t = now();
    for (auto& [id, g] : groups_) {
        // Expired sessions (Kafka: onExpireHeartbeat): members waiting in a join or sync are
        // governed by the rebalance deadlines instead.
        std::vector<std::string> expired;
        for (const auto& [mid, m] : g.members) {
            if (!m.awaitingJoin && !m.awaitingSync && t >= m.heartbeatDeadlineMs) {
                expired.push_back(mid);
            }
        }
        for (const auto& mid : expired) {
            spdlog::info("group {}: member {} session expired; rebalancing", id, mid);
            removeMember(g, mid);
        }
        bool pendingExpired = false;
        for (auto p = g.pendingMembers.begin(); p != g.pendingMembers.end();) {
            if (t >= p->second) {
                p = g.pendingMembers.erase(p);
                pendingExpired = true;
            } else {
                ++p;
            }
        }
        if (!expired.empty() &&
            (g.state == GroupState::Stable || g.state == GroupState::CompletingRebalance)) {
            prepareRebalance(g);
        }
        if (!expired.empty() || pendingExpired) tryCompleteJoin(g);
        if (g.state == GroupState::PreparingRebalance && t >= g.joinDeadlineMs) {
            g.pendingMembers.clear();
            completeJoin(g);
        } else if (g.state == GroupState::CompletingRebalance && t >= g.syncDeadlineMs) {
            // The leader never sent the assignment (Kafka: DelayedSync): those that did not
            // sync are out, the rest rejoin.
            std::vector<std::string> absent;
            for (const auto& [mid, m] : g.members)
                if (!m.awaitingSync) absent.push_back(mid);
            for (const auto& mid : absent)
                removeMember(g, mid);
            prepareRebalance(g);
            tryCompleteJoin(g);
        }
    }
    // An Empty group with nothing committed is forgotten, as Kafka's metadata cleanup does.
    for (auto it = groups_.begin(); it != groups_.end();) {
        const Group& g = it->second;
        if (g.state == GroupState::Empty && g.members.empty() && g.pendingMembers.empty() &&
            g.offsets.empty()) {
            if (auto s = store_->appendDelete(it->first); !s) {
                spdlog::error("group {}: {}", it->first, s.message());
            }
            it = groups_.erase(it);
        } else {
            ++it;
        }
    }
}

}  // namespace bs::broker
