#include <QtTest>

#include <fstream>

#include "client/network_client_asio.h"
#include "producer/config_def.h"
#include "producer/producer_config.h"
#include "producer/record_accumulator.h"
#include "producer/sender.h"

using bs::producer::ProducerConfig;
using KV = std::map<std::string, std::string>;

namespace {

std::string valueOf(const ProducerConfig& c, const std::string& key) {
    for (const auto& [k, v] : c.values())
        if (k == key) return v;
    return "<missing>";
}

// The error for a single bad setting; fails the test if it parsed.
std::string errorFor(const KV& kv) {
    auto r = ProducerConfig::parse(kv);
    if (r.ok()) return "<accepted>";
    return r.error().message;
}

}  // namespace

class ConfigTest : public QObject {
    Q_OBJECT
  private slots:
    void defaultsAreJavas() {
        auto c = ProducerConfig::defaults();
        QVERIFY(c.ok());
        QCOMPARE(c->acks, int16_t{-1});
        QCOMPARE(c->enableIdempotence, true);
        QCOMPARE(c->batchSize, 16384);
        QCOMPARE(c->lingerMs, int64_t{5});
        QCOMPARE(c->bufferMemory, int64_t{33554432});
        QCOMPARE(c->maxInFlightRequestsPerConnection, 5);
        QCOMPARE(c->maxBlockMs, int64_t{60000});
        QCOMPARE(c->requestTimeoutMs, 30000);
        QCOMPARE(c->deliveryTimeoutMs, 120000);
        QCOMPARE(c->retries, INT32_MAX);
        QCOMPARE(c->retryBackoffMs, int64_t{100});
        QCOMPARE(c->retryBackoffMaxMs, int64_t{1000});
        QCOMPARE(c->maxRequestSize, 1048576);
        QVERIFY(c->compressionType == bs::protocol::CompressionType::None);
        QCOMPARE(c->compressionGzipLevel, -1);
        QCOMPARE(c->compressionLz4Level, 9);
        QCOMPARE(c->compressionZstdLevel, 3);
        QVERIFY(c->partitionerClass.empty());
        QCOMPARE(c->partitionerAdaptivePartitioningEnable, true);
        QCOMPARE(c->partitionerAvailabilityTimeoutMs, int64_t{0});
        QCOMPARE(c->partitionerIgnoreKeys, false);
        QCOMPARE(c->metadataMaxAgeMs, int64_t{300000});
        QCOMPARE(c->reconnectBackoffMs, int64_t{50});
        QCOMPARE(c->reconnectBackoffMaxMs, int64_t{1000});
        QCOMPARE(c->connectionsMaxIdleMs, int64_t{540000});
        QCOMPARE(c->sendBufferBytes, 131072);
        QCOMPARE(c->receiveBufferBytes, 32768);
        QCOMPARE(c->keySerializer, std::string("bytes"));
        QVERIFY(c->adjustments.empty());
    }

    void everyKeyHasMetadataAndAParsableDefault() {
        for (const auto& def : bs::producer::producerConfigDefs()) {
            QVERIFY2(!def.doc.empty(), std::string(def.name).c_str());
            QVERIFY(bs::producer::findConfigDef(def.name) == &def);
            if (!def.defaultValue || def.name == "transactional.id") continue;
            auto c =
                ProducerConfig::parse(KV{{std::string(def.name), std::string(*def.defaultValue)}});
            QVERIFY2(c.ok(),
                     (std::string(def.name) + ": " + (c.ok() ? "" : c.error().message)).c_str());
        }
        QVERIFY(bs::producer::findConfigDef("no.such.key") == nullptr);
        QCOMPARE(bs::producer::configGroupName(bs::producer::findConfigDef("linger.ms")->group),
                 std::string_view("batching"));
        QCOMPARE(bs::producer::configGroupName(bs::producer::findConfigDef("acks")->group),
                 std::string_view("delivery"));
    }

    // A key is defined once, in its ConfigKeyDef: a field's initial value is that key's default,
    // so a ProducerConfig made without parse() agrees with one that parsed nothing.
    void fieldInitialValuesAreTheKeysDefaults() {
        const ProducerConfig fresh;
        auto parsed = ProducerConfig::defaults();
        QVERIFY2(parsed.ok(), parsed.ok() ? "" : parsed.error().message.c_str());
        int checked = 0;
        for (const auto& def : bs::producer::producerConfigDefs()) {
            if (!def.access.get) continue;
            QCOMPARE(def.access.get(fresh), def.access.get(*parsed));
            ++checked;
        }
        QVERIFY(checked >= 30);
    }

