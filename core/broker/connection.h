#pragma once

#include <array>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "broker/kafka_apis.h"
#include "broker/partition.h"
#include "broker/refusal_log.h"
#include "common/default_init_allocator.h"
#include "security/tls.h"

namespace bs::broker {

class ByteGauge;
class DelayedFetch;
class DeferredResponse;
class RequestMemoryPool;
class SaslCredentialStore;
class SaslServerAuthenticator;

// What a connection needs from its node; owned by the NodeServer, which outlives its
// connections.
struct ConnectionContext {
    int32_t nodeId = 0;
    KafkaApis* apis = nullptr;
    FaultInjector* faults = nullptr;
    int32_t maxRequestBytes = 0;  // socket.request.max.bytes
    std::chrono::milliseconds requestReadTimeout{30'000};
    std::chrono::milliseconds connectionsMaxIdle{600'000};
    RequestMemoryPool* memoryPool = nullptr;  // queued.max.request.bytes, cluster-wide
    RefusalLog* refusals = nullptr;
    ByteGauge* queuedResponseBytes = nullptr;   // summed over the cluster
    security::TlsContext tls;                   // null: the listener is not TLS
    const SaslCredentialStore* sasl = nullptr;  // null: no SASL login
};

// One client connection to one node (Kafka: a Processor's channel). Reads size-prefixed
// frames, hands each to KafkaApis and writes the responses in request order, each no earlier
// than its handling time plus the node's injected latency. Like Kafka, it stops reading while
// a Fetch is parked (so responses keep request order), while responses back up (a client
// that does not read them) and while the memory pool is full. A frame's buffer grows with the
// bytes that arrive, charged to the pool (a plain connection reads them with non-blocking calls
// while they are there, keeping the buffer, uncharged, from one request to the next until it
// waits for bytes; once it has completed a request it waits with a read into a head buffer
// sized for two like it, at most 64 KiB, also charged); a frame that stops arriving closes the
// connection
// after request.read.timeout.ms, and a connection with no traffic after
// connections.max.idle.ms. A malformed frame closes the connection. On a TLS listener the TLS
// handshake comes first; on a SASL listener a SaslServerAuthenticator takes every frame until
// the login completes.
// Thread ownership: the socket's executor is one processor's io_context, run by one thread (the
// acceptor gives it so); every member is touched only there; close() may be called from any
// thread (it posts).
class Connection : public std::enable_shared_from_this<Connection> {
  public:
    using Clock = std::chrono::steady_clock;

    Connection(boost::asio::ip::tcp::socket socket, const ConnectionContext& context);
    ~Connection();

    void start();
    void close();

  private:
    struct Outgoing {
        std::vector<uint8_t> frame;
        Clock::time_point readyAt;
    };

    // FrameDoneDrained: a frame is complete and the read that completed it found nothing more.
    enum class ReadStep { Progress, FrameDone, FrameDoneDrained, WouldBlock, NoMemory, Closed };

    void onHandshake(const boost::system::error_code& ec);
    bool readMuted() const;
    void readMore();
    void readPlain();
    ReadStep readSizePlain();
    ReadStep readBodyPlain();
    ReadStep sizeFromHead();
    ReadStep bodyFromHead();
    ReadStep afterHeadBytes(bool frameDone) const;
    bool waitWithHeadRead();
    void releaseHead();
    bool takeCarriedSize();
    ReadStep closeMidFrame(const boost::system::error_code& ec);
    void dropBodyBuffer();
    bool sizeArrived(size_t n);
    void onSizeRead(const boost::system::error_code& ec, size_t n);
    void onReadable(const boost::system::error_code& ec);
    void onBodyRead(const boost::system::error_code& ec, size_t before, size_t n);
    bool reserveBody(size_t needed);
    void releaseBody();
    void onMemoryAvailable();
    void frameComplete();
    void completeFrame();
    void handleRequest();
    void enqueue(std::vector<uint8_t> frame);
    void pumpWrites();
    void onWritten(const boost::system::error_code& ec);
    void park(std::shared_ptr<DelayedFetch> fetch);
    void retryParked();
    void finishParked(std::vector<uint8_t> frame);
    void defer(const std::shared_ptr<DeferredResponse>& response);
    void finishDeferred(std::vector<uint8_t> frame);
    void scheduleDeadline();
    void checkDeadlines();
    void refuse(Refusal kind, const std::string& why);
    void doClose(const char* why);
    boost::asio::ip::tcp::socket& socket();
    // Calls f(stream) with the TLS stream or the plain socket.
    template <class F>
    void withStream(F&& f) {
        if (tls_) {
            f(*tls_);
        } else {
            f(plain_);
        }
    }

    const ConnectionContext& ctx_;
    boost::asio::any_io_executor strand_;
    boost::asio::ip::tcp::socket plain_;  // moved into tls_ on a TLS listener
    std::optional<boost::asio::ssl::stream<boost::asio::ip::tcp::socket>> tls_;
    std::unique_ptr<SaslServerAuthenticator> sasl_;
    boost::asio::steady_timer writeTimer_;
    boost::asio::steady_timer fetchTimer_;
    boost::asio::steady_timer deadlineTimer_;
    std::array<uint8_t, 4> sizeBuf_{};
    size_t sizeRead_ = 0;               // bytes of the size prefix read so far
    std::optional<size_t> frameSize_;   // set once the prefix is complete
    std::array<uint8_t, 4> carried_{};  // the next frame's size bytes read with a body
    size_t carriedBytes_ = 0;
    UninitBytes body_;    // the bytes of the frame that have arrived
    size_t charged_ = 0;  // body_'s capacity, charged to the memory pool
    // A plain connection between requests waits by reading into head_ (charged to the pool,
    // sized for two frames like the last one): bytes [headPos_, headEnd_) are still to be taken.
    // headDrained_: that read did not fill head_, so the socket had nothing more then.
    UninitBytes head_;
    size_t headPos_ = 0;
    size_t headEnd_ = 0;
    bool headDrained_ = false;
    size_t lastFrameSize_ = 0;
    std::span<uint8_t> inPlace_;  // a whole frame found in head_, handled where it lies
    Clock::time_point frameDeadline_ = Clock::time_point::max();  // request.read.timeout.ms
    Clock::time_point lastActivity_;                              // last byte read or written
    std::deque<Outgoing> outbound_;
    size_t outboundBytes_ = 0;
    size_t writingCount_ = 0;  // frames at the head of outbound_ being written
    bool reading_ = false;
    bool waitingForMemory_ = false;  // the pool was full; it wakes us
    bool writeTimerArmed_ = false;
    bool deadlineArmed_ = false;
    bool closed_ = false;
    bool closeAfterWrites_ = false;  // a rejected request: flush what is queued, then close
    std::shared_ptr<DelayedFetch> parked_;
    std::shared_ptr<AppendWatcher> watcher_;
    bool deferred_ = false;  // a JoinGroup/SyncGroup answer is awaited: reads stay muted
    std::string peer_;
};

}  // namespace bs::broker
