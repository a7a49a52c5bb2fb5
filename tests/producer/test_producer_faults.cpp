// Faults injected into librdkafka's mock cluster while our KafkaProducer sends: with idempotence
// every record lands in order per partition, exactly once where the fault loses no answer to an
// appended request (the mock does not de-duplicate retries); without, records on an
// unreachable leader fail on their own futures after delivery.timeout.ms. Each case also checks
// that its fault hit the traffic (a disconnect seen, retries counted), so none passes because
// the fault came and went between requests.
#include "producer_test_util.h"

#include <QtTest/QtTest>

#include <thread>

#include "support/eventually.h"

using namespace bs::producer;
using namespace bs::producer::test;

namespace {
// Sends `count` records in slices, running `midway` after the first slice.
std::vector<Sent> produceAround(KafkaProducer& producer, const std::string& topic, int count,
                                const std::function<void()>& midway) {
    auto sent = produceNumbered(producer, topic, count / 2, 13);
    midway();
    auto rest = produceNumbered(producer, topic, count - count / 2, 13, count / 2);
    sent.insert(sent.end(), rest.begin(), rest.end());
    return sent;
}
double metric(const KafkaProducer& producer, const std::string& name) {
    for (const auto& m : producer.metrics())
        if (m.name == name && m.group == "producer-metrics") return m.value;
    return -1;
}

// Whether the producer's sender holds a connection to `node` (its snapshot).
bool connectedTo(const KafkaProducer& producer, int32_t node) {
    for (const auto& n : producer.snapshot().nodes)
        if (n.nodeId == node) return n.connected;
    return false;
}

// Sends 100 records at a time (numbered after those in `sent`) until `hit` holds, so traffic
// meets a fault; false if it never did within `rounds`.
bool produceUntil(KafkaProducer& producer, const std::string& topic, std::vector<Sent>& sent,
                  const std::function<bool()>& hit, int rounds = 300) {
    for (int i = 0; i < rounds; ++i) {
        auto more = produceNumbered(producer, topic, 100, 13, static_cast<int>(sent.size()));
        sent.insert(sent.end(), more.begin(), more.end());
        if (bs::test::eventually(hit, std::chrono::milliseconds(100))) return true;
    }
    return false;
}

const std::map<std::string, std::string> kIdempotent = {{"linger.ms", "2"},
                                                        {"request.timeout.ms", "1000"},
                                                        {"retry.backoff.ms", "20"},
                                                        {"retry.backoff.max.ms", "200"},
                                                        {"delivery.timeout.ms", "60000"}};
}  // namespace

class TestProducerFaults : public QObject {
    Q_OBJECT
  private slots:
    void initTestCase() {
        cluster_ = std::make_unique<MockClusterProcess>(
            3, std::vector<std::string>{"down:6", "rtt:6", "nl:6", "rto:6", "oos:6", "plain:6"});
    }
    void cleanupTestCase() { cluster_.reset(); }

    void brokerDownAndUpInOrder() {
        auto producer = makeProducer(cluster_->bootstrap(), kIdempotent);
        auto sent = produceNumbered(*producer, "down", 10000, 13);
        // Every partition's records acknowledged: broker 2 served traffic before it goes down.
        // (Polling the snapshot for its connection instead failed once under ctest -j2 load.)
        QCOMPARE(awaitAll(sent, std::chrono::seconds(60)), 0);
        // The fault must meet traffic: broker 2 is down while records keep coming, until the
        // producer has seen its connection go.
        QVERIFY(cluster_->command("down 2"));
        const bool noticed =
            produceUntil(*producer, "down", sent, [&] { return !connectedTo(*producer, 2); });
        QVERIFY(cluster_->command("up 2"));
        QVERIFY2(noticed, "the producer never saw broker 2 go down");
        auto rest = produceNumbered(*producer, "down", 10000, 13, static_cast<int>(sent.size()));
        sent.insert(sent.end(), rest.begin(), rest.end());
        producer->flush();
        QCOMPARE(awaitAll(sent, std::chrono::seconds(60)), 0);
        // A request the mock appended just before going down loses its answer, and the mock
        // appends the retry again (it does not de-duplicate): at-least-once in order is what
        // can hold here. Exactly-once for a leader taken down with requests in flight is
        // checked against our broker (test_exactly_once, leaderDownAndUp).
        int duplicates = 0;
        const std::string diff = compareAtLeastOnce(*cluster_, "down", sent, &duplicates);
        QVERIFY2(diff.empty(), diff.c_str());
        qInfo("records the mock appended twice: %d", duplicates);
    }

