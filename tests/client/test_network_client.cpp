// AsioNetworkClient against real peers: the embedded broker (ApiVersions negotiation, requests
// matched by correlation id, several in flight, the in-flight limit) and a scripted TCP peer in
// this test that misbehaves on purpose (closes mid-response, garbage frames, never answers,
// refuses connections). The client's clock is a MockClock: timeouts and backoffs move only when
// the test moves it; real socket I/O is awaited by polling with generous limits.

#include <QTemporaryDir>
#include <QtTest>
#include "broker/cluster_control.h"
#include "broker/embedded_cluster.h"
#include "client/network_client_asio.h"
#include "protocol/frame.h"
#include "protocol/messages/api_versions.h"
#include "protocol/messages/metadata.h"
#include "protocol/messages/produce.h"
#include "support/eventually.h"
#include "support/mock_clock.h"

#include <sys/socket.h>
#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <cmath>
#include <mutex>
#include <set>
#include <thread>

using namespace bs::client;
namespace asio = boost::asio;
using asio::ip::tcp;
using bs::protocol::ApiKey;
using bs::protocol::ErrorCode;

namespace {

constexpr int64_t kWaitMs = 20000;  // real time allowed for socket I/O to happen

// Polls the client until `done` holds or kWaitMs of real time passed.
template <class F>
bool pollUntil(AsioNetworkClient& client, const bs::Clock& clock, F done) {
    return bs::test::eventually(
        done, [&] { client.poll(10, clock.nowMs()); }, std::chrono::milliseconds(kWaitMs));
}

// A Metadata request for one topic (so each response says which request it answers).
ClientRequest metadataRequest(int32_t node, const std::string& topic,
                              std::vector<ClientResponse>* into) {
    ClientRequest r;
    r.destination = node;
    r.apiKey = ApiKey::Metadata;
    r.writeBody = [topic](int16_t v, bs::protocol::Writer& w) {
        bs::protocol::MetadataRequest m;
        m.topics.emplace();
        m.topics->push_back({bs::protocol::Uuid{}, topic});
        m.allowAutoTopicCreation = false;
        encode(m, v, w);
    };
    r.callback = [into](const ClientResponse& resp) {
        ClientResponse copy = resp;
        copy.body = {};  // valid only during the callback
        if (resp.ok()) {
            bs::protocol::MetadataResponse m;
            if (!bs::protocol::decodeBody(m, resp.apiVersion, resp.body).ok())
                copy.error = "undecodable";
            else if (!m.topics.empty() && m.topics[0].name)
                copy.error = "topic:" + *m.topics[0].name;
        }
        into->push_back(copy);
    };
    return r;
}

// ready() on both (it starts connecting each, so no short-circuit).
bool bothReady(AsioNetworkClient& client, const bs::Clock& clock, int32_t a, int32_t b) {
    const bool readyA = client.ready(a, clock.nowMs());
    const bool readyB = client.ready(b, clock.nowMs());
    return readyA && readyB;
}

bool contains(const std::string& s, const std::string& part) {
    return s.find(part) != std::string::npos;
}

// A TCP peer that speaks just enough Kafka: it answers ApiVersions from a configurable table
// and hands every other request to the test's script, which may answer properly, write raw
// bytes, close the connection, or do nothing. One connection at a time, served on its own
// thread with blocking I/O; the test thread only reads the counters and the request log.
class ScriptedBroker {
  public:
    struct Request {
        bs::protocol::RequestHeader header;
        std::vector<uint8_t> body;
    };
    class Conn {
      public:
        explicit Conn(tcp::socket& s) : socket_(s) {}
        void write(const std::vector<uint8_t>& bytes) {
            boost::system::error_code ec;
            asio::write(socket_, asio::buffer(bytes), ec);
        }
        // A valid (empty) Metadata response to `r`.
        void answer(const Request& r) {
            write(bs::protocol::encodeResponseFrame(ApiKey::Metadata, r.header.apiVersion,
                                                    r.header.correlationId,
                                                    bs::protocol::MetadataResponse{}));
        }
        void close() { closed_ = true; }
        bool closed() const { return closed_; }

      private:
        tcp::socket& socket_;
        bool closed_ = false;
    };
    using Script = std::function<void(Conn&, const Request&)>;

    // listenNow=false: bound but not listening, so connections are refused until listen().
    explicit ScriptedBroker(Script script, bool listenNow = true)
        : script_(std::move(script)), acceptor_(io_) {
        acceptor_.open(tcp::v4());
        acceptor_.bind(tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
        port_ = acceptor_.local_endpoint().port();
        for (const auto& a : bs::protocol::supportedApis())
            apis_.push_back({static_cast<int16_t>(a.apiKey), a.minVersion, a.maxVersion});
        if (listenNow) listen();
    }
    ~ScriptedBroker() {
        stop_.store(true);
        if (thread_.joinable()) {
            // Unblock a read on the served connection, then the accept.
            if (int fd = servedFd_.load(); fd >= 0) ::shutdown(fd, SHUT_RDWR);
            boost::system::error_code ec;
            asio::io_context io;
            tcp::socket poke(io);
            poke.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port_), ec);
            thread_.join();
        }
    }
    // Must be called before listen(): the table the ApiVersions answer advertises.
    void advertise(std::vector<bs::protocol::ApiVersionsResponse::ApiVersion> apis) {
        apis_ = std::move(apis);
    }
    // Must be called before listen(): answer ApiVersions above `max` with UNSUPPORTED_VERSION.
    void limitApiVersions(int16_t max) { apiVersionsMax_ = max; }
    // Must be called before listen(): how the handshake goes wrong.
    enum class Handshake { Answer, Silent, Error, Garbage };
    void handshake(Handshake h) { handshake_ = h; }
    void listen() {
        acceptor_.listen();
        thread_ = std::thread([this] { run(); });
    }

