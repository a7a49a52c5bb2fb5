// Records produced by kcat are read back through the core consumer and `batchscope-cli
// consume` from librdkafka's mock cluster and from our embedded cluster; dump-log reads the
// embedded cluster's segment files.
#include <spdlog/spdlog.h>
#include <QtTest>

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <chrono>
#include <string_view>

#include "consumer/kafka_consumer.h"
#include "producer/kafka_producer.h"

using namespace bs;
using namespace bs::consumer;

namespace {

const char* kCodecs[] = {"none", "gzip", "snappy", "lz4", "zstd"};

// A cluster process that prints "bootstrap.servers=..." first and is driven over stdin.
class Peer {
  public:
    ~Peer() { stop(); }
    bool start(const QString& program, const QStringList& args) {
        proc_.setProgram(program);
        proc_.setArguments(args);
        proc_.setProcessChannelMode(QProcess::SeparateChannels);
        proc_.start();
        if (!proc_.waitForStarted(10000)) return false;
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < 20000) {
            if (proc_.canReadLine()) {
                QString line = QString::fromUtf8(proc_.readLine()).trimmed();
                if (line.startsWith("bootstrap.servers=")) {
                    bootstrap_ = line.mid(18);
                    return true;
                }
            } else if (!proc_.waitForReadyRead(200) && proc_.state() != QProcess::Running) {
                return false;
            }
        }
        return false;
    }
    // mock_cluster: sends a command and waits for its "ok".
    bool command(const QString& line) {
        proc_.write((line + "\n").toUtf8());
        proc_.waitForBytesWritten(5000);
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < 10000) {
            if (proc_.canReadLine()) return QString::fromUtf8(proc_.readLine()).trimmed() == "ok";
            proc_.waitForReadyRead(200);
        }
        return false;
    }
    void stop() {
        if (proc_.state() == QProcess::NotRunning) return;
        proc_.closeWriteChannel();
        proc_.terminate();
        if (!proc_.waitForFinished(10000)) {
            proc_.kill();
            proc_.waitForFinished(5000);
        }
    }
    std::string bootstrap() const { return bootstrap_.toStdString(); }

  private:
    QProcess proc_;
    QString bootstrap_;
};

struct Run {
    int rc = -1;
    QString out, err;
};

Run run(const QString& program, const QStringList& args, const QByteArray& input = {},
        int timeoutMs = 30000) {
    QProcess p;
    p.start(program, args);
    Run r;
    if (!p.waitForStarted(10000)) return r;
    if (!input.isEmpty()) p.write(input);
    p.closeWriteChannel();
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
    }
    r.rc = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

QString cli() {
    return QStringLiteral(BS_BINARY_DIR "/app/batchscope-cli");
}

std::string big(const std::string& tag) {
    return tag + "-" + std::string(400, 'x') + "-end";
}

// What kcat gets: "key:value" lines; -Z turns an empty key or value into null.
struct Sent {
    std::optional<std::string> key, value;
};
const std::vector<Sent> kSent = {
    {"k0", big("v0")}, {std::nullopt, big("v1")}, {"k2", std::nullopt}, {"k3", big("v3")}};

bool kcatProduce(const std::string& bootstrap, const std::string& topic, int partition,
                 const std::string& codec, const std::vector<Sent>& recs,
                 const QStringList& extra = {}) {
    QByteArray in;
    for (const auto& r : recs)
        in += QByteArray::fromStdString(r.key.value_or("") + ":" + r.value.value_or("") + "\n");
    Run r = run("kcat",
                QStringList{"-P", "-b", QString::fromStdString(bootstrap), "-t",
                            QString::fromStdString(topic), "-p", QString::number(partition), "-z",
                            QString::fromStdString(codec), "-K:", "-Z", "-H", "h1=v1", "-H",
                            "h2=v2", "-X", "topic.metadata.refresh.interval.ms=1000"} +
                    extra,
                in);
    if (r.rc != 0) qWarning("kcat failed: %s", qPrintable(r.err));
    return r.rc == 0;
}

std::unique_ptr<KafkaConsumer> makeConsumer(const std::string& bootstrap,
                                            std::map<std::string, std::string> extra = {}) {
    extra["bootstrap.servers"] = bootstrap;
    auto cfg = ConsumerConfig::parse(extra);
    if (!cfg) qFatal("%s", cfg.error().message.c_str());
    auto c = KafkaConsumer::create(*cfg);
    if (!c) qFatal("%s", c.error().message.c_str());
    return std::move(*c);
}

