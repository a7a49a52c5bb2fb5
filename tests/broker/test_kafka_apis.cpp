// KafkaApis driven in-process with encoded frames (no sockets): precise checks of the
// broker's answers and of what reaches the log.
#include <QTemporaryDir>
#include <QtTest>
#include <set>

#include "broker/delayed_fetch.h"
#include "broker/fault_injector.h"
#include "broker/kafka_apis.h"
#include "protocol/frame.h"
#include "protocol/messages/find_coordinator.h"
#include "protocol/record/record_batch.h"
#include "support/mock_clock.h"

using namespace bs;
using namespace bs::broker;
using protocol::ApiKey;
using protocol::ErrorCode;

namespace {

std::vector<uint8_t> makeBatch(int records, int64_t pid = -1, int16_t epoch = -1, int32_t seq = -1,
                               protocol::CompressionType codec = protocol::CompressionType::None) {
    std::vector<uint8_t> buf(64 * 1024);
    protocol::RecordBatchBuilder b(buf, codec);
    for (int i = 0; i < records; ++i) {
        const std::string v = "value-" + std::to_string(i);
        std::span<const uint8_t> value(reinterpret_cast<const uint8_t*>(v.data()), v.size());
        b.tryAppend(1'700'000'000'000 + i, std::nullopt, value);
    }
    if (pid >= 0) b.setProducerState(pid, epoch, seq);
    auto bytes = b.close();
    return {bytes->begin(), bytes->end()};
}

}  // namespace

class KafkaApisTest : public QObject {
    Q_OBJECT

  private:
    QTemporaryDir dir_;
    MockClock clock_;
    ClusterConfig config_;
    std::unique_ptr<MetadataCache> metadata_;
    std::unique_ptr<ReplicaManager> replicas_;
    std::unique_ptr<FaultInjector> faults_;
    std::unique_ptr<KafkaApis> apis_;
    int32_t correlation_ = 0;

    template <class Req>
    RequestOutcome send(int32_t node, ApiKey api, int16_t version, const Req& req) {
        protocol::RequestHeader h{api, version, ++correlation_, std::string("test")};
        auto frame = protocol::encodeRequestFrame(h, req);
        std::span<uint8_t> body(frame.data() + 4, frame.size() - 4);
        return apis_->handle(node, body);
    }
    template <class Resp>
    Resp decodeResponse(const RequestOutcome& out, ApiKey api, int16_t version) {
        Resp r;
        [&] { QCOMPARE(out.action, RequestOutcome::Action::Respond); }();
        auto f = protocol::parseResponseFrame(std::span(out.response).subspan(4), api, version);
        [&] { QVERIFY(f.ok()); }();
        [&] { QCOMPARE(f->header.correlationId, correlation_); }();
        auto s = protocol::decodeBody(r, version, f->body);
        [&] { QVERIFY2(s.ok(), s.message().c_str()); }();
        return r;
    }
    protocol::ProduceResponse::PartitionProduceResponse produce(int32_t node, int32_t partition,
                                                                std::vector<uint8_t> batch,
                                                                int16_t version = 9) {
        protocol::ProduceRequest req;
        req.acks = -1;
        req.topicData.push_back({"t", {{partition, {batch, false}}}});
        auto r = decodeResponse<protocol::ProduceResponse>(
            send(node, ApiKey::Produce, version, req), ApiKey::Produce, version);
        return r.responses.at(0).partitionResponses.at(0);
    }
    int64_t logEnd(int32_t partition) {
        return (*replicas_->getPartition("t", partition))->log().logEndOffset();
    }

  private slots:
    void init() {
        QVERIFY(dir_.isValid());
        static int run = 0;
        const QString sub = dir_.filePath(QString::number(++run));
        config_ = ClusterConfig{};
        config_.dataDir = sub.toStdString();
        config_.log.maxMessageBytes = 4096;
        metadata_ = MetadataCache::open(config_.dataDir, 3).value();
        QCOMPARE(metadata_->createTopic("t", 3, false).error, ErrorCode::NONE);
        replicas_ =
            std::make_unique<ReplicaManager>(config_.dataDir, config_.log, *metadata_, clock_);
        faults_ = std::make_unique<FaultInjector>(3);
        std::vector<BrokerEndpoint> eps{
            {0, "127.0.0.1", 9000}, {1, "127.0.0.1", 9001}, {2, "127.0.0.1", 9002}};
        apis_ = std::make_unique<KafkaApis>(config_, eps, *metadata_, *replicas_, *faults_, clock_);
    }
    void cleanup() {
        apis_.reset();
        (void)replicas_->shutdown();
    }

