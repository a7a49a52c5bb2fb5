// Metadata (Java: ProducerMetadata) and its Cluster snapshots, driven by a MockClock: bootstrap,
// updates, metadata.max.age.ms expiry, requested updates and retry.backoff.ms, unknown topics,
// the version counter, and malformed responses.
#include <QtTest>

#include <atomic>
#include <cmath>
#include <thread>

#include "client/metadata.h"
#include "support/mock_client.h"
#include "support/mock_clock.h"

using namespace bs::client;
using bs::protocol::ErrorCode;
using bs::protocol::MetadataResponse;

namespace {

constexpr int64_t kBackoff = 100;
constexpr int64_t kMaxAge = 10000;

// Brokers 0..2 on localhost; `topics` maps a topic to the leader of each of its partitions.
MetadataResponse response(const std::vector<std::pair<std::string, std::vector<int32_t>>>& topics,
                          int brokers = 3) {
    MetadataResponse r;
    r.clusterId = "cluster-a";
    for (int32_t b = 0; b < brokers; ++b)
        r.brokers.push_back({b, "localhost", 9092 + b, std::nullopt});
    for (const auto& [name, leaders] : topics)
        r.topics.push_back(bs::client::test::metadataTopic(name, leaders, 3));
    return r;
}

MetadataResponse topicError(const std::string& name, ErrorCode error) {
    MetadataResponse r = response({});
    MetadataResponse::MetadataResponseTopic t;
    t.name = name;
    t.errorCode = error;
    r.topics.push_back(t);
    return r;
}

// One Metadata request and its answer, now.
void refresh(Metadata& m, const bs::Clock& clock, const MetadataResponse& r) {
    m.onRequestSent(clock.nowMs());
    m.update(r, clock.nowMs());
}

std::vector<std::string> requestedTopics(const Metadata& m) {
    std::vector<std::string> out;
    auto req = m.newMetadataRequest();
    if (!req.topics) return {"<all>"};
    for (const auto& t : *req.topics)
        out.push_back(t.name.value_or("<null>"));
    return out;
}

// Moves the mock clock forward from another thread until stopped, so a blocking awaitTopic()
// can reach its max.block.ms without real waiting for the whole span.
class ClockDriver {
  public:
    explicit ClockDriver(bs::MockClock& clock)
        : thread_([this, &clock] {
              while (!stop_.load()) {
                  clock.sleepMs(10);
                  std::this_thread::sleep_for(std::chrono::milliseconds(1));
              }
          }) {}
    ~ClockDriver() {
        stop_.store(true);
        thread_.join();
    }

  private:
    std::atomic<bool> stop_{false};
    std::thread thread_;
};

}  // namespace

class MetadataTest : public QObject {
    Q_OBJECT
  private slots:
    void parsesBootstrapServers() {
        auto nodes = Metadata::parseBootstrapServers({"a:9092", "[::1]:9093", "b.example:1"});
        QVERIFY(nodes.ok());
        QCOMPARE(nodes->size(), size_t{3});
        // Negative ids until a Metadata response names the brokers.
        QCOMPARE((*nodes)[0], (Node{-1, "a", 9092, std::nullopt}));
        QCOMPARE((*nodes)[1], (Node{-2, "::1", 9093, std::nullopt}));
        QCOMPARE((*nodes)[2].id, -3);

        for (const char* bad : {"nohost", ":9092", "host:", "host:0", "host:65536", "host:9x"}) {
            auto r = Metadata::parseBootstrapServers({"ok:1", bad});
            QVERIFY2(!r.ok(), bad);
            QVERIFY2(r.error().message.find(bad) != std::string::npos, r.error().message.c_str());
            QVERIFY(r.error().message.find("bootstrap.servers") != std::string::npos);
        }
        QVERIFY(!Metadata::parseBootstrapServers({}).ok());
    }

    void bootstrapRequestsAnUpdateAtOnce() {
        bs::MockClock clock;
        Metadata m(kBackoff, kMaxAge, clock);
        QVERIFY(m.fetch() != nullptr);
        QCOMPARE(m.fetch()->nodes().size(), size_t{0});
        m.bootstrap(*Metadata::parseBootstrapServers({"h1:1", "h2:2"}));
        auto c = m.fetch();
        QVERIFY(c->isBootstrap());
        QCOMPARE(c->nodes().size(), size_t{2});
        QCOMPARE(c->partitionCountForTopic("t"), 0);
        QVERIFY(m.updateRequested());
        QCOMPARE(m.timeToNextUpdate(clock.nowMs()), int64_t{0});
        QCOMPARE(m.updateVersion(), int64_t{0});
    }

