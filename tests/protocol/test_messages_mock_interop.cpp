#include <QtTest>

#include <arpa/inet.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <map>
#include <string>
#include <vector>

#include "protocol/frame.h"
#include "protocol/messages/all.h"
#include "protocol/record/record_batch.h"

using namespace bs::protocol;

// Speaks every supported version of every message, that librdkafka's mock cluster (an
// independent broker implementation) also speaks, over a real TCP connection, and decodes its
// answers strictly (no unread bytes).
class MockInteropTest : public QObject {
    Q_OBJECT

    QProcess cluster_;
    int fd_ = -1;
    int32_t correlationId_ = 0;
    std::vector<uint8_t> lastBody_;
    std::map<int16_t, std::pair<int16_t, int16_t>> theirs_;  // api key -> [min, max]

    // Blocking I/O with a generous per-call deadline (the peer is a local process).
    bool sendAll(const std::vector<uint8_t>& b) {
        size_t off = 0;
        while (off < b.size()) {
            ssize_t n = ::send(fd_, b.data() + off, b.size() - off, MSG_NOSIGNAL);
            if (n <= 0) return false;
            off += static_cast<size_t>(n);
        }
        return true;
    }
    bool recvAll(uint8_t* p, size_t len) {
        size_t off = 0;
        while (off < len) {
            pollfd pfd{fd_, POLLIN, 0};
            if (::poll(&pfd, 1, 20000) <= 0) return false;
            ssize_t n = ::recv(fd_, p + off, len - off, 0);
            if (n <= 0) return false;
            off += static_cast<size_t>(n);
        }
        return true;
    }

    // Sends `req` at `version` and reads the response body into `body`; "" on success.
    template <class Req>
    std::string exchange(const Req& req, int16_t version, std::vector<uint8_t>& body) {
        RequestHeader h{Req::kApiKey, version, ++correlationId_, std::string("bs-codec-test")};
        if (!sendAll(encodeRequestFrame(h, req))) return "send failed";
        uint8_t prefix[4];
        if (!recvAll(prefix, 4)) return "no response size";
        auto size = readFrameSize(std::span<const uint8_t, 4>(prefix));
        if (!size.ok()) return size.error().message;
        std::vector<uint8_t> frame(static_cast<size_t>(*size));
        if (!recvAll(frame.data(), frame.size())) return "short response";
        auto parsed = parseResponseFrame(frame, Req::kApiKey, version);
        if (!parsed.ok()) return parsed.error().message;
        if (parsed->header.correlationId != correlationId_) return "wrong correlation id";
        body.assign(parsed->body.begin(), parsed->body.end());
        return {};
    }

    // exchange() and a strict decode of the response; errors name the API and version.
    // Records in `resp` view lastBody_, so they stay valid until the next call.
    template <class Req, class Resp>
    std::string call(const Req& req, int16_t version, Resp& resp) {
        std::string err = exchange(req, version, lastBody_);
        if (err.empty()) {
            bs::Status s = decodeBody(resp, version, lastBody_);
            if (s.ok()) return {};
            err = s.message();
        }
        return std::string(apiName(Req::kApiKey)) + " v" + std::to_string(version) + ": " + err;
    }

    // The versions both sides speak.
    std::vector<int16_t> commonVersions(ApiKey api) {
        auto ours = *supportedRange(api);
        auto it = theirs_.find(static_cast<int16_t>(api));
        std::vector<int16_t> vs;
        if (it == theirs_.end()) return vs;
        for (int16_t v = std::max(ours.minVersion, it->second.first);
             v <= std::min(ours.maxVersion, it->second.second); ++v) {
            vs.push_back(v);
        }
        return vs;
    }

    static std::vector<uint8_t> oneRecordBatch(const std::string& value) {
        std::vector<uint8_t> buf(1024);
        RecordBatchBuilder b(buf, CompressionType::None);
        const auto* v = reinterpret_cast<const uint8_t*>(value.data());
        if (!b.tryAppend(1'700'000'000'000, std::nullopt, std::span(v, value.size()))) return {};
        auto done = b.close();
        if (!done.ok()) return {};
        return std::vector<uint8_t>(done->begin(), done->end());
    }

