#include <QtTest>

#include <map>
#include <set>

#include "common/murmur2.h"
#include "producer/builtin_default_partitioner.h"
#include "producer/builtin_partitioner.h"
#include "producer/legacy_partitioner.h"
#include "producer/partitioner.h"
#include "producer/producer_config.h"
#include "producer/round_robin_partitioner.h"
#include "producer/sticky_partitioner.h"
#include "static_cluster.h"

using namespace bs::producer;
using bs::producer::test::StaticCluster;

namespace {

std::span<const uint8_t> bytes(std::string_view s) {
    return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

int32_t partitionOf(Partitioner& p, std::string_view topic, BytesView key,
                    const ClusterView& cluster) {
    auto r = p.partition(topic, key, std::nullopt, cluster);
    return r.ok() ? *r : -100;
}

ProducerConfig configWith(std::map<std::string, std::string> kv) {
    return ProducerConfig::parse(kv).value();
}

}  // namespace

class PartitionerTest : public QObject {
    Q_OBJECT
  private slots:
    // Kafka's UtilsTest.testMurmur2 vectors.
    void murmur2MatchesJava() {
        QCOMPARE(bs::murmur2(bytes("21")), -973932308);
        QCOMPARE(bs::murmur2(bytes("foobar")), -790332482);
        QCOMPARE(bs::murmur2(bytes("a-little-bit-long-string")), -985981536);
        QCOMPARE(bs::murmur2(bytes("a-little-bit-longer-string")), -1486304829);
        QCOMPARE(bs::murmur2(bytes("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8")), -58897971);
        QCOMPARE(bs::murmur2(bytes("abc")), 479470107);
    }

    // Placement computed with kafka-python's murmur2 (same as Java's DefaultPartitioner).
    void keyedPlacementMatchesKafka_data() {
        QTest::addColumn<QByteArray>("key");
        QTest::addColumn<int>("partitions");
        QTest::addColumn<int>("expected");
        const std::vector<std::tuple<QByteArray, std::array<int, 5>>> rows = {
            {"21", {0, 0, 0, 3, 0}},      {"foobar", {0, 0, 0, 0, 6}},
            {"key-0", {0, 1, 1, 0, 1}},   {"hello", {0, 0, 3, 4, 9}},
            {"", {0, 0, 3, 2, 9}},        {QByteArray("\xff\x00\x80", 3), {0, 1, 4, 6, 10}},
            {"user-42", {0, 1, 4, 1, 4}}, {"abcdefgh123", {0, 2, 5, 3, 5}},
        };
        const int counts[] = {1, 3, 6, 7, 12};
        for (const auto& [key, expected] : rows)
            for (int i = 0; i < 5; ++i)
                QTest::newRow((key.toHex().toStdString() + "/" + std::to_string(counts[i])).c_str())
                    << key << counts[i] << expected[static_cast<size_t>(i)];
    }
    void keyedPlacementMatchesKafka() {
        QFETCH(QByteArray, key);
        QFETCH(int, partitions);
        QFETCH(int, expected);
        const std::span<const uint8_t> k(reinterpret_cast<const uint8_t*>(key.constData()),
                                         static_cast<size_t>(key.size()));
        QCOMPARE(partitionForKey(k, partitions), expected);
        StaticCluster cluster;
        cluster.addTopic("t", std::vector<int32_t>(static_cast<size_t>(partitions), 0));
        // Every key-using partitioner agrees with Java for keyed records.
        BuiltInDefaultPartitioner builtIn(false, 16384, nullptr);
        StickyDefaultPartitioner sticky(false);
        LegacyDefaultPartitioner legacy;
        QCOMPARE(partitionOf(builtIn, "t", k, cluster), expected);
        QCOMPARE(partitionOf(sticky, "t", k, cluster), expected);
        QCOMPARE(partitionOf(legacy, "t", k, cluster), expected);
    }

