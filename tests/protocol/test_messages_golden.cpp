#include <QtTest>

#include "golden.h"
#include "protocol/frame.h"
#include "protocol/messages/all.h"

using namespace bs::protocol;
using golden::Bytes;
using golden::cat;

// Byte vectors derived by hand from Kafka's protocol definitions (common/message/*.json and
// the protocol guide's primitive types), not from our encoder.
class MessagesGoldenTest : public QObject {
    Q_OBJECT

    template <class T>
    static Bytes body(const T& m, int16_t v) {
        Bytes out;
        Writer w(out);
        encode(m, v, w);
        return out;
    }
    template <class T>
    static T decoded(const Bytes& b, int16_t v) {
        T m;
        bs::Status s = decodeBody(m, v, b);
        if (!s.ok()) qWarning("%s", s.message().c_str());
        return m;
    }

  private slots:
    void saslHandshakeV1Request() {
        RequestHeader h{ApiKey::SaslHandshake, 1, 3, std::string("bs")};
        Bytes expected = cat(Bytes{0, 0, 0, 19}, Bytes{0, 17, 0, 1, 0, 0, 0, 3, 0, 2}, "bs",
                             Bytes{0, 5}, "PLAIN");  // never flexible: classic string
        QCOMPARE(encodeRequestFrame(h, SaslHandshakeRequest{"PLAIN"}), expected);
        SaslHandshakeResponse r{ErrorCode::UNSUPPORTED_SASL_MECHANISM, {"PLAIN"}};
        QCOMPARE(body(r, 1), cat(Bytes{0, 33, 0, 0, 0, 1, 0, 5}, "PLAIN"));
    }

    void saslAuthenticateV2RequestWithHeaderV2() {
        RequestHeader h{ApiKey::SaslAuthenticate, 2, 4, std::string("bs")};
        SaslAuthenticateRequest m{{0, 'a', 0, 'b'}};
        Bytes expected = cat(Bytes{0, 0, 0, 19}, Bytes{0, 36, 0, 2, 0, 0, 0, 4, 0, 2}, "bs",
                             Bytes{0},                  // header tags
                             Bytes{5, 0, 'a', 0, 'b'},  // compact bytes: length + 1
                             Bytes{0});                 // body tags
        QCOMPARE(encodeRequestFrame(h, m), expected);
        QCOMPARE(body(m, 0), (Bytes{0, 0, 0, 4, 0, 'a', 0, 'b'}));
    }

    void saslAuthenticateV1Response() {
        Bytes wire =
            cat(Bytes{0, 0, 0xff, 0xff, 0, 0, 0, 4}, "v=ab", Bytes{0, 0, 0, 0, 0, 0, 0x0e, 0x10});
        auto r = decoded<SaslAuthenticateResponse>(wire, 1);
        QVERIFY(r.errorCode == ErrorCode::NONE);
        QVERIFY(!r.errorMessage);
        QCOMPARE(r.authBytes, (Bytes{'v', '=', 'a', 'b'}));
        QCOMPARE(r.sessionLifetimeMs, int64_t(3600));
        QCOMPARE(body(r, 1), wire);
    }

    void requestHeaderV1WithApiVersionsV0() {
        RequestHeader h{ApiKey::ApiVersions, 0, 1, std::string("bs")};
        Bytes expected = cat(Bytes{0, 0, 0, 12}, Bytes{0, 18, 0, 0, 0, 0, 0, 1, 0, 2}, "bs");
        QCOMPARE(encodeRequestFrame(h, ApiVersionsRequest{}), expected);
    }

    void apiVersionsV3RequestWithHeaderV2() {
        RequestHeader h{ApiKey::ApiVersions, 3, 7, std::string("bs")};
        ApiVersionsRequest m{"batchscope", "0.1.0"};
        Bytes expected = cat(Bytes{0, 0, 0, 31}, Bytes{0, 18, 0, 3, 0, 0, 0, 7, 0, 2},
                             "bs",                                        // client id: classic
                             Bytes{0},                                    // header tags
                             Bytes{11}, "batchscope", Bytes{6}, "0.1.0",  // compact strings
                             Bytes{0});                                   // body tags
        QCOMPARE(encodeRequestFrame(h, m), expected);
        auto frame = parseRequestFrame(std::span(expected).subspan(4));
        QVERIFY(frame.ok());
        QVERIFY(frame->header == h);
        QVERIFY(decoded<ApiVersionsRequest>(Bytes(frame->body.begin(), frame->body.end()), 3) == m);
    }

