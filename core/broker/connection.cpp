#include "broker/connection.h"

#include <spdlog/fmt/fmt.h>
#include <spdlog/spdlog.h>

#include <algorithm>

#include <boost/asio/post.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

#include "broker/byte_gauge.h"
#include "broker/deferred_response.h"
#include "broker/delayed_fetch.h"
#include "broker/request_memory_pool.h"
#include "broker/sasl_authenticator.h"
#include "protocol/frame.h"

namespace bs::broker {

namespace asio = boost::asio;

namespace {
// Responses queued (waiting for latency or the socket) before the connection stops reading:
// bounds memory when a client pipelines faster than it reads. Kafka stops after one; we keep
// a few so injected latency does not serialize a client's pipelined requests.
constexpr size_t kMaxQueuedResponses = 64;
constexpr size_t kMaxQueuedResponseBytes = 64 * 1024;
// The smallest growth of a frame's buffer; bytes are charged as they arrive, so this is what a
// client that announces a frame and sends one byte costs.
constexpr size_t kMinBodyGrowth = 4096;
// A TLS stream cannot say how many bytes are readable; read a TLS record's worth at a time.
constexpr size_t kTlsReadChunk = 16 * 1024;
// Requests one plain connection reads in a row before the other connections sharing its
// thread get a turn.
constexpr int kFramesPerTurn = 16;
// head_ (see waitWithHeadRead) grows in these steps up to the cap: up to 64 KiB a connection
// while it is busy, the price of the TLS buffers on a TLS connection.
constexpr size_t kHeadGranule = 4096;
constexpr size_t kMaxHeadBytes = 64 * 1024;
}  // namespace

Connection::Connection(asio::ip::tcp::socket socket, const ConnectionContext& context)
    : ctx_(context),
      strand_(socket.get_executor()),
      plain_(std::move(socket)),
      writeTimer_(strand_),
      fetchTimer_(strand_),
      deadlineTimer_(strand_),
      lastActivity_(Clock::now()) {
    boost::system::error_code ec;
    auto ep = plain_.remote_endpoint(ec);
    if (!ec) peer_ = ep.address().to_string() + ":" + std::to_string(ep.port());
    plain_.set_option(asio::ip::tcp::no_delay(true), ec);
    // onReadable peeks without blocking (asynchronous operations are unaffected).
    if (!ctx_.tls) plain_.non_blocking(true, ec);
    if (ctx_.tls) tls_.emplace(std::move(plain_), *ctx_.tls);
    if (ctx_.sasl) {
        sasl_ =
            std::make_unique<SaslServerAuthenticator>(*ctx_.sasl, *ctx_.apis, ctx_.nodeId, peer_);
    }
}

asio::ip::tcp::socket& Connection::socket() {
    return tls_ ? tls_->next_layer() : plain_;
}

// Handlers hold shared_from_this(), so by now no read is pending into body_.
Connection::~Connection() {
    releaseBody();
    releaseHead();
    ctx_.queuedResponseBytes->sub(outboundBytes_);
}

void Connection::start() {
    asio::post(strand_, [self = shared_from_this()] {
        self->scheduleDeadline();
        if (!self->tls_) return self->readMore();
        self->tls_->async_handshake(
            asio::ssl::stream_base::server,
            [self](const boost::system::error_code& ec) { self->onHandshake(ec); });
    });
}

void Connection::onHandshake(const boost::system::error_code& ec) {
    if (ec) {
        // A PLAINTEXT client on this port lands here too ("wrong version number").
        refuse(Refusal::TlsHandshake, "TLS handshake failed: " + ec.message());
        return;
    }
    lastActivity_ = Clock::now();
    readMore();
}

void Connection::close() {
    asio::post(strand_, [self = shared_from_this()] { self->doClose("closed by the node"); });
}

// Kafka mutes a channel for the same reasons: a request in hand (parked), responses not yet
// taken by the client, no memory for more request bytes.
bool Connection::readMuted() const {
    return closed_ || closeAfterWrites_ || waitingForMemory_ || parked_ || deferred_ ||
           outbound_.size() >= kMaxQueuedResponses || outboundBytes_ >= kMaxQueuedResponseBytes;
}

void Connection::readMore() {
    if (reading_ || readMuted()) return;
    if (!tls_) return readPlain();
    reading_ = true;
    auto self = shared_from_this();
    if (!frameSize_) {
        tls_->async_read_some(
            asio::buffer(sizeBuf_.data() + sizeRead_, sizeBuf_.size() - sizeRead_),
            [self](const boost::system::error_code& ec, size_t n) { self->onSizeRead(ec, n); });
    } else {
        onReadable({});
    }
}

// A plain socket is read with non-blocking calls for as long as bytes are there, and waited on
// (holding no body buffer) only when they are not. A request costs a size read, an FIONREAD
// and a body read; the FIONREAD also says whether the socket is then drained (so no read is
// made only to learn it) and lets the body read take the next request's size with it.
// reading_ is held through the loop, so a request answered inline (a Fetch that completes at
// once) cannot start a second loop.
void Connection::readPlain() {
    reading_ = true;
    for (int frames = 0;;) {
        if (readMuted()) {
            reading_ = false;
            if (!frameSize_) dropBodyBuffer();  // muted between requests
            return;
        }
        if (frames == kFramesPerTurn) {
            // Other connections on this thread get their turn.
            reading_ = false;
            asio::post(strand_, [self = shared_from_this()] { self->readMore(); });
            return;
        }
        ReadStep step = frameSize_ ? readBodyPlain() : readSizePlain();
        if (step == ReadStep::FrameDone || step == ReadStep::FrameDoneDrained) {
            ++frames;
            completeFrame();
            if (!takeCarriedSize()) step = ReadStep::Closed;
        }
        switch (step) {
            case ReadStep::Progress:
            case ReadStep::FrameDone:
                break;
            case ReadStep::WouldBlock:
            case ReadStep::FrameDoneDrained:
                // Muted by the request just handled (the loop's top returns), or an empty
                // frame's prefix came with the last body: nothing to wait for.
                if (readMuted() || (frameSize_ && body_.size() == *frameSize_)) break;
                // Between frames nothing is read: the cached body buffer goes back.
                if (!frameSize_) dropBodyBuffer();
                if (!frameSize_ && waitWithHeadRead()) return;
                plain_.async_wait(asio::socket_base::wait_read,
                                  [self = shared_from_this()](const boost::system::error_code& ec) {
                                      self->reading_ = false;
                                      if (ec || self->closed_) {
                                          self->releaseBody();
                                          return self->doClose("read failed");
                                      }
                                      self->readMore();
                                  });
                return;  // reading_ stays set while the wait is pending
            case ReadStep::NoMemory:
                reading_ = false;
                waitingForMemory_ = true;
                return;
            case ReadStep::Closed:
                reading_ = false;
                return;
        }
    }
}

Connection::ReadStep Connection::readSizePlain() {
    if (headPos_ < headEnd_) return sizeFromHead();
    boost::system::error_code ec;
    const size_t n = plain_.read_some(
        asio::buffer(sizeBuf_.data() + sizeRead_, sizeBuf_.size() - sizeRead_), ec);
    if (ec == asio::error::would_block || ec == asio::error::try_again) return ReadStep::WouldBlock;
    if (ec) {
        doClose(ec == asio::error::eof ? "client closed" : "read failed");
        return ReadStep::Closed;
    }
    if (!sizeArrived(n)) return closed_ ? ReadStep::Closed : ReadStep::Progress;
    return *frameSize_ == 0 ? ReadStep::FrameDone : ReadStep::Progress;
}

Connection::ReadStep Connection::readBodyPlain() {
    const size_t remaining = *frameSize_ - body_.size();
    if (remaining == 0) return ReadStep::FrameDone;
    if (headPos_ < headEnd_) return bodyFromHead();
    boost::system::error_code ec;
    size_t available = plain_.available(ec);
    if (available == 0) {
        // Either the peer closed (read to learn it) or nothing is there yet: then wait,
        // holding no more buffer than has arrived.
        uint8_t probe = 0;
        const size_t n =
            plain_.receive(asio::buffer(&probe, 1), asio::socket_base::message_peek, ec);
        if (ec == asio::error::would_block || ec == asio::error::try_again)
            return ReadStep::WouldBlock;
        if (ec || n == 0) return closeMidFrame(ec);
        available = 1;
    }
    // Only bytes that are there are reserved; bytes past this frame start the next one's size.
    const size_t want = std::min(remaining, available);
    const size_t extra = std::min(available - want, carried_.size());
    if (!reserveBody(body_.size() + want)) return ReadStep::NoMemory;
    const size_t before = body_.size();
    body_.resize(before + want);  // within the reserved capacity: no reallocation
    const std::array<asio::mutable_buffer, 2> buffers{asio::buffer(body_.data() + before, want),
                                                      asio::buffer(carried_.data(), extra)};
    const size_t n = plain_.read_some(buffers, ec);
    body_.resize(before + std::min(n, want));
    if (ec == asio::error::would_block || ec == asio::error::try_again) return ReadStep::WouldBlock;
    if (ec) return closeMidFrame(ec);
    lastActivity_ = Clock::now();
    carriedBytes_ = n > want ? n - want : 0;
    // All that was there is read: waiting is next, without a read that only learns it.
    const bool drained = n >= available;
    if (body_.size() < *frameSize_) return drained ? ReadStep::WouldBlock : ReadStep::Progress;
    return drained ? ReadStep::FrameDoneDrained : ReadStep::FrameDone;
}

// Why a head read: asio's async_wait re-arms the socket in epoll (an epoll_ctl) on every
// wait, and the size prefix then needs a read of its own, the body an FIONREAD and a read. A
// read of bytes through asio (async_read_some) is armed without a system call once a read has
// come back short of its buffer, and it brings the prefix and the body with it: a request
// that fits costs one read instead of four calls, and is handled where it lies in head_.
// Only between frames, and only once a frame came, whose size sets head_'s: a connection
// that never completes a request still holds nothing but the bytes that arrived.
bool Connection::waitWithHeadRead() {
    if (lastFrameSize_ == 0 || headPos_ < headEnd_) return false;
    const size_t want =
        std::clamp((2 * (lastFrameSize_ + 4) + kHeadGranule - 1) / kHeadGranule * kHeadGranule,
                   kHeadGranule, kMaxHeadBytes);
    if (head_.size() != want) {
        releaseHead();
        if (!ctx_.memoryPool->tryAllocateIfFree(want)) return false;
        head_.resize(want);
    }
    headPos_ = headEnd_ = 0;
    plain_.async_read_some(
        asio::buffer(head_.data(), head_.size()),
        [self = shared_from_this()](const boost::system::error_code& ec, size_t n) {
            self->reading_ = false;
            if (ec || self->closed_) {
                self->releaseHead();
                self->releaseBody();
                return self->doClose(ec == asio::error::eof ? "client closed" : "read failed");
            }
            self->lastActivity_ = Clock::now();
            self->headEnd_ = n;
            self->headDrained_ = n < self->head_.size();
            self->readMore();
        });
    return true;  // reading_ stays set while the read is pending
}

void Connection::releaseHead() {
    if (head_.empty()) return;
    ctx_.memoryPool->release(head_.size());
    UninitBytes().swap(head_);
    headPos_ = headEnd_ = 0;
}

// After taking bytes from head_: wait when it is used up and its read found the socket
// drained; otherwise go on (with head_'s rest, or with the socket).
Connection::ReadStep Connection::afterHeadBytes(bool frameDone) const {
    const bool drained = headPos_ == headEnd_ && headDrained_;
    if (frameDone) return drained ? ReadStep::FrameDoneDrained : ReadStep::FrameDone;
    return drained ? ReadStep::WouldBlock : ReadStep::Progress;
}

Connection::ReadStep Connection::sizeFromHead() {
    const size_t n = std::min(sizeBuf_.size() - sizeRead_, headEnd_ - headPos_);
    std::memcpy(sizeBuf_.data() + sizeRead_, head_.data() + headPos_, n);
    headPos_ += n;
    if (!sizeArrived(n)) return closed_ ? ReadStep::Closed : afterHeadBytes(false);
    return afterHeadBytes(*frameSize_ == 0);
}

Connection::ReadStep Connection::bodyFromHead() {
    const size_t remaining = *frameSize_ - body_.size();
    const size_t available = headEnd_ - headPos_;
    if (body_.empty() && available >= remaining) {
        inPlace_ = std::span<uint8_t>(head_.data() + headPos_, remaining);
        headPos_ += remaining;
        return afterHeadBytes(true);
    }
    // A frame larger than what head_ holds: its bytes start its body buffer.
    const size_t n = std::min(remaining, available);
    if (!reserveBody(body_.size() + n)) return ReadStep::NoMemory;
    body_.insert(body_.end(), head_.data() + headPos_, head_.data() + headPos_ + n);
    headPos_ += n;
    return afterHeadBytes(body_.size() == *frameSize_);
}

// The next frame's size bytes read with the last frame's body count as its prefix.
bool Connection::takeCarriedSize() {
    const size_t n = std::exchange(carriedBytes_, 0);
    if (closed_) return false;
    if (n == 0) return true;
    std::memcpy(sizeBuf_.data(), carried_.data(), n);
    return sizeArrived(n) || !closed_;
}

Connection::ReadStep Connection::closeMidFrame(const boost::system::error_code& ec) {
    releaseBody();
    doClose(!ec || ec == asio::error::eof ? "client closed mid-frame" : "read failed");
    return ReadStep::Closed;
}

void Connection::dropBodyBuffer() {
    UninitBytes().swap(body_);
}

void Connection::onSizeRead(const boost::system::error_code& ec, size_t n) {
    reading_ = false;
    if (ec) return doClose(ec == asio::error::eof ? "client closed" : "read failed");
    if (closed_) return;
    if (sizeArrived(n) && *frameSize_ == 0) return frameComplete();
    readMore();
}

// Counts n more bytes of the size prefix; true once the prefix is complete and accepted
// (frameSize_ set), false while it is partial or after refusing it.
bool Connection::sizeArrived(size_t n) {
    lastActivity_ = Clock::now();
    if (sizeRead_ == 0 && n > 0) {
        frameDeadline_ = lastActivity_ + ctx_.requestReadTimeout;
        scheduleDeadline();
    }
    sizeRead_ += n;
    if (sizeRead_ < sizeBuf_.size()) return false;
    auto size = protocol::readFrameSize(sizeBuf_, ctx_.maxRequestBytes);
    if (!size) {
        refuse(Refusal::FrameSize, size.error().message);
        return false;
    }
    frameSize_ = static_cast<size_t>(*size);
    return true;
}

void Connection::onReadable(const boost::system::error_code& ec) {
    if (ec || closed_) {
        reading_ = false;
        releaseBody();
        return doClose("read failed");
    }
    const size_t want = std::min(*frameSize_ - body_.size(), kTlsReadChunk);
    if (!reserveBody(body_.size() + want)) {
        reading_ = false;
        waitingForMemory_ = true;
        return;
    }
    const size_t before = body_.size();
    body_.resize(before + want);  // within the reserved capacity: no reallocation
    tls_->async_read_some(
        asio::buffer(body_.data() + before, want),
        [self = shared_from_this(), before](const boost::system::error_code& ec2, size_t n) {
            self->onBodyRead(ec2, before, n);
        });
}

void Connection::onBodyRead(const boost::system::error_code& ec, size_t before, size_t n) {
    reading_ = false;
    body_.resize(before + n);
    if (ec || closed_) {
        releaseBody();
        return doClose(ec == asio::error::eof ? "client closed mid-frame" : "read failed");
    }
    lastActivity_ = Clock::now();
    if (body_.size() < *frameSize_) return readMore();
    frameComplete();
}

// Grows body_ geometrically, never past the announced size, charging the growth to the pool.
bool Connection::reserveBody(size_t needed) {
    if (needed <= charged_) return true;
    const size_t capacity = std::min(*frameSize_, std::max({needed, 2 * charged_, kMinBodyGrowth}));
    std::weak_ptr<Connection> weak = shared_from_this();
    auto wake = [weak, executor = strand_] {
        // Runs on the releasing connection's thread: only hand off.
        asio::post(executor, [weak] {
            if (auto self = weak.lock()) self->onMemoryAvailable();
        });
    };
    if (!ctx_.memoryPool->tryAllocate(capacity - charged_, std::move(wake))) return false;
    body_.reserve(capacity);
    charged_ = capacity;
    return true;
}

void Connection::releaseBody() {
    dropBodyBuffer();
    if (charged_ > 0) ctx_.memoryPool->release(charged_);
    charged_ = 0;
}

void Connection::onMemoryAvailable() {
    if (!waitingForMemory_) return;
    waitingForMemory_ = false;
    readMore();
}

void Connection::frameComplete() {
    completeFrame();
    dropBodyBuffer();  // the TLS path keeps no buffer between requests
    readMore();
}

void Connection::completeFrame() {
    lastFrameSize_ = *frameSize_;
    sizeRead_ = 0;
    frameSize_.reset();
    frameDeadline_ = Clock::time_point::max();
    handleRequest();
    // The request is decoded (handle() copies what it keeps): its bytes go back to the pool
    // for others. The buffer itself is kept while the read loop goes on (the next request
    // is likely the same size) and freed when the connection waits for bytes.
    body_.clear();
    if (charged_ > 0) ctx_.memoryPool->release(charged_);
    charged_ = 0;
}

void Connection::handleRequest() {
    const std::span<uint8_t> request = inPlace_.data() ? std::exchange(inPlace_, {}) : body_;
    RequestOutcome out = sasl_ && !sasl_->complete()
                             ? sasl_->handle(request)
                             : ctx_.apis->handle(ctx_.nodeId, request, peer_);
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
            ctx_.refusals->record(
                Refusal::MalformedRequest,
                fmt::format("node {}: {}: {}; closing", ctx_.nodeId, peer_, out.reason));
            // Answers to the earlier requests still go out first (a client probing with a
            // pipelined request we reject still gets them), then the connection closes.
            closeAfterWrites_ = true;
            if (outbound_.empty()) doClose("request rejected");
            break;
        case RequestOutcome::Action::Park:
            park(std::move(out.delayedFetch));
            break;
        case RequestOutcome::Action::Defer:
            defer(out.deferred);
            break;
    }
}