    Node node(int32_t id = 0) const { return Node{id, "127.0.0.1", port_, std::nullopt}; }
    int accepted() const { return accepted_.load(); }
    int ended() const { return ended_.load(); }  // connections the client closed or we closed
    std::vector<bs::protocol::RequestHeader> requests() const {
        std::lock_guard lock(mu_);
        return requests_;
    }
    int countOf(ApiKey api) const {
        int n = 0;
        for (const auto& h : requests())
            n += h.apiKey == api;
        return n;
    }

  private:
    void run() {
        while (!stop_.load()) {
            tcp::socket s(io_);
            boost::system::error_code ec;
            acceptor_.accept(s, ec);
            if (stop_.load() || ec) break;
            accepted_.fetch_add(1);
            servedFd_.store(s.native_handle());
            serve(s);
            servedFd_.store(-1);
            s.close(ec);
            ended_.fetch_add(1);
        }
    }
    void serve(tcp::socket& s) {
        Conn conn(s);
        while (!conn.closed() && !stop_.load()) {
            uint8_t prefix[4];
            boost::system::error_code ec;
            asio::read(s, asio::buffer(prefix), ec);
            if (ec) return;
            auto size = bs::protocol::readFrameSize(std::span<const uint8_t, 4>(prefix));
            if (!size) return;
            std::vector<uint8_t> frame(static_cast<size_t>(*size));
            asio::read(s, asio::buffer(frame), ec);
            if (ec) return;
            auto parsed = bs::protocol::parseRequestFrame(frame);
            if (!parsed) return;
            Request r{parsed->header, {parsed->body.begin(), parsed->body.end()}};
            {
                std::lock_guard lock(mu_);
                requests_.push_back(r.header);
            }
            if (r.header.apiKey == ApiKey::ApiVersions)
                answerApiVersions(conn, r);
            else
                script_(conn, r);
        }
    }
    void answerApiVersions(Conn& conn, const Request& r) {
        bs::protocol::ApiVersionsResponse resp;
        if (handshake_ == Handshake::Silent) return;
        if (handshake_ == Handshake::Garbage) {
            // A well-framed answer whose body is three stray bytes.
            std::vector<uint8_t> frame{0, 0, 0, 7};
            bs::protocol::Writer w(frame);
            w.int32(r.header.correlationId);
            w.int8(1);
            w.int8(2);
            w.int8(3);
            return conn.write(frame);
        }
        if (handshake_ == Handshake::Error)
            resp.errorCode = ErrorCode::CLUSTER_AUTHORIZATION_FAILED;
        if (r.header.apiVersion > apiVersionsMax_) {
            // KIP-511: the error and our ApiVersions range, in a v0 body.
            resp.errorCode = ErrorCode::UNSUPPORTED_VERSION;
            resp.apiKeys = {{static_cast<int16_t>(ApiKey::ApiVersions), 0, apiVersionsMax_}};
            conn.write(bs::protocol::encodeResponseFrame(ApiKey::ApiVersions, 0,
                                                         r.header.correlationId, resp));
            return;
        }
        resp.apiKeys = apis_;
        conn.write(bs::protocol::encodeResponseFrame(ApiKey::ApiVersions, r.header.apiVersion,
                                                     r.header.correlationId, resp));
    }

    Script script_;
    asio::io_context io_;
    tcp::acceptor acceptor_;
    uint16_t port_ = 0;
    // Set before listen(), then read by the server thread only.
    std::vector<bs::protocol::ApiVersionsResponse::ApiVersion> apis_;
    int16_t apiVersionsMax_ = 3;
    Handshake handshake_ = Handshake::Answer;
    std::thread thread_;
    std::atomic<bool> stop_{false};
    std::atomic<int> servedFd_{-1};
    std::atomic<int> accepted_{0}, ended_{0};
    mutable std::mutex mu_;
    std::vector<bs::protocol::RequestHeader> requests_;  // guarded by mu_
};

NetworkClientConfig smallConfig() {
    NetworkClientConfig c;
    c.reconnectBackoffMs = 100;
    c.reconnectBackoffMaxMs = 1000;
    c.maxInFlightRequestsPerConnection = 5;
    c.maxResponseSize = 1024 * 1024;
    return c;
}

// One request answered (or failed) on a connected client.
ClientResponse roundTrip(AsioNetworkClient& client, const bs::MockClock& clock, int32_t node,
                         const std::string& topic = "t") {
    std::vector<ClientResponse> got;
    if (!pollUntil(client, clock, [&] { return client.ready(node, clock.nowMs()); }))
        qFatal("node %d never got ready", node);
    client.send(metadataRequest(node, topic, &got), clock.nowMs());
    if (!pollUntil(client, clock, [&] { return !got.empty(); })) qFatal("no response");
    return got.front();
}

}  // namespace

class NetworkClientTest : public QObject {
    Q_OBJECT

    QTemporaryDir dataDir_;
    std::unique_ptr<bs::broker::EmbeddedCluster> cluster_;
    Node brokerNode_;

  private slots:
    void initTestCase() {
        QVERIFY(dataDir_.isValid());
        bs::broker::ClusterConfig config;
        config.nodeCount = 1;
        config.dataDir = dataDir_.path().toStdString();
        config.topics = {{"t", 3}};
        config.ioThreads = 1;
        auto c = bs::broker::EmbeddedCluster::start(config);
        QVERIFY2(c.ok(), c.ok() ? "" : c.error().message.c_str());
        cluster_ = std::move(*c);
        auto ep = cluster_->endpoints().at(0);
        brokerNode_ = Node{ep.nodeId, ep.host, ep.port, std::nullopt};
    }
    void cleanupTestCase() {
        if (cluster_) QVERIFY(cluster_->stop().ok());
    }