    void metadataV1Request() {
        RequestHeader h{ApiKey::Metadata, 1, 2, std::nullopt};
        MetadataRequest m;
        m.topics = {{{}, std::string("orders")}};
        Bytes expected = cat(Bytes{0, 0, 0, 22}, Bytes{0, 3, 0, 1, 0, 0, 0, 2, 0xff, 0xff},
                             Bytes{0, 0, 0, 1, 0, 6}, "orders");
        QCOMPARE(encodeRequestFrame(h, m), expected);
        QCOMPARE(body(MetadataRequest{}, 0), (Bytes{0, 0, 0, 0}));  // v0: no null, empty = all
        QCOMPARE(body(MetadataRequest{}, 1), (Bytes{0xff, 0xff, 0xff, 0xff}));  // null = all
        QCOMPARE(body(MetadataRequest{}, 4), (Bytes{0xff, 0xff, 0xff, 0xff, 1}));
    }

    void produceV3RequestWithTinyRecords() {
        static const uint8_t records[] = {1, 2, 3};
        ProduceRequest m;
        m.acks = -1;
        m.timeoutMs = 1000;
        m.topicData = {{"t", {{0, {records, false}}}}};
        Bytes expected = cat(Bytes{0xff, 0xff},              // transactional id: null
                             Bytes{0xff, 0xff},              // acks -1
                             Bytes{0, 0, 0x03, 0xe8},        // timeout 1000
                             Bytes{0, 0, 0, 1, 0, 1}, "t",   // 1 topic "t"
                             Bytes{0, 0, 0, 1, 0, 0, 0, 0},  // 1 partition, index 0
                             Bytes{0, 0, 0, 3, 1, 2, 3});    // records
        QCOMPARE(body(m, 3), expected);
        QVERIFY(decoded<ProduceRequest>(expected, 3) == m);
    }

    void produceV9RequestIsCompact() {
        static const uint8_t records[] = {1, 2, 3};
        ProduceRequest m;
        m.acks = -1;
        m.timeoutMs = 1000;
        m.topicData = {{"t", {{0, {records, false}}}}};
        Bytes expected = cat(Bytes{0, 0xff, 0xff, 0, 0, 0x03, 0xe8},  // null id, acks, timeout
                             Bytes{2, 2}, "t",                        // 1 topic "t"
                             Bytes{2, 0, 0, 0, 0},                    // 1 partition, index 0
                             Bytes{4, 1, 2, 3},                       // compact records
                             Bytes{0, 0, 0});  // partition, topic, request tags
        QCOMPARE(body(m, 9), expected);
    }

    void initProducerIdResponse() {
        InitProducerIdResponse m;
        m.producerId = 42;
        m.producerEpoch = 0;
        Bytes v0{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 42, 0, 0};
        QCOMPARE(body(m, 0), v0);
        QVERIFY(decoded<InitProducerIdResponse>(v0, 0) == m);
        // v2 is flexible: response header v1 (tags) and a tags byte at the end of the body.
        Bytes frame = encodeResponseFrame(ApiKey::InitProducerId, 2, 9, m);
        Bytes expected = cat(Bytes{0, 0, 0, 22, 0, 0, 0, 9, 0}, v0, Bytes{0});
        QCOMPARE(frame, expected);
        auto parsed = parseResponseFrame(std::span(frame).subspan(4), ApiKey::InitProducerId, 2);
        QVERIFY(parsed.ok());
        QCOMPARE(parsed->header.correlationId, 9);
        QVERIFY(decoded<InitProducerIdResponse>(Bytes(parsed->body.begin(), parsed->body.end()),
                                                2) == m);
    }

    void apiVersionsV3ResponseKeepsKnownTagsAndSkipsUnknown() {
        Bytes b = cat(Bytes{0, 0},                          // error code
                      Bytes{3},                             // 2 api keys
                      Bytes{0, 0, 0, 3, 0, 11, 0},          // Produce 3..11
                      Bytes{0, 18, 0, 0, 0, 3, 0},          // ApiVersions 0..3
                      Bytes{0, 0, 0, 0},                    // throttle
                      Bytes{3},                             // 3 tagged fields
                      Bytes{1, 8, 0, 0, 0, 0, 0, 0, 0, 5},  // finalized epoch 5
                      Bytes{3, 1, 1},                       // zk migration ready
                      Bytes{9, 2, 0xaa, 0xbb});             // unknown tag 9
        auto m = decoded<ApiVersionsResponse>(b, 3);
        QCOMPARE(m.apiKeys.size(), size_t(2));
        QCOMPARE(m.apiKeys[0].maxVersion, int16_t(11));
        QCOMPARE(m.apiKeys[1].apiKey, int16_t(18));
        QCOMPARE(m.finalizedFeaturesEpoch, std::optional<int64_t>(5));
        QCOMPARE(m.zkMigrationReady, std::optional<bool>(true));
        QVERIFY(!m.supportedFeatures.has_value());
        // Written back without the unknown tag.
        QCOMPARE(body(m, 3).size(), b.size() - 4);
    }

