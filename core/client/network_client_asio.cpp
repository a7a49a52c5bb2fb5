#include "client/network_client_asio.h"

#include <spdlog/spdlog.h>

#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <algorithm>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/write.hpp>
#include <chrono>
#include <cmath>
#include <cstring>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include "protocol/frame.h"
#include "protocol/headers.h"
#include "protocol/messages/api_versions.h"
#include "protocol/messages/sasl_authenticate.h"
#include "protocol/messages/sasl_handshake.h"
#include "security/sasl_client.h"

namespace bs::client {

namespace asio = boost::asio;
using asio::ip::tcp;
using protocol::ApiKey;

namespace {
constexpr int16_t kApiVersionsNewest = 3;
constexpr size_t kReadChunk = 64 * 1024;
// The longest single wait of poll(); the caller polls again when it has nothing sooner to do.
constexpr int64_t kMaxPollMs = 3600 * 1000;
}  // namespace

// One TCP connection attempt to a node. Handlers hold a shared_ptr, so the object outlives the
// async operations even after the node moved on to a new connection; `closed` makes late
// handlers no-ops. Owner thread only (handlers run inside poll()).
struct AsioNetworkClient::Connection {
    struct InFlight {
        ApiKey apiKey;
        int16_t version;
        int32_t correlationId;
        int64_t createdMs;
        int64_t deadlineMs;
        bool expectResponse;
        bool internal;  // connection setup: ApiVersions, SaslHandshake, SaslAuthenticate
        RequestCompletionHandler callback;
        bool written = false;  // its frame has gone out (unwritten ones are the tail)
    };
    enum class State { Connecting, TlsHandshake, CheckingApiVersions, Authenticating, Ready };

    Connection(asio::io_context& io, int32_t id, const security::TlsContext& tlsContext)
        : socket(io), resolver(io), nodeId(id) {
        if (tlsContext) tls = std::make_unique<asio::ssl::stream<tcp::socket>>(io, *tlsContext);
    }
    tcp::socket& lowest() { return tls ? tls->next_layer() : socket; }
    // Calls f(stream) with the TLS stream or the plain socket.
    template <class F>
    void withStream(F&& f) {
        if (tls) {
            f(*tls);
        } else {
            f(socket);
        }
    }