std::string text(const std::optional<Bytes>& b) {
    return b ? std::string(reinterpret_cast<const char*>(b->data()), b->size()) : "<null>";
}

struct Got {
    int64_t offset;
    std::optional<std::string> key, value;
    std::vector<std::pair<std::string, std::string>> headers;
    BatchInfo batch;
};

// Polls until `n` records arrived (or 20 s passed).
std::vector<Got> pollN(KafkaConsumer& c, size_t n) {
    std::vector<Got> got;
    QElapsedTimer t;
    t.start();
    while (got.size() < n && t.elapsed() < 20000) {
        auto rs = c.poll(200);
        if (!rs) qFatal("poll: %s", rs.error().message.c_str());
        for (const auto& r : *rs) {
            Got g{r.offset, {}, {}, {}, *r.batch};
            if (r.key) g.key = text(r.key);
            if (r.value) g.value = text(r.value);
            for (const auto& h : r.headers)
                g.headers.push_back({std::string(h.key), text(h.value)});
            got.push_back(g);
        }
    }
    return got;
}

protocol::CompressionType codecOf(const char* name) {
    return *protocol::parseCompressionType(name);
}

}  // namespace

class ConsumeIntegrationTest : public QObject {
    Q_OBJECT

    Peer mock_, ours_;
    QTemporaryDir dataDir_;
    bool oursUp_ = false;

    // The checks shared by both clusters: every codec, headers, null keys and values.
    void everyCodec(Peer& peer, bool mock) {
        for (const char* codec : kCodecs) {
            const std::string topic = std::string("codec-") + codec;
            if (mock)
                QVERIFY(peer.command(QString("topic %1 1 1").arg(QString::fromStdString(topic))));
            QVERIFY(kcatProduce(peer.bootstrap(), topic, 0, codec, kSent));

            auto c = makeConsumer(peer.bootstrap());
            c->assign({{topic, 0}});
            c->seekToBeginning({{topic, 0}});
            auto got = pollN(*c, kSent.size());
            QCOMPARE(got.size(), kSent.size());
            int32_t counted = 0;
            int64_t lastBase = -1;
            for (size_t i = 0; i < got.size(); ++i) {
                QCOMPARE(got[i].offset, static_cast<int64_t>(i));
                QCOMPARE(got[i].key, kSent[i].key);
                QCOMPARE(got[i].value, kSent[i].value);
                QCOMPARE(got[i].headers, (std::vector<std::pair<std::string, std::string>>{
                                             {"h1", "v1"}, {"h2", "v2"}}));
                const BatchInfo& b = got[i].batch;
                // librdkafka 2.0 sends LZ4 only to brokers advertising FindCoordinator,
                // which ours does not implement.
                // librdkafka also sends a batch uncompressed when compressing would not shrink
                // it (small batches); tests/broker/test_kcat.cpp asserts codecs on big ones.
                if (mock || std::string_view(codec) != "lz4") {
                    QVERIFY2(b.compression == codecOf(codec) ||
                                 b.compression == protocol::CompressionType::None,
                             codec);
                }
                QVERIFY(b.baseOffset <= got[i].offset && got[i].offset <= b.lastOffset());
                QCOMPARE(b.tp.topic, topic);
                QVERIFY(b.sizeInBytes > 61);
                QCOMPARE(b.timestampType, protocol::TimestampType::CreateTime);
                QVERIFY(b.maxTimestamp >= b.baseTimestamp);
                if (b.baseOffset != lastBase) {
                    counted += b.recordCount;
                    lastBase = b.baseOffset;
                }
            }
            QCOMPARE(counted, static_cast<int32_t>(kSent.size()));
            QCOMPARE(*c->position({topic, 0}, 5000), static_cast<int64_t>(kSent.size()));

            Run r = run(cli(),
                        {"consume", "--bootstrap-server", QString::fromStdString(peer.bootstrap()),
                         "--topic", QString::fromStdString(topic), "--partition", "0", "--offset",
                         "earliest", "--max-messages", "4", "--timeout-ms", "20000", "--property",
                         "print.key=true", "--property", "print.offset=true", "--property",
                         "print.headers=true"});
            QCOMPARE(r.rc, 0);
            QString expected;
            for (size_t i = 0; i < kSent.size(); ++i)
                expected += QString("Offset:%1\th1:v1,h2:v2\t%2\t%3\n")
                                .arg(i)
                                .arg(QString::fromStdString(kSent[i].key.value_or("null")))
                                .arg(QString::fromStdString(kSent[i].value.value_or("null")));
            QCOMPARE(r.out, expected);
            QVERIFY2(r.err.contains("Processed a total of 4 messages"), qPrintable(r.err));
        }
    }