    void apiVersionsFallsBackToV0OnUnsupportedVersion() {
        // KIP-511: asked for v3, a broker that only speaks v0-2 answers in a v0 body.
        Bytes v0 = cat(Bytes{0, 35, 0, 0, 0, 1, 0, 18, 0, 0, 0, 2});
        ApiVersionsResponse m;
        QVERIFY(decodeApiVersionsResponse(m, 3, v0).ok());
        QVERIFY(m.errorCode == ErrorCode::UNSUPPORTED_VERSION);
        QCOMPARE(m.apiKeys.size(), size_t(1));
        QCOMPARE(m.apiKeys[0].maxVersion, int16_t(2));
        // A regular v3 answer decodes at v3.
        Bytes v3 = cat(Bytes{0, 0, 2, 0, 18, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0});
        QVERIFY(decodeApiVersionsResponse(m, 3, v3).ok());
        QVERIFY(m.errorCode == ErrorCode::NONE);
        QCOMPARE(m.apiKeys[0].maxVersion, int16_t(3));
        // Garbage is an error, and leaves no half-decoded value behind.
        Bytes garbage{0, 0, 9};
        QVERIFY(!decodeApiVersionsResponse(m, 3, garbage).ok());
        QVERIFY(m == ApiVersionsResponse{});
    }

    void apiVersionsV0ResponseFrameUsesHeaderV0() {
        ApiVersionsResponse m;
        m.errorCode = ErrorCode::UNSUPPORTED_VERSION;
        m.apiKeys = {{18, 0, 3}};
        Bytes expected = cat(Bytes{0, 0, 0, 16, 0, 0, 0, 5},  // size, correlation id
                             Bytes{0, 35, 0, 0, 0, 1, 0, 18, 0, 0, 0, 3});
        QCOMPARE(encodeResponseFrame(ApiKey::ApiVersions, 0, 5, m), expected);
        // Even at v3 the ApiVersions response header has no tags byte.
        Bytes v3 = encodeResponseFrame(ApiKey::ApiVersions, 3, 5, m);
        QCOMPARE(Bytes(v3.begin() + 4, v3.begin() + 10), (Bytes{0, 0, 0, 5, 0, 35}));
    }

    void produceV10ResponseCurrentLeaderTag() {
        ProduceResponse m;
        ProduceResponse::PartitionProduceResponse p;
        p.baseOffset = 5;
        p.logStartOffset = 0;
        p.currentLeader = LeaderIdAndEpoch{2, 3};
        m.responses = {{"t", {p}}};
        Bytes expected = cat(Bytes{2, 2}, "t", Bytes{2},     // 1 topic "t", 1 partition
                             Bytes{0, 0, 0, 0, 0, 0},        // index 0, no error
                             Bytes{0, 0, 0, 0, 0, 0, 0, 5},  // base offset
                             Bytes(8, 0xff),                 // log append time -1
                             Bytes(8, 0),                    // log start offset 0
                             Bytes{1, 0},                    // no record errors, null msg
                             Bytes{1, 0, 9, 0, 0, 0, 2, 0, 0, 0, 3, 0},  // tag 0: leader 2/3
                             Bytes{0},                                   // topic tags
                             Bytes{0, 0, 0, 0, 0});                      // throttle, tags
        QCOMPARE(body(m, 10), expected);
        QVERIFY(decoded<ProduceResponse>(expected, 10) == m);
    }

    void fetchV12ResponsePartitionTags() {
        FetchResponse m;
        FetchResponse::PartitionData p;
        p.highWatermark = 1;
        p.divergingEpoch = FetchResponse::EpochEndOffset{1, 2};
        p.records = {{}, true};
        m.responses = {{"t", {p}}};
        Bytes expected = cat(Bytes{0, 0, 0, 0, 0, 0, 0, 0, 0, 0},  // throttle, error, session
                             Bytes{2, 2}, "t", Bytes{2},           // 1 topic "t", 1 partition
                             Bytes{0, 0, 0, 0, 0, 0},              // index 0, no error
                             Bytes{0, 0, 0, 0, 0, 0, 0, 1},        // high watermark
                             Bytes(16, 0xff),                      // LSO, log start -1
                             Bytes{0},                             // aborted: null
                             Bytes{0xff, 0xff, 0xff, 0xff},        // preferred replica -1
                             Bytes{0},                             // records: null
                             Bytes{1, 0, 13, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2, 0},  // tag 0
                             Bytes{0, 0});  // topic, response tags
        QCOMPARE(body(m, 12), expected);
        QVERIFY(decoded<FetchResponse>(expected, 12) == m);
    }
};

QTEST_GUILESS_MAIN(MessagesGoldenTest)
#include "test_messages_golden.moc"