    void apiVersionsAdvertisesOurRangesAndAnswersTooNewWithV0() {
        auto r = decodeResponse<protocol::ApiVersionsResponse>(
            send(0, ApiKey::ApiVersions, 3, protocol::ApiVersionsRequest{}), ApiKey::ApiVersions,
            3);
        QCOMPARE(r.errorCode, ErrorCode::NONE);
        QCOMPARE(r.apiKeys.size(), protocol::supportedApis().size());
        // Too new: the v0 body with UNSUPPORTED_VERSION and our ranges.
        auto old = send(0, ApiKey::ApiVersions, 77, protocol::ApiVersionsRequest{});
        auto v0 = decodeResponse<protocol::ApiVersionsResponse>(old, ApiKey::ApiVersions, 0);
        QCOMPARE(v0.errorCode, ErrorCode::UNSUPPORTED_VERSION);
        QCOMPARE(v0.apiKeys.size(), protocol::supportedApis().size());
        // Produce and Fetch are advertised from v0 (librdkafka's feature probe), the rest as
        // the codec accepts them.
        for (const auto& k : r.apiKeys) {
            const auto ours = protocol::supportedRange(static_cast<ApiKey>(k.apiKey));
            QVERIFY(ours);
            const bool legacy = ours->apiKey == ApiKey::Produce || ours->apiKey == ApiKey::Fetch;
            QCOMPARE(k.minVersion, legacy ? int16_t(0) : ours->minVersion);
            QCOMPARE(k.maxVersion, ours->maxVersion);
        }
    }

    void belowCodecRangeClosesConnection() {
        // A Produce v2 request (same header layout as v3) cannot be parsed: closed with a reason.
        protocol::RequestHeader h{ApiKey::Produce, 3, ++correlation_, std::string("test")};
        auto frame = protocol::encodeRequestFrame(h, protocol::ProduceRequest{});
        frame[7] = 2;  // api version low byte, after the size and the api key
        auto out = apis_->handle(0, std::span<uint8_t>(frame.data() + 4, frame.size() - 4));
        QCOMPARE(out.action, RequestOutcome::Action::Close);
        QVERIFY(QString::fromStdString(out.reason).contains("version 2"));
    }

    void metadataV0EmptyListMeansAllTopics() {
        protocol::MetadataRequest create;
        create.topics =
            std::vector<protocol::MetadataRequest::MetadataRequestTopic>{{{}, "a"}, {{}, "b"}};
        (void)decodeResponse<protocol::MetadataResponse>(send(1, ApiKey::Metadata, 12, create),
                                                         ApiKey::Metadata, 12);
        protocol::MetadataRequest all;
        all.topics.emplace();
        auto r = decodeResponse<protocol::MetadataResponse>(send(1, ApiKey::Metadata, 0, all),
                                                            ApiKey::Metadata, 0);
        QCOMPARE(r.brokers.size(), size_t{3});
        QVERIFY(!r.brokers[0].rack);
        std::set<std::string> names;
        for (const auto& t : r.topics)
            names.insert(t.name.value_or(""));
        QCOMPARE(names, (std::set<std::string>{"a", "b", "t"}));
        // From v1 an empty list asks for no topic.
        r = decodeResponse<protocol::MetadataResponse>(send(1, ApiKey::Metadata, 1, all),
                                                       ApiKey::Metadata, 1);
        QVERIFY(r.topics.empty());
    }

