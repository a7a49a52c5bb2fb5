#pragma once

// NetworkClient over TCP with Boost.Asio: one connection per node, optionally TLS (ssl::stream)
// and a SASL login (SaslHandshake v1 + SaslAuthenticate after ApiVersions), ApiVersions
// negotiation, reconnect backoff, in-flight requests matched by correlation id, timeouts.

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include "client/network_client.h"
#include "common/clock.h"
#include "security/client_security.h"

namespace bs::client {

// How far a connection's setup got, in order (the connection dialog's Test connection names
// the step that failed).
enum class ConnectionStage { Connecting, TlsHandshake, ApiVersions, Authenticating, Ready };
const char* connectionStageName(ConnectionStage stage);

// The last connection attempt to a node: where it stopped and what TLS said.
struct ConnectionProgress {
    ConnectionStage stage = ConnectionStage::Connecting;  // reached (Ready) or failed in
    bool failed = false;
    std::string error;  // why it failed
    // After a TLS handshake: "TLSv1.3, server certificate CN=localhost (issuer CN=...)".
    std::string tls;
};

// Filled by each client from its own key table (KafkaProducer, KafkaConsumer). The client layer
// cannot see those tables, so the keyed defaults here are the producer's, and test_config checks
// them against the producer's keys.
struct NetworkClientConfig {
    std::string clientId = "batchscope";
    std::string clientSoftwareVersion = "0.1.0";  // ApiVersions v3 (KIP-511)
    int64_t reconnectBackoffMs = 50;
    int64_t reconnectBackoffMaxMs = 1000;
    int maxInFlightRequestsPerConnection = 5;
    int64_t connectionSetupTimeoutMs = 10000;
    int32_t maxResponseSize = 100 * 1024 * 1024;
    int sendBufferBytes = 131072;    // send.buffer.bytes; -1 = OS default
    int receiveBufferBytes = 32768;  // receive.buffer.bytes; -1 = OS default
    // security.protocol with its TLS context and SASL login (holds the password).
    security::ClientSecurity security;
};

class AsioNetworkClient final : public NetworkClient {
  public:
    AsioNetworkClient(NetworkClientConfig config, const Clock& clock);
    ~AsioNetworkClient() override;
    AsioNetworkClient(const AsioNetworkClient&) = delete;
    AsioNetworkClient& operator=(const AsioNetworkClient&) = delete;

    void setNodes(const std::vector<Node>& nodes) override;
    bool ready(int32_t node, int64_t nowMs) override;
    bool canSendRequest(int32_t node, int64_t nowMs) const override;
    bool sendInProgress(int32_t node) const override;
    int64_t connectionDelay(int32_t node, int64_t nowMs) const override;
    bool connectionFailed(int32_t node) const override;
    std::string connectionError(int32_t node) const override;
    int inFlightRequestCount(int32_t node) const override;
    int inFlightRequestCount() const override;
    int32_t send(ClientRequest request, int64_t nowMs) override;
    void poll(int64_t timeoutMs, int64_t nowMs) override;
    void wakeup() override;
    void disconnect(int32_t node) override;
    std::optional<int32_t> leastLoadedNode(int64_t nowMs) override;
    std::optional<int16_t> apiVersion(int32_t node, protocol::ApiKey api) const override;
    std::optional<std::string> authenticationError(int32_t node) const override;
    void close() override;
    // Owner thread, as the rest.
    ConnectionProgress progress(int32_t node) const;

    struct Connection;  // defined in the .cpp

  private:
    // Per node, survives reconnects. Owner thread only (see NetworkClient).
    struct NodeState {
        Node node;
        std::shared_ptr<Connection> conn;  // null when disconnected
        int failures = 0;                  // consecutive failed attempts (backoff exponent)
        int64_t lastAttemptMs = -1;
        int64_t backoffMs = 0;
        bool lastFailed = false;
        std::string lastError;  // why the last connection failed; cleared once ready
        std::string authError;  // the last attempt failed TLS or SASL (fatal, as in Java)
        ConnectionStage stage = ConnectionStage::Connecting;  // of the last attempt
        std::string tls;                                      // its TLS session, once shaken
    };
    // A finished request waiting for its callback (run at the end of poll()).
    struct Completion {
        RequestCompletionHandler callback;
        ClientResponse response;
        std::vector<uint8_t> body;
    };

    void connect(NodeState& ns, int64_t nowMs);
    void startApiVersions(const std::shared_ptr<Connection>& c, int16_t version);
    void startRead(const std::shared_ptr<Connection>& c);
    void startWrite(const std::shared_ptr<Connection>& c);
    void onFrame(const std::shared_ptr<Connection>& c, std::span<const uint8_t> frame);
    void onApiVersions(const std::shared_ptr<Connection>& c, int16_t version,
                       std::span<const uint8_t> body);
    void onTlsHandshake(const std::shared_ptr<Connection>& c, const boost::system::error_code& ec);
    void startSaslHandshake(const std::shared_ptr<Connection>& c);
    void onSaslHandshake(const std::shared_ptr<Connection>& c, std::span<const uint8_t> body);
    void sendSaslToken(const std::shared_ptr<Connection>& c, std::string token);
    void onSaslAuthenticate(const std::shared_ptr<Connection>& c, int16_t version,
                            std::span<const uint8_t> body);
    void markReady(const std::shared_ptr<Connection>& c);
    void onInternal(const std::shared_ptr<Connection>& c, protocol::ApiKey api, int16_t version,
                    std::span<const uint8_t> body);
    // Closes the connection and fails its requests; `reason` goes to their responses.
    // `authFailure`: TLS or SASL refused us; kept as the node's authenticationError().
    void fail(std::shared_ptr<Connection> c, const std::string& reason, bool timedOut,
              bool authFailure = false);
    void checkTimeouts(int64_t nowMs);
    void runCompletions();
    int32_t enqueue(const std::shared_ptr<Connection>& c, ClientRequest&& request, int16_t version,
                    int64_t nowMs, bool internal);
    void completeLocally(ClientRequest&& request, int64_t nowMs, bool versionMismatch,
                         const std::string& why);
    NodeState* find(int32_t node);
    const NodeState* find(int32_t node) const;
    int64_t nextTimeoutMs(int64_t nowMs) const;

    NetworkClientConfig config_;
    const Clock& clock_;
    boost::asio::io_context io_;
    // Keeps io_ from running out of work while no socket operation is pending (an idle client),
    // so that poll() blocks for its timeout instead of returning at once; wakeup()'s post ends
    // that wait. Declared after io_: released before it is destroyed.
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> idleWork_{
        io_.get_executor()};
    std::map<int32_t, NodeState> nodes_;   // owner thread only
    std::vector<Completion> completions_;  // owner thread only
    int32_t nextCorrelationId_ = 0;
    std::atomic<bool> wakeupPending_{false};
    std::minstd_rand rng_{std::random_device{}()};
    bool closed_ = false;
};

}  // namespace bs::client
