// Fetch response handling without a network: responses are encoded with the codec and handed to
// the Fetcher as the consumer would, then collected into records.
#include <QtTest>

#include <spdlog/spdlog.h>

#include <random>

#include "client/metadata.h"
#include "consumer/fetcher.h"
#include "consumer/subscription_state.h"
#include "protocol/messages/fetch.h"
#include "protocol/record/record_batch.h"
#include "protocol/writer.h"
#include "support/mock_clock.h"

using namespace bs;
using namespace bs::consumer;
using protocol::CompressionType;
using protocol::ErrorCode;

namespace {

struct Rec {
    std::optional<std::string> key, value;
    std::vector<std::pair<std::string, std::string>> headers;
};

protocol::Bytes bytesOf(const std::string& s) {
    return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

// One finished batch at `baseOffset` (records at consecutive offsets).
std::vector<uint8_t> makeBatch(int64_t baseOffset, const std::vector<Rec>& recs,
                               CompressionType c = CompressionType::None, int64_t ts = 1000,
                               int64_t pid = -1, int16_t epoch = -1, int32_t seq = -1) {
    std::vector<uint8_t> buf(1 << 16);
    protocol::RecordBatchBuilder b(buf.data(), buf.size(), c);
    if (pid >= 0) b.setProducerState(pid, epoch, seq);
    for (size_t i = 0; i < recs.size(); ++i) {
        std::vector<protocol::RecordHeader> hs;
        for (const auto& [k, v] : recs[i].headers)
            hs.push_back({k, bytesOf(v), false});
        std::optional<protocol::Bytes> k, v;
        if (recs[i].key) k = bytesOf(*recs[i].key);
        if (recs[i].value) v = bytesOf(*recs[i].value);
        if (!b.tryAppend(ts + static_cast<int64_t>(i), k, v, hs)) qFatal("append failed");
    }
    auto done = b.close();
    if (!done) qFatal("close failed");
    std::vector<uint8_t> out(done->begin(), done->end());
    protocol::setBaseOffset(out, baseOffset);
    return out;
}

std::vector<Rec> numbered(int from, int n) {
    std::vector<Rec> out;
    for (int i = from; i < from + n; ++i)
        out.push_back({"k" + std::to_string(i), "v" + std::to_string(i), {}});
    return out;
}

std::string str(const std::optional<Bytes>& b) {
    return b ? std::string(reinterpret_cast<const char*>(b->data()), b->size()) : "<null>";
}

// A consumer's state for topic "t" (partitions 0..n-1, leaders node 1 / node 2 alternating).
struct Fixture {
    MockClock clock;
    ConsumerConfig config;
    client::Metadata metadata{100, 300000, clock};
    SubscriptionState subs;
    Fetcher fetcher;
    std::shared_ptr<const client::Cluster> cluster;

    explicit Fixture(std::map<std::string, std::string> extra = {},
                     OffsetResetStrategy reset = OffsetResetStrategy::Latest)
        : config(parse(std::move(extra))), subs(reset), fetcher(config, subs, metadata) {
        protocol::MetadataResponse m;
        m.brokers = {{1, "127.0.0.1", 9001, std::nullopt}, {2, "127.0.0.1", 9002, std::nullopt}};
        protocol::MetadataResponse::MetadataResponseTopic t;
        t.name = "t";
        for (int p = 0; p < 2; ++p) {
            protocol::MetadataResponse::MetadataResponsePartition mp;
            mp.partitionIndex = p;
            mp.leaderId = 1 + p % 2;
            mp.leaderEpoch = 7;
            t.partitions.push_back(mp);
        }
        m.topics.push_back(t);
        metadata.update(m, clock.nowMs());
        cluster = metadata.fetch();
    }
    static ConsumerConfig parse(std::map<std::string, std::string> extra) {
        extra["bootstrap.servers"] = "127.0.0.1:9001";
        auto c = ConsumerConfig::parse(extra);
        if (!c) qFatal("%s", c.error().message.c_str());
        return *c;
    }