    void metadataAutoCreatesAndSpreadsLeaders() {
        protocol::MetadataRequest req;
        req.topics = std::vector<protocol::MetadataRequest::MetadataRequestTopic>{{{}, "fresh"},
                                                                                  {{}, "bad/name"}};
        auto r = decodeResponse<protocol::MetadataResponse>(send(1, ApiKey::Metadata, 12, req),
                                                            ApiKey::Metadata, 12);
        QCOMPARE(r.brokers.size(), size_t{3});
        QCOMPARE(r.topics.size(), size_t{2});
        QCOMPARE(r.topics[0].errorCode, ErrorCode::NONE);
        QCOMPARE(r.topics[0].partitions.size(), size_t{6});
        QVERIFY(!r.topics[0].topicId.isZero());
        std::set<int32_t> leaders;
        for (const auto& p : r.topics[0].partitions)
            leaders.insert(p.leaderId);
        QCOMPARE(leaders.size(), size_t{3});
        QCOMPARE(r.topics[1].errorCode, ErrorCode::INVALID_TOPIC_EXCEPTION);
        // A down node vanishes and its partitions go offline.
        faults_->setDown(0, true);
        req.topics = std::vector<protocol::MetadataRequest::MetadataRequestTopic>{{{}, "t"}};
        r = decodeResponse<protocol::MetadataResponse>(send(1, ApiKey::Metadata, 12, req),
                                                       ApiKey::Metadata, 12);
        QCOMPARE(r.brokers.size(), size_t{2});
        QCOMPARE(r.topics[0].partitions[0].errorCode, ErrorCode::LEADER_NOT_AVAILABLE);
        QCOMPARE(r.topics[0].partitions[0].leaderId, -1);
    }

    void createTopicsChecksEachTopicAndPersists() {
        protocol::CreateTopicsRequest req;
        req.topics = {{"a", 2, -1, {}, {}},
                      {"t", 1, -1, {}, {}},
                      {"..", 1, -1, {}, {}},
                      {"z", 0, -1, {}, {}},
                      {"r", 1, 3, {}, {}}};
        auto r = decodeResponse<protocol::CreateTopicsResponse>(
            send(2, ApiKey::CreateTopics, 7, req), ApiKey::CreateTopics, 7);
        QCOMPARE(r.topics[0].errorCode, ErrorCode::NONE);
        QCOMPARE(r.topics[0].numPartitions, 2);
        QCOMPARE(r.topics[1].errorCode, ErrorCode::TOPIC_ALREADY_EXISTS);
        QCOMPARE(r.topics[2].errorCode, ErrorCode::INVALID_TOPIC_EXCEPTION);
        QCOMPARE(r.topics[3].errorCode, ErrorCode::INVALID_PARTITIONS);
        QCOMPARE(r.topics[4].errorCode, ErrorCode::INVALID_REPLICATION_FACTOR);
        req.topics = {{"only-validated", 4, -1, {}, {}}};
        req.validateOnly = true;
        r = decodeResponse<protocol::CreateTopicsResponse>(send(2, ApiKey::CreateTopics, 7, req),
                                                           ApiKey::CreateTopics, 7);
        QCOMPARE(r.topics[0].errorCode, ErrorCode::NONE);
        QVERIFY(!metadata_->topic("only-validated"));
        // Persisted: a new cache on the same dir sees the topics.
        auto reopened = MetadataCache::open(config_.dataDir, 3);
        QVERIFY(reopened.ok());
        QCOMPARE((*reopened)->topic("a")->partitions.size(), size_t{2});
        QCOMPARE((*reopened)->clusterId(), metadata_->clusterId());
    }

    void produceAssignsOffsetsOnLeaderOnly() {
        auto p = produce(0, 0, makeBatch(3));
        QCOMPARE(p.errorCode, ErrorCode::NONE);
        QCOMPARE(p.baseOffset, 0);
        QCOMPARE(p.logAppendTimeMs, -1);
        p = produce(0, 0, makeBatch(2, -1, -1, -1, protocol::CompressionType::Zstd));
        QCOMPARE(p.baseOffset, 3);
        QCOMPARE(logEnd(0), 5);
        p = produce(1, 0, makeBatch(1), 10);
        QCOMPARE(p.errorCode, ErrorCode::NOT_LEADER_OR_FOLLOWER);
        QVERIFY(p.currentLeader.has_value());
        QCOMPARE(p.currentLeader->leaderId, 0);
        QCOMPARE(logEnd(0), 5);
    }