    // Sub-configs are not a second place for defaults: a default-made RecordAccumulator::Config,
    // SenderConfig and NetworkClientConfig hold each key's default from the table, and agree
    // with what from() makes of a configuration that set nothing.
    void subConfigDefaultsAreTheKeysDefaults() {
        using bs::producer::findConfigDef;
        const auto number = [](std::string_view key) -> int64_t {
            const auto* def = findConfigDef(key);
            auto v = def->parse(*def->defaultValue);
            return std::get<int64_t>(*v);
        };
        const auto flag = [](std::string_view key) {
            const auto* def = findConfigDef(key);
            auto v = def->parse(*def->defaultValue);
            return std::get<bool>(*v);
        };
        const auto parsed = ProducerConfig::defaults();
        QVERIFY2(parsed.ok(), parsed.ok() ? "" : parsed.error().message.c_str());
        const ProducerConfig& nothingSet = *parsed;

        const bs::producer::RecordAccumulator::Config acc;
        QCOMPARE(int64_t{acc.batchSize}, number("batch.size"));
        QCOMPARE(acc.lingerMs, number("linger.ms"));
        QCOMPARE(acc.retryBackoffMs, number("retry.backoff.ms"));
        QCOMPARE(acc.retryBackoffMaxMs, number("retry.backoff.max.ms"));
        QCOMPARE(int64_t{acc.deliveryTimeoutMs}, number("delivery.timeout.ms"));
        QCOMPARE(acc.enableAdaptivePartitioning, flag("partitioner.adaptive.partitioning.enable"));
        QCOMPARE(acc.partitionAvailabilityTimeoutMs, number("partitioner.availability.timeout.ms"));
        QCOMPARE(*findConfigDef("compression.type")->defaultValue, std::string_view("none"));
        QVERIFY(acc.compression == bs::protocol::CompressionType::None);
        QCOMPARE(acc.compressionLevel, 0);
        const auto accFrom = bs::producer::RecordAccumulator::Config::from(nothingSet);
        QCOMPARE(acc.batchSize, accFrom.batchSize);
        QCOMPARE(acc.lingerMs, accFrom.lingerMs);
        QCOMPARE(acc.deliveryTimeoutMs, accFrom.deliveryTimeoutMs);
        QCOMPARE(acc.partitionAvailabilityTimeoutMs, accFrom.partitionAvailabilityTimeoutMs);

        const bs::producer::SenderConfig sender;
        QCOMPARE(*findConfigDef("acks")->defaultValue, std::string_view("all"));
        QCOMPARE(sender.acks, int16_t{-1});
        QCOMPARE(int64_t{sender.maxRequestSize}, number("max.request.size"));
        QCOMPARE(int64_t{sender.requestTimeoutMs}, number("request.timeout.ms"));
        QCOMPARE(int64_t{sender.retries}, number("retries"));
        QCOMPARE(sender.retryBackoffMs, number("retry.backoff.ms"));
        QCOMPARE(sender.reconnectBackoffMs, number("reconnect.backoff.ms"));
        QCOMPARE(sender.guaranteeMessageOrder,
                 number("max.in.flight.requests.per.connection") == 1);
        const auto senderFrom = bs::producer::SenderConfig::from(nothingSet);
        QCOMPARE(sender.acks, senderFrom.acks);
        QCOMPARE(sender.retries, senderFrom.retries);
        QCOMPARE(sender.guaranteeMessageOrder, senderFrom.guaranteeMessageOrder);

        // The client layer cannot read the producer's table; its defaults are checked here.
        const bs::client::NetworkClientConfig net;
        QCOMPARE(net.reconnectBackoffMs, number("reconnect.backoff.ms"));
        QCOMPARE(net.reconnectBackoffMaxMs, number("reconnect.backoff.max.ms"));
        QCOMPARE(int64_t{net.maxInFlightRequestsPerConnection},
                 number("max.in.flight.requests.per.connection"));
        QCOMPARE(net.connectionSetupTimeoutMs, number("socket.connection.setup.timeout.ms"));
        QCOMPARE(int64_t{net.sendBufferBytes}, number("send.buffer.bytes"));
        QCOMPARE(int64_t{net.receiveBufferBytes}, number("receive.buffer.bytes"));
    }

