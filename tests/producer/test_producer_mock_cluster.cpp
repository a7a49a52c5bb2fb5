// The Producer against librdkafka's mock cluster (3 brokers, 6 partitions), read back with kcat.
#include "producer_test_util.h"

#include <QtTest/QtTest>

#include <cmath>
#include <set>

#include "protocol/record/record_batch.h"

using namespace bs::producer;
using namespace bs::producer::test;

namespace {
// A producer-metrics value by name; NaN when the producer does not report it.
double producerMetric(KafkaProducer& producer, const std::string& name) {
    for (const auto& m : producer.metrics())
        if (m.name == name && m.group == "producer-metrics") return m.value;
    return std::nan("");
}
}  // namespace

class TestProducerMockCluster : public QObject {
    Q_OBJECT
  private slots:
    void initTestCase() { cluster_ = std::make_unique<MockClusterProcess>(3, topics()); }
    void cleanupTestCase() { cluster_.reset(); }

    void eachCompressionKeyedAndKeyless_data() {
        QTest::addColumn<QString>("compression");
        QTest::addColumn<QString>("acks");
        for (const char* c : {"none", "gzip", "snappy", "lz4", "zstd"})
            QTest::newRow(c) << c << "all";
        QTest::newRow("acks=1") << "none"
                                << "1";
        QTest::newRow("acks=0") << "lz4"
                                << "0";
        // Batches go out spliced from their buffers (no copy) in every acks mode.
        QTest::newRow("acks=1 zstd") << "zstd"
                                     << "1";
        QTest::newRow("acks=0 none") << "none"
                                     << "0";
    }
    void eachCompressionKeyedAndKeyless() {
        QFETCH(QString, compression);
        QFETCH(QString, acks);
        const std::string topic = "c-" + compression.toStdString() + "-" + acks.toStdString();
        std::map<std::string, std::string> props{{"compression.type", compression.toStdString()},
                                                 {"acks", acks.toStdString()},
                                                 {"linger.ms", "5"}};
        if (acks != "all") props["enable.idempotence"] = "false";
        auto producer = makeProducer(cluster_->bootstrap(), props);
        auto sent = produceNumbered(*producer, topic, 4000, 0);
        auto keyed = produceNumbered(*producer, topic, 4000, 97, 4000);
        sent.insert(sent.end(), keyed.begin(), keyed.end());
        producer->flush();
        QCOMPARE(awaitAll(sent, std::chrono::seconds(60)), 0);
        std::set<int32_t> used;
        for (const auto& s : sent)
            used.insert(s.future.get()->partition);
        QVERIFY(used.size() > 1);  // keyless sticky moves on, keys spread
        {
            const std::string diff = compareWithBroker(*cluster_, topic, sent, acks != "0");
            QVERIFY2(diff.empty(), diff.c_str());
        }
        producer->close();
        QVERIFY(producer->metrics().size() > 10);
    }

    void hundredThousandRecords() {
        auto producer = makeProducer(cluster_->bootstrap(), {{"linger.ms", "5"}});
        auto sent = produceNumbered(*producer, "big", 100000, 0);
        producer->flush();
        QCOMPARE(awaitAll(sent, std::chrono::seconds(120)), 0);
        {
            const std::string diff = compareWithBroker(*cluster_, "big", sent);
            QVERIFY2(diff.empty(), diff.c_str());
        }
        QVERIFY(producer->metrics().size() > 0);
        QVERIFY(producerMetric(*producer, "records-per-request-avg") > 1.0);  // batching happened
    }