    void rejectedBatchesLeaveLogUntouched() {
        auto batch = makeBatch(2);
        batch[batch.size() - 1] ^= 0x55;  // breaks the CRC
        QCOMPARE(produce(0, 0, batch).errorCode, ErrorCode::CORRUPT_MESSAGE);
        auto wrongMagic = makeBatch(1);
        wrongMagic[16] = 1;
        QCOMPARE(produce(0, 0, wrongMagic).errorCode, ErrorCode::INVALID_RECORD);
        auto truncated = makeBatch(2);
        truncated.resize(truncated.size() - 3);
        QCOMPARE(produce(0, 0, truncated).errorCode, ErrorCode::CORRUPT_MESSAGE);
        auto two = makeBatch(1);
        auto second = makeBatch(1);
        two.insert(two.end(), second.begin(), second.end());
        QCOMPARE(produce(0, 0, two).errorCode, ErrorCode::INVALID_RECORD);
        auto big = makeBatch(400);  // > max.message.bytes 4096
        QCOMPARE(produce(0, 0, big).errorCode, ErrorCode::MESSAGE_TOO_LARGE);
        QCOMPARE(produce(0, 0, {}).errorCode, ErrorCode::INVALID_RECORD);  // empty records
        // Null records (length -1 on the wire) decode to a view of nothing.
        protocol::ProduceRequest nullRecords;
        nullRecords.acks = -1;
        nullRecords.topicData.push_back({"t", {{0, {{}, true}}}});
        auto r = decodeResponse<protocol::ProduceResponse>(send(0, ApiKey::Produce, 9, nullRecords),
                                                           ApiKey::Produce, 9);
        QCOMPARE(r.responses.at(0).partitionResponses.at(0).errorCode, ErrorCode::INVALID_RECORD);
        QCOMPARE(logEnd(0), 0);
    }

    void idempotentSequencesDropDuplicatesRejectGapsAndFenceOldEpochs() {
        auto id = metadata_->allocateProducerId();
        QVERIFY(id.ok());
        QCOMPARE(produce(0, 0, makeBatch(2, *id, 0, 0)).baseOffset, 0);
        QCOMPARE(produce(0, 0, makeBatch(2, *id, 0, 2)).baseOffset, 2);
        auto dup = produce(0, 0, makeBatch(2, *id, 0, 2));
        QCOMPARE(dup.errorCode, ErrorCode::NONE);
        QCOMPARE(dup.baseOffset, 2);
        QCOMPARE(produce(0, 0, makeBatch(1, *id, 0, 9)).errorCode,
                 ErrorCode::OUT_OF_ORDER_SEQUENCE_NUMBER);
        QCOMPARE(logEnd(0), 4);
        // InitProducerId bumps the epoch of a known id (v3+); the old epoch is then fenced.
        protocol::InitProducerIdRequest init;
        init.producerId = *id;
        init.producerEpoch = 0;
        auto r = decodeResponse<protocol::InitProducerIdResponse>(
            send(1, ApiKey::InitProducerId, 4, init), ApiKey::InitProducerId, 4);
        QCOMPARE(r.producerId, *id);
        QCOMPARE(r.producerEpoch, int16_t{1});
        QCOMPARE(produce(0, 0, makeBatch(1, *id, 1, 0)).errorCode, ErrorCode::NONE);
        QCOMPARE(produce(0, 0, makeBatch(1, *id, 0, 4)).errorCode,
                 ErrorCode::INVALID_PRODUCER_EPOCH);
        auto fresh = decodeResponse<protocol::InitProducerIdResponse>(
            send(1, ApiKey::InitProducerId, 4, protocol::InitProducerIdRequest{}),
            ApiKey::InitProducerId, 4);
        QVERIFY(fresh.producerId > *id);
        QCOMPARE(fresh.producerEpoch, int16_t{0});
    }

    void acksZeroAppendsWithoutAnswerAndClosesOnAFollower() {
        protocol::ProduceRequest req;
        req.acks = 0;
        auto batch = makeBatch(1);
        req.topicData.push_back({"t", {{0, {batch, false}}}});
        QCOMPARE(send(0, ApiKey::Produce, 9, req).action, RequestOutcome::Action::NoResponse);
        QCOMPARE(send(1, ApiKey::Produce, 9, req).action, RequestOutcome::Action::Close);
        QCOMPARE(logEnd(0), 1);
    }

