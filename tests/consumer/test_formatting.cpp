// ConsumerConfig, deserializers and kafka-console-consumer's DefaultMessageFormatter output.
#include <QtTest>

#include "consumer/consumer_config.h"
#include "consumer/consumer_record.h"
#include "consumer/deserializers.h"
#include "consumer/message_formatter.h"
#include "producer/serializers.h"

using namespace bs;
using namespace bs::consumer;

namespace {

// Builds a ConsumerRecords holding one batch with the given records.
ConsumerRecords recordsOf(const std::vector<protocol::Record>& recs, int32_t partition = 3,
                          protocol::TimestampType tt = protocol::TimestampType::CreateTime) {
    ConsumerRecords out;
    BatchInfo b;
    b.tp = {"topic", partition};
    b.timestampType = tt;
    out.addBatch(b);
    for (const auto& r : recs)
        out.addRecord(r, r.timestamp, out.empty());
    return out;
}

protocol::Bytes bytesOf(const std::string& s) {
    return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

// Encodes headers as a record carries them (count given separately).
std::vector<uint8_t> encodeHeaders(
    const std::vector<std::pair<std::string, std::optional<std::string>>>& hs) {
    std::vector<uint8_t> out;
    auto varint = [&](int64_t v) {
        uint64_t z = (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63);
        while (z >= 0x80) {
            out.push_back(static_cast<uint8_t>(z | 0x80));
            z >>= 7;
        }
        out.push_back(static_cast<uint8_t>(z));
    };
    for (const auto& [k, v] : hs) {
        varint(static_cast<int64_t>(k.size()));
        out.insert(out.end(), k.begin(), k.end());
        if (!v) {
            varint(-1);
        } else {
            varint(static_cast<int64_t>(v->size()));
            out.insert(out.end(), v->begin(), v->end());
        }
    }
    return out;
}

std::string format(const std::map<std::string, std::string>& props, const ConsumerRecords& rs) {
    auto f = DefaultMessageFormatter::create(props);
    if (!f) qFatal("%s", f.error().message.c_str());
    std::string out;
    for (const auto& r : rs)
        if (!f->writeTo(r, out).ok()) qFatal("format failed");
    return out;
}

}  // namespace

class FormattingTest : public QObject {
    Q_OBJECT
  private slots:
    void configDefaultsAndErrors() {
        auto c = ConsumerConfig::parse(
            std::map<std::string, std::string>{{"bootstrap.servers", "a:1, b:2"}});
        QVERIFY(c.ok());
        QCOMPARE(c->bootstrapServers, (std::vector<std::string>{"a:1", "b:2"}));
        QCOMPARE(c->fetchMinBytes, 1);
        QCOMPARE(c->fetchMaxBytes, 52428800);
        QCOMPARE(c->fetchMaxWaitMs, 500);
        QCOMPARE(c->maxPartitionFetchBytes, 1048576);
        QCOMPARE(c->maxPollRecords, 500);
        QCOMPARE(c->requestTimeoutMs, 30000);
        QCOMPARE(c->autoOffsetReset, OffsetResetStrategy::Latest);

        auto unknown = ConsumerConfig::parse(std::map<std::string, std::string>{
            {"bootstrap.servers", "a:1"}, {"fetch.max.wait", "5"}});
        QVERIFY(!unknown.ok());
        QVERIFY(unknown.error().message.find("'fetch.max.wait'") != std::string::npos);
        auto badReset = ConsumerConfig::parse(std::map<std::string, std::string>{
            {"bootstrap.servers", "a:1"}, {"auto.offset.reset", "smallest"}});
        QVERIFY(!badReset.ok());
        QVERIFY(badReset.error().message.find("auto.offset.reset") != std::string::npos);
        auto badNumber = ConsumerConfig::parse(std::map<std::string, std::string>{
            {"bootstrap.servers", "a:1"}, {"fetch.min.bytes", "-3"}});
        QVERIFY(!badNumber.ok());
        QVERIFY(badNumber.error().message.find("fetch.min.bytes") != std::string::npos);
        QVERIFY(!ConsumerConfig::parse(std::map<std::string, std::string>{}).ok());
        QVERIFY(!ConsumerConfig::parse(
                     std::map<std::string, std::string>{{"bootstrap.servers", "nohost"}})
                     .ok());
        auto des = ConsumerConfig::parse(std::map<std::string, std::string>{
            {"bootstrap.servers", "a:1"},
            {"key.deserializer", "org.apache.kafka.common.serialization.LongDeserializer"},
            {"value.deserializer", "StringDeserializer"},
            {"group.id", "ignored"},
            {"auto.offset.reset", "none"}});
        QVERIFY(des.ok());
        QCOMPARE(des->keyDeserializer, std::string("long"));
        QCOMPARE(des->valueDeserializer, std::string("string"));
        QCOMPARE(des->autoOffsetReset, OffsetResetStrategy::None);
        QVERIFY(!ConsumerConfig::parse(
                     std::map<std::string, std::string>{{"bootstrap.servers", "a:1"},
                                                        {"value.deserializer", "FooDeserializer"}})
                     .ok());
    }