    // An idle client (no connection, nothing in flight) has no socket operation pending: poll()
    // must still wait for its timeout (it returned at once, and an idle producer's sender spun
    // ~55 000 iterations a second), and wakeup() from another thread, before or during that
    // wait, must end it.
    void idlePollWaitsUntilWokenUp() {
        constexpr int64_t kHourMs = 3600 * 1000;
        bs::MockClock clock;
        AsioNetworkClient client(smallConfig(), clock);
        client.setNodes({brokerNode_});  // known, never connected
        client.wakeup();                 // before the poll: not lost
        client.poll(kHourMs, clock.nowMs());
        std::atomic<int> polls{0};
        std::atomic<bool> stop{false};
        std::thread poller([&] {
            while (!stop.load()) {
                client.poll(kHourMs, clock.nowMs());
                ++polls;
            }
        });
        QTest::qWait(200);  // room to spin: a poll that does not block returns thousands of times
        stop = true;
        client.wakeup();
        poller.join();  // a wakeup that does not end the poll hangs here (the test times out)
        QVERIFY2(polls.load() <= 1, qPrintable(QString("%1 polls").arg(polls.load())));
    }

    // ---------------------------------------------------------------- against our broker

    void negotiatesTheNewestCommonVersions() {
        bs::MockClock clock;
        AsioNetworkClient client(smallConfig(), clock);
        client.setNodes({brokerNode_});
        QVERIFY(!client.isReady(brokerNode_.id, clock.nowMs()));
        QCOMPARE(client.apiVersion(brokerNode_.id, ApiKey::Metadata), std::nullopt);
        QVERIFY(
            pollUntil(client, clock, [&] { return client.ready(brokerNode_.id, clock.nowMs()); }));
        // Our broker speaks exactly the client's ranges: the newest is common.
        for (const auto& a : bs::protocol::supportedApis())
            QCOMPARE(client.apiVersion(brokerNode_.id, a.apiKey), std::optional(a.maxVersion));

        // A caller that can build only older versions gets the newest it can build.
        std::vector<ClientResponse> got;
        auto req = metadataRequest(brokerNode_.id, "t", &got);
        req.maxVersion = 4;
        client.send(std::move(req), clock.nowMs());
        QVERIFY(pollUntil(client, clock, [&] { return !got.empty(); }));
        QVERIFY2(got[0].ok(), got[0].error.c_str());
        QCOMPARE(got[0].apiVersion, int16_t{4});
        QCOMPARE(got[0].error, std::string("topic:t"));
        QCOMPARE(got[0].destination, brokerNode_.id);
    }

    void requestsInFlightAreMatchedByCorrelationId() {
        // Declared before the client: its destructor completes what is still in flight into
        // them.
        std::vector<ClientResponse> got, refused;
        bs::MockClock clock;
        AsioNetworkClient client(smallConfig(), clock);
        client.setNodes({brokerNode_});
        QVERIFY(
            pollUntil(client, clock, [&] { return client.ready(brokerNode_.id, clock.nowMs()); }));
        // The broker answers late, so the polls between the sends (each waits until the
        // previous request is written) cannot complete a request before all five are out.
        QVERIFY(cluster_->control().setLatency(brokerNode_.id, 1500).ok());
        struct LatencyOff {
            bs::broker::EmbeddedCluster& cluster;
            int32_t node;
            ~LatencyOff() { (void)cluster.control().setLatency(node, 0); }
        } latencyOff{*cluster_, brokerNode_.id};
        std::vector<int32_t> ids;
        for (int i = 0; i < 5; ++i) {
            // Below the in-flight limit, ready once the previous request is written.
            QVERIFY(pollUntil(client, clock,
                              [&] { return client.isReady(brokerNode_.id, clock.nowMs()); }));
            ids.push_back(
                client.send(metadataRequest(brokerNode_.id, "topic-" + std::to_string(i), &got),
                            clock.nowMs()));
        }
        // The limit (max.in.flight.requests.per.connection = 5) is reached.
        QCOMPARE(client.inFlightRequestCount(brokerNode_.id), 5);
        QCOMPARE(client.inFlightRequestCount(), 5);
        QVERIFY(client.hasInFlightRequests());
        QVERIFY(!client.isReady(brokerNode_.id, clock.nowMs()));
        QVERIFY(!client.ready(brokerNode_.id, clock.nowMs()));
        // A sixth is refused, not sent.
        QCOMPARE(client.send(metadataRequest(brokerNode_.id, "sixth", &refused), clock.nowMs()),
                 -1);
        QVERIFY(pollUntil(client, clock, [&] { return got.size() == 5 && !refused.empty(); }));
        QVERIFY(refused[0].disconnected);
        QVERIFY2(contains(refused[0].error, "max.in.flight.requests.per.connection"),
                 refused[0].error.c_str());

        for (int i = 0; i < 5; ++i) {
            QVERIFY2(got[static_cast<size_t>(i)].ok(), got[static_cast<size_t>(i)].error.c_str());
            QCOMPARE(got[static_cast<size_t>(i)].correlationId, ids[static_cast<size_t>(i)]);
            // Each answer is the one to its own request.
            QCOMPARE(got[static_cast<size_t>(i)].error, "topic:topic-" + std::to_string(i));
        }
        QCOMPARE(std::set<int32_t>(ids.begin(), ids.end()).size(), size_t{5});
        QCOMPARE(client.inFlightRequestCount(), 0);
        QVERIFY(client.isReady(brokerNode_.id, clock.nowMs()));
    }