    void everyPartitionAndBatches(Peer& peer, bool mock) {
        if (mock) QVERIFY(peer.command("topic spread 3 1"));
        for (int p = 0; p < 3; ++p)
            QVERIFY(kcatProduce(peer.bootstrap(), "spread", p, "gzip",
                                {{"p" + std::to_string(p), "v"}}));
        Run r =
            run(cli(), {"consume", "--bootstrap-server", QString::fromStdString(peer.bootstrap()),
                        "--topic", "spread", "--from-beginning", "--max-messages", "3",
                        "--timeout-ms", "20000", "--property", "print.partition=true", "--property",
                        "print.key=true", "--print-batches"});
        QCOMPARE(r.rc, 0);
        QStringList lines = r.out.split('\n', Qt::SkipEmptyParts);
        QStringList records, batches;
        for (const auto& l : lines)
            (l.startsWith("Batch ") ? batches : records) << l;
        records.sort();
        QCOMPARE(records,
                 (QStringList{"Partition:0\tp0\tv", "Partition:1\tp1\tv", "Partition:2\tp2\tv"}));
        QCOMPARE(batches.size(), 3);
        for (const auto& b : batches) {
            QVERIFY2(b.contains("baseOffset: 0 lastOffset: 0 count: 1 "), qPrintable(b));
            QVERIFY2(b.contains(" magic: 2 compresscodec: "), qPrintable(b));
        }
        // The batch line comes right before its record.
        for (int i = 0; i + 1 < lines.size(); i += 2) {
            QVERIFY(lines[i].startsWith("Batch partition: " + lines[i + 1].mid(10, 1)));
        }
    }

    void offsetsAndResets(Peer& peer, bool mock) {
        const TopicPartition tp{"codec-none", 0};
        auto c = makeConsumer(peer.bootstrap());
        auto begin = c->beginningOffsets({tp}, 10000);
        QVERIFY2(begin.ok(), begin.ok() ? "" : begin.error().message.c_str());
        QCOMPARE((*begin)[tp], int64_t{0});
        auto end = c->endOffsets({tp}, 10000);
        QVERIFY(end.ok());
        QCOMPARE((*end)[tp], static_cast<int64_t>(kSent.size()));
        auto byTime = c->offsetsForTimes({{tp, 0}}, 10000);
        QVERIFY(byTime.ok());
        // librdkafka's mock answers only earliest/latest lookups (-1 for any timestamp).
        if (!mock) {
            QVERIFY((*byTime)[tp].has_value());
            QCOMPARE((*byTime)[tp]->offset, int64_t{0});
        }
        const int64_t future = SystemClock::instance().wallMs() + 3600 * 1000;
        auto none = c->offsetsForTimes({{tp, future}}, 10000);
        QVERIFY(none.ok());
        QVERIFY(!(*none)[tp].has_value());
        QVERIFY(!c->offsetsForTimes({{tp, -5}}, 1000).ok());

        // auto.offset.reset: none refuses to guess; latest starts at the end; earliest at 0.
        auto n = makeConsumer(peer.bootstrap(), {{"auto.offset.reset", "none"}});
        n->assign({tp});
        auto e = n->poll(100);
        QVERIFY(!e.ok());
        QVERIFY2(e.error().message.find("codec-none-0") != std::string::npos,
                 e.error().message.c_str());
        n->seek(tp, 1000);  // out of range with "none": an error naming the position
        std::string err;
        QElapsedTimer t;
        t.start();
        while (err.empty() && t.elapsed() < 20000) {
            auto p = n->poll(200);
            if (!p) err = p.error().message;
        }
        QVERIFY2(err.find("Fetch position 1000 is out of range for partition codec-none-0") !=
                     std::string::npos,
                 err.c_str());

        auto latest = makeConsumer(peer.bootstrap(), {{"auto.offset.reset", "latest"}});
        latest->assign({tp});
        QCOMPARE(*latest->position(tp, 10000), static_cast<int64_t>(kSent.size()));
        auto earliest = makeConsumer(peer.bootstrap(), {{"auto.offset.reset", "earliest"}});
        earliest->assign({tp});
        earliest->seek(tp, 1000);  // out of range: reset to the beginning
        auto got = pollN(*earliest, kSent.size());
        QCOMPARE(got.size(), kSent.size());
        QCOMPARE(got[0].offset, int64_t{0});
        // Starting from a timestamp.
        if (mock) return;
        auto ts = makeConsumer(peer.bootstrap());
        ts->assign({tp});
        ts->seekToTimestamp({tp}, future);
        QCOMPARE(*ts->position(tp, 10000), static_cast<int64_t>(kSent.size()));
    }

