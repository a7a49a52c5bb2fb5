#include "registry/registry_server.h"

#include <spdlog/spdlog.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <nlohmann/json.hpp>

#include "registry/registry_api.h"

namespace bs::registry {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr auto kIdleTimeout = std::chrono::seconds(30);
constexpr const char* kContentType = "application/vnd.schemaregistry.v1+json";

// One HTTP connection; lives while an operation of it is pending (shared_from_this).
class Session : public std::enable_shared_from_this<Session> {
  public:
    Session(tcp::socket socket, SchemaStore& store, const RegistryServerConfig& config)
        : stream_(std::move(socket)), store_(store), config_(config) {}

    void read() {
        parser_.emplace();
        parser_->body_limit(config_.maxBodyBytes);
        parser_->header_limit(static_cast<uint32_t>(config_.maxHeaderBytes));
        stream_.expires_after(kIdleTimeout);
        http::async_read(
            stream_, buffer_, *parser_,
            [self = shared_from_this()](beast::error_code ec, size_t) { self->onRead(ec); });
    }

  private:
    void onRead(beast::error_code ec) {
        if (ec == http::error::end_of_stream || ec == asio::error::operation_aborted ||
            ec == beast::error::timeout || ec == asio::error::eof ||
            ec == asio::error::connection_reset)
            return close();
        if (ec) {
            // A request too large or not HTTP: answer, then close.
            const bool tooLarge = ec == http::error::body_limit;
            const bool headerTooLarge = ec == http::error::header_limit;
            const int status = tooLarge ? 413 : headerTooLarge ? 431 : 400;
            const std::string message =
                tooLarge
                    ? "Request body larger than " + std::to_string(config_.maxBodyBytes) + " bytes"
                : headerTooLarge ? "Request header larger than " +
                                       std::to_string(config_.maxHeaderBytes) + " bytes"
                                 : "Bad HTTP request: " + ec.message();
            return write(status,
                         nlohmann::json{{"error_code", status}, {"message", message}}.dump(), 11,
                         false);
        }
        const auto& req = parser_->get();
        RestResponse r;
        try {
            r = handleRegistryRequest(store_, std::string(req.method_string()),
                                      std::string(req.target()), req.body());
        } catch (const std::exception& e) {
            r = {500, nlohmann::json{{"error_code", 50001}, {"message", e.what()}}.dump()};
        }
        write(r.status, std::move(r.body), req.version(), req.keep_alive());
    }

    void write(int status, std::string body, unsigned version, bool keepAlive) {
        auto res = std::make_shared<http::response<http::string_body>>(
            static_cast<http::status>(status), version);
        res->set(http::field::server, "batchscope-schema-registry");
        res->set(http::field::content_type, kContentType);
        res->keep_alive(keepAlive);
        res->body() = std::move(body);
        res->prepare_payload();
        stream_.expires_after(kIdleTimeout);
        http::async_write(
            stream_, *res,
            [self = shared_from_this(), res, keepAlive](beast::error_code ec, size_t) {
                if (ec || !keepAlive) return self->close();
                self->read();
            });
    }

    void close() {
        beast::error_code ignored;
        stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
        stream_.close();
    }

    beast::tcp_stream stream_;
    beast::flat_buffer buffer_;
    std::optional<http::request_parser<http::string_body>> parser_;
    SchemaStore& store_;
    const RegistryServerConfig& config_;
};

}  // namespace

struct RegistryServer::Impl {
    explicit Impl(const RegistryServerConfig& c) : config(c), acceptor(io) {}
    void accept(SchemaStore& store) {
        acceptor.async_accept([this, &store](beast::error_code ec, tcp::socket socket) {
            if (ec == asio::error::operation_aborted || !acceptor.is_open()) return;
            if (!ec) std::make_shared<Session>(std::move(socket), store, config)->read();
            accept(store);
        });
    }
    const RegistryServerConfig config;
    asio::io_context io;
    tcp::acceptor acceptor;
};

Result<std::unique_ptr<RegistryServer>> RegistryServer::start(const RegistryServerConfig& config) {
    auto store = SchemaStore::open(config.file);
    if (!store) return Error{store.error().message};
    std::unique_ptr<RegistryServer> server(new RegistryServer());
    server->store_ = std::move(*store);
    server->impl_ = std::make_unique<Impl>(config);
    auto& acceptor = server->impl_->acceptor;
    beast::error_code ec;
    const auto address = asio::ip::make_address(config.bindAddress, ec);
    if (ec) return Error{"schema registry: bad bind address " + config.bindAddress};
    const tcp::endpoint endpoint(address, config.port);
    acceptor.open(endpoint.protocol(), ec);
    if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) acceptor.bind(endpoint, ec);
    if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec)
        return Error{"schema registry: cannot listen on " + config.bindAddress + ":" +
                     std::to_string(config.port) + ": " + ec.message()};
    server->port_ = acceptor.local_endpoint().port();
    server->host_ = config.advertisedHost.empty() ? config.bindAddress : config.advertisedHost;
    server->impl_->accept(*server->store_);
    server->thread_ = std::thread([impl = server->impl_.get()] { impl->io.run(); });
    return server;
}

void RegistryServer::stop() {
    if (!impl_) return;
    asio::post(impl_->io, [impl = impl_.get()] {
        beast::error_code ignored;
        impl->acceptor.close(ignored);
    });
    // Open keep-alive connections would keep run() going: stop it; the io_context's
    // destructor destroys their pending handlers, and with them the sessions.
    impl_->io.stop();
    if (thread_.joinable()) thread_.join();
    impl_.reset();
}

RegistryServer::~RegistryServer() {
    stop();
}

std::string RegistryServer::url() const {
    return "http://" + host_ + ":" + std::to_string(port_);
}

}  // namespace bs::registry