    void injectedErrorsAnswerThenDisarmWithoutAppending() {
        faults_->injectErrors(0, ApiKey::Produce, ErrorCode::NOT_ENOUGH_REPLICAS, 2);
        QCOMPARE(produce(0, 0, makeBatch(1)).errorCode, ErrorCode::NOT_ENOUGH_REPLICAS);
        QCOMPARE(produce(0, 0, makeBatch(1)).errorCode, ErrorCode::NOT_ENOUGH_REPLICAS);
        QCOMPARE(logEnd(0), 0);
        QCOMPARE(produce(0, 0, makeBatch(1)).errorCode, ErrorCode::NONE);
        QCOMPARE(logEnd(0), 1);
    }

    // Answered as a broker-age probe (librdkafka's LZ4 feature check): the same node for the same
    // key, only nodes that are up, one answer per key in v4, bad key types named.
    void findCoordinatorIsStablePerKeyAndAvoidsDownNodes() {
        protocol::FindCoordinatorRequest req;
        req.key = "billing";
        auto v2 = decodeResponse<protocol::FindCoordinatorResponse>(
            send(1, ApiKey::FindCoordinator, 2, req), ApiKey::FindCoordinator, 2);
        QCOMPARE(v2.errorCode, ErrorCode::NONE);
        QVERIFY(v2.nodeId >= 0 && v2.nodeId < 3);
        QCOMPARE(v2.host, std::string("127.0.0.1"));
        QCOMPARE(v2.port, 9000 + v2.nodeId);
        auto again = decodeResponse<protocol::FindCoordinatorResponse>(
            send(2, ApiKey::FindCoordinator, 0, req), ApiKey::FindCoordinator, 0);
        QCOMPARE(again.nodeId, v2.nodeId);  // asked of another node, v0: same coordinator

        faults_->setDown(v2.nodeId, true);
        auto moved = decodeResponse<protocol::FindCoordinatorResponse>(
            send((v2.nodeId + 1) % 3, ApiKey::FindCoordinator, 3, req), ApiKey::FindCoordinator, 3);
        QCOMPARE(moved.errorCode, ErrorCode::NONE);
        QVERIFY(moved.nodeId != v2.nodeId);
        faults_->setDown(v2.nodeId, false);

        protocol::FindCoordinatorRequest batch;
        batch.keyType = 0;
        batch.coordinatorKeys = {"a", "b", "c", "billing"};
        auto v4 = decodeResponse<protocol::FindCoordinatorResponse>(
            send(0, ApiKey::FindCoordinator, 4, batch), ApiKey::FindCoordinator, 4);
        QCOMPARE(v4.coordinators.size(), size_t(4));
        QCOMPARE(v4.coordinators[3].key, std::string("billing"));
        QCOMPARE(v4.coordinators[3].nodeId, v2.nodeId);
        for (const auto& c : v4.coordinators)
            QCOMPARE(c.errorCode, ErrorCode::NONE);

        batch.keyType = 7;
        auto bad = decodeResponse<protocol::FindCoordinatorResponse>(
            send(0, ApiKey::FindCoordinator, 4, batch), ApiKey::FindCoordinator, 4);
        QCOMPARE(bad.coordinators.at(0).errorCode, ErrorCode::INVALID_REQUEST);
        QVERIFY(bad.coordinators.at(0).errorMessage->find("key type 7") != std::string::npos);

        for (int n = 0; n < 3; ++n)
            faults_->setDown(n, true);
        auto none = decodeResponse<protocol::FindCoordinatorResponse>(
            send(0, ApiKey::FindCoordinator, 1, req), ApiKey::FindCoordinator, 1);
        QCOMPARE(none.errorCode, ErrorCode::COORDINATOR_NOT_AVAILABLE);
        for (int n = 0; n < 3; ++n)
            faults_->setDown(n, false);
    }

