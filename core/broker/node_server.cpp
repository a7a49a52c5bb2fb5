#include "broker/node_server.h"

#include <boost/asio/post.hpp>

#include "broker/refusal_log.h"

namespace bs::broker {

namespace asio = boost::asio;

NodeServer::NodeServer(ProcessorPool& processors, int32_t nodeId, std::string bindAddress,
                       uint16_t port)
    : processors_(processors),
      bindAddress_(std::move(bindAddress)),
      acceptor_(processors.control()),
      port_(port),
      acceptRetry_(processors.control()) {
    context_.nodeId = nodeId;
}

NodeServer::~NodeServer() {
    std::lock_guard lock(mu_);
    closeLocked();
}

Status NodeServer::open() {
    std::lock_guard lock(mu_);
    return openLocked();
}

Status NodeServer::openLocked() {
    if (acceptor_.is_open()) return {};
    boost::system::error_code ec;
    const auto address = asio::ip::make_address(bindAddress_, ec);
    if (ec) return Error{"bind address '" + bindAddress_ + "' is not an IP address"};
    const asio::ip::tcp::endpoint endpoint(address, port_);
    acceptor_.open(endpoint.protocol(), ec);
    if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.bind(endpoint, ec);
    if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
        boost::system::error_code ignored;
        acceptor_.close(ignored);
        return Error{"node " + std::to_string(context_.nodeId) + ": cannot listen on " +
                     bindAddress_ + ":" + std::to_string(port_) + ": " + ec.message()};
    }
    port_ = acceptor_.local_endpoint().port();
    return {};
}

void NodeServer::startAccepting(const ConnectionContext& context, int32_t maxConnections) {
    std::lock_guard lock(mu_);
    const int32_t nodeId = context_.nodeId;
    context_ = context;
    context_.nodeId = nodeId;
    maxConnections_ = static_cast<size_t>(maxConnections);
    accepting_ = true;
    if (acceptor_.is_open()) acceptLocked();
}

void NodeServer::acceptLocked() {
    // Each connection's socket runs on one processor's single-threaded io_context: its
    // handlers never run concurrently, and it needs no locks.
    acceptor_.async_accept(processors_.nextForConnection(),
                           [this, generation = generation_](const boost::system::error_code& ec,
                                                            asio::ip::tcp::socket socket) {
                               std::lock_guard lock(mu_);
                               // A completion from before a close()/reopen() belongs to the old
                               // listener.
                               if (generation != generation_ || !acceptor_.is_open()) return;
                               onAccepted(ec, std::move(socket));
                           });
}

void NodeServer::onAccepted(const boost::system::error_code& ec, asio::ip::tcp::socket socket) {
    if (ec) {
        context_.refusals->record(Refusal::AcceptFailed, "node " + std::to_string(context_.nodeId) +
                                                             ": accept failed: " + ec.message());
        // Out of file descriptors, the pending connection stays queued and accept fails at
        // once again: wait for connections to close rather than spin.
        acceptRetry_.expires_after(std::chrono::milliseconds(100));
        acceptRetry_.async_wait(
            [this, generation = generation_](const boost::system::error_code& timerEc) {
                std::lock_guard lock(mu_);
                if (timerEc || generation != generation_ || !acceptor_.is_open()) return;
                acceptLocked();
            });
        return;
    }
    std::erase_if(connections_, [](const auto& w) { return w.expired(); });
    if (connections_.size() >= maxConnections_) {
        boost::system::error_code ignored;
        const auto peer = socket.remote_endpoint(ignored);
        context_.refusals->record(
            Refusal::ConnectionLimit,
            "node " + std::to_string(context_.nodeId) + ": " + peer.address().to_string() + ":" +
                std::to_string(peer.port()) + ": max.connections=" +
                std::to_string(maxConnections_) + " reached; closing the new connection");
        socket.close(ignored);
    } else {
        auto conn = std::make_shared<Connection>(std::move(socket), context_);
        connections_.push_back(conn);
        conn->start();
    }
    acceptLocked();
}

void NodeServer::close() {
    std::lock_guard lock(mu_);
    closeLocked();
}

void NodeServer::closeLocked() {
    boost::system::error_code ec;
    acceptor_.close(ec);
    acceptRetry_.cancel();
    ++generation_;
    for (const auto& w : connections_) {
        if (auto conn = w.lock()) conn->close();
    }
    connections_.clear();
}

Status NodeServer::reopen() {
    std::lock_guard lock(mu_);
    if (acceptor_.is_open()) return {};
    if (auto s = openLocked(); !s) return s;
    if (accepting_) acceptLocked();
    return {};
}

uint16_t NodeServer::port() const {
    std::lock_guard lock(mu_);
    return port_;
}

bool NodeServer::isListening() const {
    std::lock_guard lock(mu_);
    return acceptor_.is_open();
}

size_t NodeServer::connectionCount() const {
    std::lock_guard lock(mu_);
    size_t n = 0;
    for (const auto& w : connections_)
        n += w.expired() ? 0 : 1;
    return n;
}

}  // namespace bs::broker