    // Our producer (idempotent, every codec) -> cluster -> our consumer.
    void producerEveryCodec(Peer& peer, bool mock) {
        for (const char* codec : kCodecs) {
            const std::string topic = std::string("ours-") + codec;
            if (mock)
                QVERIFY(peer.command(QString("topic %1 1 1").arg(QString::fromStdString(topic))));
            auto cfg = producer::ProducerConfig::parse(
                std::map<std::string, std::string>{{"bootstrap.servers", peer.bootstrap()},
                                                   {"compression.type", codec},
                                                   {"key.serializer", "string"},
                                                   {"value.serializer", "string"},
                                                   {"linger.ms", "50"}});
            QVERIFY2(cfg.ok(), cfg.ok() ? "" : cfg.error().message.c_str());
            auto prod = producer::KafkaProducer::create(*cfg);
            QVERIFY(prod.ok());
            std::vector<producer::FutureRecordMetadata> futures;
            for (size_t i = 0; i < kSent.size(); ++i) {
                producer::ProducerRecord r;
                r.topic = topic;
                r.partition = 0;
                if (kSent[i].key) r.key = *kSent[i].key;
                if (kSent[i].value) r.value = *kSent[i].value;
                r.headers = {{"h1", std::vector<uint8_t>{'v', '1'}}, {"h2", std::nullopt}};
                r.timestamp = 1'600'000'000'000 + static_cast<int64_t>(i);
                futures.push_back((*prod)->send(r));
            }
            (*prod)->flush();
            for (size_t i = 0; i < futures.size(); ++i) {
                auto md = futures[i].get();
                QVERIFY2(md.ok(), md.ok() ? "" : md.error().message.c_str());
                QCOMPARE(md->offset, static_cast<int64_t>(i));
            }
            (*prod)->close();

            auto c = makeConsumer(peer.bootstrap(), {{"auto.offset.reset", "earliest"}});
            c->assign({{topic, 0}});
            auto got = pollN(*c, kSent.size());
            QCOMPARE(got.size(), kSent.size());
            for (size_t i = 0; i < got.size(); ++i) {
                QCOMPARE(got[i].key, kSent[i].key);
                QCOMPARE(got[i].value, kSent[i].value);
                QCOMPARE(got[i].headers, (std::vector<std::pair<std::string, std::string>>{
                                             {"h1", "v1"}, {"h2", "<null>"}}));
                const BatchInfo& b = got[i].batch;
                QCOMPARE(b.compression, codecOf(codec));
                QVERIFY(b.producerId >= 0);  // idempotent by default
                QVERIFY(b.producerEpoch >= 0);
                QCOMPARE(b.baseSequence, static_cast<int32_t>(b.baseOffset));
                QCOMPARE(b.baseTimestamp, int64_t{1'600'000'000'000} + b.baseOffset);
            }
            QCOMPARE(got.back().batch.maxTimestamp, int64_t{1'600'000'000'003});
        }
    }

  private slots:
    void initTestCase() {
        spdlog::set_level(spdlog::level::warn);
        QVERIFY2(QFile::exists(cli()), "batchscope-cli not built");
        QVERIFY(mock_.start(BS_BINARY_DIR "/tests/tools/mock_cluster", {"--brokers", "2"}));
        QVERIFY(dataDir_.isValid());
        oursUp_ = ours_.start(
            cli(), {"broker", "--port", "0", "--data-dir", dataDir_.path(), "--log-level", "warn"});
    }
    void cleanupTestCase() {
        mock_.stop();
        ours_.stop();
    }