    void leastLoadedNodePrefersTheIdleConnection() {
        bs::MockClock clock;
        AsioNetworkClient client(smallConfig(), clock);
        ScriptedBroker silent([](ScriptedBroker::Conn&, const ScriptedBroker::Request&) {});
        client.setNodes({brokerNode_, silent.node(7)});
        QVERIFY(
            pollUntil(client, clock, [&] { return bothReady(client, clock, brokerNode_.id, 7); }));
        std::vector<ClientResponse> got;
        client.send(metadataRequest(7, "t", &got), clock.nowMs());
        QVERIFY(pollUntil(client, clock, [&] { return client.canSendRequest(7, clock.nowMs()); }));
        client.send(metadataRequest(7, "t", &got), clock.nowMs());
        for (int i = 0; i < 20; ++i)
            QCOMPARE(client.leastLoadedNode(clock.nowMs()), std::optional<int32_t>(brokerNode_.id));
        client.close();
        QCOMPARE(got.size(), size_t{2});  // close() completed them, as disconnected
        QVERIFY(got[0].disconnected && got[1].disconnected);
        QVERIFY(contains(got[0].error, "client closed"));
        QVERIFY(!client.ready(brokerNode_.id, clock.nowMs()));
    }

    // ---------------------------------------------------------------- against a scripted peer

    void apiVersionsFallsBackToTheBrokersVersion() {
        bs::MockClock clock;
        ScriptedBroker peer(
            [](ScriptedBroker::Conn& c, const ScriptedBroker::Request& r) { c.answer(r); }, false);
        peer.limitApiVersions(1);
        peer.listen();
        AsioNetworkClient client(smallConfig(), clock);
        client.setNodes({peer.node()});
        QVERIFY(pollUntil(client, clock, [&] { return client.ready(0, clock.nowMs()); }));
        std::vector<int16_t> tried;
        for (const auto& h : peer.requests())
            tried.push_back(h.apiVersion);
        QCOMPARE(tried, (std::vector<int16_t>{3, 1}));
        QVERIFY(roundTrip(client, clock, 0).ok());
    }

    void failedHandshakeBacksOff_data() {
        QTest::addColumn<int>("handshake");
        QTest::newRow("never answered") << static_cast<int>(ScriptedBroker::Handshake::Silent);
        QTest::newRow("error") << static_cast<int>(ScriptedBroker::Handshake::Error);
        QTest::newRow("garbage") << static_cast<int>(ScriptedBroker::Handshake::Garbage);
    }
    void failedHandshakeBacksOff() {
        QFETCH(int, handshake);
        const auto how = static_cast<ScriptedBroker::Handshake>(handshake);
        bs::MockClock clock;
        ScriptedBroker peer(
            [](ScriptedBroker::Conn& c, const ScriptedBroker::Request& r) { c.answer(r); }, false);
        peer.handshake(how);
        peer.listen();
        auto config = smallConfig();
        config.connectionSetupTimeoutMs = 3000;
        AsioNetworkClient client(config, clock);
        client.setNodes({peer.node()});
        QVERIFY(!client.ready(0, clock.nowMs()));
        QVERIFY(pollUntil(client, clock, [&] { return peer.countOf(ApiKey::ApiVersions) == 1; }));
        if (how == ScriptedBroker::Handshake::Silent) {
            // socket.connection.setup.timeout.ms bounds the handshake (mock time).
            for (int i = 0; i < 5; ++i)
                client.poll(0, clock.nowMs());
            QVERIFY(!client.connectionFailed(0));
            QCOMPARE(client.connectionDelay(0, clock.nowMs()), INT64_MAX);  // still connecting
            clock.sleepMs(3000);
        }
        QVERIFY(pollUntil(client, clock, [&] { return client.connectionFailed(0); }));
        QVERIFY(!client.isReady(0, clock.nowMs()));
        QCOMPARE(client.apiVersion(0, ApiKey::Metadata), std::nullopt);
        const int64_t delay = client.connectionDelay(0, clock.nowMs());
        QVERIFY2(delay >= 80 && delay <= 120, qPrintable(QString::number(delay)));
        QVERIFY(pollUntil(client, clock, [&] { return peer.ended() == 1; }));
        // Nothing to send to: a request fails at once, naming why.
        std::vector<ClientResponse> got;
        QCOMPARE(client.send(metadataRequest(0, "t", &got), clock.nowMs()), -1);
        client.poll(0, clock.nowMs());
        QCOMPARE(got.size(), size_t{1});
        QVERIFY(got[0].disconnected);
        QCOMPARE(peer.countOf(ApiKey::Metadata), 0);
    }

