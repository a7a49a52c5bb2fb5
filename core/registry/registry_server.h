#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>

#include "common/result.h"
#include "registry/schema_store.h"

namespace bs::registry {

struct RegistryServerConfig {
    std::string bindAddress = "127.0.0.1";
    uint16_t port = 0;  // 0: ephemeral
    // The host url() names; empty means bindAddress.
    std::string advertisedHost;
    // Where the schemas are kept (empty: in memory only).
    std::filesystem::path file;
    // A request whose header or body passes these is answered 413/431 and the connection closed.
    size_t maxBodyBytes = 16 * 1024 * 1024;
    size_t maxHeaderBytes = 16 * 1024;
};

// The embedded Schema Registry's HTTP server (Boost.Beast, HTTP/1.1 with keep-alive) on its own
// io_context and thread ("bs-registry"), so a slow HTTP client never holds a Kafka io thread.
// Requests are answered by handleRegistryRequest on that thread; the store is thread-safe.
// Lifecycle: start() -> serving; stop() (or the destructor) closes the listener and every
// connection and joins the thread.
class RegistryServer {
  public:
    static Result<std::unique_ptr<RegistryServer>> start(const RegistryServerConfig& config);
    ~RegistryServer();
    RegistryServer(const RegistryServer&) = delete;
    RegistryServer& operator=(const RegistryServer&) = delete;

    void stop();
    // http://host:port
    std::string url() const;
    uint16_t port() const { return port_; }
    SchemaStore& store() { return *store_; }

  private:
    struct Impl;
    RegistryServer() = default;
    std::unique_ptr<SchemaStore> store_;
    std::unique_ptr<Impl> impl_;
    std::string host_;
    uint16_t port_ = 0;
    std::thread thread_;
};

}  // namespace bs::registry