    void explainShowsEveryStep() {
        StaticCluster cluster({{"t", {0, 1, 2, 0, 1, 2}}});
        BuiltInDefaultPartitioner p(false, 16384, nullptr);
        auto e = p.explain("t", bytes("foobar"), cluster);
        QVERIFY(e.keyed);
        QCOMPARE(e.keyBytes, (std::vector<uint8_t>{'f', 'o', 'o', 'b', 'a', 'r'}));
        QCOMPARE(e.murmur2, -790332482);
        QCOMPARE(e.positive, -790332482 & 0x7fffffff);
        QCOMPARE(e.numPartitions, 6);
        QCOMPARE(e.partition, 0);
        QVERIFY2(e.detail.find("murmur2(0x666f6f626172) = -790332482") != std::string::npos &&
                     e.detail.find("% 6 = 0") != std::string::npos,
                 e.detail.c_str());
        auto keyless = p.explain("t", std::nullopt, cluster);
        QVERIFY(!keyless.keyed);
        QCOMPARE(keyless.partition, kUnknownPartition);
        QVERIFY(keyless.detail.find("uniform sticky") != std::string::npos);
    }

    void builtInLeavesKeylessToTheAccumulator() {
        StaticCluster cluster({{"t", {0, 1, 2}}});
        BuiltInDefaultPartitioner p(false, 16384, nullptr);
        QCOMPARE(partitionOf(p, "t", std::nullopt, cluster), kUnknownPartition);
        QVERIFY(!p.wantsOnNewBatch());
        BuiltInDefaultPartitioner ignoring(true, 16384, nullptr);
        QCOMPARE(partitionOf(ignoring, "t", bytes("foobar"), cluster), kUnknownPartition);
        QVERIFY(!p.partition("missing", bytes("k"), std::nullopt, cluster).ok());
    }

    void explicitPartitionWins() {
        StaticCluster cluster({{"t", {0, 1, 2}}});
        BuiltInDefaultPartitioner builtIn(false, 16384, nullptr);
        RoundRobinPartitioner rr;
        QCOMPARE(*choosePartition(2, "t", bytes("foobar"), std::nullopt, builtIn, cluster), 2);
        QCOMPARE(*choosePartition(1, "t", std::nullopt, std::nullopt, rr, cluster), 1);
        QCOMPARE(rr.explain("t", std::nullopt, cluster).partition, 0);  // rr counter untouched
        QCOMPARE(
            *choosePartition(std::nullopt, "t", bytes("foobar"), std::nullopt, builtIn, cluster),
            partitionForKey(bytes("foobar"), 3));
        QCOMPARE(*choosePartition(std::nullopt, "t", std::nullopt, std::nullopt, builtIn, cluster),
                 kUnknownPartition);
        auto bad = choosePartition(3, "t", std::nullopt, std::nullopt, builtIn, cluster);
        QVERIFY(!bad.ok());
        QVERIFY(bad.error().message.find("partition 3") != std::string::npos);
        QVERIFY(!choosePartition(-2, "t", std::nullopt, std::nullopt, builtIn, cluster).ok());
        QVERIFY(!choosePartition(0, "nope", std::nullopt, std::nullopt, builtIn, cluster).ok());
    }

    // KIP-794 uniform sticky: stay until ~batch.size bytes were produced, then switch.
    void builtInStickySwitchesAfterBatchSize() {
        StaticCluster cluster({{"t", {0, 1, 2, 3}}});
        BuiltInPartitioner sticky("t", 1000);
        static std::atomic<int32_t> draws{0};
        draws = 0;
        sticky.setRandomForTest([] { return draws.fetch_add(1); });  // 0, 1, 2, ... -> p0, p1, p2
        auto info = sticky.peekCurrentPartitionInfo(cluster);
        QCOMPARE(info->partition, 0);
        sticky.updatePartitionInfo(info, 600, cluster, true);
        QVERIFY(!sticky.isPartitionChanged(info));
        sticky.updatePartitionInfo(info, 400, cluster, true);  // 1000 bytes: switch
        QVERIFY(sticky.isPartitionChanged(info));
        auto next = sticky.peekCurrentPartitionInfo(cluster);
        QCOMPARE(next->partition, 1);
        // With switching disabled (batch not full) it waits, but not beyond 2x batch.size.
        sticky.updatePartitionInfo(next, 1500, cluster, false);
        QVERIFY(!sticky.isPartitionChanged(next));
        sticky.updatePartitionInfo(next, 500, cluster, false);
        QVERIFY(sticky.isPartitionChanged(next));
        QCOMPARE(sticky.peekCurrentPartitionInfo(cluster)->partition, 2);
    }