void Connection::defer(const std::shared_ptr<DeferredResponse>& response) {
    deferred_ = true;
    std::weak_ptr<Connection> weak = shared_from_this();
    auto executor = strand_;
    // Completed on whichever thread completes the rebalance: only hand off.
    response->onComplete([weak, executor](std::vector<uint8_t> frame) {
        asio::post(executor, [weak, frame = std::move(frame)]() mutable {
            if (auto self = weak.lock()) self->finishDeferred(std::move(frame));
        });
    });
}

void Connection::finishDeferred(std::vector<uint8_t> frame) {
    if (closed_) return;
    deferred_ = false;
    enqueue(std::move(frame));
    readMore();
}

void Connection::enqueue(std::vector<uint8_t> frame) {
    const auto latency = std::chrono::milliseconds(ctx_.faults->latencyMs(ctx_.nodeId));
    outboundBytes_ += frame.size();
    ctx_.queuedResponseBytes->add(frame.size());
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
    for (size_t i = 0; i < writingCount_; ++i) {
        outboundBytes_ -= outbound_.front().frame.size();
        ctx_.queuedResponseBytes->sub(outbound_.front().frame.size());
        outbound_.pop_front();
    }
    writingCount_ = 0;
    if (ec) return doClose("write failed");
    lastActivity_ = Clock::now();
    if (closeAfterWrites_ && outbound_.empty()) return doClose("request rejected");
    pumpWrites();
    readMore();
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
    readMore();
}