    void updateReplacesTheSnapshot() {
        bs::MockClock clock;
        Metadata m(kBackoff, kMaxAge, clock);
        m.bootstrap(*Metadata::parseBootstrapServers({"h:1"}));
        m.add("t", clock.nowMs());
        m.onRequestSent(clock.nowMs());
        auto before = m.fetch();
        m.update(response({{"t", {0, 1, 2, 1}}}), clock.nowMs());

        QCOMPARE(m.updateVersion(), int64_t{1});
        QVERIFY(!m.updateRequested());
        QVERIFY(!m.requestInFlight());
        auto c = m.fetch();
        QVERIFY(!c->isBootstrap());
        QCOMPARE(c->clusterId(), std::optional<std::string>("cluster-a"));
        QCOMPARE(c->nodes().size(), size_t{3});
        QCOMPARE(c->nodeById(2)->port, 9094);
        QCOMPARE(c->partitionCountForTopic("t"), 4);
        QCOMPARE(c->leaderFor({"t", 3}), std::optional<int32_t>(1));
        QCOMPARE(c->leaderEpochFor({"t", 3}), std::optional<int32_t>(3));
        QCOMPARE(c->leaderFor({"t", 4}), std::nullopt);
        QCOMPARE(c->leaderFor({"t", -1}), std::nullopt);
        QCOMPARE(c->leaderFor({"other", 0}), std::nullopt);
        auto onOne = c->partitionsForNode(1);
        QCOMPARE(std::vector<TopicPartition>(onOne.begin(), onOne.end()),
                 (std::vector<TopicPartition>{{"t", 1}, {"t", 3}}));
        auto avail = c->availablePartitionsForTopic("t");
        QCOMPARE(std::vector<int32_t>(avail.begin(), avail.end()),
                 (std::vector<int32_t>{0, 1, 2, 3}));
        // Snapshots are immutable: the old one still says what it said.
        QVERIFY(before->isBootstrap());
        QCOMPARE(before->partitionCountForTopic("t"), 0);
    }

    void expiresAfterMetadataMaxAge() {
        bs::MockClock clock;
        Metadata m(kBackoff, kMaxAge, clock);
        m.bootstrap(*Metadata::parseBootstrapServers({"h:1"}));
        m.add("t", clock.nowMs());
        refresh(m, clock, response({{"t", {0}}}));
        QCOMPARE(m.timeToNextUpdate(clock.nowMs()), kMaxAge);
        clock.sleepMs(kMaxAge - 1);
        QCOMPARE(m.timeToNextUpdate(clock.nowMs()), int64_t{1});
        clock.sleepMs(1);
        QCOMPARE(m.timeToNextUpdate(clock.nowMs()), int64_t{0});
        // A refresh restarts the age.
        refresh(m, clock, response({{"t", {0}}}));
        QCOMPARE(m.timeToNextUpdate(clock.nowMs()), kMaxAge);
        QCOMPARE(m.updateVersion(), int64_t{2});
    }

    void requestedUpdateWaitsForTheRetryBackoff() {
        bs::MockClock clock;
        Metadata m(kBackoff, kMaxAge, clock);
        m.bootstrap(*Metadata::parseBootstrapServers({"h:1"}));
        m.add("t", clock.nowMs());
        refresh(m, clock, response({{"t", {0, 1}}}));
        clock.sleepMs(30);
        // The Sender saw NOT_LEADER_OR_FOLLOWER: an update is due, but not within retry.backoff.ms
        // of the last one.
        m.requestUpdate();
        QVERIFY(m.updateRequested());
        QCOMPARE(m.timeToNextUpdate(clock.nowMs()), kBackoff - 30);
        clock.sleepMs(kBackoff - 30);
        QCOMPARE(m.timeToNextUpdate(clock.nowMs()), int64_t{0});
    }