    void builtInStickyUsesAvailablePartitionsOnly() {
        StaticCluster cluster({{"t", {-1, 5, -1, 5}}});
        BuiltInPartitioner sticky("t", 10);
        std::set<int32_t> seen;
        for (int i = 0; i < 200; ++i) {
            auto info = sticky.peekCurrentPartitionInfo(cluster);
            seen.insert(info->partition);
            sticky.updatePartitionInfo(info, 10, cluster, true);
        }
        QCOMPARE(seen, (std::set<int32_t>{1, 3}));
    }

    // Adaptive: weights inverse to queue depth (Java's cumulative frequency table).
    void adaptiveLoadStatsWeightShorterQueues() {
        StaticCluster cluster({{"t", {0, 1, 2}}});
        BuiltInPartitioner sticky("t", 10);
        sticky.updatePartitionLoadStats({0, 3, 1}, {0, 1, 2}, 3);
        QCOMPARE(sticky.cumulativeFrequencyTable(), (std::vector<int32_t>{4, 5, 8}));
        static std::atomic<int32_t> draw{0};
        std::map<int32_t, int32_t> hits;
        sticky.setRandomForTest([] { return draw.load(); });
        for (int32_t r = 0; r < 8; ++r) {
            draw = r;
            auto info = sticky.peekCurrentPartitionInfo(cluster);
            sticky.updatePartitionInfo(info, 10, cluster, true);  // forces a new draw
            ++hits[sticky.peekCurrentPartitionInfo(cluster)->partition];
        }
        // Draws 0..3 -> p0, 4 -> p1, 5..7 -> p2.
        QCOMPARE(hits[0], 4);
        QCOMPARE(hits[1], 1);
        QCOMPARE(hits[2], 3);
        // Equal queues: plain uniform again.
        sticky.updatePartitionLoadStats({2, 2, 2}, {0, 1, 2}, 3);
        QVERIFY(sticky.cumulativeFrequencyTable().empty());
        // A partition left out for latency keeps adaptive on even with equal queues.
        sticky.updatePartitionLoadStats({2, 2, 2}, {0, 1, 2}, 2);
        QCOMPARE(sticky.cumulativeFrequencyTable(), (std::vector<int32_t>{1, 2}));
        QCOMPARE(sticky.loadStatsPartitionIds(), (std::vector<int32_t>{0, 1}));
    }

    // KIP-480: keyless sticks until a new batch is created on the sticky partition.
    void stickyDefaultSwitchesOnNewBatch() {
        StaticCluster cluster({{"t", {0, 1, 2, 0}}});
        StickyDefaultPartitioner p(false);
        QVERIFY(p.wantsOnNewBatch());
        const int32_t first = partitionOf(p, "t", std::nullopt, cluster);
        for (int i = 0; i < 50; ++i)
            QCOMPARE(partitionOf(p, "t", std::nullopt, cluster), first);
        p.onNewBatch("t", cluster, (first + 1) % 4);  // not the sticky one: ignored
        QCOMPARE(partitionOf(p, "t", std::nullopt, cluster), first);
        p.onNewBatch("t", cluster, first);
        const int32_t second = partitionOf(p, "t", std::nullopt, cluster);
        QVERIFY(second != first);
        QVERIFY(p.explain("t", std::nullopt, cluster)
                    .detail.find("sticky partition " + std::to_string(second)) !=
                std::string::npos);
        StickyDefaultPartitioner uniform(true);  // UniformStickyPartitioner: keys ignored
        const int32_t u = partitionOf(uniform, "t", bytes("foobar"), cluster);
        for (const char* k : {"a", "b", "c"})
            QCOMPARE(partitionOf(uniform, "t", bytes(k), cluster), u);
    }