    void rttBeyondRequestTimeoutInOrder() {
        auto producer = makeProducer(cluster_->bootstrap(), kIdempotent);
        auto sent = produceNumbered(*producer, "rtt", 10000, 13);
        QVERIFY(cluster_->command("rtt 1 1500"));
        // Records keep coming while broker 1 answers after request.timeout.ms (1000).
        auto during = produceNumbered(*producer, "rtt", 100, 13, static_cast<int>(sent.size()));
        sent.insert(sent.end(), during.begin(), during.end());
        std::this_thread::sleep_for(std::chrono::milliseconds(1500));
        QVERIFY(cluster_->command("rtt 1 0"));
        auto rest = produceNumbered(*producer, "rtt", 10000, 13, static_cast<int>(sent.size()));
        sent.insert(sent.end(), rest.begin(), rest.end());
        producer->flush();
        QCOMPARE(awaitAll(sent, std::chrono::seconds(60)), 0);
        // The mock appends the timed-out request and its retry (it keeps no producer state), so
        // only at-least-once in order can hold against it; see compareAtLeastOnce.
        int duplicates = 0;
        const std::string diff = compareAtLeastOnce(*cluster_, "rtt", sent, &duplicates);
        QVERIFY2(diff.empty(), diff.c_str());
        qInfo("records the mock appended twice: %d, retried: %.0f", duplicates,
              metric(*producer, "record-retry-total"));
    }

    void injectedErrorsExactlyOnce_data() {
        QTest::addColumn<QString>("topic");
        QTest::addColumn<int>("error");
        QTest::newRow("NOT_LEADER_OR_FOLLOWER") << "nl" << 6;
        QTest::newRow("REQUEST_TIMED_OUT") << "rto" << 7;
        QTest::newRow("OUT_OF_ORDER_SEQUENCE_NUMBER") << "oos" << 45;
    }
    void injectedErrorsExactlyOnce() {
        QFETCH(QString, topic);
        QFETCH(int, error);
        // librdkafka 2.0.2's mock does not check sequence numbers, so a request behind a failed
        // one would be appended out of order; a real broker answers it OUT_OF_ORDER_SEQUENCE.
        // One request in flight keeps the order checkable against the mock.
        auto props = kIdempotent;
        props["max.in.flight.requests.per.connection"] = "1";
        auto producer = makeProducer(cluster_->bootstrap(), props);
        auto sent = produceAround(*producer, topic.toStdString(), 20000, [&] {
            QVERIFY(cluster_->command("errors 0 " + std::to_string(error) + " 4"));
        });
        producer->flush();
        QCOMPARE(awaitAll(sent, std::chrono::seconds(60)), 0);
        {
            const std::string diff = compareWithBroker(*cluster_, topic.toStdString(), sent);
            QVERIFY2(diff.empty(), diff.c_str());
        }
        // The injected errors hit: their batches were retried.
        QVERIFY(metric(*producer, "record-retry-total") > 0);
    }

    void withoutIdempotenceFailuresAfterDeliveryTimeout() {
        auto producer = makeProducer(cluster_->bootstrap(), {{"enable.idempotence", "false"},
                                                             {"acks", "1"},
                                                             {"linger.ms", "0"},
                                                             {"request.timeout.ms", "500"},
                                                             {"delivery.timeout.ms", "1500"}});
        auto parts = producer->partitionsFor("plain");
        QVERIFY(parts.ok());
        const int32_t downLeader = (*parts)[0].leader;
        QVERIFY(cluster_->command("down " + std::to_string(downLeader)));
        std::vector<Sent> sent;
        std::vector<bool> onDownBroker;
        for (int i = 0; i < 600; ++i) {
            ProducerRecord r;
            r.topic = "plain";
            r.partition = i % 6;
            r.value = "v" + std::to_string(i);
            onDownBroker.push_back((*parts)[static_cast<size_t>(i % 6)].leader == downLeader);
            sent.push_back(Sent{"", std::get<std::string>(r.value), producer->send(r)});
        }
        awaitAll(sent, std::chrono::seconds(30));
        QVERIFY(cluster_->command("up " + std::to_string(downLeader)));
        int failed = 0, expected = 0;
        for (size_t i = 0; i < sent.size(); ++i) {
            auto r = sent[i].future.get();
            if (onDownBroker[i]) {
                ++expected;
                QVERIFY(!r.ok());
                QVERIFY2(r.error().message.find("Expiring") != std::string::npos,
                         r.error().message.c_str());
                ++failed;
            } else {
                QVERIFY2(r.ok(), r.ok() ? "" : r.error().message.c_str());
            }
        }
        QVERIFY(expected > 0);
        QCOMPARE(failed, expected);
    }

  private:
    std::unique_ptr<MockClusterProcess> cluster_;
};

QTEST_GUILESS_MAIN(TestProducerFaults)
#include "test_producer_faults.moc"