  private slots:
    void initTestCase() {
        const QString tool = BS_BINARY_DIR "/tests/tools/mock_cluster";
        QVERIFY2(QFileInfo::exists(tool), "build the mock_cluster target first");
        cluster_.start(tool, {"--brokers", "1", "--topic", "t:2"});
        QVERIFY(cluster_.waitForStarted(20000));
        QVERIFY(cluster_.waitForReadyRead(20000));
        QString line = QString::fromUtf8(cluster_.readLine()).trimmed();
        QVERIFY2(line.startsWith("bootstrap.servers="), qPrintable(line));
        QString hostPort = line.section('=', 1).section(',', 0, 0);
        std::string host = hostPort.section(':', 0, 0).toStdString();
        std::string port = hostPort.section(':', 1).toStdString();
        addrinfo hints{};
        hints.ai_socktype = SOCK_STREAM;
        addrinfo* res = nullptr;
        QCOMPARE(::getaddrinfo(host.c_str(), port.c_str(), &hints, &res), 0);
        fd_ = ::socket(res->ai_family, SOCK_STREAM, 0);
        int rc = ::connect(fd_, res->ai_addr, res->ai_addrlen);
        ::freeaddrinfo(res);
        QCOMPARE(rc, 0);
    }

    void cleanupTestCase() {
        if (fd_ >= 0) ::close(fd_);
        cluster_.write("quit\n");
        cluster_.closeWriteChannel();
        if (!cluster_.waitForFinished(20000)) cluster_.kill();
    }

    void apiVersionsEveryVersion() {
        // librdkafka 2.0.2's mock speaks ApiVersions v0-2: v3 must come back as
        // UNSUPPORTED_VERSION (KIP-511), which the client-side decoder recognises.
        std::vector<uint8_t> body;
        QCOMPARE(exchange(ApiVersionsRequest{"batchscope", "0.1.0"}, 3, body), std::string());
        ApiVersionsResponse unsupported;
        QVERIFY(decodeApiVersionsResponse(unsupported, 3, body).ok());
        QVERIFY(unsupported.errorCode == ErrorCode::UNSUPPORTED_VERSION);
        for (int16_t v = 0; v <= 2; ++v) {
            ApiVersionsRequest req{"batchscope", "0.1.0"};
            ApiVersionsResponse resp;
            std::string err = call(req, v, resp);
            QVERIFY2(err.empty(), err.c_str());
            QCOMPARE(errorName(resp.errorCode), std::string_view("NONE"));
            QVERIFY(resp.apiKeys.size() >= 7);
            for (const auto& k : resp.apiKeys)
                theirs_[k.apiKey] = {k.minVersion, k.maxVersion};
        }
        for (const auto& r : supportedApis()) {
            qInfo("%s: ours %d-%d, common %zu versions", apiName(r.apiKey).data(), r.minVersion,
                  r.maxVersion, commonVersions(r.apiKey).size());
            // The 2.0.2 mock has no CreateTopics or CreatePartitions handler, no group admin APIs
            // (ListGroups, DescribeGroups, DeleteGroups) and no SASL (it listens PLAINTEXT only),
            // so those are not covered here (SASL is, against kcat:
            // tests/broker/test_secure_kcat.cpp; the group APIs against kcat -G and kafka-python:
            // tests/broker/test_groups_*; CreatePartitions against kafka-python:
            // tests/broker/test_create_partitions.cpp); every other API must overlap.
            if (r.apiKey != ApiKey::CreateTopics && r.apiKey != ApiKey::SaslHandshake &&
                r.apiKey != ApiKey::SaslAuthenticate && r.apiKey != ApiKey::ListGroups &&
                r.apiKey != ApiKey::DescribeGroups && r.apiKey != ApiKey::DeleteGroups &&
                r.apiKey != ApiKey::CreatePartitions) {
                QVERIFY2(!commonVersions(r.apiKey).empty(), apiName(r.apiKey).data());
            }
        }
    }