    // Kafka <= 2.3: keyless round robin over AVAILABLE partitions from a random start.
    void legacyRoundRobinsOverAvailablePartitions() {
        StaticCluster cluster({{"t", {0, -1, 1, 2, -1}}});  // partitions 1 and 4 have no leader
        LegacyDefaultPartitioner p([] { return 0; });
        std::vector<int32_t> got;
        for (int i = 0; i < 6; ++i)
            got.push_back(partitionOf(p, "t", std::nullopt, cluster));
        QCOMPARE(got, (std::vector<int32_t>{0, 2, 3, 0, 2, 3}));
        // Keyed records hash over ALL partitions, available or not.
        const int32_t keyed = partitionOf(p, "t", bytes("21"), cluster);
        QCOMPARE(keyed, partitionForKey(bytes("21"), 5));
        // The counter starts at a random value per topic by default.
        std::set<int32_t> starts;
        for (int i = 0; i < 20; ++i) {
            LegacyDefaultPartitioner fresh;
            starts.insert(partitionOf(fresh, "t", std::nullopt, cluster));
        }
        QVERIFY(starts.size() > 1);
        // Negative counters (Java's int wrap) still land on a valid partition.
        LegacyDefaultPartitioner negative([] { return -7; });
        QCOMPARE(partitionOf(negative, "t", std::nullopt, cluster), 2);  // toPositive(-7) % 3 = 1
        // No partition available: all partitions.
        StaticCluster down({{"t", {-1, -1}}});
        LegacyDefaultPartitioner q([] { return 3; });
        QCOMPARE(partitionOf(q, "t", std::nullopt, down), 1);
    }

    void roundRobinIgnoresKeys() {
        StaticCluster cluster({{"t", {0, 1, -1, 2}}, {"u", {0, 1}}});
        RoundRobinPartitioner p;
        std::vector<int32_t> got;
        for (const char* k : {"a", "a", "a", "a"})
            got.push_back(partitionOf(p, "t", bytes(k), cluster));
        QCOMPARE(got, (std::vector<int32_t>{0, 1, 3, 0}));
        QCOMPARE(partitionOf(p, "u", std::nullopt, cluster), 0);  // per-topic counters
        auto e = p.explain("t", std::nullopt, cluster);
        QCOMPARE(e.partition, 1);
        QVERIFY(e.detail.find("available partitions [0,1,3]") != std::string::npos);
    }

    void factoryKnowsEveryName() {
        const std::vector<std::pair<std::string, std::string>> names = {
            {"", "KIP-794"},
            {"builtin", "KIP-794"},
            {"sticky", "DefaultPartitioner, Kafka 2.4-3.2"},
            {"org.apache.kafka.clients.producer.internals.DefaultPartitioner", "KIP-480"},
            {"org.apache.kafka.clients.producer.UniformStickyPartitioner", "UniformSticky"},
            {"legacy", "Kafka <= 2.3"},
            {"org.apache.kafka.clients.producer.RoundRobinPartitioner", "RoundRobinPartitioner"},
        };
        for (const auto& [name, expect] : names) {
            auto p = createPartitioner(configWith({{"partitioner.class", name}}), nullptr);
            QVERIFY2(p.ok(), name.c_str());
            QVERIFY2((*p)->name().find(expect) != std::string::npos, (*p)->name().c_str());
        }
        QVERIFY(!validatePartitionerClass("murmur3").ok());
        QVERIFY(knownPartitioners().size() >= 5);
        auto missing =
            createPartitioner(configWith({{"partitioner.class", "/nonexistent/p.so"}}), nullptr);
        QVERIFY(!missing.ok());
        QVERIFY(missing.error().message.find("/nonexistent/p.so") != std::string::npos);
    }
};

QTEST_GUILESS_MAIN(PartitionerTest)
#include "test_partitioner.moc"
