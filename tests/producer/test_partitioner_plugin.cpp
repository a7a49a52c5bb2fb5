#include <QtTest>

#include "producer/partitioner.h"
#include "producer/producer_config.h"
#include "static_cluster.h"

using namespace bs::producer;
using bs::producer::test::StaticCluster;

namespace {

const std::string kPlugin = BS_BINARY_DIR "/tests/tools/example_partitioner.so";

std::span<const uint8_t> bytes(std::string_view s) {
    return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

}  // namespace

// The example plugin (tests/tools/example_partitioner.cpp) loaded through dlopen by path.
class PartitionerPluginTest : public QObject {
    Q_OBJECT
  private slots:
    void initTestCase() {
        QVERIFY2(QFile::exists(QString::fromStdString(kPlugin)),
                 ("build the example_partitioner target first: " + kPlugin).c_str());
    }

    void loadsAndPartitions() {
        auto config = ProducerConfig::parse(std::map<std::string, std::string>{
            {"partitioner.class", kPlugin}, {"client.id", "demo"}});
        QVERIFY2(config.ok(), config.ok() ? "" : config.error().message.c_str());
        auto p = createPartitioner(*config, nullptr);
        QVERIFY2(p.ok(), p.ok() ? "" : p.error().message.c_str());
        Partitioner& partitioner = **p;
        QVERIFY(partitioner.name().find("key-sum example") != std::string::npos);
        QVERIFY(partitioner.wantsOnNewBatch());
        StaticCluster cluster({{"t", {0, -1, 1, 2, 0, 1}}});
        // Keyed: sum of key bytes % partitions ('a'+'b' = 195; 195 % 6 = 3).
        QCOMPARE(*partitioner.partition("t", bytes("ab"), std::nullopt, cluster), 3);
        QCOMPARE(*partitioner.partition("t", bytes(""), std::nullopt, cluster), 0);
        // Keyless: round robin over available partitions (1 has no leader).
        std::vector<int32_t> got;
        for (int i = 0; i < 6; ++i)
            got.push_back(*partitioner.partition("t", std::nullopt, std::nullopt, cluster));
        QCOMPARE(got, (std::vector<int32_t>{0, 2, 3, 4, 5, 0}));
        partitioner.onNewBatch("t", cluster, 0);
        auto keyed = partitioner.explain("t", bytes("ab"), cluster);
        QCOMPARE(keyed.detail, std::string("sum of key bytes = 195; % 6 = 3"));
        auto keyless = partitioner.explain("t", std::nullopt, cluster);
        QVERIFY2(keyless.detail.find("1 new batches seen") != std::string::npos,
                 keyless.detail.c_str());
        // choosePartition range-checks what a plugin returns, and explicit partitions still win.
        QCOMPARE(*choosePartition(5, "t", bytes("ab"), std::nullopt, partitioner, cluster), 5);
    }

    void pluginErrorsAreReported() {
        auto config = ProducerConfig::parse(std::map<std::string, std::string>{
            {"partitioner.class", kPlugin}, {"client.id", "reject-me"}});
        auto p = createPartitioner(*config, nullptr);
        QVERIFY(!p.ok());
        QVERIFY2(p.error().message.find("refused by the example") != std::string::npos &&
                     p.error().message.find(kPlugin) != std::string::npos,
                 p.error().message.c_str());
        // A library without the entry point.
        auto notPlugin = ProducerConfig::parse(std::map<std::string, std::string>{
            {"partitioner.class", "/lib/x86_64-linux-gnu/libz.so.1"}});
        QVERIFY(notPlugin.ok());
        auto q = createPartitioner(*notPlugin, nullptr);
        QVERIFY(!q.ok());
        QVERIFY2(q.error().message.find("bs_partitioner_plugin_entry") != std::string::npos,
                 q.error().message.c_str());
    }
};

QTEST_GUILESS_MAIN(PartitionerPluginTest)
#include "test_partitioner_plugin.moc"