    void newestCommonVersionOfEachApi() {
        bs::MockClock clock;
        ScriptedBroker peer(
            [](ScriptedBroker::Conn& c, const ScriptedBroker::Request& r) { c.answer(r); }, false);
        const int16_t ourProduceMax = bs::protocol::supportedRange(ApiKey::Produce)->maxVersion;
        peer.advertise({{static_cast<int16_t>(ApiKey::ApiVersions), 0, 3},
                        {static_cast<int16_t>(ApiKey::Metadata), 1, 5},   // older than ours
                        {static_cast<int16_t>(ApiKey::Produce), 0, 99},   // newer than ours
                        {static_cast<int16_t>(ApiKey::Fetch), 100, 200},  // nothing common
                        {static_cast<int16_t>(999), 0, 5}});              // unknown to us
        peer.listen();
        AsioNetworkClient client(smallConfig(), clock);
        client.setNodes({peer.node()});
        QVERIFY(pollUntil(client, clock, [&] { return client.ready(0, clock.nowMs()); }));
        QCOMPARE(client.apiVersion(0, ApiKey::Metadata), std::optional<int16_t>(5));
        QCOMPARE(client.apiVersion(0, ApiKey::Produce), std::optional(ourProduceMax));
        QCOMPARE(client.apiVersion(0, ApiKey::Fetch), std::nullopt);
        QCOMPARE(client.apiVersion(0, ApiKey::InitProducerId), std::nullopt);  // not advertised

        auto meta = roundTrip(client, clock, 0);
        QVERIFY(meta.ok());
        QCOMPARE(meta.apiVersion, int16_t{5});
        // A Fetch cannot be sent at all: it completes as a version mismatch naming the API.
        std::vector<ClientResponse> got;
        ClientRequest fetch;
        fetch.destination = 0;
        fetch.apiKey = ApiKey::Fetch;
        fetch.writeBody = [](int16_t, bs::protocol::Writer&) {};
        fetch.callback = [&](const ClientResponse& r) { got.push_back(r); };
        QCOMPARE(client.send(std::move(fetch), clock.nowMs()), -1);
        QVERIFY(pollUntil(client, clock, [&] { return !got.empty(); }));
        QVERIFY(got[0].versionMismatch);
        QVERIFY(!got[0].disconnected);
        QVERIFY2(contains(got[0].error, "Fetch"), got[0].error.c_str());
        QCOMPARE(peer.countOf(ApiKey::Fetch), 0);
        QVERIFY(client.isReady(0, clock.nowMs()));  // the connection is fine
    }

    void misbehavingResponsesFailTheConnection_data() {
        QTest::addColumn<QString>("misbehaviour");
        QTest::addColumn<QString>("expected");
        QTest::newRow("closed mid-response") << "half"
                                             << "connection closed by the broker";
        QTest::newRow("negative length") << "negative"
                                         << "garbage response";
        QTest::newRow("oversized length") << "oversized"
                                          << "garbage response";
        QTest::newRow("wrong correlation id") << "correlation"
                                              << "does not match";
        QTest::newRow("truncated header") << "truncated"
                                          << "garbage response";
        QTest::newRow("unasked response") << "unasked"
                                          << "garbage response";
    }
    void misbehavingResponsesFailTheConnection() {
        QFETCH(QString, misbehaviour);
        QFETCH(QString, expected);
        const std::string how = misbehaviour.toStdString();
        std::atomic<bool> misbehaved{false};
        bs::MockClock clock;
        // The first non-ApiVersions request gets the misbehaviour; later ones proper answers.
        ScriptedBroker peer([&](ScriptedBroker::Conn& c, const ScriptedBroker::Request& r) {
            if (misbehaved.exchange(true)) return c.answer(r);
            auto good = bs::protocol::encodeResponseFrame(ApiKey::Metadata, r.header.apiVersion,
                                                          r.header.correlationId,
                                                          bs::protocol::MetadataResponse{});
            if (how == "half") {
                good.resize(good.size() / 2);
                c.write(good);
                c.close();
            } else if (how == "negative") {
                c.write({0xff, 0xff, 0xff, 0xf0, 0, 0, 0, 0});
            } else if (how == "oversized") {
                c.write({0x7f, 0xff, 0xff, 0xff, 0, 0, 0, 0});
            } else if (how == "correlation") {
                c.write(bs::protocol::encodeResponseFrame(ApiKey::Metadata, r.header.apiVersion,
                                                          r.header.correlationId + 1000,
                                                          bs::protocol::MetadataResponse{}));
            } else if (how == "truncated") {
                c.write({0, 0, 0, 2, 0, 0});  // a frame too short for the response header
            } else if (how == "unasked") {
                c.answer(r);
                c.answer(r);  // a second answer nobody asked for
            }
        });
        AsioNetworkClient client(smallConfig(), clock);
        client.setNodes({peer.node()});
        QVERIFY(pollUntil(client, clock, [&] { return client.ready(0, clock.nowMs()); }));
        std::vector<ClientResponse> got;
        client.send(metadataRequest(0, "t", &got), clock.nowMs());
        if (how == "unasked") {
            // The first answer is fine; the stray one kills the connection afterwards.
            QVERIFY(pollUntil(client, clock, [&] { return !got.empty(); }));
            QVERIFY(got[0].ok());
            QVERIFY(pollUntil(client, clock, [&] { return client.connectionFailed(0); }));
        } else {
            QVERIFY(pollUntil(client, clock, [&] { return !got.empty(); }));
            QVERIFY(!got[0].ok());
            QVERIFY(got[0].disconnected);
            QVERIFY(!got[0].timedOut);
            QVERIFY2(contains(got[0].error, expected.toStdString()), got[0].error.c_str());
            QVERIFY2(contains(got[0].error, "node 0"), got[0].error.c_str());
            QVERIFY(client.connectionFailed(0));
        }
        QCOMPARE(client.inFlightRequestCount(), 0);
        QVERIFY(!client.isReady(0, clock.nowMs()));
        // The peer sees its connection closed by the client (or closed it itself).
        QVERIFY(pollUntil(client, clock, [&] { return peer.ended() == 1; }));

        // After the reconnect backoff the client connects again and works.
        QVERIFY(!client.ready(0, clock.nowMs()));
        clock.sleepMs(client.connectionDelay(0, clock.nowMs()));
        auto again = roundTrip(client, clock, 0);
        QVERIFY2(again.ok(), again.error.c_str());
        QCOMPARE(peer.accepted(), 2);
    }