    void oneRequestInFlightAtATime() {
        bs::MockClock clock;
        Metadata m(kBackoff, kMaxAge, clock);
        m.bootstrap(*Metadata::parseBootstrapServers({"h:1"}));
        m.onRequestSent(clock.nowMs());
        QVERIFY(m.requestInFlight());
        QCOMPARE(m.timeToNextUpdate(clock.nowMs()), INT64_MAX);
        m.requestUpdate();
        clock.sleepMs(kMaxAge * 2);
        QCOMPARE(m.timeToNextUpdate(clock.nowMs()), INT64_MAX);
    }

    void failedUpdateRetriesAfterTheBackoff() {
        bs::MockClock clock;
        Metadata m(kBackoff, kMaxAge, clock);
        m.bootstrap(*Metadata::parseBootstrapServers({"h:1"}));
        m.onRequestSent(clock.nowMs());
        clock.sleepMs(7);
        m.failedUpdate(clock.nowMs());
        QVERIFY(!m.requestInFlight());
        QVERIFY(m.updateRequested());
        QCOMPARE(m.updateVersion(), int64_t{0});  // a failure is no update
        QVERIFY(m.fetch()->isBootstrap());
        QCOMPARE(m.timeToNextUpdate(clock.nowMs()), kBackoff);
        clock.sleepMs(kBackoff - 1);
        QCOMPARE(m.timeToNextUpdate(clock.nowMs()), int64_t{1});
        clock.sleepMs(1);
        QCOMPARE(m.timeToNextUpdate(clock.nowMs()), int64_t{0});
    }

    void failedUpdatesBackOffExponentially() {
        // retry.backoff.max.ms above retry.backoff.ms (Java, KIP-580): x2 per failure, +-20%.
        bs::MockClock clock;
        Metadata m(kBackoff, kMaxAge, clock, 1000);
        m.bootstrap(*Metadata::parseBootstrapServers({"h:1"}));
        for (int failure = 0; failure < 6; ++failure) {
            m.onRequestSent(clock.nowMs());
            m.failedUpdate(clock.nowMs());
            const double base = std::min(1000.0, kBackoff * std::pow(2.0, failure));
            const int64_t wait = m.timeToNextUpdate(clock.nowMs());
            QVERIFY2(wait >= 0.8 * base - 1 && wait <= std::min(1000.0, 1.2 * base) + 1,
                     qPrintable(QString("failure %1: %2 ms").arg(failure).arg(wait)));
            QCOMPARE(m.timeToNextUpdate(clock.nowMs()), wait);  // stable until the next attempt
            clock.sleepMs(wait);
            QCOMPARE(m.timeToNextUpdate(clock.nowMs()), int64_t{0});
        }
        // A success starts over.
        refresh(m, clock, response({}));
        m.requestUpdate();
        const int64_t wait = m.timeToNextUpdate(clock.nowMs());
        QVERIFY2(wait >= 80 && wait <= 120, qPrintable(QString::number(wait)));
    }

    void backoffHoldsFromTimeZero() {
        // A clock that starts at 0 must not make the first attempt look like "never tried".
        bs::MockClock clock(1'700'000'000'000, 0);
        Metadata m(kBackoff, kMaxAge, clock);
        m.bootstrap(*Metadata::parseBootstrapServers({"h:1"}));
        QCOMPARE(m.timeToNextUpdate(0), int64_t{0});
        m.onRequestSent(0);
        m.failedUpdate(0);
        QCOMPARE(m.timeToNextUpdate(0), kBackoff);
    }

