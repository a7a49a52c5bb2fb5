#pragma once

// The transport the producer's Sender and the consumer share (Java: KafkaClient /
// NetworkClient). An interface so unit tests can drive the Sender with a client that records
// requests and lets the test answer them (Java's MockClient), while production uses
// AsioNetworkClient (network_client_asio.h).

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "client/node.h"
#include "protocol/api_keys.h"
#include "protocol/writer.h"

namespace bs::client {

// The outcome of one request, handed to its callback on the thread that calls poll().
struct ClientResponse {
    int32_t destination = -1;
    protocol::ApiKey apiKey = protocol::ApiKey::Produce;
    int16_t apiVersion = 0;
    int32_t correlationId = 0;
    int64_t createdMs = 0;   // when send() was called
    int64_t receivedMs = 0;  // when the response (or the failure) was seen
    // The connection failed or the request timed out before an answer arrived (Java:
    // ClientResponse.wasDisconnected); `error` says why.
    bool disconnected = false;
    bool timedOut = false;
    // No version of the API is supported by both sides (Java: versionMismatch).
    bool versionMismatch = false;
    std::string error;
    // The response message after its header; valid only during the callback. Empty when no
    // response was expected (acks=0) or on failure.
    std::span<const uint8_t> body;

    bool ok() const { return !disconnected && !versionMismatch; }
    int64_t requestLatencyMs() const { return receivedMs - createdMs; }
};

using RequestCompletionHandler = std::function<void(const ClientResponse&)>;

struct ClientRequest {
    int32_t destination = -1;
    protocol::ApiKey apiKey = protocol::ApiKey::Produce;
    // Writes the message body for the version the connection negotiated (Java:
    // AbstractRequest.Builder.build(version)). Called once, inside send().
    std::function<void(int16_t version, protocol::Writer&)> writeBody;
    // The newest version the caller can build (-1: whatever both sides support).
    int16_t maxVersion = -1;
    // false for Produce with acks=0: the request completes once written.
    bool expectResponse = true;
    int32_t requestTimeoutMs = 30000;
    RequestCompletionHandler callback;
    // Keeps the memory the body's records fields point into (a Produce request's batches)
    // valid and unchanged: the client writes those bytes from where they are, without a copy,
    // and lets go of this once they left (written, or the connection closed). May be null.
    std::shared_ptr<const void> bufferHold;
    // Optional: called inside send() with the whole frame (size prefix, header, body) once it is
    // built for the negotiated version and queued on the connection (Java: NetworkClient.doSend
    // handing a Send to the Selector). The frame is valid only during the call.
    std::function<void(int32_t correlationId, int16_t version, std::span<const uint8_t> frame)>
        onWritten;
};

// Not thread-safe except wakeup(): everything else is called from the one thread that owns the
// client (the producer's sender thread; the consumer's polling thread).
class NetworkClient {
  public:
    virtual ~NetworkClient() = default;

    // Replaces the known brokers (from bootstrap.servers or a Metadata response). Connections to
    // nodes no longer listed are closed, their in-flight requests failed as disconnected.
    virtual void setNodes(const std::vector<Node>& nodes) = 0;
    // True when a request can be sent to `node` now (isReady). Otherwise starts connecting if
    // allowed by the reconnect backoff (Java: NetworkClient.ready).
    virtual bool ready(int32_t node, int64_t nowMs) = 0;
    // Java's NetworkClient.isReady: no metadata update is due (it goes first: every node is
    // unready until it is sent) and canSendRequest().
    bool isReady(int32_t node, int64_t nowMs) const {
        return !metadataUpdateDue(nowMs) && canSendRequest(node, nowMs);
    }
    // Java's canSendRequest: connected, versions negotiated, and InFlightRequests.canSendMore:
    // the newest request to the node completely written and fewer than
    // max.in.flight.requests.per.connection in flight. The metadata request checks only this.
    virtual bool canSendRequest(int32_t node, int64_t nowMs) const = 0;
    // The newest request to `node` is not yet completely written to its socket.
    virtual bool sendInProgress(int32_t /*node*/) const { return false; }
    // Java's MetadataUpdater.isUpdateDue (a refresh is wanted and none is in flight), asked by
    // isReady(). Unset: never due. Set by the thread that owns the client.
    void setMetadataUpdateDue(std::function<bool(int64_t nowMs)> due) {
        metadataUpdateDue_ = std::move(due);
    }
    bool metadataUpdateDue(int64_t nowMs) const {
        return metadataUpdateDue_ && metadataUpdateDue_(nowMs);
    }
    // Milliseconds until a connection attempt to `node` is allowed: 0 when allowed now, INT64_MAX
    // while connecting or connected (I/O events will wake poll()).
    virtual int64_t connectionDelay(int32_t node, int64_t nowMs) const = 0;
    // Whether the last connection attempt to `node` failed (and it is not connected).
    virtual bool connectionFailed(int32_t node) const = 0;
    // Why the connection to `node` last failed ("cannot connect: Connection refused"); empty
    // while connected or before any failure.
    virtual std::string connectionError(int32_t /*node*/) const { return {}; }
    virtual int inFlightRequestCount(int32_t node) const = 0;
    virtual int inFlightRequestCount() const = 0;
    bool hasInFlightRequests() const { return inFlightRequestCount() > 0; }
    // Queues a request to a ready node. Returns its correlation id. A node that is not ready
    // fails the request through its callback on the next poll() (never throws).
    virtual int32_t send(ClientRequest request, int64_t nowMs) = 0;
    // Does network I/O for up to `timeoutMs` (returning early when there is work or on wakeup()),
    // expires requests past their timeout (disconnecting the node, as Java does), then runs the
    // callbacks of everything that completed.
    virtual void poll(int64_t timeoutMs, int64_t nowMs) = 0;
    // Interrupts a blocking poll(). Thread-safe.
    virtual void wakeup() = 0;
    // Closes the connection; its in-flight requests complete as disconnected on the next poll().
    virtual void disconnect(int32_t node) = 0;
    // The node with the fewest in-flight requests that is connected or may be connected to now
    // (Java: leastLoadedNode); nullopt when every node is backing off.
    virtual std::optional<int32_t> leastLoadedNode(int64_t nowMs) = 0;
    // The newest version of `api` usable with `node` (after negotiation), or nullopt.
    virtual std::optional<int16_t> apiVersion(int32_t node, protocol::ApiKey api) const = 0;
    // Why the last connection attempt to `node` was refused by TLS or SASL (Java:
    // NetworkClient.authenticationException); such failures are not retried away silently.
    virtual std::optional<std::string> authenticationError(int32_t) const { return std::nullopt; }
    // Closes every connection; in-flight requests complete as disconnected (no more callbacks
    // after close() returns).
    virtual void close() = 0;

  private:
    std::function<bool(int64_t)> metadataUpdateDue_;  // owner thread
};

}  // namespace bs::client