    // Sends a fetch (to get the request the consumer would send) and answers it.
    protocol::FetchRequest requestFor(int32_t node) {
        for (auto& p : fetcher.prepareFetchRequests(*cluster, clock.nowMs()))
            if (p.node == node) return p.request;
        qFatal("no request for node %d", node);
    }
    void answer(int32_t node, int16_t version, const protocol::FetchRequest& req,
                const std::vector<protocol::FetchResponse::PartitionData>& parts) {
        protocol::FetchResponse resp;
        resp.responses.push_back({"t", parts});
        std::vector<uint8_t> body;
        protocol::Writer w(body);
        encode(resp, version, w);
        fetcher.handleFetchResponse(node, version, req, std::move(body), clock.nowMs());
    }
    static protocol::FetchResponse::PartitionData data(int32_t partition,
                                                       const std::vector<uint8_t>& records,
                                                       ErrorCode e = ErrorCode::NONE,
                                                       int64_t hw = 100) {
        protocol::FetchResponse::PartitionData d;
        d.partitionIndex = partition;
        d.errorCode = e;
        d.highWatermark = hw;
        d.lastStableOffset = hw;
        d.logStartOffset = 0;
        d.records.bytes = records;
        return d;
    }
};

std::vector<uint8_t> concat(std::initializer_list<std::vector<uint8_t>> parts) {
    std::vector<uint8_t> out;
    for (const auto& p : parts)
        out.insert(out.end(), p.begin(), p.end());
    return out;
}

const int16_t kVersions[] = {4, 5, 7, 9, 11, 12};

}  // namespace

class FetcherTest : public QObject {
    Q_OBJECT
  private slots:
    void initTestCase() { spdlog::set_level(spdlog::level::off); }

    void requestFields() {
        Fixture f(std::map<std::string, std::string>{{"client.rack", "r1"}});
        f.subs.assign({{"t", 0}, {"t", 1}});
        f.subs.seek({"t", 0}, 5);
        f.subs.seek({"t", 1}, 9);
        auto reqs = f.fetcher.prepareFetchRequests(*f.cluster, f.clock.nowMs());
        QCOMPARE(reqs.size(), size_t{2});  // one per leader
        const auto& r = reqs[0].request;
        QCOMPARE(reqs[0].node, 1);
        QCOMPARE(r.maxWaitMs, 500);
        QCOMPARE(r.minBytes, 1);
        QCOMPARE(r.maxBytes, 52428800);
        QCOMPARE(r.isolationLevel, int8_t{0});
        QCOMPARE(r.sessionId, 0);
        QCOMPARE(r.sessionEpoch, -1);
        QCOMPARE(r.rackId, std::string("r1"));
        QCOMPARE(r.topics.size(), size_t{1});
        QCOMPARE(r.topics[0].partitions[0].fetchOffset, int64_t{5});
        QCOMPARE(r.topics[0].partitions[0].partitionMaxBytes, 1048576);
        QCOMPARE(r.topics[0].partitions[0].currentLeaderEpoch, 7);
        QCOMPARE(reqs[1].request.topics[0].partitions[0].fetchOffset, int64_t{9});
        // Nodes with a fetch in flight get no second one.
        QVERIFY(f.fetcher.prepareFetchRequests(*f.cluster, f.clock.nowMs()).empty());
        // Without a position (reset pending) a partition is not fetched.
        Fixture g;
        g.subs.assign({{"t", 0}});
        QVERIFY(g.subs.resetMissingPositions().ok());
        QVERIFY(g.fetcher.prepareFetchRequests(*g.cluster, g.clock.nowMs()).empty());
    }

    void recordsFromInsideTheFirstBatch() {
        for (int16_t v : kVersions) {
            Fixture f;
            f.subs.assign({{"t", 0}});
            f.subs.seek({"t", 0}, 2);
            auto req = f.requestFor(1);
            auto b1 = makeBatch(0, numbered(0, 5), CompressionType::Gzip, 1000, 42, 3, 10);
            auto b2 = makeBatch(5, numbered(5, 3), CompressionType::Lz4, 2000);
            f.answer(1, v, req, {Fixture::data(0, concat({b1, b2}), ErrorCode::NONE, 8)});
            ConsumerRecords out;
            QVERIFY(f.fetcher.collectFetch(out, f.clock.nowMs()).ok());
            QCOMPARE(out.size(), size_t{6});
            QCOMPARE(out[0].offset, int64_t{2});
            QCOMPARE(str(out[0].key), std::string("k2"));
            QCOMPARE(str(out[0].value), std::string("v2"));
            QCOMPARE(out[0].timestamp, int64_t{1002});
            QVERIFY(out[0].firstInBatch);
            QVERIFY(!out[1].firstInBatch);
            QVERIFY(out[3].firstInBatch);
            const BatchInfo& bi = *out[0].batch;
            QCOMPARE(bi.baseOffset, int64_t{0});
            QCOMPARE(bi.lastOffsetDelta, 4);
            QCOMPARE(bi.recordCount, 5);
            QCOMPARE(bi.compression, CompressionType::Gzip);
            QCOMPARE(bi.producerId, int64_t{42});
            QCOMPARE(bi.producerEpoch, int16_t{3});
            QCOMPARE(bi.baseSequence, 10);
            QCOMPARE(bi.lastSequence(), 14);
            QCOMPARE(bi.baseTimestamp, int64_t{1000});
            QCOMPARE(bi.maxTimestamp, int64_t{1004});
            QCOMPARE(bi.sizeInBytes, static_cast<int32_t>(b1.size()));
            QCOMPARE(out[3].batch->compression, CompressionType::Lz4);
            QCOMPARE(out[5].offset, int64_t{7});
            QCOMPARE(out.batches().size(), size_t{2});
            QCOMPARE(*f.subs.position({"t", 0}), int64_t{8});
            QCOMPARE(f.subs.state({"t", 0})->highWatermark, int64_t{8});
            QVERIFY(!f.fetcher.inFlight(1));
        }
    }