    // A key is defined once, in its ConsumerConfigDef: a field's initial value is that key's
    // default, and parse() starts every key there.
    void configFieldInitialValuesAreTheKeysDefaults() {
        const ConsumerConfig fresh;
        auto parsed =
            ConsumerConfig::parse(std::map<std::string, std::string>{{"bootstrap.servers", "a:1"}});
        QVERIFY2(parsed.ok(), parsed.ok() ? "" : parsed.error().message.c_str());
        int checked = 0;
        for (const auto& def : consumerConfigDefs()) {
            QVERIFY(findConsumerConfigDef(def.name) == &def);
            QVERIFY2(!def.doc.empty(), std::string(def.name).c_str());
            QVERIFY2(def.parse(def.defaultValue).ok(), std::string(def.name).c_str());
            if (!def.access.get || def.name == "bootstrap.servers") continue;
            QCOMPARE(def.access.get(fresh), def.access.get(*parsed));
            auto value = def.parse(def.defaultValue);
            ConsumerConfig viaSetter;
            QVERIFY(def.access.set(viaSetter, *value).ok());
            QCOMPARE(def.access.get(viaSetter), def.access.get(fresh));
            ++checked;
        }
        QVERIFY(checked >= 20);
        QVERIFY(findConsumerConfigDef("no.such.key") == nullptr);
    }

    // Errors name the key and the value; a key without effect still gets its value checked.
    void configErrorsNameKeyAndValue() {
        const auto errorFor = [](const std::string& key, const std::string& value) {
            auto c = ConsumerConfig::parse(
                std::map<std::string, std::string>{{"bootstrap.servers", "a:1"}, {key, value}});
            return c.ok() ? std::string("<accepted>") : c.error().message;
        };
        QCOMPARE(errorFor("max.poll.records", "0"),
                 std::string("invalid value '0' for configuration max.poll.records: must be at "
                             "least 1"));
        QCOMPARE(errorFor("fetch.max.wait.ms", "12abc"),
                 std::string("invalid value '12abc' for configuration fetch.max.wait.ms: expected "
                             "an int"));
        QCOMPARE(errorFor("isolation.level", "read_committed"),
                 std::string("invalid value 'read_committed' for configuration isolation.level: "
                             "read_committed is not supported (this consumer has no transaction "
                             "support); use read_uncommitted"));
        QCOMPARE(errorFor("enable.auto.commit", "yes"),
                 std::string("invalid value 'yes' for configuration enable.auto.commit: expected "
                             "true or false"));
        QVERIFY2(errorFor("key.deserializer", "FooDeserializer")
                     .starts_with("invalid value 'FooDeserializer' for configuration "
                                  "key.deserializer: "),
                 errorFor("key.deserializer", "FooDeserializer").c_str());
        QCOMPARE(errorFor("security.protocol", "plaintext"), std::string("<accepted>"));
        auto badServer = ConsumerConfig::parse(
            std::map<std::string, std::string>{{"bootstrap.servers", "a:1,b"}});
        QVERIFY(!badServer.ok());
        QCOMPARE(badServer.error().message,
                 std::string("invalid value 'b' for configuration bootstrap.servers: expected "
                             "host:port"));
    }

    void deserializersInvertSerializers() {
        const std::vector<std::pair<std::string, std::string>> cases = {
            {"string", "héllo"},
            {"short", "-12345"},
            {"int", "2147483647"},
            {"long", "-9223372036854775808"},
            {"double", "3.14"},
            {"double", "1.0E10"},
            {"double", "1.0E-5"},
            {"double", "0.001"},
            {"double", "1234567.0"},
            {"float", "0.1"},
            {"bytes", "00ff10"},
            {"uuid", "123e4567-e89b-12d3-a456-426614174000"},
            {"json", "{\"a\":[1,2,{\"b\":null}]}"},
        };
        for (const auto& [name, text] : cases) {
            auto ser = producer::createSerializer(name);
            QVERIFY(ser.ok());
            std::vector<uint8_t> bytes;
            bool isNull = false;
            QVERIFY2((*ser)->serialize("t", producer::FieldValue{text}, bytes, isNull).ok(),
                     (name + " " + text).c_str());
            auto des = createDeserializer(name);
            QVERIFY(des.ok());
            std::string out;
            QVERIFY((*des)->deserialize(bytes, out).ok());
            QCOMPARE(out, text);
        }
        QCOMPARE(javaDoubleToString(100.0), std::string("100.0"));
        QCOMPARE(javaDoubleToString(1e7), std::string("1.0E7"));
        QCOMPARE(javaDoubleToString(-0.5), std::string("-0.5"));
        QCOMPARE(javaDoubleToString(0.0001), std::string("1.0E-4"));
        QCOMPARE(javaDoubleToString(1.0 / 0.0), std::string("Infinity"));
        QCOMPARE(javaFloatToString(3.4028235e38f), std::string("3.4028235E38"));

        auto intDes = createDeserializer("IntegerDeserializer");
        QVERIFY(intDes.ok());
        std::string out;
        const std::string abc = "abc", oops = "{oops", notUuid = "not-a-uuid";
        Status s = (*intDes)->deserialize(bytesOf(abc), out);
        QVERIFY(!s.ok());
        QVERIFY(s.message().find("IntegerDeserializer is not 4") != std::string::npos);
        QVERIFY(!(*createDeserializer("json"))->deserialize(bytesOf(oops), out).ok());
        QVERIFY(!(*createDeserializer("uuid"))->deserialize(bytesOf(notUuid), out).ok());
        QVERIFY(!createDeserializer("Nope").ok());
    }

