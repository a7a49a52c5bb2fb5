#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "broker/connection.h"
#include "broker/processor_pool.h"
#include "common/result.h"

namespace bs::broker {

// One node's listener and its connections (Kafka: a broker's SocketServer). It can be taken
// down (listener and every connection closed) and brought back on the same port.
// Thread-safety: public methods may be called from any thread; the acceptor and the connection
// list are guarded by mu_ (the acceptor is only ever touched with mu_ held).
class NodeServer {
  public:
    NodeServer(ProcessorPool& processors, int32_t nodeId, std::string bindAddress, uint16_t port);
    ~NodeServer();

    // Binds and listens (port 0 picks an ephemeral port the first time; later opens reuse the
    // port first bound, so clients find the node again).
    Status open();
    // Starts accepting connections; call once, after open(). `context` (its nodeId is set here)
    // says what serves them: the KafkaApis, limits, memory pool, TLS (null: none) and SASL
    // store (null: no login), each of which outlives this. Past `maxConnections` open
    // connections (max.connections) new ones are closed as they are accepted.
    void startAccepting(const ConnectionContext& context, int32_t maxConnections);
    // Closes the listener and every connection (takeDown). Idempotent.
    void close();
    // open() + accepting again after close() (bringUp). Idempotent.
    Status reopen();

    int32_t nodeId() const { return context_.nodeId; }
    uint16_t port() const;
    bool isListening() const;
    size_t connectionCount() const;

  private:
    Status openLocked();
    void acceptLocked();
    // With mu_ held: refuses past max.connections, else starts the connection; accepts again.
    void onAccepted(const boost::system::error_code& ec, boost::asio::ip::tcp::socket socket);
    void closeLocked();

    ProcessorPool& processors_;
    const std::string bindAddress_;
    ConnectionContext context_;  // set before accepting starts, then immutable
    size_t maxConnections_ = 0;  // set before accepting starts, then immutable
    mutable std::mutex mu_;
    boost::asio::ip::tcp::acceptor acceptor_;             // guarded by mu_
    uint16_t port_ = 0;                                   // guarded by mu_
    bool accepting_ = false;                              // guarded by mu_
    uint64_t generation_ = 0;                             // guarded by mu_; bumped by close
    std::vector<std::weak_ptr<Connection>> connections_;  // guarded by mu_
    // Accepting pauses briefly after a failed accept (out of file descriptors) instead of
    // spinning on it. Touched with mu_ held.
    boost::asio::steady_timer acceptRetry_;
};

}  // namespace bs::broker