    void headersAndNulls() {
        Fixture f;
        f.subs.assign({{"t", 0}});
        f.subs.seek({"t", 0}, 0);
        auto req = f.requestFor(1);
        std::vector<Rec> recs = {
            {std::nullopt, "v", {{"h1", "x"}, {"h2", ""}}}, {"k", std::nullopt, {}}, {"", "", {}}};
        f.answer(1, 12, req, {Fixture::data(0, makeBatch(0, recs, CompressionType::Zstd))});
        ConsumerRecords out;
        QVERIFY(f.fetcher.collectFetch(out, 0).ok());
        QCOMPARE(out.size(), size_t{3});
        QVERIFY(!out[0].key);
        QCOMPARE(out[0].headers.size(), size_t{2});
        QCOMPARE(std::string(out[0].headers[0].key), std::string("h1"));
        QCOMPARE(str(out[0].headers[0].value), std::string("x"));
        QCOMPARE(str(out[0].headers[1].value), std::string(""));
        QVERIFY(!out[1].value);
        QCOMPARE(out[1].serializedValueSize(), -1);
        QVERIFY(out[2].key && out[2].key->empty());
        QCOMPARE(out[2].serializedKeySize(), 0);
    }

    void partialTrailingBatchIgnored() {
        Fixture f;
        f.subs.assign({{"t", 0}});
        f.subs.seek({"t", 0}, 0);
        auto req = f.requestFor(1);
        auto b1 = makeBatch(0, numbered(0, 2));
        auto b2 = makeBatch(2, numbered(2, 2));
        for (size_t cut : {size_t{1}, size_t{11}, size_t{30}, b2.size() - 1}) {
            Fixture g;
            g.subs.assign({{"t", 0}});
            g.subs.seek({"t", 0}, 0);
            auto r = g.requestFor(1);
            std::vector<uint8_t> partial(b2.begin(), b2.begin() + static_cast<long>(cut));
            g.answer(1, 11, r, {Fixture::data(0, concat({b1, partial}))});
            ConsumerRecords out;
            QVERIFY(g.fetcher.collectFetch(out, 0).ok());
            QCOMPARE(out.size(), size_t{2});
            QCOMPARE(*g.subs.position({"t", 0}), int64_t{2});
        }
        // Only a partial batch: no progress possible, reported.
        std::vector<uint8_t> partial(b2.begin(), b2.begin() + 40);
        f.answer(1, 12, req, {Fixture::data(0, partial)});
        ConsumerRecords out;
        Status s = f.fetcher.collectFetch(out, 0);
        QVERIFY(!s.ok());
        QVERIFY2(s.message().find("t-0=0") != std::string::npos, s.message().c_str());
    }

    void maxPollRecordsSplitsABatch() {
        Fixture f(std::map<std::string, std::string>{{"max.poll.records", "2"}});
        f.subs.assign({{"t", 0}});
        f.subs.seek({"t", 0}, 0);
        auto req = f.requestFor(1);
        f.answer(1, 12, req, {Fixture::data(0, makeBatch(0, numbered(0, 5)))});
        std::vector<int64_t> offsets;
        std::vector<bool> first;
        for (int round = 0; round < 3; ++round) {
            ConsumerRecords out;
            QVERIFY(f.fetcher.collectFetch(out, 0).ok());
            QVERIFY(out.size() <= 2);
            for (const auto& r : out) {
                offsets.push_back(r.offset);
                first.push_back(r.firstInBatch);
                QCOMPARE(r.batch->recordCount, 5);  // each poll carries the batch
            }
        }
        QCOMPARE(offsets, (std::vector<int64_t>{0, 1, 2, 3, 4}));
        QCOMPARE(first, (std::vector<bool>{true, false, false, false, false}));
        QVERIFY(!f.fetcher.hasBufferedData());
    }