    tcp::socket socket;  // unused on TLS connections (the stream owns its own)
    std::unique_ptr<asio::ssl::stream<tcp::socket>> tls;
    security::TlsVerifyFailure verifyFailure;  // why the broker's certificate was refused
    std::unique_ptr<security::SaslClient> sasl;
    std::string host;
    tcp::resolver resolver;
    int32_t nodeId;
    State state = State::Connecting;
    bool closed = false;
    int64_t setupDeadlineMs = 0;
    std::unordered_map<int16_t, int16_t> versions;  // api key -> newest common version
    // Requests in send order. Responses arrive in this order (Kafka answers a connection's
    // requests in order); no-response requests leave once written.
    std::deque<InFlight> inFlight;
    // The newest correlation id of a request that expects no answer (acks=0), once written.
    int32_t lastNoResponseId = -1;
    // A queued frame and what keeps its spliced bytes (a Produce request's batches) valid.
    struct Outgoing {
        protocol::GatheredFrame frame;
        std::shared_ptr<const void> bufferHold;
    };
    std::deque<Outgoing> writeQueue;
    std::vector<Outgoing> writing;  // frames owned by the running async_write
    std::vector<asio::const_buffer> writeBuffers;
    std::vector<uint8_t> rbuf = std::vector<uint8_t>(kReadChunk);
    size_t rstart = 0, rend = 0;
};

namespace {
// Linux delays the ACK of what it receives (up to 40 ms, or until something is sent back) and
// leaves quick-ACK mode by itself, so it is asked for again after every read. A broker whose
// sockets keep Nagle on (librdkafka's mock cluster) holds the tail of its next response until
// that ACK: at a low rate each answer waited for our next request to the same broker.
void quickAck(tcp::socket& socket) {
#ifdef TCP_QUICKACK
    const int one = 1;
    ::setsockopt(socket.native_handle(), IPPROTO_TCP, TCP_QUICKACK, &one, sizeof one);
#else
    (void)socket;
#endif
}

// Where the setup stalled, with a hint at the setting that usually causes it.
std::string setupTimeoutReason(const AsioNetworkClient::Connection& c) {
    using S = AsioNetworkClient::Connection::State;
    switch (c.state) {
        case S::Connecting:
            return "connection setup timed out (socket.connection.setup.timeout.ms) while "
                   "connecting";
        case S::TlsHandshake:
            return "connection setup timed out during the TLS handshake (is it a TLS port?)";
        case S::CheckingApiVersions:
            return std::string("connection setup timed out waiting for ApiVersions") +
                   (c.tls ? "" : " (a TLS port? check security.protocol)");
        case S::Authenticating:
            return "connection setup timed out during the SASL login";
        case S::Ready:
            break;
    }
    return "connection setup timed out";
}
}  // namespace

const char* connectionStageName(ConnectionStage stage) {
    switch (stage) {
        case ConnectionStage::Connecting:
            return "TCP connect";
        case ConnectionStage::TlsHandshake:
            return "TLS handshake";
        case ConnectionStage::ApiVersions:
            return "ApiVersions";
        case ConnectionStage::Authenticating:
            return "SASL authentication";
        case ConnectionStage::Ready:
            return "ready";
    }
    return "?";
}

namespace {
ConnectionStage stageOf(AsioNetworkClient::Connection::State s) {
    using S = AsioNetworkClient::Connection::State;
    switch (s) {
        case S::Connecting:
            return ConnectionStage::Connecting;
        case S::TlsHandshake:
            return ConnectionStage::TlsHandshake;
        case S::CheckingApiVersions:
            return ConnectionStage::ApiVersions;
        case S::Authenticating:
            return ConnectionStage::Authenticating;
        case S::Ready:
            break;
    }
    return ConnectionStage::Ready;
}

// The negotiated protocol and the broker's certificate, for the Test connection report.
std::string describeTlsSession(SSL* ssl) {
    std::string out = SSL_get_version(ssl);
    if (X509* peer = SSL_get1_peer_certificate(ssl)) {
        auto name = [](const X509_NAME* n) {
            char buf[256];
            X509_NAME_oneline(n, buf, sizeof buf);
            return std::string(buf);
        };
        out += ", server certificate " + name(X509_get_subject_name(peer)) + " (issuer " +
               name(X509_get_issuer_name(peer)) + ")";
        X509_free(peer);
    }
    return out;
}
}  // namespace

ConnectionProgress AsioNetworkClient::progress(int32_t node) const {
    ConnectionProgress p;
    const NodeState* ns = find(node);
    if (!ns) return p;
    p.tls = ns->tls;
    if (ns->conn) {
        p.stage = stageOf(ns->conn->state);
    } else {
        p.stage = ns->stage;
        p.failed = ns->lastFailed;
        p.error = ns->lastError;
    }
    return p;
}

AsioNetworkClient::AsioNetworkClient(NetworkClientConfig config, const Clock& clock)
    : config_(std::move(config)), clock_(clock) {}

AsioNetworkClient::~AsioNetworkClient() {
    close();
}

AsioNetworkClient::NodeState* AsioNetworkClient::find(int32_t node) {
    auto it = nodes_.find(node);
    return it == nodes_.end() ? nullptr : &it->second;
}
const AsioNetworkClient::NodeState* AsioNetworkClient::find(int32_t node) const {
    auto it = nodes_.find(node);
    return it == nodes_.end() ? nullptr : &it->second;
}

void AsioNetworkClient::setNodes(const std::vector<Node>& nodes) {
    for (auto it = nodes_.begin(); it != nodes_.end();) {
        auto match = std::find_if(nodes.begin(), nodes.end(),
                                  [&](const Node& n) { return n.id == it->first; });
        bool keep = match != nodes.end() && match->host == it->second.node.host &&
                    match->port == it->second.node.port;
        if (!keep && it->second.conn)
            fail(it->second.conn, "node left the cluster metadata", false);
        it = keep ? std::next(it) : nodes_.erase(it);
    }
    for (const Node& n : nodes) {
        NodeState& ns = nodes_[n.id];
        ns.node = n;
    }
}

bool AsioNetworkClient::canSendRequest(int32_t node, int64_t) const {
    const NodeState* ns = find(node);
    if (!ns || !ns->conn || ns->conn->state != Connection::State::Ready) return false;
    // InFlightRequests.canSendMore: one request at a time on the socket, so a request is not
    // queued behind a half-written one.
    return !sendInProgress(node) &&
           static_cast<int>(ns->conn->inFlight.size()) < config_.maxInFlightRequestsPerConnection;
}

bool AsioNetworkClient::sendInProgress(int32_t node) const {
    const NodeState* ns = find(node);
    // Frames leave in order and acks=0 ones leave inFlight once written: the newest entry
    // tells whether everything sent so far has been written.
    return ns && ns->conn && !ns->conn->inFlight.empty() && !ns->conn->inFlight.back().written;
}

bool AsioNetworkClient::ready(int32_t node, int64_t nowMs) {
    NodeState* ns = find(node);
    if (!ns || closed_) return false;
    if (isReady(node, nowMs)) return true;
    if (!ns->conn && connectionDelay(node, nowMs) == 0) connect(*ns, nowMs);
    return false;
}

int64_t AsioNetworkClient::connectionDelay(int32_t node, int64_t nowMs) const {
    const NodeState* ns = find(node);
    // Connecting or connected: progress comes as I/O events, not after a delay (Java returns
    // Long.MAX_VALUE here too).
    if (ns && ns->conn) return INT64_MAX;
    if (!ns || ns->lastAttemptMs < 0) return 0;
    return std::max<int64_t>(0, ns->lastAttemptMs + ns->backoffMs - nowMs);
}

bool AsioNetworkClient::connectionFailed(int32_t node) const {
    const NodeState* ns = find(node);
    return ns && !ns->conn && ns->lastFailed;
}

std::string AsioNetworkClient::connectionError(int32_t node) const {
    const NodeState* ns = find(node);
    return ns && !ns->conn ? ns->lastError : std::string();
}

int AsioNetworkClient::inFlightRequestCount(int32_t node) const {
    const NodeState* ns = find(node);
    return ns && ns->conn ? static_cast<int>(ns->conn->inFlight.size()) : 0;
}

int AsioNetworkClient::inFlightRequestCount() const {
    int n = 0;
    for (const auto& [id, ns] : nodes_)
        n += ns.conn ? static_cast<int>(ns.conn->inFlight.size()) : 0;
    return n;
}

std::optional<int16_t> AsioNetworkClient::apiVersion(int32_t node, ApiKey api) const {
    const NodeState* ns = find(node);
    if (!ns || !ns->conn || ns->conn->state != Connection::State::Ready) return std::nullopt;
    auto it = ns->conn->versions.find(static_cast<int16_t>(api));
    if (it == ns->conn->versions.end()) return std::nullopt;
    return it->second;
}

void AsioNetworkClient::connect(NodeState& ns, int64_t nowMs) {
    auto c = std::make_shared<Connection>(io_, ns.node.id, config_.security.tls);
    c->host = ns.node.host;
    c->setupDeadlineMs = nowMs + config_.connectionSetupTimeoutMs;
    ns.conn = c;
    ns.lastAttemptMs = nowMs;
    ns.tls.clear();
    spdlog::debug("connecting to node {}", ns.node.toString());
    c->resolver.async_resolve(
        ns.node.host, std::to_string(ns.node.port),
        [this, c](const boost::system::error_code& ec, tcp::resolver::results_type results) {
            if (c->closed) return;
            if (ec) return fail(c, "cannot resolve: " + ec.message(), false);
            asio::async_connect(
                c->lowest(), results,
                [this, c](const boost::system::error_code& ec2, const tcp::endpoint&) {
                    if (c->closed) return;
                    if (ec2) return fail(c, "cannot connect: " + ec2.message(), false);
                    boost::system::error_code ignored;
                    tcp::socket& socket = c->lowest();
                    socket.set_option(tcp::no_delay(true), ignored);
                    if (config_.sendBufferBytes > 0)
                        socket.set_option(
                            asio::socket_base::send_buffer_size(config_.sendBufferBytes), ignored);
                    if (config_.receiveBufferBytes > 0)
                        socket.set_option(
                            asio::socket_base::receive_buffer_size(config_.receiveBufferBytes),
                            ignored);
                    if (!c->tls) {
                        c->state = Connection::State::CheckingApiVersions;
                        startRead(c);
                        return startApiVersions(c, kApiVersionsNewest);
                    }
                    c->state = Connection::State::TlsHandshake;
                    security::prepareClientSession(c->tls->native_handle(), c->host,
                                                   config_.security.verifyHostName);
                    // A raw pointer: the stream (owned by c) keeps the callback.
                    Connection* raw = c.get();
                    c->tls->set_verify_callback([raw](bool preverified,
                                                      asio::ssl::verify_context& ctx) {
                        return security::recordVerifyResult(preverified, ctx, raw->verifyFailure);
                    });
                    c->tls->async_handshake(asio::ssl::stream_base::client,
                                            [this, c](const boost::system::error_code& ec3) {
                                                onTlsHandshake(c, ec3);
                                            });
                });
        });
}

void AsioNetworkClient::onTlsHandshake(const std::shared_ptr<Connection>& c,
                                       const boost::system::error_code& ec) {
    if (c->closed) return;
    if (ec) {
        std::string why = "TLS handshake failed: ";
        const auto& vf = c->verifyFailure;
        if (!vf.reason.empty()) {
            why +=
                "the broker's certificate (subject " + vf.subject + ") was refused: " + vf.reason;
            why += vf.reason.find("hostname") != std::string::npos ||
                           vf.reason.find("IP address") != std::string::npos
                       ? " (host '" + c->host +
                             "'; ssl.endpoint.identification.algorithm=https checks it)"
                       : " (check ssl.truststore.location / ssl.truststore.certificates)";
        } else {
            why += ec.message();
            if (ec == asio::error::eof || ec == asio::ssl::error::stream_truncated) {
                why +=
                    " (the broker closed the connection: is it a TLS port, and does it want "
                    "a client certificate, ssl.keystore.location?)";
            }
        }
        return fail(c, why, false, true);
    }
    if (NodeState* ns = find(c->nodeId)) ns->tls = describeTlsSession(c->tls->native_handle());
    c->state = Connection::State::CheckingApiVersions;
    startRead(c);
    startApiVersions(c, kApiVersionsNewest);
}

void AsioNetworkClient::startApiVersions(const std::shared_ptr<Connection>& c, int16_t version) {
    ClientRequest req;
    req.destination = c->nodeId;
    req.apiKey = ApiKey::ApiVersions;
    req.requestTimeoutMs = static_cast<int32_t>(config_.connectionSetupTimeoutMs);
    req.writeBody = [version = config_.clientSoftwareVersion](int16_t v, protocol::Writer& w) {
        protocol::ApiVersionsRequest m;
        m.clientSoftwareName = "batchscope";
        m.clientSoftwareVersion = version;
        encode(m, v, w);
    };
    enqueue(c, std::move(req), version, clock_.nowMs(), true);
}

int32_t AsioNetworkClient::enqueue(const std::shared_ptr<Connection>& c, ClientRequest&& request,
                                   int16_t version, int64_t nowMs, bool internal) {
    int32_t correlationId = nextCorrelationId_++;
    if (nextCorrelationId_ == INT32_MAX) nextCorrelationId_ = 0;
    // Produce batches are spliced in, not copied: written straight from their buffers.
    protocol::GatheredFrame frame = protocol::buildGatheredRequestFrame(
        protocol::RequestHeader{request.apiKey, version, correlationId, config_.clientId},
        [&](protocol::Writer& w) { request.writeBody(version, w); });
    if (request.onWritten) {
        if (frame.splices.empty()) {
            request.onWritten(correlationId, version, frame.owned);
        } else {
            const std::vector<uint8_t> copy = frame.assemble();  // only for an observer
            request.onWritten(correlationId, version, copy);
        }
    }
    c->inFlight.push_back(Connection::InFlight{
        request.apiKey, version, correlationId, nowMs, nowMs + request.requestTimeoutMs,
        request.expectResponse, internal, std::move(request.callback)});
    if (c->tls && !frame.splices.empty()) {
        // TLS encrypts each buffer of a gathered write as its own record: one run is better,
        // and the encryption copies the bytes anyway.
        frame.owned = frame.assemble();
        frame.splices.clear();
        request.bufferHold.reset();
    }
    c->writeQueue.push_back(Connection::Outgoing{std::move(frame), std::move(request.bufferHold)});
    if (c->writing.empty()) startWrite(c);
    return correlationId;
}

void AsioNetworkClient::startWrite(const std::shared_ptr<Connection>& c) {
    c->writing.clear();
    c->writeBuffers.clear();
    while (!c->writeQueue.empty()) {
        c->writing.push_back(std::move(c->writeQueue.front()));
        c->writeQueue.pop_front();
    }
    if (c->writing.empty()) return;
    for (const auto& f : c->writing)
        f.frame.forEachSegment([&](std::span<const uint8_t> s) {
            c->writeBuffers.emplace_back(asio::buffer(s.data(), s.size()));
        });
    c->withStream([&](auto& stream) {
        asio::async_write(
            stream, c->writeBuffers, [this, c](const boost::system::error_code& ec, size_t) {
                if (c->closed) return;
                if (ec) return fail(c, "write failed: " + ec.message(), false);
                size_t written = c->writing.size();
                c->writing.clear();
                // The first `written` unwritten entries just went out (frames leave in send
                // order). Requests that expect no response (acks=0) are done now; earlier entries
                // still waiting for answers must not be counted among them.
                int64_t now = clock_.nowMs();
                size_t seen = 0;
                for (auto it = c->inFlight.begin(); it != c->inFlight.end() && seen < written;) {
                    if (it->written) {
                        ++it;
                        continue;
                    }
                    ++seen;
                    it->written = true;
                    if (it->expectResponse) {
                        ++it;
                        continue;
                    }
                    c->lastNoResponseId = it->correlationId;
                    Completion done;
                    done.callback = std::move(it->callback);
                    done.response.destination = c->nodeId;
                    done.response.apiKey = it->apiKey;
                    done.response.apiVersion = it->version;
                    done.response.correlationId = it->correlationId;
                    done.response.createdMs = it->createdMs;
                    done.response.receivedMs = now;
                    completions_.push_back(std::move(done));
                    it = c->inFlight.erase(it);
                }
                if (!c->writeQueue.empty()) startWrite(c);
            });
    });
}

void AsioNetworkClient::startRead(const std::shared_ptr<Connection>& c) {
    if (c->rbuf.size() - c->rend < kReadChunk / 4) {
        // Compact, then grow only if a single frame needs more room.
        if (c->rstart > 0) {
            std::memmove(c->rbuf.data(), c->rbuf.data() + c->rstart, c->rend - c->rstart);
            c->rend -= c->rstart;
            c->rstart = 0;
        }
        if (c->rbuf.size() - c->rend < kReadChunk / 4) c->rbuf.resize(c->rbuf.size() * 2);
    }
    c->withStream([&](auto& stream) {
        stream.async_read_some(
            asio::buffer(c->rbuf.data() + c->rend, c->rbuf.size() - c->rend),
            [this, c](const boost::system::error_code& ec, size_t n) {
                if (c->closed) return;
                if (ec) {
                    std::string why =
                        ec == asio::error::eof || ec == asio::ssl::error::stream_truncated
                            ? "connection closed by the broker"
                            : "read failed: " + ec.message();
                    if (c->state == Connection::State::CheckingApiVersions && !c->tls) {
                        why +=
                            " before it answered ApiVersions (a TLS port? check "
                            "security.protocol)";
                    }
                    // TLS 1.3 refuses a client certificate after the client's side of the
                    // handshake is done: the refusal is the first read (fatal, as Java's
                    // SslAuthenticationException).
                    if (c->tls && c->state == Connection::State::CheckingApiVersions &&
                        ec.category() == asio::error::get_ssl_category()) {
                        return fail(c,
                                    "TLS: the broker refused the connection after the "
                                    "handshake: " +
                                        ec.message() +
                                        " (does it want a client certificate? "
                                        "ssl.keystore.location)",
                                    false, true);
                    }
                    return fail(c, why, false);
                }
                c->rend += n;
                quickAck(c->lowest());
                while (!c->closed && c->rend - c->rstart >= protocol::kFrameSizeBytes) {
                    std::span<const uint8_t, 4> prefix(c->rbuf.data() + c->rstart, 4);
                    auto size = protocol::readFrameSize(prefix, config_.maxResponseSize);
                    if (!size) return fail(c, "garbage response: " + size.error().message, false);
                    size_t total = protocol::kFrameSizeBytes + static_cast<size_t>(*size);
                    if (c->rend - c->rstart < total) {
                        if (c->rbuf.size() < total) {
                            std::memmove(c->rbuf.data(), c->rbuf.data() + c->rstart,
                                         c->rend - c->rstart);
                            c->rend -= c->rstart;
                            c->rstart = 0;
                            c->rbuf.resize(total + kReadChunk);
                        }
                        break;
                    }
                    onFrame(c, std::span<const uint8_t>(c->rbuf.data() + c->rstart + 4,
                                                        static_cast<size_t>(*size)));
                    c->rstart += total;
                }
                if (c->closed) return;
                if (c->rstart == c->rend) c->rstart = c->rend = 0;
                startRead(c);
            });
    });
}

void AsioNetworkClient::onFrame(const std::shared_ptr<Connection>& c,
                                std::span<const uint8_t> frame) {
    auto it = std::find_if(c->inFlight.begin(), c->inFlight.end(),
                           [](const Connection::InFlight& f) { return f.expectResponse; });
    // Kafka brokers never answer an acks=0 Produce; librdkafka's mock cluster does. Answers come
    // in request order, so a frame older than the oldest request awaiting one answers a request
    // already done: dropped, as librdkafka drops it ("Response for unknown CorrId").
    if (frame.size() >= 4 && c->lastNoResponseId >= 0) {
        const int32_t corr =
            static_cast<int32_t>(uint32_t{frame[0]} << 24 | uint32_t{frame[1]} << 16 |
                                 uint32_t{frame[2]} << 8 | uint32_t{frame[3]});
        if (corr >= 0 && corr <= c->lastNoResponseId &&
            (it == c->inFlight.end() || corr < it->correlationId)) {
            spdlog::debug("node {}: dropped an answer to acks=0 request {}", c->nodeId, corr);
            return;
        }
    }
    if (it == c->inFlight.end()) return fail(c, "garbage response: no request in flight", false);
    auto parsed = protocol::parseResponseFrame(frame, it->apiKey, it->version);
    if (!parsed) return fail(c, "garbage response: " + parsed.error().message, false);
    if (parsed->header.correlationId != it->correlationId) {
        return fail(c,
                    "garbage response: correlation id " +
                        std::to_string(parsed->header.correlationId) + " does not match " +
                        std::to_string(it->correlationId),
                    false);
    }
    Connection::InFlight req = std::move(*it);
    c->inFlight.erase(it);
    if (req.internal) return onInternal(c, req.apiKey, req.version, parsed->body);
    Completion done;
    done.callback = std::move(req.callback);
    done.body.assign(parsed->body.begin(), parsed->body.end());
    done.response.destination = c->nodeId;
    done.response.apiKey = req.apiKey;
    done.response.apiVersion = req.version;
    done.response.correlationId = req.correlationId;
    done.response.createdMs = req.createdMs;
    done.response.receivedMs = clock_.nowMs();
    completions_.push_back(std::move(done));
}

void AsioNetworkClient::onApiVersions(const std::shared_ptr<Connection>& c, int16_t version,
                                      std::span<const uint8_t> body) {
    // A broker that does not know our version answers UNSUPPORTED_VERSION, ideally with a v0
    // body listing its range (KIP-511); some (librdkafka's mock) send other layouts, so only the
    // leading error code is trusted then and the next lower version is tried.
    if (body.size() >= 2 && version > 0 &&
        static_cast<int16_t>((body[0] << 8) | body[1]) ==
            static_cast<int16_t>(protocol::ErrorCode::UNSUPPORTED_VERSION)) {
        protocol::ApiVersionsResponse v0;
        int16_t next = static_cast<int16_t>(version - 1);
        if (protocol::decodeBody(v0, 0, body).ok()) {
            for (const auto& k : v0.apiKeys) {
                if (k.apiKey == static_cast<int16_t>(ApiKey::ApiVersions))
                    next = std::min(next, k.maxVersion);
            }
        }
        return startApiVersions(c, std::max<int16_t>(0, next));
    }
    protocol::ApiVersionsResponse resp;
    if (Status st = protocol::decodeBody(resp, version, body); !st.ok())
        return fail(c, "garbage ApiVersions response: " + st.message(), false);
    if (resp.errorCode != protocol::ErrorCode::NONE) {
        return fail(c, "ApiVersions failed: " + std::string(protocol::errorName(resp.errorCode)),
                    false);
    }
    for (const auto& k : resp.apiKeys) {
        auto ours = protocol::supportedRange(static_cast<ApiKey>(k.apiKey));
        if (!ours) continue;
        int16_t hi = std::min(k.maxVersion, ours->maxVersion);
        int16_t lo = std::max(k.minVersion, ours->minVersion);
        if (hi >= lo) c->versions[k.apiKey] = hi;
    }
    if (security::usesSasl(config_.security.protocol)) return startSaslHandshake(c);
    markReady(c);
}

void AsioNetworkClient::markReady(const std::shared_ptr<Connection>& c) {
    c->state = Connection::State::Ready;
    if (NodeState* ns = find(c->nodeId)) {
        ns->failures = 0;
        ns->stage = ConnectionStage::Ready;
        ns->lastFailed = false;
        ns->lastError.clear();
        ns->authError.clear();
    }
    spdlog::debug("node {} ready ({} common APIs)", c->nodeId, c->versions.size());
}

void AsioNetworkClient::onInternal(const std::shared_ptr<Connection>& c, ApiKey api,
                                   int16_t version, std::span<const uint8_t> body) {
    if (api == ApiKey::SaslHandshake) return onSaslHandshake(c, body);
    if (api == ApiKey::SaslAuthenticate) return onSaslAuthenticate(c, version, body);
    onApiVersions(c, version, body);
}

void AsioNetworkClient::startSaslHandshake(const std::shared_ptr<Connection>& c) {
    const auto& sec = config_.security;
    if (!c->versions.count(static_cast<int16_t>(ApiKey::SaslAuthenticate))) {
        return fail(c, "the broker does not offer SaslAuthenticate (Kafka 1.0+ needed for SASL)",
                    false, true);
    }
    c->state = Connection::State::Authenticating;
    c->sasl = std::make_unique<security::SaslClient>(sec.saslMechanism, sec.saslUsername,
                                                     sec.saslPassword);
    ClientRequest req;
    req.destination = c->nodeId;
    req.apiKey = ApiKey::SaslHandshake;
    req.requestTimeoutMs = static_cast<int32_t>(config_.connectionSetupTimeoutMs);
    req.writeBody = [mechanism = sec.saslMechanism](int16_t v, protocol::Writer& w) {
        encode(protocol::SaslHandshakeRequest{mechanism}, v, w);
    };
    enqueue(c, std::move(req), 1, clock_.nowMs(), true);
}

void AsioNetworkClient::onSaslHandshake(const std::shared_ptr<Connection>& c,
                                        std::span<const uint8_t> body) {
    protocol::SaslHandshakeResponse resp;
    if (Status st = protocol::decodeBody(resp, 1, body); !st.ok()) {
        return fail(c, "garbage SaslHandshake response: " + st.message(), false);
    }
    const std::string& mechanism = config_.security.saslMechanism;
    if (resp.errorCode == protocol::ErrorCode::UNSUPPORTED_SASL_MECHANISM) {
        std::string enabled;
        for (const auto& m : resp.mechanisms)
            enabled += (enabled.empty() ? "" : ", ") + m;
        return fail(c,
                    "sasl.mechanism=" + mechanism + " is not enabled on the broker (it enables " +
                        (enabled.empty() ? std::string("none") : enabled) + ")",
                    false, true);
    }
    if (resp.errorCode != protocol::ErrorCode::NONE) {
        return fail(c,
                    "SaslHandshake failed: " + std::string(protocol::errorName(resp.errorCode)) +
                        " (does this listener use SASL? check security.protocol)",
                    false, true);
    }
    sendSaslToken(c, c->sasl->initialResponse());
}

void AsioNetworkClient::sendSaslToken(const std::shared_ptr<Connection>& c, std::string token) {
    const int16_t version =
        std::min<int16_t>(2, c->versions.at(static_cast<int16_t>(ApiKey::SaslAuthenticate)));
    ClientRequest req;
    req.destination = c->nodeId;
    req.apiKey = ApiKey::SaslAuthenticate;
    req.requestTimeoutMs = static_cast<int32_t>(config_.connectionSetupTimeoutMs);
    req.writeBody = [token = std::move(token)](int16_t v, protocol::Writer& w) mutable {
        protocol::SaslAuthenticateRequest m;
        m.authBytes.assign(token.begin(), token.end());
        security::wipe(token);  // it may hold the password (PLAIN)
        encode(m, v, w);
    };
    enqueue(c, std::move(req), version, clock_.nowMs(), true);
}

void AsioNetworkClient::onSaslAuthenticate(const std::shared_ptr<Connection>& c, int16_t version,
                                           std::span<const uint8_t> body) {
    protocol::SaslAuthenticateResponse resp;
    if (Status st = protocol::decodeBody(resp, version, body); !st.ok()) {
        return fail(c, "garbage SaslAuthenticate response: " + st.message(), false);
    }
    const auto& sec = config_.security;
    if (resp.errorCode != protocol::ErrorCode::NONE) {
        return fail(
            c,
            "SASL " + sec.saslMechanism + " authentication of user '" + sec.saslUsername +
                "' failed: " +
                resp.errorMessage.value_or(std::string(protocol::errorName(resp.errorCode))) +
                " (check sasl.jaas.config)",
            false, true);
    }
    auto next = c->sasl->evaluate(std::string_view(
        reinterpret_cast<const char*>(resp.authBytes.data()), resp.authBytes.size()));
    if (!next)
        return fail(c, "SASL " + sec.saslMechanism + ": " + next.error().message, false, true);
    if (*next) return sendSaslToken(c, std::move(**next));
    c->sasl.reset();
    spdlog::debug("node {}: authenticated as '{}' with {}", c->nodeId, sec.saslUsername,
                  sec.saslMechanism);
    markReady(c);
}

void AsioNetworkClient::fail(std::shared_ptr<Connection> c, const std::string& reason,
                             bool timedOut, bool authFailure) {
    if (c->closed) return;
    c->closed = true;
    boost::system::error_code ignored;
    c->resolver.cancel();
    c->lowest().close(ignored);
    int64_t now = clock_.nowMs();
    for (auto& req : c->inFlight) {
        if (req.internal) continue;
        Completion done;
        done.callback = std::move(req.callback);
        done.response.destination = c->nodeId;
        done.response.apiKey = req.apiKey;
        done.response.apiVersion = req.version;
        done.response.correlationId = req.correlationId;
        done.response.createdMs = req.createdMs;
        done.response.receivedMs = now;
        done.response.disconnected = true;
        done.response.timedOut = timedOut;
        done.response.error = "node " + std::to_string(c->nodeId) + ": " + reason;
        completions_.push_back(std::move(done));
    }
    c->inFlight.clear();
    c->writeQueue.clear();
    if (NodeState* ns = find(c->nodeId); ns && ns->conn == c) {
        ns->conn.reset();
        if (authFailure) ns->authError = "node " + std::to_string(c->nodeId) + ": " + reason;
        ns->lastFailed = true;
        ns->lastError = reason;
        ns->stage = stageOf(c->state);
        ns->lastAttemptMs = now;
        // Exponential backoff with +-20% jitter, reconnect.backoff.ms after the first failure
        // and doubling per further one (Java: ClusterConnectionStates.updateReconnectBackoff).
        // A connection that got ready had reset the count to 0.
        double exp = static_cast<double>(config_.reconnectBackoffMs) *
                     std::pow(2.0, std::min(ns->failures, 20));
        ++ns->failures;
        double capped = std::min<double>(exp, static_cast<double>(config_.reconnectBackoffMaxMs));
        std::uniform_real_distribution<double> jitter(0.8, 1.2);
        ns->backoffMs = static_cast<int64_t>(capped * jitter(rng_));
    }
    if (authFailure) {
        // Java logs these as errors too: they need the user's attention, not a retry.
        spdlog::warn("connection to node {} failed authentication: {}", c->nodeId, reason);
    } else {
        spdlog::debug("disconnected from node {}: {}", c->nodeId, reason);
    }
}

int64_t AsioNetworkClient::nextTimeoutMs(int64_t nowMs) const {
    int64_t next = INT64_MAX;
    for (const auto& [id, ns] : nodes_) {
        if (!ns.conn) continue;
        if (ns.conn->state != Connection::State::Ready)
            next = std::min(next, ns.conn->setupDeadlineMs);
        for (const auto& r : ns.conn->inFlight)
            next = std::min(next, r.deadlineMs);
    }
    return next == INT64_MAX ? INT64_MAX : std::max<int64_t>(0, next - nowMs);
}

void AsioNetworkClient::checkTimeouts(int64_t nowMs) {
    std::vector<std::shared_ptr<Connection>> expired;
    std::vector<bool> setup;
    for (auto& [id, ns] : nodes_) {
        if (!ns.conn) continue;
        const auto& c = ns.conn;
        if (c->state != Connection::State::Ready && nowMs >= c->setupDeadlineMs) {
            expired.push_back(c);
            setup.push_back(true);
            continue;
        }
        for (const auto& r : c->inFlight) {
            if (nowMs >= r.deadlineMs) {
                expired.push_back(c);
                setup.push_back(false);
                break;
            }
        }
    }
    // Both are timeouts to Java (processTimeoutDisconnection): every request still on the
    // connection is answered as timed out, not only the expired one.
    for (size_t i = 0; i < expired.size(); ++i) {
        fail(expired[i],
             setup[i] ? setupTimeoutReason(*expired[i]) : "request timed out (request.timeout.ms)",
             true);
    }
}

void AsioNetworkClient::poll(int64_t timeoutMs, int64_t nowMs) {
    if (closed_) return;
    if (!completions_.empty()) timeoutMs = 0;
    timeoutMs = std::min(timeoutMs, nextTimeoutMs(nowMs));
    // Asio adds the timeout to steady_clock::now() in nanoseconds: keep that from overflowing.
    timeoutMs = std::min<int64_t>(timeoutMs, kMaxPollMs);
    io_.restart();
    // Blocks (idleWork_ keeps io_ busy) until a handler runs, wakeup() posts, or the timeout.
    if (timeoutMs > 0) io_.run_one_for(std::chrono::milliseconds(timeoutMs));
    io_.poll();
    checkTimeouts(clock_.nowMs());
    runCompletions();
}

void AsioNetworkClient::runCompletions() {
    // Callbacks may send new requests (and so add completions): swap first.
    std::vector<Completion> done;
    done.swap(completions_);
    for (auto& d : done) {
        d.response.body = d.body;
        if (d.callback) d.callback(d.response);
    }
}

void AsioNetworkClient::wakeup() {
    if (!wakeupPending_.exchange(true)) {
        asio::post(io_, [this] { wakeupPending_.store(false); });
    }
}

int32_t AsioNetworkClient::send(ClientRequest request, int64_t nowMs) {
    NodeState* ns = find(request.destination);
    if (!ns || !ns->conn || ns->conn->state != Connection::State::Ready) {
        completeLocally(std::move(request), nowMs, false, "node is not connected");
        return -1;
    }
    if (static_cast<int>(ns->conn->inFlight.size()) >= config_.maxInFlightRequestsPerConnection) {
        // The caller skipped ready(): refuse rather than exceed the limit.
        completeLocally(std::move(request), nowMs, false,
                        "node " + std::to_string(ns->node.id) + " already has " +
                            std::to_string(config_.maxInFlightRequestsPerConnection) +
                            " requests in flight (max.in.flight.requests.per.connection)");
        return -1;
    }
    if (sendInProgress(request.destination)) {
        // Also a skipped ready() (Java throws IllegalStateException from doSend).
        completeLocally(
            std::move(request), nowMs, false,
            "node " + std::to_string(ns->node.id) + " is still writing the previous request");
        return -1;
    }
    auto v = apiVersion(request.destination, request.apiKey);
    if (v && request.maxVersion >= 0) {
        auto ours = protocol::supportedRange(request.apiKey);
        int16_t lo = ours ? ours->minVersion : 0;
        v = request.maxVersion >= lo ? std::optional<int16_t>(std::min(*v, request.maxVersion))
                                     : std::nullopt;
    }
    if (!v) {
        completeLocally(std::move(request), nowMs, true,
                        "node " + std::to_string(ns->node.id) + " supports no common version of " +
                            std::string(protocol::apiName(request.apiKey)));
        return -1;
    }
    return enqueue(ns->conn, std::move(request), *v, nowMs, false);
}

void AsioNetworkClient::completeLocally(ClientRequest&& request, int64_t nowMs,
                                        bool versionMismatch, const std::string& why) {
    Completion done;
    done.callback = std::move(request.callback);
    done.response.destination = request.destination;
    done.response.apiKey = request.apiKey;
    done.response.createdMs = nowMs;
    done.response.receivedMs = nowMs;
    done.response.disconnected = !versionMismatch;
    done.response.versionMismatch = versionMismatch;
    done.response.error = why;
    completions_.push_back(std::move(done));
}

void AsioNetworkClient::disconnect(int32_t node) {
    NodeState* ns = find(node);
    if (ns && ns->conn) fail(ns->conn, "disconnected by the client", false);
}

std::optional<int32_t> AsioNetworkClient::leastLoadedNode(int64_t nowMs) {
    if (nodes_.empty()) return std::nullopt;
    // Random start so that equally loaded nodes share the metadata load (as Java).
    std::uniform_int_distribution<size_t> pick(0, nodes_.size() - 1);
    size_t offset = pick(rng_);
    std::vector<const NodeState*> order;
    for (const auto& [id, ns] : nodes_)
        order.push_back(&ns);
    std::rotate(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(offset), order.end());
    std::optional<int32_t> best, connecting, idle;
    int bestInFlight = INT32_MAX;
    for (const NodeState* ns : order) {
        if (canSendRequest(ns->node.id, nowMs)) {
            int n = static_cast<int>(ns->conn->inFlight.size());
            if (n < bestInFlight) {
                bestInFlight = n;
                best = ns->node.id;
            }
        } else if (ns->conn && ns->conn->state != Connection::State::Ready) {
            if (!connecting) connecting = ns->node.id;
        } else if (!idle && connectionDelay(ns->node.id, nowMs) == 0) {
            idle = ns->node.id;
        }
    }
    if (best) return best;
    if (connecting) return connecting;
    return idle;
}

std::optional<std::string> AsioNetworkClient::authenticationError(int32_t node) const {
    const NodeState* ns = find(node);
    if (!ns || ns->authError.empty()) return std::nullopt;
    return ns->authError;
}

void AsioNetworkClient::close() {
    if (closed_) return;
    for (auto& [id, ns] : nodes_) {
        if (ns.conn) fail(ns.conn, "client closed", false);
    }
    closed_ = true;
    runCompletions();
    io_.restart();
    io_.poll();
}

}  // namespace bs::client