    void fetchReturnsRecordsAndParksAtTheLogEnd() {
        QCOMPARE(produce(1, 1, makeBatch(5)).errorCode, ErrorCode::NONE);
        protocol::FetchRequest req;
        req.maxWaitMs = 500;
        req.minBytes = 1;
        req.topics = {{"t", {{1, -1, 0, -1, -1, 1 << 20}}}};
        const auto fetched = send(1, ApiKey::Fetch, 12, req);  // the records view into it
        auto r = decodeResponse<protocol::FetchResponse>(fetched, ApiKey::Fetch, 12);
        const auto& pd = r.responses.at(0).partitions.at(0);
        QCOMPARE(pd.errorCode, ErrorCode::NONE);
        QCOMPARE(pd.highWatermark, 5);
        protocol::RecordBatchReader reader(pd.records.bytes);
        QVERIFY(reader.nextBatch());
        QCOMPARE(reader.batch().recordCount, 5);
        // At the end of the log: parked until an append arrives.
        req.topics[0].partitions[0].fetchOffset = 5;
        auto parked = send(1, ApiKey::Fetch, 12, req);
        QCOMPARE(parked.action, RequestOutcome::Action::Park);
        int woken = 0;
        auto watcher = std::make_shared<AppendWatcher>(AppendWatcher{[&] { ++woken; }});
        parked.delayedFetch->watch(watcher);
        QVERIFY(!parked.delayedFetch->tryComplete());
        QCOMPARE(produce(1, 1, makeBatch(2)).errorCode, ErrorCode::NONE);
        QCOMPARE(woken, 1);
        QVERIFY(parked.delayedFetch->tryComplete().has_value());
        // Wrong node: an immediate NOT_LEADER_OR_FOLLOWER, never parked.
        auto wrong = decodeResponse<protocol::FetchResponse>(send(2, ApiKey::Fetch, 12, req),
                                                             ApiKey::Fetch, 12);
        QCOMPARE(wrong.responses[0].partitions[0].errorCode, ErrorCode::NOT_LEADER_OR_FOLLOWER);
    }

    void listOffsetsResolvesEarliestLatestByTimeAndMaxTimestamp() {
        QCOMPARE(produce(2, 2, makeBatch(4)).errorCode, ErrorCode::NONE);
        protocol::ListOffsetsRequest req;
        req.topics = {{"t", {{2, -1, -2}, {2, -1, -1}, {2, -1, 1'700'000'000'002}, {2, -1, -3}}}};
        auto r = decodeResponse<protocol::ListOffsetsResponse>(send(2, ApiKey::ListOffsets, 7, req),
                                                               ApiKey::ListOffsets, 7);
        const auto& ps = r.topics[0].partitions;
        QCOMPARE(ps[0].offset, 0);
        QCOMPARE(ps[1].offset, 4);
        QCOMPARE(ps[2].offset, 2);
        QCOMPARE(ps[3].offset, 3);
        QCOMPARE(ps[3].timestamp, 1'700'000'000'003);
    }

    void movedLeaderAcceptsProduceAndTheOldOneRefuses() {
        auto moved = metadata_->moveLeader("t", 0, 2);
        QVERIFY(moved.ok());
        QCOMPARE(moved->leaderEpoch, 1);
        QCOMPARE(produce(0, 0, makeBatch(1)).errorCode, ErrorCode::NOT_LEADER_OR_FOLLOWER);
        QCOMPARE(produce(2, 0, makeBatch(1)).errorCode, ErrorCode::NONE);
    }

    void malformedFramesCloseWithoutAppending() {
        std::vector<uint8_t> garbage{0, 0, 0, 1, 0, 0};
        QCOMPARE(apis_->handle(0, garbage).action, RequestOutcome::Action::Close);
        protocol::ProduceRequest req;
        auto batch = makeBatch(2);
        req.topicData.push_back({"t", {{0, {batch, false}}}});
        protocol::RequestHeader h{ApiKey::Produce, 9, 1, std::string("x")};
        auto frame = protocol::encodeRequestFrame(h, req);
        for (size_t cut = 5; cut < frame.size() - 1; cut += 7) {
            std::vector<uint8_t> truncated(frame.begin() + 4,
                                           frame.begin() + static_cast<long>(cut));
            auto out = apis_->handle(0, truncated);
            QVERIFY(out.action == RequestOutcome::Action::Close ||
                    out.action == RequestOutcome::Action::Respond);
        }
        QCOMPARE(logEnd(0), 0);
    }
};

QTEST_GUILESS_MAIN(KafkaApisTest)
#include "test_kafka_apis.moc"