    void logAppendTimeAndControlBatches() {
        Fixture f;
        f.subs.assign({{"t", 0}});
        f.subs.seek({"t", 0}, 0);
        auto req = f.requestFor(1);
        auto b1 = makeBatch(0, numbered(0, 2));
        QVERIFY(protocol::setMaxTimestamp(b1, protocol::TimestampType::LogAppendTime, 5555));
        auto control = makeBatch(2, numbered(2, 1));
        control[protocol::kAttributesOffset + 1] |= protocol::kControlFlagMask;
        QVERIFY(protocol::updateCrc(control));
        auto b3 = makeBatch(3, numbered(3, 1));
        f.answer(1, 12, req, {Fixture::data(0, concat({b1, control, b3}))});
        ConsumerRecords out;
        QVERIFY(f.fetcher.collectFetch(out, 0).ok());
        QCOMPARE(out.size(), size_t{3});
        QCOMPARE(out[0].timestamp, int64_t{5555});
        QCOMPARE(out[0].timestampType(), protocol::TimestampType::LogAppendTime);
        QCOMPARE(out[2].offset, int64_t{3});  // the control record is skipped
        QCOMPARE(*f.subs.position({"t", 0}), int64_t{4});
    }

    void offsetOutOfRange() {
        {
            Fixture f({}, OffsetResetStrategy::Earliest);
            f.subs.assign({{"t", 0}});
            f.subs.seek({"t", 0}, 50);
            auto req = f.requestFor(1);
            f.answer(1, 12, req, {Fixture::data(0, {}, ErrorCode::OFFSET_OUT_OF_RANGE)});
            ConsumerRecords out;
            QVERIFY(f.fetcher.collectFetch(out, 0).ok());
            const auto* st = f.subs.state({"t", 0});
            QVERIFY(!st->position);
            QVERIFY(st->resetNeeded);
            QCOMPARE(st->resetNeeded->timestamp, OffsetReset::kEarliest);
        }
        {
            Fixture f({}, OffsetResetStrategy::Latest);
            f.subs.assign({{"t", 0}});
            f.subs.seek({"t", 0}, 50);
            auto req = f.requestFor(1);
            f.answer(1, 12, req, {Fixture::data(0, {}, ErrorCode::OFFSET_OUT_OF_RANGE)});
            ConsumerRecords out;
            QVERIFY(f.fetcher.collectFetch(out, 0).ok());
            QCOMPARE(f.subs.state({"t", 0})->resetNeeded->timestamp, OffsetReset::kLatest);
        }
        {
            Fixture f({}, OffsetResetStrategy::None);
            f.subs.assign({{"t", 0}});
            f.subs.seek({"t", 0}, 50);
            auto req = f.requestFor(1);
            f.answer(1, 12, req, {Fixture::data(0, {}, ErrorCode::OFFSET_OUT_OF_RANGE)});
            ConsumerRecords out;
            Status s = f.fetcher.collectFetch(out, 0);
            QVERIFY(!s.ok());
            QVERIFY2(s.message().find("Fetch position 50 is out of range for partition t-0") !=
                         std::string::npos,
                     s.message().c_str());
            QCOMPARE(*f.subs.position({"t", 0}), int64_t{50});
            // Without any position, "none" refuses to start.
            SubscriptionState subs(OffsetResetStrategy::None);
            subs.assign({{"t", 1}});
            Status n = subs.resetMissingPositions();
            QVERIFY(!n.ok());
            QVERIFY(n.message().find("[t-1]") != std::string::npos);
        }
    }

    void leaderErrorsRefreshMetadataAndBackOff() {
        for (ErrorCode e :
             {ErrorCode::NOT_LEADER_OR_FOLLOWER, ErrorCode::UNKNOWN_TOPIC_OR_PARTITION,
              ErrorCode::FENCED_LEADER_EPOCH, ErrorCode::LEADER_NOT_AVAILABLE}) {
            Fixture f;
            f.subs.assign({{"t", 0}});
            f.subs.seek({"t", 0}, 3);
            auto req = f.requestFor(1);
            QVERIFY(!f.metadata.updateRequested());
            f.answer(1, 12, req, {Fixture::data(0, {}, e)});
            ConsumerRecords out;
            QVERIFY(f.fetcher.collectFetch(out, f.clock.nowMs()).ok());
            QVERIFY(out.empty());
            QVERIFY(f.metadata.updateRequested());
            QCOMPARE(*f.subs.position({"t", 0}), int64_t{3});
            // Backing off for retry.backoff.ms, then fetched again.
            QVERIFY(f.fetcher.prepareFetchRequests(*f.cluster, f.clock.nowMs()).empty());
            f.clock.sleepMs(100);
            QCOMPARE(f.fetcher.prepareFetchRequests(*f.cluster, f.clock.nowMs()).size(), size_t{1});
        }
    }