    void everyKeyIsApplied_data() {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("given");
        QTest::addColumn<QString>("shown");
        const std::vector<std::array<const char*, 3>> rows = {
            {"bootstrap.servers", " a:9092 , [::1]:9093 ", "a:9092,[::1]:9093"},
            {"client.id", "me", "me"},
            {"metadata.max.age.ms", "1000", "1000"},
            {"metadata.max.idle.ms", "6000", "6000"},
            {"reconnect.backoff.max.ms", "2000", "2000"},
            {"connections.max.idle.ms", "-1", "-1"},
            {"send.buffer.bytes", "-1", "-1"},
            {"receive.buffer.bytes", "65536", "65536"},
            {"request.timeout.ms", "20000", "20000"},
            {"socket.connection.setup.timeout.ms", "5000", "5000"},
            {"socket.connection.setup.timeout.max.ms", "6000", "6000"},
            {"security.protocol", "plaintext", "PLAINTEXT"},
            {"batch.size", "0", "0"},
            {"linger.ms", "+100", "100"},
            {"buffer.memory", "1048576", "1048576"},
            {"max.block.ms", "0", "0"},
            {"max.request.size", "2000000", "2000000"},
            {"compression.type", "zstd", "zstd"},
            {"compression.gzip.level", "9", "9"},
            {"compression.lz4.level", "17", "17"},
            {"compression.zstd.level", "-5", "-5"},
            {"acks", "all", "all"},
            {"enable.idempotence", "TRUE", "true"},
            {"max.in.flight.requests.per.connection", "1", "1"},
            {"retries", "3", "3"},
            {"retry.backoff.ms", "50", "50"},
            {"retry.backoff.max.ms", "500", "500"},
            {"delivery.timeout.ms", "60000", "60000"},
            {"partitioner.class", "org.apache.kafka.clients.producer.RoundRobinPartitioner",
             "org.apache.kafka.clients.producer.RoundRobinPartitioner"},
            {"partitioner.adaptive.partitioning.enable", "false", "false"},
            {"partitioner.availability.timeout.ms", "250", "250"},
            {"partitioner.ignore.keys", "true", "true"},
            {"key.serializer", "org.apache.kafka.common.serialization.StringSerializer", "string"},
            {"value.serializer", "IntegerSerializer", "int"},
            {"client.dns.lookup", "resolve_canonical_bootstrap_servers_only",
             "resolve_canonical_bootstrap_servers_only"},
            {"interceptor.classes", "", ""},
            {"enable.metrics.push", "false", "false"},
            {"metrics.sample.window.ms", "1000", "1000"},
            {"metrics.num.samples", "3", "3"},
            {"metrics.recording.level", "DEBUG", "DEBUG"},
            {"metric.reporters", "", ""},
            {"transaction.timeout.ms", "1000", "1000"},
        };
        for (const auto& r : rows)
            QTest::newRow(r[0]) << r[0] << r[1] << r[2];
    }
    void everyKeyIsApplied() {
        QFETCH(QString, key);
        QFETCH(QString, given);
        QFETCH(QString, shown);
        auto c = ProducerConfig::parse(KV{{key.toStdString(), given.toStdString()}});
        QVERIFY2(c.ok(), c.ok() ? "" : c.error().message.c_str());
        QCOMPARE(QString::fromStdString(valueOf(*c, key.toStdString())), shown);
        // What values() shows parses back to the same configuration.
        auto again = ProducerConfig::parse(KV{{key.toStdString(), shown.toStdString()}});
        QVERIFY(again.ok());
        QCOMPARE(QString::fromStdString(valueOf(*again, key.toStdString())), shown);
    }

    void typedFieldsFollowTheKeys() {
        auto c = ProducerConfig::parse(KV{{"acks", "1"},
                                          {"linger.ms", "25"},
                                          {"compression.type", "lz4"},
                                          {"compression.lz4.level", "3"},
                                          {"bootstrap.servers", "h1:1,h2:2"}});
        QVERIFY(c.ok());
        QCOMPARE(c->acks, int16_t{1});
        QCOMPARE(c->lingerMs, int64_t{25});
        QVERIFY(c->compressionType == bs::protocol::CompressionType::Lz4);
        QCOMPARE(c->compressionLevel(), 3);
        QCOMPARE(c->bootstrapServers, (std::vector<std::string>{"h1:1", "h2:2"}));
        QCOMPARE(c->originals.at("acks"), std::string("1"));
    }