    // sendWithoutFuture(): no future, but every record is delivered once, in order, and its
    // callback gets the offset the broker holds it at.
    void sendWithoutFutureDeliversAndCallsBack() {
        auto producer =
            makeProducer(cluster_->bootstrap(),
                         {{"linger.ms", "5"}, {"acks", "1"}, {"enable.idempotence", "false"}});
        constexpr int kRecords = 20000;
        struct Outcome {
            int32_t partition = -1;
            int64_t offset = -1;
            int calls = 0;
            bool failed = false;
        };
        std::vector<Outcome> outcomes(kRecords);
        for (int i = 0; i < kRecords; ++i) {
            ProducerRecord r;
            r.topic = "nofuture";
            r.value = "v" + std::to_string(i);
            producer->sendWithoutFuture(
                r, [&outcomes, i](const RecordMetadata& md, const bs::Error* e) {
                    Outcome& o = outcomes[static_cast<size_t>(i)];
                    ++o.calls;
                    o.failed = e != nullptr;
                    o.partition = md.partition;
                    o.offset = md.offset;
                });
        }
        producer->flush();  // returns once every callback ran
        std::map<int32_t, std::vector<std::string>> expected, actual;
        for (int i = 0; i < kRecords; ++i) {
            const Outcome& o = outcomes[static_cast<size_t>(i)];
            QCOMPARE(o.calls, 1);
            QVERIFY(!o.failed);
            expected[o.partition].push_back(std::to_string(o.offset) + "  v" + std::to_string(i));
        }
        QVERIFY(expected.size() > 1);  // the sticky partition moved on
        for (const auto& line : cluster_->consumeAll("nofuture")) {
            const auto sp = line.find(' ');
            actual[std::stoi(line.substr(0, sp))].push_back(line.substr(sp + 1));
        }
        QVERIFY(actual == expected);
        // record-size-max: recorded per batch by the sender, as Java's, the largest record's
        // size upper bound (with the batch header), here the largest value's.
        const std::string largest = "v" + std::to_string(kRecords - 1);
        const bs::protocol::Bytes value(reinterpret_cast<const uint8_t*>(largest.data()),
                                        largest.size());
        QCOMPARE(producerMetric(*producer, "record-size-max"),
                 static_cast<double>(
                     bs::protocol::RecordBatchBuilder::estimateBatchSize(std::nullopt, value, {})));
        producer->close();
    }

    void keyedPlacementMatchesKafkaPython() {
        auto producer = makeProducer(cluster_->bootstrap(), {{"linger.ms", "0"}});
        std::vector<Sent> sent;
        for (int i = 0; i < 1000; ++i) {
            ProducerRecord r;
            r.topic = "keys";
            std::string key = "key-" + std::to_string(i * 7919);
            r.key = key;
            r.value = std::to_string(i);
            sent.push_back(Sent{key, std::to_string(i), producer->send(r)});
        }
        producer->flush();
        QCOMPARE(awaitAll(sent, std::chrono::seconds(60)), 0);
        // kafka-python's DefaultPartitioner: murmur2(key) & 0x7fffffff % len(partitions).
        QProcess py;
        py.start("/usr/bin/python3", {"-c",
                                      "import sys\nfrom kafka.partitioner.default import murmur2\n"
                                      "for line in sys.stdin.read().split():\n"
                                      "    print((murmur2(line.encode()) & 0x7fffffff) % 6)\n"});
        QVERIFY(py.waitForStarted());
        for (const auto& s : sent)
            py.write((s.key + "\n").c_str());
        py.closeWriteChannel();
        QVERIFY(py.waitForFinished(60000));
        auto lines = QString::fromUtf8(py.readAllStandardOutput()).split('\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 1000);
        for (int i = 0; i < 1000; ++i)
            QCOMPARE(sent[static_cast<size_t>(i)].future.get()->partition, lines[i].toInt());
        {
            const std::string diff = compareWithBroker(*cluster_, "keys", sent);
            QVERIFY2(diff.empty(), diff.c_str());
        }
    }

    void partitionsForAndUnknownTopic() {
        auto producer = makeProducer(cluster_->bootstrap(), {{"max.block.ms", "2000"}});
        auto parts = producer->partitionsFor("keys");
        QVERIFY(parts.ok());
        QCOMPARE(parts->size(), size_t(6));
        // Where the mock puts leaders is its own business (not always spread over all three
        // brokers); what matters is that every partition has a live leader among them.
        for (const auto& p : *parts)
            QVERIFY2(p.leader >= 1 && p.leader <= 3, qPrintable(QString::number(p.leader)));
        ProducerRecord r;
        r.topic = "keys";
        r.partition = 6;
        r.value = std::string("x");
        auto f = producer->send(r);
        QVERIFY(!f.get().ok());
        QVERIFY(f.get().error().message.find("partition") != std::string::npos);
    }

  private:
    static std::vector<std::string> topics() {
        std::vector<std::string> t{"big:6", "keys:6", "nofuture:6"};
        for (const char* c : {"none", "gzip", "snappy", "lz4", "zstd"})
            t.push_back(std::string("c-") + c + "-all:6");
        t.push_back("c-none-1:6");
        t.push_back("c-lz4-0:6");
        return t;
    }
    std::unique_ptr<MockClusterProcess> cluster_;
};

QTEST_GUILESS_MAIN(TestProducerMockCluster)
#include "test_producer_mock_cluster.moc"