    // librdkafka's mock cluster answers acks=0 Produce requests (a Kafka broker never does):
    // the answer is dropped, the connection stays up, and an answer out of order still fails it.
    void answerToAnAcksZeroRequestIsDropped() {
        bs::MockClock clock;
        ScriptedBroker peer([&](ScriptedBroker::Conn& c, const ScriptedBroker::Request& r) {
            c.answer(r);  // every request, the acks=0 Produce included
        });
        AsioNetworkClient client(smallConfig(), clock);
        client.setNodes({peer.node()});
        QVERIFY(pollUntil(client, clock, [&] { return client.ready(0, clock.nowMs()); }));
        int done = 0;
        for (int i = 0; i < 3; ++i) {
            // One frame at a time (NetworkClient.ready() before each send).
            QVERIFY(pollUntil(client, clock, [&] { return client.ready(0, clock.nowMs()); }));
            ClientRequest produce;
            produce.destination = 0;
            produce.apiKey = ApiKey::Produce;
            produce.expectResponse = false;
            produce.writeBody = [](int16_t v, bs::protocol::Writer& w) {
                bs::protocol::ProduceRequest m;
                m.acks = 0;
                encode(m, v, w);
            };
            produce.callback = [&](const ClientResponse& r) { done += r.ok() ? 1 : 0; };
            QVERIFY(client.send(std::move(produce), clock.nowMs()) >= 0);
        }
        QVERIFY(pollUntil(client, clock, [&] { return done == 3; }));
        // The three answers arrive before (or with) this request's own; all is well after them.
        auto meta = roundTrip(client, clock, 0);
        QVERIFY2(meta.ok(), meta.error.c_str());
        auto again = roundTrip(client, clock, 0);
        QVERIFY2(again.ok(), again.error.c_str());
        QVERIFY(!client.connectionFailed(0));
        QCOMPARE(peer.accepted(), 1);
    }

    // Produce batches are written from their own buffers (spliced into the frame, not copied):
    // the broker receives exactly the frame the onWritten observer was shown, batches intact.
    void produceFrameIsWrittenFromTheBatchBuffers() {
        bs::MockClock clock;
        std::mutex mu;
        std::vector<uint8_t> received;  // the Produce body the broker read
        ScriptedBroker peer([&](ScriptedBroker::Conn& c, const ScriptedBroker::Request& r) {
            if (r.header.apiKey != ApiKey::Produce) return c.answer(r);
            std::lock_guard lock(mu);
            received = r.body;
        });
        AsioNetworkClient client(smallConfig(), clock);
        client.setNodes({peer.node()});
        QVERIFY(pollUntil(client, clock, [&] { return client.ready(0, clock.nowMs()); }));
        std::vector<std::vector<uint8_t>> batches;
        for (size_t n : {20000, 20, 300, 7000}) {
            std::vector<uint8_t> b(n);
            for (size_t i = 0; i < n; ++i)
                b[i] = static_cast<uint8_t>(i * 7 + n);
            batches.push_back(std::move(b));
        }
        bs::protocol::ProduceRequest m;
        m.acks = 0;
        m.topicData.push_back({"t", {}});
        for (size_t i = 0; i < batches.size(); ++i)
            m.topicData[0].partitionData.push_back(
                {static_cast<int32_t>(i), bs::protocol::RecordsView{batches[i], false}});
        std::vector<uint8_t> observed;
        int16_t version = -1;
        bool done = false;
        ClientRequest produce;
        produce.destination = 0;
        produce.apiKey = ApiKey::Produce;
        produce.expectResponse = false;
        produce.writeBody = [&m](int16_t v, bs::protocol::Writer& w) { encode(m, v, w); };
        produce.onWritten = [&](int32_t, int16_t v, std::span<const uint8_t> frame) {
            observed.assign(frame.begin(), frame.end());
            version = v;
        };
        produce.callback = [&](const ClientResponse& r) { done = r.ok(); };
        QVERIFY(client.send(std::move(produce), clock.nowMs()) >= 0);
        QVERIFY(pollUntil(client, clock, [&] { return done; }));
        QVERIFY(bs::test::eventually([&] {
            std::lock_guard lock(mu);
            return !received.empty();
        }));
        QVERIFY(observed.size() > 27320);
        auto parsed =
            bs::protocol::parseRequestFrame(std::span<const uint8_t>(observed).subspan(4));
        QVERIFY(parsed.ok());
        {
            std::lock_guard lock(mu);
            QVERIFY(std::equal(parsed->body.begin(), parsed->body.end(), received.begin(),
                               received.end()));
        }
        bs::protocol::ProduceRequest back;
        QVERIFY(bs::protocol::decodeBody(back, version, parsed->body).ok());
        QCOMPARE(back, m);
    }