    void badValuesNameTheKey_data() {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("reason");
        QTest::newRow("not a number") << "batch.size"
                                      << "abc"
                                      << "expected an int";
        QTest::newRow("int overflow") << "batch.size"
                                      << "2147483648"
                                      << "out of range";
        QTest::newRow("negative") << "linger.ms"
                                  << "-1"
                                  << "at least 0";
        QTest::newRow("below min") << "metadata.max.idle.ms"
                                   << "1000"
                                   << "at least 5000";
        QTest::newRow("trailing junk") << "max.block.ms"
                                       << "10ms"
                                       << "expected a long";
        QTest::newRow("acks") << "acks"
                              << "2"
                              << "one of [all, -1, 0, 1]";
        QTest::newRow("boolean") << "enable.idempotence"
                                 << "yes"
                                 << "true or false";
        QTest::newRow("codec") << "compression.type"
                               << "brotli"
                               << "one of";
        QTest::newRow("gzip level") << "compression.gzip.level"
                                    << "0"
                                    << "compression.gzip.level";
        QTest::newRow("lz4 level") << "compression.lz4.level"
                                   << "18"
                                   << "at most 17";
        QTest::newRow("in flight") << "max.in.flight.requests.per.connection"
                                   << "0"
                                   << "at least 1";
        QTest::newRow("server") << "bootstrap.servers"
                                << "localhost"
                                << "host:port";
        QTest::newRow("port") << "bootstrap.servers"
                              << "h:99999"
                              << "0..65535";
        QTest::newRow("empty element") << "bootstrap.servers"
                                       << "a:1,,b:2"
                                       << "empty list";
        QTest::newRow("serializer") << "key.serializer"
                                    << "com.example.Avro"
                                    << "unknown serializer";
        QTest::newRow("partitioner") << "partitioner.class"
                                     << "hash"
                                     << "unknown partitioner";
        QTest::newRow("security") << "security.protocol"
                                  << "TLS"
                                  << "'TLS'";
        QTest::newRow("interceptors") << "interceptor.classes"
                                      << "a.B"
                                      << "not supported";
        QTest::newRow("transactions") << "transactional.id"
                                      << "tx"
                                      << "not supported";
    }
    void badValuesNameTheKey() {
        QFETCH(QString, key);
        QFETCH(QString, value);
        QFETCH(QString, reason);
        const std::string e = errorFor(KV{{key.toStdString(), value.toStdString()}});
        QVERIFY2(e.find(key.toStdString()) != std::string::npos, e.c_str());
        QVERIFY2(e.find(reason.toStdString()) != std::string::npos, e.c_str());
    }

    void unknownKeyIsRejected() {
        const std::string e = errorFor(KV{{"linger.msec", "5"}});
        QVERIFY2(
            e.find("unknown") != std::string::npos && e.find("linger.msec") != std::string::npos,
            e.c_str());
    }

    void idempotenceCrossChecks() {
        // Explicitly enabled idempotence with a conflicting setting is an error naming it.
        QVERIFY(errorFor(KV{{"enable.idempotence", "true"}, {"acks", "1"}}).find("acks") !=
                std::string::npos);
        QVERIFY(errorFor(KV{{"enable.idempotence", "true"}, {"retries", "0"}}).find("retries") !=
                std::string::npos);
        QVERIFY(errorFor(KV{{"enable.idempotence", "true"},
                            {"max.in.flight.requests.per.connection", "6"}})
                    .find("max.in.flight.requests.per.connection") != std::string::npos);
        // The default (not given) is switched off instead, and says why.
        for (const KV& kv : {KV{{"acks", "0"}}, KV{{"retries", "0"}},
                             KV{{"max.in.flight.requests.per.connection", "6"}}}) {
            auto c = ProducerConfig::parse(kv);
            QVERIFY(c.ok());
            QCOMPARE(c->enableIdempotence, false);
            QCOMPARE(c->adjustments.size(), size_t{1});
            QCOMPARE(c->adjustments[0].first, std::string("enable.idempotence"));
        }
        // Disabled idempotence allows anything.
        auto c = ProducerConfig::parse(KV{{"enable.idempotence", "false"},
                                          {"acks", "1"},
                                          {"max.in.flight.requests.per.connection", "10"}});
        QVERIFY(c.ok());
        QVERIFY(c->adjustments.empty());
        // acks=-1 is all.
        QVERIFY(ProducerConfig::parse(KV{{"enable.idempotence", "true"}, {"acks", "-1"}}).ok());
    }

    void deliveryTimeoutCrossCheck() {
        const std::string e = errorFor(KV{{"delivery.timeout.ms", "30000"}});
        QVERIFY2(e.find("delivery.timeout.ms") != std::string::npos &&
                     e.find("linger.ms + request.timeout.ms") != std::string::npos,
                 e.c_str());
        QVERIFY(ProducerConfig::parse(KV{{"delivery.timeout.ms", "30005"}}).ok());
        // Not given: raised to linger + request timeout, as Java.
        auto c = ProducerConfig::parse(KV{{"request.timeout.ms", "200000"}});
        QVERIFY(c.ok());
        QCOMPARE(c->deliveryTimeoutMs, 200005);
        QCOMPARE(c->adjustments.at(0).first, std::string("delivery.timeout.ms"));
    }

