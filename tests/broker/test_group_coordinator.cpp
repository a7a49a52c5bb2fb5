// The group coordinator's state machine on a MockClock (no sockets, no sleeping): joins,
// generations, the leader's assignment, session and rebalance expiry, static members, offsets
// and their persistence; then KafkaApis in front of it (NOT_COORDINATOR, injected errors, the
// deferred JoinGroup answer).
#include <QTemporaryDir>
#include <QtTest>

#include "broker/deferred_response.h"
#include "broker/fault_injector.h"
#include "broker/group_coordinator.h"
#include "broker/kafka_apis.h"
#include "protocol/frame.h"
#include "support/mock_clock.h"

using namespace bs;
using namespace bs::broker;
using protocol::ErrorCode;

namespace {

std::vector<uint8_t> bytes(const std::string& s) {
    return {s.begin(), s.end()};
}

// What one member's pending JoinGroup/SyncGroup got, if anything yet.
struct Pending {
    std::optional<protocol::JoinGroupResponse> join;
    std::optional<protocol::SyncGroupResponse> sync;
};

}  // namespace

class GroupCoordinatorTest : public QObject {
    Q_OBJECT

  private:
    QTemporaryDir dir_;
    MockClock clock_;
    GroupCoordinatorConfig config_;
    std::unique_ptr<GroupCoordinator> gc_;

    void open() {
        gc_.reset();
        auto gc = GroupCoordinator::open(dir_.path().toStdString(), config_, clock_);
        QVERIFY2(gc.ok(), gc.ok() ? "" : gc.error().message.c_str());
        gc_ = std::move(*gc);
    }

    GroupCoordinator::JoinParams params(const std::string& memberId,
                                        const std::string& protocol = "range",
                                        std::optional<std::string> instance = std::nullopt) {
        GroupCoordinator::JoinParams p;
        p.groupId = "g";
        p.memberId = memberId;
        p.groupInstanceId = std::move(instance);
        p.requireKnownMemberId = true;
        p.clientId = "client";
        p.clientHost = "/127.0.0.1";
        p.sessionTimeoutMs = 10'000;
        p.rebalanceTimeoutMs = 30'000;
        p.protocolType = "consumer";
        p.protocols = {{protocol, bytes("meta-" + memberId)}};
        return p;
    }
    void join(const GroupCoordinator::JoinParams& p, Pending& out) {
        out.join.reset();
        gc_->joinGroup(p, [&out](const protocol::JoinGroupResponse& r) { out.join = r; });
    }
    void sync(const std::string& memberId, int32_t generation, Pending& out,
              std::vector<protocol::SyncGroupRequest::Assignment> assignments = {}) {
        out.sync.reset();
        GroupCoordinator::SyncParams p;
        p.groupId = "g";
        p.memberId = memberId;
        p.generationId = generation;
        p.assignments = std::move(assignments);
        gc_->syncGroup(p, [&out](const protocol::SyncGroupResponse& r) { out.sync = r; });
    }
    // A new member (KIP-394: learns its id, then joins with it); returns its id.
    std::string newMember(Pending& out, std::optional<std::string> instance = std::nullopt) {
        join(params("", "range", instance), out);
        if (instance) return {};  // static members skip MEMBER_ID_REQUIRED
        [&] {
            QVERIFY(out.join);
            QCOMPARE(out.join->errorCode, ErrorCode::MEMBER_ID_REQUIRED);
            QVERIFY(out.join->memberId.starts_with("client-"));
        }();
        const std::string id = out.join->memberId;
        join(params(id), out);
        return id;
    }
    std::string state() { return gc_->describeGroup("g").groupState; }

  private slots:
    void init() {
        config_ = GroupCoordinatorConfig{};
        config_.initialRebalanceDelayMs = 0;
        for (const auto& f : QDir(dir_.path()).entryList(QDir::Files))
            QDir(dir_.path()).remove(f);
        open();
    }