    void unknownTopicsAreAskedForUntilTheyAppear() {
        bs::MockClock clock;
        Metadata m(kBackoff, kMaxAge, clock);
        m.bootstrap(*Metadata::parseBootstrapServers({"h:1"}));
        m.add("known", clock.nowMs());
        refresh(m, clock, response({{"known", {0}}}));
        QVERIFY(!m.updateRequested());
        QCOMPARE(requestedTopics(m), (std::vector<std::string>{"known"}));

        // A new topic joins the request and asks for an update (after the backoff).
        m.add("fresh", clock.nowMs());
        m.add("fresh", clock.nowMs());
        QVERIFY(m.updateRequested());
        QCOMPARE(requestedTopics(m), (std::vector<std::string>{"fresh", "known"}));
        QVERIFY(m.newMetadataRequest().allowAutoTopicCreation);
        clock.sleepMs(kBackoff);
        QCOMPARE(m.timeToNextUpdate(clock.nowMs()), int64_t{0});

        // Still unknown (being created): keep asking, retry.backoff.ms apart.
        refresh(m, clock, topicError("fresh", ErrorCode::UNKNOWN_TOPIC_OR_PARTITION));
        QVERIFY(m.updateRequested());
        QCOMPARE(m.timeToNextUpdate(clock.nowMs()), kBackoff);
        QCOMPARE(m.fetch()->topicError("fresh"), ErrorCode::UNKNOWN_TOPIC_OR_PARTITION);

        // Created, but a partition has no leader yet: still asking.
        clock.sleepMs(kBackoff);
        refresh(m, clock, response({{"known", {0}}, {"fresh", {1, -1}}}));
        QVERIFY(m.updateRequested());
        QCOMPARE(m.fetch()->partitionCountForTopic("fresh"), 2);
        QCOMPARE(m.fetch()->availablePartitionsForTopic("fresh").size(), size_t{1});

        clock.sleepMs(kBackoff);
        refresh(m, clock, response({{"known", {0}}, {"fresh", {1, 2}}}));
        QVERIFY(!m.updateRequested());
        QCOMPARE(m.updateVersion(), int64_t{4});
    }

    void retriableTopicErrorKeepsPartitionsWithLeadersInDoubt() {
        bs::MockClock clock;
        Metadata m(kBackoff, kMaxAge, clock);
        m.add("t", clock.nowMs());
        refresh(m, clock, response({{"t", {0, 1, 2}}}));
        clock.sleepMs(kBackoff);
        refresh(m, clock, topicError("t", ErrorCode::LEADER_NOT_AVAILABLE));
        auto c = m.fetch();
        QCOMPARE(c->partitionCountForTopic("t"), 3);
        QCOMPARE(c->leaderFor({"t", 0}), std::nullopt);
        QCOMPARE(c->availablePartitionsForTopic("t").size(), size_t{0});
        QCOMPARE(c->partitionsForNode(0).size(), size_t{0});
        QVERIFY(m.updateRequested());
    }

    void leaderOnAnUnknownBrokerIsNoLeader() {
        bs::MockClock clock;
        Metadata m(kBackoff, kMaxAge, clock);
        m.add("t", clock.nowMs());
        refresh(m, clock, response({{"t", {0, 7}}}));
        QCOMPARE(m.fetch()->leaderFor({"t", 1}), std::nullopt);
        QCOMPARE(m.fetch()->leaderFor({"t", 0}), std::optional<int32_t>(0));
        QVERIFY(m.updateRequested());
    }

    // What the producer believes, as the window shows it beside the cluster: version, age,
    // pending refresh, and per topic the leaders, epochs and available partitions (the legacy
    // partitioner's choice set shrinks when a leader is unknown).
    void snapshotSaysWhatTheClientBelieves() {
        bs::MockClock clock;
        Metadata m(kBackoff, kMaxAge, clock);
        m.bootstrap(*Metadata::parseBootstrapServers({"h:1"}));
        m.add("t", clock.nowMs());
        MetadataSnapshot s = m.snapshot(clock.nowMs());
        QVERIFY(s.bootstrap);
        QCOMPARE(s.version, int64_t{0});
        QCOMPARE(s.ageMs, int64_t{-1});
        QVERIFY(s.updateRequested);
        QCOMPARE(s.timeToNextUpdateMs, int64_t{0});
        QCOMPARE(s.topics.size(), size_t{1});
        QVERIFY(s.topics[0].partitions.empty());

        refresh(m, clock, response({{"t", {0, 7, 2}}}));
        clock.sleepMs(250);
        s = m.snapshot(clock.nowMs());
        QVERIFY(!s.bootstrap);
        QCOMPARE(s.version, int64_t{1});
        QCOMPARE(s.ageMs, int64_t{250});
        QCOMPARE(s.nodes.size(), size_t{3});
        QCOMPARE(s.topics[0].name, std::string("t"));
        QCOMPARE(s.topics[0].partitions.size(), size_t{3});
        QCOMPARE(s.topics[0].partitions[2].leader, 2);
        QCOMPARE(s.topics[0].partitions[2].leaderEpoch, 3);
        QCOMPARE(s.topics[0].partitions[1].leader, -1);  // broker 7 is not in the response
        QCOMPARE(s.topics[0].available, (std::vector<int32_t>{0, 2}));
        QVERIFY(s.updateRequested);  // the unknown leader asks for another refresh
        QVERIFY(!s.requestInFlight);
        m.onRequestSent(clock.nowMs());
        QVERIFY(m.snapshot(clock.nowMs()).requestInFlight);
    }