    void mockClusterEveryCodec() { everyCodec(mock_, true); }
    void mockClusterOurProducer() { producerEveryCodec(mock_, true); }
    void mockClusterEveryPartition() { everyPartitionAndBatches(mock_, true); }
    void mockClusterOffsetsAndResets() { offsetsAndResets(mock_, true); }

    void mockClusterLeaderChange() {
        QVERIFY(mock_.command("topic moving 1 2"));
        QVERIFY(mock_.command("leader moving 0 1"));
        QVERIFY(kcatProduce(mock_.bootstrap(), "moving", 0, "none", {{"a", "1"}}));
        auto c = makeConsumer(mock_.bootstrap(), {{"auto.offset.reset", "earliest"}});
        c->assign({{"moving", 0}});
        QCOMPARE(pollN(*c, 1).size(), size_t{1});
        QVERIFY(mock_.command("leader moving 0 2"));
        QVERIFY(kcatProduce(mock_.bootstrap(), "moving", 0, "none", {{"b", "2"}}));
        auto got = pollN(*c, 1);
        QCOMPARE(got.size(), size_t{1});
        QCOMPARE(got[0].offset, int64_t{1});
        QCOMPARE(got[0].key, std::optional<std::string>("b"));
    }

    void consumeOptionsAndErrors() {
        const QString bs = QString::fromStdString(mock_.bootstrap());
        // --timeout-ms without new records ends the run like Kafka's tool (exit 0).
        QTemporaryDir tmp;
        const QString props = tmp.path() + "/c.properties";
        {
            QFile f(props);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("# a consumer config\nfetch.max.wait.ms=100\nclient.id=from-file\n");
        }
        Run r =
            run(cli(), {"consume", "--bootstrap-server", bs, "--topic", "codec-none", "--partition",
                        "0", "--offset", "4", "--timeout-ms", "300", "--consumer.config", props,
                        "--consumer-property", "max.poll.records=1"});
        QCOMPARE(r.rc, 0);
        QCOMPARE(r.out, QString());
        QVERIFY2(r.err.contains("Processed a total of 0 messages"), qPrintable(r.err));
        // --offset N, --max-messages and deserializers by class name.
        r = run(cli(), {"consume", "--bootstrap-server", bs, "--topic", "codec-none", "--partition",
                        "0", "--offset", "1", "--max-messages", "1", "--value-deserializer",
                        "org.apache.kafka.common.serialization.ByteArrayDeserializer", "--property",
                        "print.timestamp=false"});
        QCOMPARE(r.rc, 0);
        QCOMPARE(r.out, QString::fromStdString(big("v1")).toUtf8().toHex() + "\n");
        // Unknown consumer keys and conflicting options are refused by name.
        r = run(cli(), {"consume", "--bootstrap-server", bs, "--topic", "t", "--consumer-property",
                        "fetch.max.wait=5"});
        QCOMPARE(r.rc, 1);
        QVERIFY2(r.err.contains("unknown consumer configuration 'fetch.max.wait'"),
                 qPrintable(r.err));
        r = run(cli(), {"consume", "--bootstrap-server", bs, "--topic", "t", "--offset", "3"});
        QCOMPARE(r.rc, 1);
        QVERIFY(r.err.contains("The partition is required when offset is specified."));
        r = run(cli(), {"consume", "--bootstrap-server", bs, "--topic", "t", "--from-beginning",
                        "--consumer-property", "auto.offset.reset=latest"});
        QCOMPARE(r.rc, 1);
        QVERIFY(r.err.contains(
            "Can't simultaneously specify --from-beginning and 'auto.offset.reset=latest'"));
        r = run(cli(), {"consume", "--bootstrap-server", bs, "--topic", "t", "--partition", "0",
                        "--offset", "-4"});
        QCOMPARE(r.rc, 1);
        QVERIFY(r.err.contains("The provided offset value '-4' is incorrect."));
    }

