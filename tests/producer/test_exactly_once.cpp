// Exactly-once delivery of the idempotent Producer against OUR embedded cluster, which keeps
// producer state and de-duplicates retried batches as Kafka does (librdkafka's mock cluster
// does not, so test_producer_faults can only prove at-least-once for a slow leader). Faults:
// a leader slower than request.timeout.ms (requests are written to the log, the client gives
// up on the answer and retries them), and injected NOT_LEADER_OR_FOLLOWER, REQUEST_TIMED_OUT and
// OUT_OF_ORDER_SEQUENCE_NUMBER with 5 requests in flight (requests behind a failed one are
// answered OUT_OF_ORDER_SEQUENCE_NUMBER and retried in order). Every record is read back with the
// core consumer: each exactly once, in send order per partition, at the offset its future reported.

#include <QTemporaryDir>
#include <QtTest>
#include "broker/embedded_cluster.h"
#include "consumer/kafka_consumer.h"
#include "producer_test_util.h"
#include "support/eventually.h"

using namespace bs::producer;
using namespace bs::producer::test;
using bs::Error;
using bs::Result;
using bs::protocol::ErrorCode;

namespace {

constexpr int kPartitions = 6;
constexpr int kKeys = 60;

const std::map<std::string, std::string> kIdempotent = {
    {"enable.idempotence", "true"},
    {"max.in.flight.requests.per.connection", "5"},
    {"linger.ms", "2"},
    {"request.timeout.ms", "1500"},
    {"retry.backoff.ms", "20"},
    {"retry.backoff.max.ms", "200"},
    {"delivery.timeout.ms", "120000"},
    {"batch.size", "4096"},
    {"metadata.max.age.ms", "300000"}};

double metric(const KafkaProducer& producer, const std::string& name) {
    for (const auto& m : producer.metrics())
        if (m.name == name && m.group == "producer-metrics") return m.value;
    return -1;
}

std::string text(const std::optional<bs::consumer::Bytes>& b) {
    return b ? std::string(reinterpret_cast<const char*>(b->data()), b->size()) : "";
}

// "offset key value" per partition, everything the log holds; `maxEpoch` gets the highest
// producer epoch of the stored batches.
Result<std::map<int32_t, std::vector<std::string>>> readBack(const std::string& bootstrap,
                                                             const std::string& topic,
                                                             int* maxEpoch = nullptr) {
    auto cfg = bs::consumer::ConsumerConfig::parse(
        std::map<std::string, std::string>{{"bootstrap.servers", bootstrap}});
    if (!cfg) return Error{cfg.error().message};
    auto consumer = bs::consumer::KafkaConsumer::create(*cfg);
    if (!consumer) return Error{consumer.error().message};
    auto& c = **consumer;
    std::vector<TopicPartition> tps;
    for (int32_t p = 0; p < kPartitions; ++p)
        tps.push_back({topic, p});
    auto ends = c.endOffsets(tps, 30000);
    if (!ends) return Error{"endOffsets: " + ends.error().message};
    c.assign(tps);
    c.seekToBeginning(tps);
    std::map<int32_t, std::vector<std::string>> out;
    std::map<int32_t, int64_t> next;
    auto complete = [&] {
        for (const auto& [tp, end] : *ends)
            if (next[tp.partition] < end) return false;
        return true;
    };
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (!complete()) {
        if (std::chrono::steady_clock::now() > deadline) return Error{"read-back timed out"};
        auto records = c.poll(200);
        if (!records) return Error{"poll: " + records.error().message};
        for (const auto& r : *records) {
            out[r.partition()].push_back(std::to_string(r.offset) + " " + text(r.key) + " " +
                                         text(r.value));
            next[r.partition()] = r.offset + 1;
            if (maxEpoch) *maxEpoch = std::max<int>(*maxEpoch, r.batch->producerEpoch);
        }
    }
    c.close();
    return out;
}

// Each acknowledged record once, in send order per partition, at its acknowledged offset, and
// nothing else in the log.
std::string compareExactlyOnce(const std::map<int32_t, std::vector<std::string>>& actual,
                               const std::vector<Sent>& sent) {
    std::map<int32_t, std::vector<std::string>> expected;
    for (const auto& s : sent) {
        auto r = s.future.get();
        if (!r.ok()) return "record " + s.value + " failed: " + r.error().message;
        expected[r->partition].push_back(std::to_string(r->offset) + " " + s.key + " " + s.value);
    }
    for (int32_t p = 0; p < kPartitions; ++p) {
        auto e = expected.count(p) ? expected.at(p) : std::vector<std::string>{};
        auto a = actual.count(p) ? actual.at(p) : std::vector<std::string>{};
        if (a == e) continue;
        size_t i = 0;
        while (i < a.size() && i < e.size() && a[i] == e[i])
            ++i;
        return "partition " + std::to_string(p) + ": log has " + std::to_string(a.size()) +
               " records, acknowledged " + std::to_string(e.size()) + "; first difference at #" +
               std::to_string(i) + ": log '" + (i < a.size() ? a[i] : "<none>") +
               "' vs acknowledged '" + (i < e.size() ? e[i] : "<none>") + "'";
    }
    return "";
}

}  // namespace