    void staleAnswerAfterSeekIsDropped() {
        Fixture f;
        f.subs.assign({{"t", 0}});
        f.subs.seek({"t", 0}, 0);
        auto req = f.requestFor(1);
        f.subs.seek({"t", 0}, 100);
        f.answer(1, 12, req, {Fixture::data(0, makeBatch(0, numbered(0, 3)))});
        ConsumerRecords out;
        QVERIFY(f.fetcher.collectFetch(out, 0).ok());
        QVERIFY(out.empty());
        QCOMPARE(*f.subs.position({"t", 0}), int64_t{100});
    }

    void corruptBatchIsAnErrorNamingThePartition() {
        Fixture f;
        f.subs.assign({{"t", 0}});
        f.subs.seek({"t", 0}, 0);
        auto req = f.requestFor(1);
        auto b = makeBatch(0, numbered(0, 3));
        b[b.size() - 2] ^= 0x40;  // inside the records: CRC mismatch
        f.answer(1, 12, req, {Fixture::data(0, b)});
        ConsumerRecords out;
        Status s = f.fetcher.collectFetch(out, 0);
        QVERIFY(!s.ok());
        QVERIFY2(s.message().find("t-0 at offset 0") != std::string::npos, s.message().c_str());
        QCOMPARE(*f.subs.position({"t", 0}), int64_t{0});
    }

    void malformedResponsesNeverCrash() {
        auto b = concat({makeBatch(0, numbered(0, 4), CompressionType::Snappy),
                         makeBatch(4, numbered(4, 2), CompressionType::Gzip)});
        protocol::FetchResponse resp;
        resp.responses.push_back({"t", {Fixture::data(0, b)}});
        std::mt19937 rng(7);
        for (int16_t v : kVersions) {
            std::vector<uint8_t> good;
            protocol::Writer w(good);
            encode(resp, v, w);
            // Every truncation, then random byte mutations.
            for (size_t cut = 0; cut <= good.size(); cut += (cut < 120 ? 1 : 7)) {
                Fixture f;
                f.subs.assign({{"t", 0}});
                f.subs.seek({"t", 0}, 0);
                auto req = f.requestFor(1);
                f.fetcher.handleFetchResponse(
                    1, v, req,
                    std::vector<uint8_t>(good.begin(), good.begin() + static_cast<long>(cut)), 0);
                ConsumerRecords out;
                (void)f.fetcher.collectFetch(out, 0);
                QVERIFY(out.size() <= 6);
                QVERIFY(!f.fetcher.inFlight(1));
            }
            for (int i = 0; i < 300; ++i) {
                Fixture f;
                f.subs.assign({{"t", 0}});
                f.subs.seek({"t", 0}, 0);
                auto req = f.requestFor(1);
                auto bad = good;
                for (int k = 0; k < 3; ++k)
                    bad[rng() % bad.size()] ^= static_cast<uint8_t>(1 + rng() % 255);
                f.fetcher.handleFetchResponse(1, v, req, std::move(bad), 0);
                ConsumerRecords out;
                (void)f.fetcher.collectFetch(out, 0);
                QVERIFY(out.size() <= 6);
            }
        }
        // An oversized hostile count in the response is an error, not an allocation.
        Fixture f;
        f.subs.assign({{"t", 0}});
        f.subs.seek({"t", 0}, 0);
        auto req = f.requestFor(1);
        std::vector<uint8_t> hostile = {0, 0, 0, 0, 0x7f, 0xff, 0xff, 0xff};
        f.fetcher.handleFetchResponse(1, 4, req, hostile, 0);
        QVERIFY(f.metadata.updateRequested());
        ConsumerRecords out;
        QVERIFY(f.fetcher.collectFetch(out, 0).ok());
        QVERIFY(out.empty());
    }
};

QTEST_GUILESS_MAIN(FetcherTest)
#include "test_fetcher.moc"