    // A partition the topic does not have is named as missing, with a non-zero exit (the run
    // used to wait out --timeout-ms, print TimeoutException and exit 0).
    void missingPartitionIsAnError() {
        QVERIFY(mock_.command("topic onepart 1 1"));
        Run r =
            run(cli(), {"consume", "--bootstrap-server", QString::fromStdString(mock_.bootstrap()),
                        "--topic", "onepart", "--partition", "7", "--timeout-ms", "2000"});
        QCOMPARE(r.rc, 1);
        QVERIFY2(r.err.contains("partition 7 does not exist: topic 'onepart' has 1 partition\n"),
                 qPrintable(r.err));
        QVERIFY2(!r.err.contains("TimeoutException"), qPrintable(r.err));

        if (!oursUp_) QSKIP("batchscope-cli broker did not start");
        QVERIFY(kcatProduce(ours_.bootstrap(), "created-here", 0, "none", {{"a", "1"}}));
        auto parts = makeConsumer(ours_.bootstrap())->partitionsFor("created-here", 10000);
        QVERIFY2(parts.ok(), parts ? "" : parts.error().message.c_str());
        const int missing = static_cast<int>(parts->size()) + 6;
        r = run(cli(), {"consume", "--bootstrap-server", QString::fromStdString(ours_.bootstrap()),
                        "--topic", "created-here", "--partition", QString::number(missing),
                        "--timeout-ms", "2000"});
        QCOMPARE(r.rc, 1);
        QVERIFY2(r.err.contains(QString("partition %1 does not exist: topic 'created-here' has %2 ")
                                    .arg(missing)
                                    .arg(parts->size())),
                 qPrintable(r.err));
        // An existing partition is still read.
        r = run(cli(), {"consume", "--bootstrap-server", QString::fromStdString(ours_.bootstrap()),
                        "--topic", "created-here", "--partition", "0", "--from-beginning",
                        "--max-messages", "1", "--property", "print.key=true"});
        QCOMPARE(r.rc, 0);
        QVERIFY2(r.out.startsWith("a\t"), qPrintable(r.out));
    }

    void oursEveryCodec() {
        if (!oursUp_) QSKIP("batchscope-cli broker did not start");
        everyCodec(ours_, false);
    }
    void oursOurProducer() {
        if (!oursUp_) QSKIP("batchscope-cli broker did not start");
        producerEveryCodec(ours_, false);
    }
    void oursEveryPartition() {
        if (!oursUp_) QSKIP("batchscope-cli broker did not start");
        everyPartitionAndBatches(ours_, false);
    }
    void oursOffsetsAndResets() {
        if (!oursUp_) QSKIP("batchscope-cli broker did not start");
        offsetsAndResets(ours_, false);
    }