class ExactlyOnceTest : public QObject {
    Q_OBJECT

    QTemporaryDir dataDir_;
    std::unique_ptr<bs::broker::EmbeddedCluster> cluster_;

    // The node leading most partitions of `topic` (the fault then hits many of them).
    int32_t busiestLeader(KafkaProducer& producer, const std::string& topic) {
        auto parts = producer.partitionsFor(topic);
        if (!parts) qFatal("partitionsFor: %s", parts.error().message.c_str());
        std::map<int32_t, int> led;
        for (const auto& p : *parts)
            ++led[p.leader];
        return std::max_element(led.begin(), led.end(),
                                [](auto& a, auto& b) { return a.second < b.second; })
            ->first;
    }

  private slots:
    void initTestCase() {
        QVERIFY(dataDir_.isValid());
        bs::broker::ClusterConfig config;
        config.nodeCount = 3;
        config.dataDir = dataDir_.path().toStdString();
        config.topics = {{"slow", kPartitions},
                         {"downup", kPartitions},
                         {"injected-6", kPartitions},
                         {"injected-7", kPartitions},
                         {"injected-45", kPartitions}};
        auto c = bs::broker::EmbeddedCluster::start(config);
        QVERIFY2(c.ok(), c.ok() ? "" : c.error().message.c_str());
        cluster_ = std::move(*c);
    }
    // A failed test must not leave its fault behind for the next one.
    void cleanup() {
        auto& control = cluster_->control();
        for (int32_t n = 0; n < control.nodeCount(); ++n) {
            QVERIFY(control.bringUp(n).ok());
            QVERIFY(control.setLatency(n, 0).ok());
            QVERIFY(control
                        .injectErrors(n, bs::protocol::ApiKey::Produce,
                                      ErrorCode::NOT_LEADER_OR_FOLLOWER, 0)
                        .ok());
        }
    }
    void cleanupTestCase() {
        if (cluster_) QVERIFY(cluster_->stop().ok());
    }

    void leaderSlowerThanRequestTimeout() {
        auto producer = makeProducer(cluster_->bootstrapServers(), kIdempotent);
        const int32_t slow = busiestLeader(*producer, "slow");
        auto sent = produceNumbered(*producer, "slow", 1000, kKeys);
        // Responses now arrive after request.timeout.ms: the broker has written each batch, the
        // client closes the connection and sends it again.
        QVERIFY(cluster_->control().setLatency(slow, 2500).ok());
        auto more = produceNumbered(*producer, "slow", 1000, kKeys, 1000);
        sent.insert(sent.end(), more.begin(), more.end());
        QVERIFY2(bs::test::eventually([&] { return metric(*producer, "record-retry-total") > 0; }),
                 "no retry after the leader slowed down");
        // A second round: records sent while it is slow time out too.
        const double firstRound = metric(*producer, "record-retry-total");
        more = produceNumbered(*producer, "slow", 1000, kKeys, 2000);
        sent.insert(sent.end(), more.begin(), more.end());
        QVERIFY(bs::test::eventually(
            [&] { return metric(*producer, "record-retry-total") > firstRound; }));
        QVERIFY(cluster_->control().setLatency(slow, 0).ok());
        producer->flush();
        QCOMPARE(awaitAll(sent, std::chrono::seconds(60)), 0);

        auto actual = readBack(cluster_->bootstrapServers(), "slow");
        QVERIFY2(actual.ok(), actual.ok() ? "" : actual.error().message.c_str());
        const std::string diff = compareExactlyOnce(*actual, sent);
        QVERIFY2(diff.empty(), diff.c_str());
        qInfo("records retried: %.0f", metric(*producer, "record-retry-total"));
        QCOMPARE(metric(*producer, "record-error-total"), 0.0);
    }