    void reconnectBackoffAloneDisablesExponential() {
        auto c = ProducerConfig::parse(KV{{"reconnect.backoff.ms", "300"}});
        QVERIFY(c.ok());
        QCOMPARE(c->reconnectBackoffMaxMs, int64_t{300});
        auto d = ProducerConfig::parse(
            KV{{"reconnect.backoff.ms", "300"}, {"reconnect.backoff.max.ms", "5000"}});
        QCOMPARE(d->reconnectBackoffMaxMs, int64_t{5000});
    }

    void laterDuplicatesWin() {
        auto c = ProducerConfig::parse(std::vector<std::pair<std::string, std::string>>{
            {"linger.ms", "1"}, {"linger.ms", "7"}});
        QVERIFY(c.ok());
        QCOMPARE(c->lingerMs, int64_t{7});
    }

    void propertiesSyntax() {
        const std::string text =
            "# a comment\n"
            "! another comment\n"
            "\n"
            "   \t\n"
            "acks=1\n"
            "linger.ms : 20\n"
            "batch.size 32768\n"
            "client.id=  spaced value \\\n"
            "    continued\n"
            "key\\=with\\:escapes = tab\\there\\u00e9\\\\\n"
            "empty=\n"
            "crlf=yes\r\n"
            "cr=only\r"
            "last=end";
        auto pairs = ProducerConfig::parsePropertiesText(text);
        QVERIFY(pairs.ok());
        const std::vector<std::pair<std::string, std::string>> want = {
            {"acks", "1"},
            {"linger.ms", "20"},
            {"batch.size", "32768"},
            {"client.id", "spaced value continued"},
            {"key=with:escapes", "tab\there\xc3\xa9\\"},
            {"empty", ""},
            {"crlf", "yes"},
            {"cr", "only"},
            {"last", "end"},
        };
        QCOMPARE(*pairs, want);
    }

    void propertiesEdgeCases() {
        // A comment line ending in a backslash does not continue; an even number of trailing
        // backslashes is an escaped backslash, not a continuation.
        auto p = ProducerConfig::parsePropertiesText("# x \\\na=1\nb=2\\\\\nc=3\n");
        QVERIFY(p.ok());
        QCOMPARE(p->size(), size_t{3});
        QCOMPARE((*p)[1], (std::pair<std::string, std::string>{"b", "2\\"}));
        // Surrogate pairs become one UTF-8 code point.
        auto q = ProducerConfig::parsePropertiesText("k=\\uD83D\\uDE00");
        QVERIFY(q.ok());
        QCOMPARE((*q)[0].second, std::string("\xF0\x9F\x98\x80"));
        auto bad = ProducerConfig::parsePropertiesText("ok=1\nk=\\u12g4\n");
        QVERIFY(!bad.ok());
        QVERIFY2(bad.error().message.find("line 2") != std::string::npos,
                 bad.error().message.c_str());
    }

    void propertiesFile() {
        const QString path = QDir::temp().filePath("bs_test_producer_config.properties");
        {
            std::ofstream out(path.toStdString());
            out << "# producer.config\nbootstrap.servers=localhost:9092\nacks=1\n"
                   "key.serializer=org.apache.kafka.common.serialization.StringSerializer\n";
        }
        auto c = ProducerConfig::parsePropertiesFile(path.toStdString());
        QVERIFY2(c.ok(), c.ok() ? "" : c.error().message.c_str());
        QCOMPARE(c->acks, int16_t{1});
        QCOMPARE(c->enableIdempotence, false);  // implicitly, because acks=1
        QCOMPARE(c->keySerializer, std::string("string"));
        {
            std::ofstream out(path.toStdString());
            out << "acks=1\nbatch.size=-5\n";
        }
        auto bad = ProducerConfig::parsePropertiesFile(path.toStdString());
        QVERIFY(!bad.ok());
        QVERIFY(bad.error().message.find("batch.size") != std::string::npos);
        QVERIFY(bad.error().message.find(path.toStdString()) != std::string::npos);
        QFile::remove(path);
        auto missing = ProducerConfig::parsePropertiesFile("/nonexistent/x.properties");
        QVERIFY(!missing.ok());
        QVERIFY(missing.error().message.find("/nonexistent/x.properties") != std::string::npos);
    }
};

QTEST_GUILESS_MAIN(ConfigTest)
#include "test_config.moc"