    void joinSyncAndASecondMemberRebalances() {
        Pending a, b;
        const std::string idA = newMember(a);
        QVERIFY(a.join);  // alone: the join completes at once
        QCOMPARE(a.join->errorCode, ErrorCode::NONE);
        QCOMPARE(a.join->generationId, 1);
        QCOMPARE(a.join->leader, idA);
        QCOMPARE(a.join->protocolName, std::optional<std::string>("range"));
        QCOMPARE(a.join->members.size(), size_t(1));
        QCOMPARE(state(), std::string("CompletingRebalance"));
        sync(idA, 1, a, {{idA, bytes("all six")}});
        QVERIFY(a.sync);
        QCOMPARE(a.sync->assignment, bytes("all six"));
        QCOMPARE(state(), std::string("Stable"));

        const std::string idB = newMember(b);
        QVERIFY(!b.join);  // waits for A to rejoin
        QCOMPARE(state(), std::string("PreparingRebalance"));
        QCOMPARE(gc_->heartbeat("g", idA, std::nullopt, 1), ErrorCode::REBALANCE_IN_PROGRESS);
        join(params(idA), a);
        QVERIFY(a.join && b.join);
        QCOMPARE(a.join->generationId, 2);
        QCOMPARE(b.join->generationId, 2);
        QCOMPARE(a.join->leader, idA);
        QCOMPARE(a.join->members.size(), size_t(2));  // the leader sees every member
        QVERIFY(b.join->members.empty());
        // B's sync waits for the leader's assignment.
        sync(idB, 2, b);
        QVERIFY(!b.sync);
        QCOMPARE(gc_->heartbeat("g", idB, std::nullopt, 1), ErrorCode::ILLEGAL_GENERATION);
        sync(idA, 2, a, {{idA, bytes("0,1,2")}, {idB, bytes("3,4,5")}});
        QVERIFY(a.sync && b.sync);
        QCOMPARE(b.sync->assignment, bytes("3,4,5"));
        QCOMPARE(gc_->heartbeat("g", idB, std::nullopt, 2), ErrorCode::NONE);
        auto d = gc_->describeGroup("g");
        QCOMPARE(d.protocolData, std::string("range"));
        QCOMPARE(d.members.size(), size_t(2));
        QCOMPARE(d.members[0].clientHost, std::string("/127.0.0.1"));
    }