    void leaderDownAndUp() {
        auto producer = makeProducer(cluster_->bootstrapServers(), kIdempotent);
        const int32_t leader = busiestLeader(*producer, "downup");
        // Slow answers (below request.timeout.ms) keep requests in flight to it...
        QVERIFY(cluster_->control().setLatency(leader, 400).ok());
        auto sent = produceNumbered(*producer, "downup", 1000, kKeys);
        QVERIFY(bs::test::eventually([&] {
            for (const auto& n : producer->snapshot().nodes)
                if (n.nodeId == leader && !n.inFlight.empty()) return true;
            return false;
        }));
        // ...when it goes down: they were written to the log, their answers are lost, and the
        // producer must resend them without duplicating.
        QVERIFY(cluster_->control().takeDown(leader).ok());
        auto more = produceNumbered(*producer, "downup", 1000, kKeys, 1000);
        sent.insert(sent.end(), more.begin(), more.end());
        // Noticed: the connection is gone, or fresh metadata no longer lists the node.
        const bool noticed = bs::test::eventually([&] {
            for (const auto& n : producer->snapshot().nodes)
                if (n.nodeId == leader) return !n.connected;
            return true;
        });
        QVERIFY(cluster_->control().bringUp(leader).ok());
        QVERIFY(cluster_->control().setLatency(leader, 0).ok());
        QVERIFY2(noticed, "the producer still counts the node as connected");
        more = produceNumbered(*producer, "downup", 1000, kKeys, 2000);
        sent.insert(sent.end(), more.begin(), more.end());
        producer->flush();
        QCOMPARE(awaitAll(sent, std::chrono::seconds(60)), 0);

        auto actual = readBack(cluster_->bootstrapServers(), "downup");
        QVERIFY2(actual.ok(), actual.ok() ? "" : actual.error().message.c_str());
        const std::string diff = compareExactlyOnce(*actual, sent);
        QVERIFY2(diff.empty(), diff.c_str());
        qInfo("records retried: %.0f", metric(*producer, "record-retry-total"));
        QVERIFY(metric(*producer, "record-retry-total") > 0);
        QCOMPARE(metric(*producer, "record-error-total"), 0.0);
    }

    void injectedErrorsWithFiveInFlight_data() {
        QTest::addColumn<int>("error");
        QTest::newRow("NOT_LEADER_OR_FOLLOWER")
            << static_cast<int>(ErrorCode::NOT_LEADER_OR_FOLLOWER);
        QTest::newRow("REQUEST_TIMED_OUT") << static_cast<int>(ErrorCode::REQUEST_TIMED_OUT);
        // A gap the client did not cause: it bumps the epoch and renumbers from 0.
        QTest::newRow("OUT_OF_ORDER_SEQUENCE_NUMBER")
            << static_cast<int>(ErrorCode::OUT_OF_ORDER_SEQUENCE_NUMBER);
    }
    void injectedErrorsWithFiveInFlight() {
        QFETCH(int, error);
        const std::string topic = "injected-" + std::to_string(error);
        auto producer = makeProducer(cluster_->bootstrapServers(), kIdempotent);
        const int32_t leader = busiestLeader(*producer, topic);
        auto sent = produceNumbered(*producer, topic, 1000, kKeys);
        const int64_t metadataVersion = producer->metadata().updateVersion();
        // Mid-stream, with requests queued behind the failed ones on the same connection: the
        // broker answers those OUT_OF_ORDER_SEQUENCE_NUMBER and the client resends in order.
        QVERIFY(cluster_->control()
                    .injectErrors(leader, bs::protocol::ApiKey::Produce,
                                  static_cast<ErrorCode>(error), 6)
                    .ok());
        auto more = produceNumbered(*producer, topic, 2000, kKeys, 1000);
        sent.insert(sent.end(), more.begin(), more.end());
        producer->flush();
        QCOMPARE(awaitAll(sent, std::chrono::seconds(60)), 0);
        QVERIFY(cluster_->control()
                    .status()
                    .nodes.at(static_cast<size_t>(leader))
                    .pendingErrors.empty());

        int maxEpoch = -1;
        auto actual = readBack(cluster_->bootstrapServers(), topic, &maxEpoch);
        QVERIFY2(actual.ok(), actual.ok() ? "" : actual.error().message.c_str());
        const std::string diff = compareExactlyOnce(*actual, sent);
        QVERIFY2(diff.empty(), diff.c_str());
        const double retried = metric(*producer, "record-retry-total");
        qInfo("records retried: %.0f, highest producer epoch stored: %d", retried, maxEpoch);
        // A leader error asks for fresh metadata at once (metadata.max.age.ms is 5 min).
        if (static_cast<ErrorCode>(error) == ErrorCode::NOT_LEADER_OR_FOLLOWER)
            QVERIFY(producer->metadata().updateVersion() > metadataVersion);
        // Only a real gap bumps the epoch (Java's canRetry); retriable errors just resend.
        if (static_cast<ErrorCode>(error) == ErrorCode::OUT_OF_ORDER_SEQUENCE_NUMBER)
            QVERIFY(maxEpoch >= 1);
        else
            QCOMPARE(maxEpoch, 0);
        QVERIFY(retried > 0);
        QCOMPARE(metric(*producer, "record-error-total"), 0.0);
    }
};

QTEST_GUILESS_MAIN(ExactlyOnceTest)
#include "test_exactly_once.moc"