    void dumpLogOfOurSegments() {
        if (!oursUp_) QSKIP("batchscope-cli broker did not start");
        // One batch for kSent: kcat's 5 ms linger split it in two once under ctest -j2 load.
        QVERIFY(kcatProduce(ours_.bootstrap(), "dump", 0, "gzip", kSent, {"-X", "linger.ms=200"}));
        QVERIFY(kcatProduce(ours_.bootstrap(), "dump", 0, "lz4", {{"k4", big("v4")}}));
        const QString seg = dataDir_.path() + "/dump-0/00000000000000000000.log";
        QVERIFY(QFile::exists(seg));
        Run r = run(cli(), {"dump-log", "--print-data-log", seg});
        QCOMPARE(r.rc, 0);
        QStringList lines = r.out.split('\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.value(0), "Dumping " + seg);
        QCOMPARE(lines.value(1), QString("Log starting offset: 0"));
        QStringList batches, recs;
        for (const auto& l : lines) {
            if (l.startsWith("baseOffset: ")) batches << l;
            if (l.startsWith("| offset: ")) recs << l;
        }
        QCOMPARE(recs.size(), 5);
        QVERIFY2(
            recs[0].contains(
                " keySize: 2 valueSize: 407 sequence: -1 headerKeys: [h1,h2] key: k0 payload: " +
                QString::fromStdString(big("v0"))),
            qPrintable(recs[0]));
        QVERIFY2(recs[1].contains("keySize: -1 valueSize: 407") && !recs[1].contains("key: ") &&
                     recs[1].endsWith("payload: " + QString::fromStdString(big("v1"))),
                 qPrintable(recs[1]));
        QVERIFY2(recs[2].contains("keySize: 2 valueSize: -1") && recs[2].endsWith("key: k2"),
                 qPrintable(recs[2]));
        QCOMPARE(batches.size(), 2);
        QVERIFY(batches.first().contains("baseOffset: 0 lastOffset: 3 count: 4 "));
        QVERIFY2(batches[0].contains(" compresscodec: gzip "), qPrintable(batches[0]));
        for (const auto& b : batches)
            QVERIFY(b.endsWith("isvalid: true"));
        // Batches our producer wrote compressed (oursOurProducer ran first).
        for (const char* codec : kCodecs) {
            Run c =
                run(cli(), {"dump-log", "--deep-iteration",
                            dataDir_.path() + "/ours-" + codec + "-0/00000000000000000000.log"});
            QCOMPARE(c.rc, 0);
            QVERIFY2(c.out.contains(QString(" magic: 2 compresscodec: %1 crc: ").arg(codec)),
                     qPrintable(c.out));
            QVERIFY2(c.out.contains("baseSequence: 0 lastSequence: 3 producerId: "),
                     qPrintable(c.out));
            QVERIFY(
                c.out.contains("| offset: 3 CreateTime: 1600000000003 keySize: 2 valueSize: 407 "
                               "sequence: 3 headerKeys: [h1,h2]"));
            QVERIFY(!c.out.contains("payload"));
        }
        // The last batch's position and size, to damage it.
        QRegularExpression posRe(" position: (\\d+) .* size: (\\d+) ");
        auto m = posRe.match(batches.last());
        QVERIFY(m.hasMatch());
        const qint64 lastPos = m.captured(1).toLongLong();
        const qint64 lastSize = m.captured(2).toLongLong();

        QFile in(seg);
        QVERIFY(in.open(QIODevice::ReadOnly));
        QByteArray bytes = in.readAll();
        // The running broker's segment ends in its zero fill, which dump-log names as such.
        QCOMPARE(bytes.size() % (128 << 10), 0);
        QVERIFY(bytes.size() >= lastPos + lastSize + 12);
        QVERIFY(bytes.mid(lastPos + lastSize).count('\0') == bytes.size() - lastPos - lastSize);
        QVERIFY2(r.out.contains(QString("%1 zero bytes follow the last batch of "
                                        "00000000000000000000.log: space a running broker filled "
                                        "ahead of its appends, not data")
                                    .arg(bytes.size() - lastPos - lastSize)),
                 qPrintable(r.out));
        QCOMPARE(r.err, QString());
        bytes.truncate(static_cast<int>(lastPos + lastSize));
        QTemporaryDir tmp;
        // A flipped byte inside the last batch's records: its CRC no longer matches.
        QByteArray flipped = bytes;
        flipped[static_cast<int>(lastPos + 70)] =
            static_cast<char>(flipped[static_cast<int>(lastPos + 70)] ^ 0x10);
        const QString flippedPath = tmp.path() + "/00000000000000000000.log";
        {
            QFile f(flippedPath);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(flipped);
        }
        Run fr = run(cli(), {"dump-log", flippedPath});
        QCOMPARE(fr.rc, 0);
        QVERIFY2(fr.out.contains(QString("position: %1 ").arg(lastPos)) &&
                     fr.out.contains("isvalid: false"),
                 qPrintable(fr.out));
        QVERIFY2(fr.err.contains(QString("batch at position %1: CRC mismatch").arg(lastPos)),
                 qPrintable(fr.err));
        // A torn tail: the last batch cut short.
        const QString tornPath = tmp.path() + "/00000000000000000005.log";
        {
            QFile f(tornPath);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(bytes.left(static_cast<int>(lastPos + lastSize - 9)));
        }
        Run tr = run(cli(), {"dump-log", tornPath});
        QCOMPARE(tr.rc, 0);
        QVERIFY2(tr.out.contains("Log starting offset: 5"), qPrintable(tr.out));
        QVERIFY2(
            tr.out.contains(QString("Found %1 invalid bytes at the end of 00000000000000000005.log")
                                .arg(lastSize - 9)),
            qPrintable(tr.out));
        QVERIFY2(tr.err.contains(QString("batch at position %1: truncated").arg(lastPos)),
                 qPrintable(tr.err));
        // An unreadable file is the only failure.
        Run missing = run(cli(), {"dump-log", tmp.path() + "/nope.log"});
        QCOMPARE(missing.rc, 1);
    }
};

QTEST_GUILESS_MAIN(ConsumeIntegrationTest)
#include "test_consume_integration.moc"