    void unansweredRequestTimesOut() {
        bs::MockClock clock;
        std::atomic<int> seen{0};
        ScriptedBroker peer([&](ScriptedBroker::Conn& c, const ScriptedBroker::Request& r) {
            if (seen.fetch_add(1) > 0) c.answer(r);  // only the first is never answered
        });
        AsioNetworkClient client(smallConfig(), clock);
        client.setNodes({peer.node()});
        QVERIFY(pollUntil(client, clock, [&] { return client.ready(0, clock.nowMs()); }));
        std::vector<ClientResponse> got;
        auto req = metadataRequest(0, "t", &got);
        req.requestTimeoutMs = 1500;
        const int64_t sentAt = clock.nowMs();
        client.send(std::move(req), clock.nowMs());
        QVERIFY(pollUntil(client, clock, [&] { return seen.load() == 1; }));
        for (int i = 0; i < 5; ++i)
            client.poll(0, clock.nowMs());
        QVERIFY(got.empty());  // the mock clock has not moved
        clock.sleepMs(1499);
        client.poll(0, clock.nowMs());
        QVERIFY(got.empty());
        clock.sleepMs(1);
        client.poll(0, clock.nowMs());
        QCOMPARE(got.size(), size_t{1});
        QVERIFY(got[0].timedOut);
        QVERIFY(got[0].disconnected);
        QVERIFY2(contains(got[0].error, "request.timeout.ms"), got[0].error.c_str());
        QCOMPARE(got[0].requestLatencyMs(), int64_t{1500});
        QCOMPARE(got[0].createdMs, sentAt);
        // The connection was closed (Java does so: later answers could not be trusted).
        QVERIFY(pollUntil(client, clock, [&] { return peer.ended() == 1; }));
        clock.sleepMs(client.connectionDelay(0, clock.nowMs()));
        QVERIFY(roundTrip(client, clock, 0).ok());
    }

    void reconnectBackoffGrowsExponentially() {
        bs::MockClock clock;
        ScriptedBroker peer(
            [](ScriptedBroker::Conn& c, const ScriptedBroker::Request& r) { c.answer(r); },
            false);  // refuses connections for now
        const auto config = smallConfig();
        AsioNetworkClient client(config, clock);
        client.setNodes({peer.node()});
        QCOMPARE(client.connectionDelay(0, clock.nowMs()), int64_t{0});
        QVERIFY(!client.connectionFailed(0));
        for (int attempt = 0; attempt < 6; ++attempt) {
            QVERIFY(!client.ready(0, clock.nowMs()));  // starts connecting
            QCOMPARE(client.connectionDelay(0, clock.nowMs()), INT64_MAX);
            QVERIFY(pollUntil(client, clock, [&] { return client.connectionFailed(0); }));
            const int64_t delay = client.connectionDelay(0, clock.nowMs());
            const double base = std::min<double>(config.reconnectBackoffMs * std::pow(2.0, attempt),
                                                 config.reconnectBackoffMaxMs);
            QVERIFY2(delay >= 0.8 * base - 1 && delay <= 1.2 * base + 1,
                     qPrintable(QString("attempt %1: delay %2, expected %3 +-20%")
                                    .arg(attempt)
                                    .arg(delay)
                                    .arg(base)));
            // While backing off: no new attempt, and no node to send metadata to.
            QVERIFY(!client.ready(0, clock.nowMs()));
            QCOMPARE(client.connectionDelay(0, clock.nowMs()), delay);
            QCOMPARE(client.leastLoadedNode(clock.nowMs()), std::nullopt);
            clock.sleepMs(delay - 1);
            QCOMPARE(client.connectionDelay(0, clock.nowMs()), int64_t{1});
            clock.sleepMs(1);
            QCOMPARE(client.connectionDelay(0, clock.nowMs()), int64_t{0});
            QCOMPARE(client.leastLoadedNode(clock.nowMs()), std::optional<int32_t>(0));
        }
        QCOMPARE(peer.accepted(), 0);
        // The broker comes up: the next attempt connects and the client works.
        peer.listen();
        QVERIFY(roundTrip(client, clock, 0).ok());
        QVERIFY(!client.connectionFailed(0));
        // A later disconnect starts the backoff over at reconnect.backoff.ms.
        client.disconnect(0);
        client.poll(0, clock.nowMs());
        const int64_t delay = client.connectionDelay(0, clock.nowMs());
        QVERIFY2(delay >= 80 && delay <= 120, qPrintable(QString::number(delay)));
    }

    void noResponseRequestCompletesWhenWrittenBehindAnUnansweredOne() {
        // acks=0 Produce after a Metadata request still waiting for its answer: the Produce is
        // done once written, whatever is ahead of it.
        bs::MockClock clock;
        std::mutex heldMu;
        std::optional<ScriptedBroker::Request> held;
        ScriptedBroker peer([&](ScriptedBroker::Conn& c, const ScriptedBroker::Request& r) {
            std::lock_guard lock(heldMu);
            if (r.header.apiKey == ApiKey::Metadata) {
                held = r;  // answered only after the Produce arrived
            } else if (held) {
                c.answer(*held);
            }
        });
        AsioNetworkClient client(smallConfig(), clock);
        client.setNodes({peer.node()});
        QVERIFY(pollUntil(client, clock, [&] { return client.ready(0, clock.nowMs()); }));
        std::vector<ClientResponse> meta;
        client.send(metadataRequest(0, "t", &meta), clock.nowMs());
        QVERIFY(pollUntil(client, clock, [&] { return peer.countOf(ApiKey::Metadata) == 1; }));
        QVERIFY(pollUntil(client, clock, [&] { return client.canSendRequest(0, clock.nowMs()); }));
        std::vector<ClientResponse> produce;
        ClientRequest p;
        p.destination = 0;
        p.apiKey = ApiKey::Produce;
        p.expectResponse = false;
        p.writeBody = [](int16_t, bs::protocol::Writer& w) { w.int32(0); };
        p.callback = [&](const ClientResponse& r) { produce.push_back(r); };
        client.send(std::move(p), clock.nowMs());
        QVERIFY(pollUntil(client, clock, [&] { return !produce.empty() && !meta.empty(); }));
        QVERIFY2(produce[0].ok(), produce[0].error.c_str());
        QVERIFY(produce[0].body.empty());
        QVERIFY2(meta[0].ok(), meta[0].error.c_str());
        QCOMPARE(client.inFlightRequestCount(), 0);
        QVERIFY(client.isReady(0, clock.nowMs()));
    }

