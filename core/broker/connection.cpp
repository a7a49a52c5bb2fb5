#include "broker/connection.h"

#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

#include "broker/delayed_fetch.h"
#include "broker/sasl_authenticator.h"
#include "protocol/frame.h"

namespace bs::broker {

namespace asio = boost::asio;

namespace {
// Responses queued (waiting for latency or the socket) before the connection stops reading:
// bounds memory when a client pipelines faster than it reads.
constexpr size_t kMaxQueuedResponses = 64;
}  // namespace

Connection::Connection(asio::ip::tcp::socket socket, const ConnectionContext& context)
    : ctx_(context),
      strand_(socket.get_executor()),
      plain_(std::move(socket)),
      writeTimer_(strand_),
      fetchTimer_(strand_) {
    boost::system::error_code ec;
    auto ep = plain_.remote_endpoint(ec);
    if (!ec) peer_ = ep.address().to_string() + ":" + std::to_string(ep.port());
    plain_.set_option(asio::ip::tcp::no_delay(true), ec);
    if (ctx_.tls) tls_.emplace(std::move(plain_), *ctx_.tls);
    if (ctx_.sasl) {
        sasl_ =
            std::make_unique<SaslServerAuthenticator>(*ctx_.sasl, *ctx_.apis, ctx_.nodeId, peer_);
    }
}

asio::ip::tcp::socket& Connection::socket() {
    return tls_ ? tls_->next_layer() : plain_;
}

Connection::~Connection() = default;

void Connection::start() {
    asio::post(strand_, [self = shared_from_this()] {
        if (!self->tls_) return self->readSize();
        self->tls_->async_handshake(
            asio::ssl::stream_base::server,
            [self](const boost::system::error_code& ec) { self->onHandshake(ec); });
    });
}

void Connection::onHandshake(const boost::system::error_code& ec) {
    if (ec) {
        // A PLAINTEXT client on this port lands here too ("wrong version number").
        spdlog::info("node {}: {}: TLS handshake failed: {}; closing", ctx_.nodeId, peer_,
                     ec.message());
        return doClose("TLS handshake failed");
    }
    readSize();
}

void Connection::close() {
    asio::post(strand_, [self = shared_from_this()] { self->doClose("closed by the node"); });
}

void Connection::readSize() {
    if (closed_ || closeAfterWrites_ || reading_ || parked_ ||
        outbound_.size() >= kMaxQueuedResponses) {
        return;
    }
    reading_ = true;
    withStream([&](auto& stream) {
        asio::async_read(stream, asio::buffer(sizeBuf_),
                         [self = shared_from_this()](const boost::system::error_code& ec, size_t) {
                             self->onSize(ec);
                         });
    });
}

void Connection::onSize(const boost::system::error_code& ec) {
    if (ec) {
        reading_ = false;
        return doClose(ec == asio::error::eof ? "client closed" : "read failed");
    }
    auto size = protocol::readFrameSize(sizeBuf_, ctx_.maxRequestBytes);
    if (!size) {
        reading_ = false;
        spdlog::warn("node {}: {}: {}; closing", ctx_.nodeId, peer_, size.error().message);
        return doClose("bad frame size");
    }
    body_.resize(static_cast<size_t>(*size));
    withStream([&](auto& stream) {
        asio::async_read(stream, asio::buffer(body_),
                         [self = shared_from_this()](const boost::system::error_code& ec2, size_t) {
                             self->onBody(ec2);
                         });
    });
}

void Connection::onBody(const boost::system::error_code& ec) {
    reading_ = false;
    if (ec) return doClose("read failed");
    if (closed_) return;
    handleRequest();
    readSize();
}

void Connection::handleRequest() {
    RequestOutcome out =
        sasl_ && !sasl_->complete() ? sasl_->handle(body_) : ctx_.apis->handle(ctx_.nodeId, body_);
    switch (out.action) {
        case RequestOutcome::Action::Respond:
            enqueue(std::move(out.response));
            break;
        case RequestOutcome::Action::RespondAndClose:
            spdlog::debug("node {}: {}: {}; closing after the answer", ctx_.nodeId, peer_,
                          out.reason);
            closeAfterWrites_ = true;
            enqueue(std::move(out.response));
            break;
        case RequestOutcome::Action::NoResponse:
            break;
        case RequestOutcome::Action::Close:
            spdlog::warn("node {}: {}: {}; closing", ctx_.nodeId, peer_, out.reason);
            // Answers to the earlier requests still go out first (a client probing with a
            // pipelined request we reject still gets them), then the connection closes.
            closeAfterWrites_ = true;
            if (outbound_.empty()) doClose("request rejected");
            break;
        case RequestOutcome::Action::Park:
            park(std::move(out.delayedFetch));
            break;
    }
    // Large requests (produce batches) must not pin their buffer between requests.
    if (body_.capacity() > (size_t{1} << 20)) std::vector<uint8_t>().swap(body_);
}

void Connection::enqueue(std::vector<uint8_t> frame) {
    const auto latency = std::chrono::milliseconds(ctx_.faults->latencyMs(ctx_.nodeId));
    outbound_.push_back({std::move(frame), Clock::now() + latency});
    pumpWrites();
}

void Connection::pumpWrites() {
    if (closed_ || writingCount_ > 0 || outbound_.empty()) return;
    const auto now = Clock::now();
    if (outbound_.front().readyAt > now) {
        if (!writeTimerArmed_) {
            writeTimerArmed_ = true;
            writeTimer_.expires_at(outbound_.front().readyAt);
            writeTimer_.async_wait([self = shared_from_this()](const boost::system::error_code&) {
                self->writeTimerArmed_ = false;
                self->pumpWrites();
            });
        }
        return;
    }
    // Gather every response that is due, in order, into one write.
    std::vector<asio::const_buffer> buffers;
    for (const auto& o : outbound_) {
        if (o.readyAt > now || buffers.size() >= 16) break;
        buffers.emplace_back(asio::buffer(o.frame));
    }
    writingCount_ = buffers.size();
    withStream([&](auto& stream) {
        asio::async_write(stream, buffers,
                          [self = shared_from_this()](const boost::system::error_code& ec, size_t) {
                              self->onWritten(ec);
                          });
    });
}

void Connection::onWritten(const boost::system::error_code& ec) {
    for (size_t i = 0; i < writingCount_; ++i)
        outbound_.pop_front();
    writingCount_ = 0;
    if (ec) return doClose("write failed");
    if (closeAfterWrites_ && outbound_.empty()) return doClose("request rejected");
    pumpWrites();
    readSize();
}

void Connection::park(std::shared_ptr<DelayedFetch> fetch) {
    parked_ = std::move(fetch);
    std::weak_ptr<Connection> weak = shared_from_this();
    auto executor = strand_;
    watcher_ = std::make_shared<AppendWatcher>(AppendWatcher{[weak, executor] {
        // Runs on the producer's thread: only hand off.
        asio::post(executor, [weak] {
            if (auto self = weak.lock()) self->retryParked();
        });
    }});
    fetchTimer_.expires_after(std::chrono::milliseconds(parked_->maxWaitMs()));
    fetchTimer_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
        if (ec || !self->parked_) return;
        auto fetch = self->parked_;
        self->finishParked(fetch->forceComplete());
    });
    retryParked();
}

void Connection::retryParked() {
    if (!parked_ || closed_) return;
    parked_->watch(watcher_);
    if (auto frame = parked_->tryComplete()) finishParked(std::move(*frame));
}

void Connection::finishParked(std::vector<uint8_t> frame) {
    parked_.reset();
    watcher_.reset();
    fetchTimer_.cancel();
    enqueue(std::move(frame));
    readSize();
}

void Connection::doClose(const char* why) {
    if (closed_) return;
    closed_ = true;
    spdlog::debug("node {}: connection {} closed ({})", ctx_.nodeId, peer_, why);
    boost::system::error_code ec;
    socket().shutdown(asio::ip::tcp::socket::shutdown_both, ec);
    socket().close(ec);
    writeTimer_.cancel();
    fetchTimer_.cancel();
    parked_.reset();
    watcher_.reset();
}

}  // namespace bs::broker