    void malformedPartitionIndexesAreRejected() {
        // A broker (or a corrupt response) naming partition 2^31-1 or -5 must not make the
        // client allocate billions of entries or overflow: the topic entry is ignored as
        // untrustworthy and asked for again.
        bs::MockClock clock;
        Metadata m(kBackoff, kMaxAge, clock);
        m.add("t", clock.nowMs());
        refresh(m, clock, response({{"t", {0, 1}}}));
        for (int32_t bad : {INT32_MAX, 100'000'000, -5, 1}) {
            auto r = response({{"t", {0, 1}}});
            // The second entry claims index `bad`; for 1 both entries claim partition 1.
            r.topics[0].partitions[1].partitionIndex = bad;
            if (bad == 1) r.topics[0].partitions[0].partitionIndex = 1;
            clock.sleepMs(kBackoff);
            refresh(m, clock, r);
            auto c = m.fetch();
            QVERIFY2(c->partitionCountForTopic("t") == 2, std::to_string(bad).c_str());
            QCOMPARE(c->availablePartitionsForTopic("t").size(), size_t{0});
            QVERIFY(m.updateRequested());
        }
    }

    void awaitTopicReturnsOnceTheTopicArrives() {
        bs::MockClock clock;
        Metadata m(kBackoff, kMaxAge, clock);
        std::atomic<int> wakes{0};
        std::thread sender([&] {
            // Plays the Sender: waits for the topic to be requested, then answers.
            while (m.topics().count("t") == 0)
                std::this_thread::yield();
            refresh(m, clock, response({{"t", {2}}}));
        });
        auto r = m.awaitTopic("t", 60000, [&] { wakes.fetch_add(1); });
        sender.join();
        QVERIFY(r.ok());
        QCOMPARE((*r)->leaderFor({"t", 0}), std::optional<int32_t>(2));
        QVERIFY(wakes.load() >= 1);
    }

    void awaitTopicTimesOutAfterMaxBlock() {
        bs::MockClock clock;
        Metadata m(kBackoff, kMaxAge, clock);
        ClockDriver driver(clock);
        const int64_t start = clock.nowMs();
        auto r = m.awaitTopic("never", 500, {});
        QVERIFY(!r.ok());
        QVERIFY2(r.error().message.find("never") != std::string::npos, r.error().message.c_str());
        QVERIFY(r.error().message.find("500 ms") != std::string::npos);
        QVERIFY(r.error().message.find("max.block.ms") != std::string::npos);
        QVERIFY(clock.nowMs() - start >= 500);
        QVERIFY(m.updateRequested());
        QCOMPARE(requestedTopics(m), (std::vector<std::string>{"never"}));
    }

    void awaitTopicFailsOnANonRetriableTopicError() {
        bs::MockClock clock;
        Metadata m(kBackoff, kMaxAge, clock);
        refresh(m, clock, topicError("secret", ErrorCode::TOPIC_AUTHORIZATION_FAILED));
        auto r = m.awaitTopic("secret", 60000, {});
        QVERIFY(!r.ok());
        QVERIFY2(r.error().message.find("secret") != std::string::npos, r.error().message.c_str());
        QVERIFY(r.error().message.find("TOPIC_AUTHORIZATION_FAILED") != std::string::npos);
    }

    void closeReleasesWaiters() {
        bs::MockClock clock;
        Metadata m(kBackoff, kMaxAge, clock);
        std::thread closer([&] {
            while (m.topics().count("t") == 0)
                std::this_thread::yield();
            m.close();
        });
        auto r = m.awaitTopic("t", 60000, {});
        closer.join();
        QVERIFY(!r.ok());
        QVERIFY2(r.error().message.find("closed") != std::string::npos, r.error().message.c_str());
    }
};

QTEST_GUILESS_MAIN(MetadataTest)
#include "test_metadata.moc"