    // Java rule (InFlightRequests.canSendMore, used by NetworkClient.canSendRequest/isReady):
    // a node takes another request only when the newest one sent to it has been completely
    // written (queue.peekFirst().send.completed()), whatever the in-flight count.
    void nodeIsNotReadyWhileTheLastRequestIsBeingWritten() {
        bs::MockClock clock;
        std::atomic<bool> release{false};
        ScriptedBroker peer([&](ScriptedBroker::Conn& c, const ScriptedBroker::Request& r) {
            // The peer stops reading until released, so a big request cannot be written.
            while (!release.load())
                std::this_thread::sleep_for(std::chrono::milliseconds(1));
            c.answer(r);
        });
        struct Release {
            std::atomic<bool>& flag;
            ~Release() { flag.store(true); }
        } releaseOnExit{release};
        auto config = smallConfig();
        config.sendBufferBytes = 4096;
        AsioNetworkClient client(config, clock);
        client.setNodes({peer.node()});
        QVERIFY(pollUntil(client, clock, [&] { return client.ready(0, clock.nowMs()); }));
        std::vector<ClientResponse> got;
        client.send(metadataRequest(0, "first", &got), clock.nowMs());
        // The first one is written (the peer holds it unanswered).
        QVERIFY(pollUntil(client, clock, [&] { return peer.countOf(ApiKey::Metadata) == 1; }));
        QVERIFY(pollUntil(client, clock, [&] { return client.canSendRequest(0, clock.nowMs()); }));
        // About 16 MB: more than both sockets' buffers hold while the peer does not read.
        auto big = metadataRequest(0, "big", &got);
        big.writeBody = [](int16_t v, bs::protocol::Writer& w) {
            bs::protocol::MetadataRequest m;
            m.topics.emplace();
            for (int i = 0; i < 160'000; ++i)
                m.topics->push_back(
                    {bs::protocol::Uuid{}, std::string(96, 'a') + std::to_string(i)});
            encode(m, v, w);
        };
        client.send(std::move(big), clock.nowMs());
        for (int i = 0; i < 20; ++i)
            client.poll(5, clock.nowMs());
        QCOMPARE(client.inFlightRequestCount(0), 2);  // below max.in.flight (5) ...
        QVERIFY(client.sendInProgress(0));            // ... but still being written
        QVERIFY(!client.canSendRequest(0, clock.nowMs()));
        QVERIFY(!client.isReady(0, clock.nowMs()));
        QVERIFY(!client.ready(0, clock.nowMs()));
        release.store(true);
        QVERIFY(pollUntil(client, clock, [&] { return got.size() == 2; }));
        QVERIFY(!client.sendInProgress(0));
        QVERIFY(client.isReady(0, clock.nowMs()));
    }

    // Java rule (NetworkClient.isReady): while DefaultMetadataUpdater.isUpdateDue, every node is
    // unready so that the metadata request goes first; canSendRequest ignores it.
    void nodeIsNotReadyWhileAMetadataUpdateIsDue() {
        bs::MockClock clock;
        ScriptedBroker peer(
            [](ScriptedBroker::Conn& c, const ScriptedBroker::Request& r) { c.answer(r); });
        AsioNetworkClient client(smallConfig(), clock);
        client.setNodes({peer.node()});
        QVERIFY(pollUntil(client, clock, [&] { return client.ready(0, clock.nowMs()); }));
        bool due = true;
        client.setMetadataUpdateDue([&](int64_t) { return due; });
        QVERIFY(client.canSendRequest(0, clock.nowMs()));
        QVERIFY(!client.isReady(0, clock.nowMs()));
        QVERIFY(!client.ready(0, clock.nowMs()));
        due = false;
        QVERIFY(client.ready(0, clock.nowMs()));
    }

    void disconnectAndNodeRemovalFailInFlightRequests() {
        bs::MockClock clock;
        ScriptedBroker a([](ScriptedBroker::Conn&, const ScriptedBroker::Request&) {});
        ScriptedBroker b([](ScriptedBroker::Conn&, const ScriptedBroker::Request&) {});
        AsioNetworkClient client(smallConfig(), clock);
        client.setNodes({a.node(1), b.node(2)});
        QVERIFY(pollUntil(client, clock, [&] { return bothReady(client, clock, 1, 2); }));
        std::vector<ClientResponse> got;
        client.send(metadataRequest(1, "t", &got), clock.nowMs());
        client.send(metadataRequest(2, "t", &got), clock.nowMs());
        QVERIFY(pollUntil(client, clock, [&] {
            return a.countOf(ApiKey::Metadata) == 1 && b.countOf(ApiKey::Metadata) == 1;
        }));
        client.disconnect(1);
        client.setNodes({a.node(1)});  // node 2 left the cluster
        client.poll(0, clock.nowMs());
        QCOMPARE(got.size(), size_t{2});
        for (const auto& r : got) {
            QVERIFY(r.disconnected);
            QVERIFY(!r.timedOut);
            QVERIFY2(contains(r.error, r.destination == 1 ? "disconnected by the client"
                                                          : "node left the cluster metadata"),
                     r.error.c_str());
        }
        // A request to the removed node fails at once instead of hanging.
        std::vector<ClientResponse> late;
        QCOMPARE(client.send(metadataRequest(2, "t", &late), clock.nowMs()), -1);
        client.poll(0, clock.nowMs());
        QCOMPARE(late.size(), size_t{1});
        QVERIFY(late[0].disconnected);
        QVERIFY(contains(late[0].error, "not connected"));
        QCOMPARE(client.inFlightRequestCount(), 0);
    }
};

QTEST_GUILESS_MAIN(NetworkClientTest)
#include "test_network_client.moc"