// One timer serves both deadlines: the frame being read and the connection's idleness.
void Connection::scheduleDeadline() {
    if (closed_) return;
    const auto next = std::min(frameDeadline_, lastActivity_ + ctx_.connectionsMaxIdle);
    if (deadlineArmed_ && deadlineTimer_.expiry() <= next) return;
    deadlineArmed_ = true;
    deadlineTimer_.expires_at(next);
    deadlineTimer_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
        if (ec == asio::error::operation_aborted) return;  // re-armed earlier, or closed
        self->deadlineArmed_ = false;
        self->checkDeadlines();
    });
}

void Connection::checkDeadlines() {
    if (closed_) return;
    const auto now = Clock::now();
    if (now >= frameDeadline_) {
        const size_t arrived = frameSize_ ? body_.size() : 0;
        return refuse(Refusal::RequestReadTimeout,
                      frameSize_
                          ? fmt::format("{} of the {} bytes of a request arrived within "
                                        "request.read.timeout.ms={}",
                                        arrived, *frameSize_, ctx_.requestReadTimeout.count())
                          : fmt::format("{} of the 4 bytes of a size prefix arrived "
                                        "within request.read.timeout.ms={}",
                                        sizeRead_, ctx_.requestReadTimeout.count()));
    }
    if (now >= lastActivity_ + ctx_.connectionsMaxIdle) {
        return refuse(Refusal::IdleTimeout,
                      fmt::format("nothing read or written for connections.max.idle.ms={}",
                                  ctx_.connectionsMaxIdle.count()));
    }
    scheduleDeadline();
}

void Connection::refuse(Refusal kind, const std::string& why) {
    ctx_.refusals->record(kind, fmt::format("node {}: {}: {}; closing", ctx_.nodeId, peer_, why));
    doClose(refusalName(kind).data());  // a literal: NUL-terminated
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
    deadlineTimer_.cancel();
    parked_.reset();
    watcher_.reset();
    // A read still pending owns body_ and head_ until its handler runs (and releases them).
    if (!reading_) {
        releaseBody();
        releaseHead();
    }
}

}  // namespace bs::broker