    void defaultFormatIsTheValue() {
        const std::string k = "k", v = "hello";
        protocol::Record r;
        r.offset = 7;
        r.timestamp = 1700000000123;
        r.key = bytesOf(k);
        r.value = bytesOf(v);
        auto rs = recordsOf({r});
        QCOMPARE(format({}, rs), std::string("hello\n"));
    }

    void everyPrintPropertyInKafkasOrder() {
        std::string k = "key1", v = "val1";
        auto hb = encodeHeaders({{"h1", std::string("a")}, {"h2", std::nullopt}});
        protocol::Record r;
        r.offset = 42;
        r.timestamp = 1700000000123;
        r.key = bytesOf(k);
        r.value = bytesOf(v);
        r.headerCount = 2;
        r.headerBytes = hb;
        auto rs = recordsOf({r});
        const std::map<std::string, std::string> all = {
            {"print.timestamp", "true"}, {"print.partition", "true"}, {"print.offset", "true"},
            {"print.headers", "true"},   {"print.key", "true"},       {"print.value", "true"}};
        QCOMPARE(format(all, rs),
                 std::string("CreateTime:1700000000123\tPartition:3\tOffset:42\th1:a,h2:null\t"
                             "key1\tval1\n"));
        auto custom = all;
        custom["key.separator"] = " | ";
        custom["headers.separator"] = ";";
        custom["line.separator"] = "<EOL>";
        custom["null.literal"] = "NULL";
        custom["print.epoch"] = "TRUE ";
        custom["print.delivery"] = "true";
        QCOMPARE(format(custom, rs),
                 std::string("CreateTime:1700000000123 | Partition:3 | Offset:42 | "
                             "Delivery:NOT_PRESENT | Epoch:NOT_PRESENT | h1:a;h2:NULL | key1 | "
                             "val1<EOL>"));
        // The last printed column gets no separator; without print.value no line separator.
        QCOMPARE(format({{"print.key", "true"}, {"print.value", "false"}}, rs),
                 std::string("key1"));
        QCOMPARE(format({{"print.offset", "true"}, {"print.value", "false"}}, rs),
                 std::string("Offset:42"));
    }

    void nullsHeadersAndDeserializers() {
        protocol::Record r;
        r.offset = 0;
        r.timestamp = 5;
        std::vector<uint8_t> longBytes = {0, 0, 0, 0, 0, 0, 0x30, 0x39};  // 12345
        r.value = protocol::Bytes(longBytes);
        auto rs = recordsOf({r}, 0, protocol::TimestampType::LogAppendTime);
        QCOMPARE(format({{"print.key", "true"},
                         {"print.headers", "true"},
                         {"print.timestamp", "true"},
                         {"value.deserializer", "LongDeserializer"}},
                        rs),
                 std::string("LogAppendTime:5\tNO_HEADERS\tnull\t12345\n"));
        QCOMPARE(format({{"value.deserializer",
                          "org.apache.kafka.common.serialization."
                          "ByteArrayDeserializer"}},
                        rs),
                 std::string("0000000000003039\n"));
        auto bad = DefaultMessageFormatter::create({{"key.deserializer", "Nope"}});
        QVERIFY(!bad.ok());
        QVERIFY(bad.error().message.find("key.deserializer") != std::string::npos);
        auto f = DefaultMessageFormatter::create({{"value.deserializer", "int"}});
        std::string out = "keep";
        QVERIFY(!f->writeTo(rs[0], out).ok());
        QCOMPARE(out, std::string("keep"));  // nothing half-written
    }

    void batchLine() {
        BatchInfo b;
        b.tp = {"t", 1};
        b.baseOffset = 10;
        b.lastOffsetDelta = 4;
        b.recordCount = 5;
        b.compression = protocol::CompressionType::Zstd;
        b.maxTimestamp = 99;
        b.producerId = 7;
        b.producerEpoch = 0;
        b.baseSequence = 20;
        b.partitionLeaderEpoch = 2;
        b.sizeInBytes = 120;
        b.crc = 12345;
        auto f = DefaultMessageFormatter::create({});
        QCOMPARE(f->batchLine(b),
                 std::string("Batch partition: 1 baseOffset: 10 lastOffset: 14 count: 5 "
                             "baseSequence: 20 lastSequence: 24 producerId: 7 producerEpoch: 0 "
                             "partitionLeaderEpoch: 2 isTransactional: false isControl: false "
                             "CreateTime: 99 size: 120 magic: 2 compresscodec: zstd crc: 12345\n"));
    }
};

QTEST_GUILESS_MAIN(FormattingTest)
#include "test_formatting.moc"