    void metadataEveryCommonVersion() {
        for (int16_t v : commonVersions(ApiKey::Metadata)) {
            MetadataRequest req;
            req.topics = {{{}, std::string("t")}};
            MetadataResponse resp;
            std::string err = call(req, v, resp);
            QVERIFY2(err.empty(), err.c_str());
            QCOMPARE(resp.brokers.size(), size_t(1));
            QCOMPARE(resp.topics.size(), size_t(1));
            QCOMPARE(resp.topics[0].name, std::optional<std::string>("t"));
            QCOMPARE(resp.topics[0].partitions.size(), size_t(2));
            QCOMPARE(resp.topics[0].partitions[0].leaderId, resp.brokers[0].nodeId);
        }
    }

    void initProducerIdEveryCommonVersion() {
        for (int16_t v : commonVersions(ApiKey::InitProducerId)) {
            InitProducerIdRequest req;
            req.transactionTimeoutMs = 60000;
            InitProducerIdResponse resp;
            std::string err = call(req, v, resp);
            QVERIFY2(err.empty(), err.c_str());
            QVERIFY(resp.errorCode == ErrorCode::NONE);
            QVERIFY(resp.producerId >= 0);
            QVERIFY(resp.producerEpoch >= 0);
        }
    }

    void produceListOffsetsAndFetchEveryCommonVersion() {
        int64_t produced = 0;
        for (int16_t v : commonVersions(ApiKey::Produce)) {
            // The mock writes Produce v5 responses without LogStartOffset (it adds it from v6;
            // Kafka's ProduceResponse.json has it from v5), so v5 cannot be decoded strictly.
            if (v == 5) continue;
            std::vector<uint8_t> batch = oneRecordBatch("value-" + std::to_string(v));
            QVERIFY(!batch.empty());
            ProduceRequest req;
            req.acks = -1;
            req.timeoutMs = 5000;
            req.topicData = {{"t", {{0, {batch, false}}}}};
            ProduceResponse resp;
            std::string err = call(req, v, resp);
            QVERIFY2(err.empty(), err.c_str());
            const auto& p = resp.responses.at(0).partitionResponses.at(0);
            QVERIFY2(p.errorCode == ErrorCode::NONE, errorName(p.errorCode).data());
            QCOMPARE(p.baseOffset, produced);
            ++produced;
        }
        for (int16_t v : commonVersions(ApiKey::ListOffsets)) {
            // The mock writes ListOffsets v4+ LeaderEpoch as an int64 (Kafka: int32).
            if (v >= 4) continue;
            ListOffsetsRequest req;
            req.topics = {{"t", {{0, -1, -1}}}};  // latest
            ListOffsetsResponse resp;
            std::string err = call(req, v, resp);
            QVERIFY2(err.empty(), err.c_str());
            const auto& p = resp.topics.at(0).partitions.at(0);
            QVERIFY(p.errorCode == ErrorCode::NONE);
            QCOMPARE(p.offset, produced);
        }
        for (int16_t v : commonVersions(ApiKey::Fetch)) {
            FetchRequest req;
            req.maxWaitMs = 100;
            req.maxBytes = 1 << 20;
            const int64_t fetchOffset = v % produced;
            req.topics = {{"t", {{0, -1, fetchOffset, -1, -1, 1 << 20}}}};
            FetchResponse resp;
            std::string err = call(req, v, resp);
            QVERIFY2(err.empty(), err.c_str());
            const auto& p = resp.responses.at(0).partitions.at(0);
            QVERIFY(p.errorCode == ErrorCode::NONE);
            QCOMPARE(p.highWatermark, produced);
            QVERIFY(!p.records.isNull);
            // The mock answers with the batch at the fetch offset (one per response).
            auto header = parseBatchHeader(p.records.bytes);
            QVERIFY2(header.ok(), header.ok() ? "" : header.error().message.c_str());
            QCOMPARE(header->baseOffset, fetchOffset);
            RecordBatchReader reader(p.records.bytes);
            QVERIFY(reader.nextBatch());
            Record record;
            QVERIFY(reader.nextRecord(record));
            QVERIFY2(reader.ok(), reader.status().message().c_str());
            QCOMPARE(record.offset, fetchOffset);
            QVERIFY(record.value && record.value->size() > 6);
        }
    }
};

QTEST_GUILESS_MAIN(MockInteropTest)
#include "test_messages_mock_interop.moc"