    void aSilentMemberExpiresAndTheOthersRebalance() {
        Pending a, b;
        const std::string idA = newMember(a);
        const std::string idB = newMember(b);
        join(params(idA), a);
        QVERIFY(a.join && b.join);
        const int32_t gen = a.join->generationId;
        sync(idA, gen, a, {{idA, bytes("A")}, {idB, bytes("B")}});
        sync(idB, gen, b);
        QCOMPARE(state(), std::string("Stable"));
        // A heartbeats, B is silent past its 10 s session.
        for (int i = 0; i < 4; ++i) {
            clock_.sleepMs(3'000);
            QCOMPARE(gc_->heartbeat("g", idA, std::nullopt, gen), ErrorCode::NONE);
            gc_->tick();
        }
        QCOMPARE(state(), std::string("PreparingRebalance"));
        QCOMPARE(gc_->heartbeat("g", idB, std::nullopt, gen), ErrorCode::UNKNOWN_MEMBER_ID);
        QCOMPARE(gc_->heartbeat("g", idA, std::nullopt, gen), ErrorCode::REBALANCE_IN_PROGRESS);
        join(params(idA), a);
        QVERIFY(a.join);
        QCOMPARE(a.join->generationId, gen + 1);
        QCOMPARE(a.join->members.size(), size_t(1));
    }

    void aMemberThatDoesNotRejoinIsDroppedAtTheRebalanceTimeout() {
        Pending a, b;
        const std::string idA = newMember(a);
        const std::string idB = newMember(b);
        join(params(idA), a);
        sync(idA, 2, a, {});
        sync(idB, 2, b);
        QCOMPARE(state(), std::string("Stable"));
        join(params(idA, "range"), a);  // the leader rejoins: a rebalance; B never comes
        QVERIFY(!a.join);
        clock_.sleepMs(9'000);
        QCOMPARE(gc_->heartbeat("g", idB, std::nullopt, 2), ErrorCode::REBALANCE_IN_PROGRESS);
        clock_.sleepMs(21'000);  // 30 s rebalance timeout
        gc_->tick();
        QVERIFY(a.join);
        QCOMPARE(a.join->generationId, 3);
        QCOMPARE(a.join->members.size(), size_t(1));
        QCOMPARE(gc_->heartbeat("g", idB, std::nullopt, 2), ErrorCode::UNKNOWN_MEMBER_ID);
    }

    void theInitialDelayWaitsForMoreMembers() {
        config_.initialRebalanceDelayMs = 3'000;
        open();
        Pending a, b;
        newMember(a);
        QVERIFY(!a.join);
        clock_.sleepMs(2'000);
        gc_->tick();
        newMember(b);  // extends the delay to 3 s after B
        clock_.sleepMs(2'000);
        gc_->tick();
        QVERIFY(!a.join && !b.join);
        clock_.sleepMs(1'000);
        gc_->tick();
        QVERIFY(a.join && b.join);
        QCOMPARE(a.join->generationId, 1);
        QCOMPARE(a.join->members.size() + b.join->members.size(), size_t(2));
    }

    void leavingRebalancesAndTheLastLeaveEmptiesTheGroup() {
        Pending a, b;
        const std::string idA = newMember(a);
        const std::string idB = newMember(b);
        join(params(idA), a);
        sync(idA, 2, a, {});
        sync(idB, 2, b);
        auto left = gc_->leaveGroup("g", {{idB, std::nullopt, std::nullopt}});
        QCOMPARE(left.front().errorCode, ErrorCode::NONE);
        QCOMPARE(state(), std::string("PreparingRebalance"));
        left = gc_->leaveGroup("g", {{idB, std::nullopt, std::nullopt}});
        QCOMPARE(left.front().errorCode, ErrorCode::UNKNOWN_MEMBER_ID);
        QCOMPARE(gc_->deleteGroup("g"), ErrorCode::NON_EMPTY_GROUP);
        gc_->leaveGroup("g", {{idA, std::nullopt, std::nullopt}});
        QCOMPARE(state(), std::string("Empty"));
        QCOMPARE(gc_->deleteGroup("g"), ErrorCode::NONE);
        QCOMPARE(gc_->deleteGroup("g"), ErrorCode::GROUP_ID_NOT_FOUND);
        QCOMPARE(state(), std::string("Dead"));
    }

    void joinErrors() {
        Pending a, b;
        auto p = params("");
        p.sessionTimeoutMs = 100;
        join(p, a);
        QCOMPARE(a.join->errorCode, ErrorCode::INVALID_SESSION_TIMEOUT);
        join(params("nobody"), a);
        QCOMPARE(a.join->errorCode, ErrorCode::UNKNOWN_MEMBER_ID);
        newMember(a);
        join(params("", "roundrobin"), b);  // no protocol in common with A
        QCOMPARE(b.join->errorCode, ErrorCode::INCONSISTENT_GROUP_PROTOCOL);
        QCOMPARE(gc_->heartbeat("other", "x", std::nullopt, 1), ErrorCode::UNKNOWN_MEMBER_ID);
    }

    void aStaticMemberRejoinsWithoutARebalanceAndFencesItsOldId() {
        Pending a, b;
        newMember(a, "instance-a");
        QVERIFY(a.join);
        const std::string idA = a.join->memberId;
        newMember(b, "instance-b");
        join(params(idA, "range", "instance-a"), a);
        QVERIFY(a.join && b.join);
        const std::string idB = b.join->memberId;
        sync(idA, 2, a, {{idA, bytes("A")}, {idB, bytes("B")}});
        sync(idB, 2, b);
        QCOMPARE(state(), std::string("Stable"));
        // B restarts: same group.instance.id, no member id.
        Pending b2;
        join(params("", "range", "instance-b"), b2);
        QVERIFY(b2.join);
        QCOMPARE(b2.join->errorCode, ErrorCode::NONE);
        QCOMPARE(b2.join->generationId, 2);  // no rebalance
        QVERIFY(b2.join->memberId != idB);
        QCOMPARE(state(), std::string("Stable"));
        sync(b2.join->memberId, 2, b2);
        QCOMPARE(b2.sync->assignment, bytes("B"));  // its old assignment
        QCOMPARE(gc_->heartbeat("g", idB, std::string("instance-b"), 2),
                 ErrorCode::FENCED_INSTANCE_ID);
    }

    void offsetsAndMembersSurviveAReopen() {
        Pending a;
        const std::string idA = newMember(a);
        sync(idA, 1, a, {{idA, bytes("A")}});
        GroupCoordinator::CommitParams member{"g", idA, std::nullopt, 1};
        auto errors = gc_->commitOffsets(
            member, {{{"t", 0}, {42, 3, "m", 1}}, {{"t", 1}, {7, -1, std::nullopt, 1}}});
        QCOMPARE(errors, std::vector<ErrorCode>(2, ErrorCode::NONE));
        GroupCoordinator::CommitParams stale{"g", idA, std::nullopt, 0};
        QCOMPARE(gc_->commitOffsets(stale, {{{"t", 0}, {1, -1, std::nullopt, 1}}}).front(),
                 ErrorCode::ILLEGAL_GENERATION);
        GroupCoordinator::CommitParams outside{"g", "", std::nullopt, -1};
        QCOMPARE(gc_->commitOffsets(outside, {{{"t", 0}, {1, -1, std::nullopt, 1}}}).front(),
                 ErrorCode::UNKNOWN_MEMBER_ID);  // the group has members
        GroupCoordinator::CommitParams simple{"solo", "", std::nullopt, -1};
        QCOMPARE(gc_->commitOffsets(simple, {{{"t", 2}, {5, -1, std::nullopt, 1}}}).front(),
                 ErrorCode::NONE);
        std::string tooLong(5000, 'x');
        QCOMPARE(gc_->commitOffsets(simple, {{{"t", 2}, {6, -1, tooLong, 1}}}).front(),
                 ErrorCode::OFFSET_METADATA_TOO_LARGE);

        open();  // a restart
        auto offsets = gc_->committedOffsets("g");
        QCOMPARE(offsets.size(), size_t(2));
        QCOMPARE(offsets.at({"t", 0}).offset, int64_t(42));
        QCOMPARE(offsets.at({"t", 0}).leaderEpoch, 3);
        QCOMPARE(offsets.at({"t", 0}).metadata, std::optional<std::string>("m"));
        QCOMPARE(gc_->committedOffsets("solo").at({"t", 2}).offset, int64_t(5));
        auto d = gc_->describeGroup("g");
        QCOMPARE(d.groupState, std::string("Stable"));
        QCOMPARE(d.members.size(), size_t(1));
        QCOMPARE(d.members[0].memberAssignment, bytes("A"));
        // The member carries on with its generation; silent, it expires as any other.
        QCOMPARE(gc_->heartbeat("g", idA, std::nullopt, 1), ErrorCode::NONE);
        clock_.sleepMs(10'000);
        gc_->tick();
        QCOMPARE(state(), std::string("Empty"));
        QCOMPARE(gc_->listGroups({"empty"}).size(), size_t(2));
        QCOMPARE(gc_->listGroups({"Stable"}).size(), size_t(0));

        QCOMPARE(gc_->deleteGroup("solo"), ErrorCode::NONE);
        open();
        QVERIFY(gc_->committedOffsets("solo").empty());
        QCOMPARE(gc_->committedOffsets("g").size(), size_t(2));
    }

    void theJournalIsCompactedAndEmptyGroupsWithoutOffsetsAreForgotten() {
        config_.journalCompactBytes = 4096;
        open();
        GroupCoordinator::CommitParams simple{"solo", "", std::nullopt, -1};
        for (int64_t i = 0; i < 500; ++i) {
            QCOMPARE(gc_->commitOffsets(simple, {{{"t", 0}, {i, -1, std::nullopt, 1}}}).front(),
                     ErrorCode::NONE);
        }
        // 500 records of ~150 bytes were appended; the rewrites keep the file near one.
        QVERIFY(QFileInfo(dir_.filePath("__consumer_offsets.journal")).size() < 8192);
        Pending a;
        join(params("", "range"), a);  // MEMBER_ID_REQUIRED: an Empty group with a pending id
        gc_->tick();
        QCOMPARE(state(), std::string("Empty"));  // kept while the id is pending
        clock_.sleepMs(10'000);
        gc_->tick();  // the pending id expired; nothing committed: forgotten
        QCOMPARE(state(), std::string("Dead"));
        open();
        QCOMPARE(gc_->committedOffsets("solo").at({"t", 0}).offset, int64_t(499));
        QCOMPARE(state(), std::string("Dead"));
    }

    void placementFollowsKafkasHash() {
        // Kafka: abs("my-group".hashCode()) % 50; "my-group".hashCode() == -1906497762, and
        // over UTF-16 units (a surrogate pair for the emoji) 245262263.
        QCOMPARE(gc_->partitionFor("my-group"), 1906497762 % 50);
        QCOMPARE(gc_->partitionFor("gr\xc3\xbcppe\xf0\x9f\x98\x80"), 245262263 % 50);
        QCOMPARE(gc_->coordinatorNode("my-group", 3, [](int32_t) { return true; }),
                 (1906497762 % 50) % 3);
        const int32_t first = gc_->coordinatorNode("my-group", 3, [](int32_t) { return true; });
        QCOMPARE(gc_->coordinatorNode("my-group", 3, [&](int32_t n) { return n != first; }),
                 (first + 1) % 3);
    }

    // KafkaApis in front of the coordinator: only the coordinator node answers, injected
    // errors come first, and JoinGroup's answer arrives through the DeferredResponse.
    void kafkaApisChecksTheCoordinatorAndDefersJoin() {
        ClusterConfig config;
        config.nodeCount = 3;
        config.dataDir = dir_.path().toStdString();
        auto metadata = MetadataCache::open(config.dataDir, 3);
        QVERIFY(metadata.ok());
        ReplicaManager replicas(config.dataDir, config.log, **metadata, clock_);
        FaultInjector faults(3);
        std::vector<BrokerEndpoint> eps{
            {0, "127.0.0.1", 1}, {1, "127.0.0.1", 2}, {2, "127.0.0.1", 3}};
        KafkaApis apis(config, eps, **metadata, replicas, faults, clock_, gc_.get());
        const int32_t coordinator = gc_->coordinatorNode("g", 3, [](int32_t) { return true; });
        const int32_t other = (coordinator + 1) % 3;

        auto sendJoin = [&](int32_t node, int16_t v, const std::string& memberId) {
            protocol::JoinGroupRequest req;
            req.groupId = "g";
            req.memberId = memberId;
            req.sessionTimeoutMs = 10'000;
            req.rebalanceTimeoutMs = 10'000;
            req.protocolType = "consumer";
            req.protocols = {{"range", bytes("m")}};
            protocol::RequestHeader h{protocol::ApiKey::JoinGroup, v, 7, std::string("cli")};
            auto frame = protocol::encodeRequestFrame(h, req);
            return apis.handle(node, std::span(frame).subspan(4), "10.1.2.3:5555");
        };
        auto joinResponse = [&](const std::vector<uint8_t>& frame, int16_t v) {
            auto parsed = protocol::parseResponseFrame(std::span(frame).subspan(4),
                                                       protocol::ApiKey::JoinGroup, v);
            protocol::JoinGroupResponse r;
            [&] {
                QVERIFY(parsed.ok());
                QVERIFY(protocol::decodeBody(r, v, parsed->body).ok());
            }();
            return r;
        };
        auto out = sendJoin(other, 5, "");
        QCOMPARE(int(out.action), int(RequestOutcome::Action::Respond));
        QCOMPARE(joinResponse(out.response, 5).errorCode, ErrorCode::NOT_COORDINATOR);

        faults.injectErrors(coordinator, protocol::ApiKey::JoinGroup,
                            ErrorCode::COORDINATOR_LOAD_IN_PROGRESS, 1);
        out = sendJoin(coordinator, 5, "");
        QCOMPARE(joinResponse(out.response, 5).errorCode, ErrorCode::COORDINATOR_LOAD_IN_PROGRESS);

        for (int16_t v : {int16_t(3), int16_t(9)}) {  // v3: no MEMBER_ID_REQUIRED step
            out = sendJoin(coordinator, v, "");
            QCOMPARE(int(out.action), int(RequestOutcome::Action::Defer));
            std::optional<std::vector<uint8_t>> frame;
            out.deferred->onComplete([&](std::vector<uint8_t> f) { frame = std::move(f); });
            QVERIFY(frame);
            auto r = joinResponse(*frame, v);
            if (v == 9) {
                QCOMPARE(r.errorCode, ErrorCode::MEMBER_ID_REQUIRED);
                out = sendJoin(coordinator, v, r.memberId);
                frame.reset();
                out.deferred->onComplete([&](std::vector<uint8_t> f) { frame = std::move(f); });
                QVERIFY(!frame);  // waits for the v3 member to rejoin
                // The v3 member leaves instead.
                auto d = gc_->describeGroup("g");
                for (const auto& m : d.members) {
                    if (m.memberId != r.memberId) {
                        QCOMPARE(m.clientHost, std::string("/10.1.2.3"));
                        QCOMPARE(m.clientId, std::string("cli"));
                        gc_->leaveGroup("g", {{m.memberId, std::nullopt, std::nullopt}});
                    }
                }
                QVERIFY(frame);
                r = joinResponse(*frame, v);
                QCOMPARE(r.generationId, 2);
                QCOMPARE(r.protocolType, std::optional<std::string>("consumer"));
            }
            QCOMPARE(r.errorCode, ErrorCode::NONE);
        }
    }
};

QTEST_GUILESS_MAIN(GroupCoordinatorTest)
#include "test_group_coordinator.moc"
