#pragma once

// A test double of the NetworkClient interface (Java's MockClient): no sockets. It records each
// request (encoded at a fixed version, as a broker would receive it) and lets the test answer,
// fail or time it out; poll() never blocks. Metadata and InitProducerId can be answered
// automatically. Time comes from the test's MockClock. Single-threaded like the Sender.

#include <algorithm>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "client/network_client.h"
#include "protocol/frame.h"
#include "protocol/messages/init_producer_id.h"
#include "protocol/messages/metadata.h"
#include "protocol/messages/produce.h"
#include "support/mock_clock.h"

namespace bs::client::test {

class MockClient final : public NetworkClient {
  public:
    struct Request {
        int32_t destination;
        protocol::ApiKey apiKey;
        int16_t version;
        int32_t correlationId;
        int64_t createdMs;
        int32_t timeoutMs;
        bool expectResponse;
        std::vector<uint8_t> body;
        RequestCompletionHandler callback;
    };

    explicit MockClient(const Clock& clock, int maxInFlight = 5)
        : clock_(clock), maxInFlight_(maxInFlight) {}

    // --- test controls
    void setVersion(protocol::ApiKey api, int16_t v) { versions_[api] = v; }
    void setNodeReady(int32_t node, bool ready) {
        if (ready)
            down_.erase(node);
        else
            down_.insert(node);
    }
    // Models reconnect.backoff.ms for nodes that are down: ready() on one counts as a failed
    // connection attempt, and connectionDelay() is the time left until the next (as
    // ClusterConnectionStates.connectionDelay). Without it a down node reports a fixed 50 ms.
    void setReconnectBackoff(int64_t ms) { reconnectBackoffMs_ = ms; }
    // poll() then advances `clock` by its timeout (capped at 1 h) unless something completes:
    // the sender "sleeps" on the mock clock, so a test can count iterations per simulated second.
    void advanceClockOnPoll(MockClock* clock) { sleepClock_ = clock; }
    std::vector<int64_t> pollTimeouts;  // the timeout of every poll(), in order
    // Answers every Metadata request with `response`.
    void autoMetadata(protocol::MetadataResponse response) { metadata_ = std::move(response); }
    // Answers InitProducerId: a new id the first time, then the same id with epoch + 1 when the
    // request names it (KIP-360), as librdkafka's mock cluster does.
    void autoInitProducerId(int64_t producerId) { producerId_ = producerId; }
    int initProducerIdRequests() const { return initRequests_; }

    // Produce requests not yet answered, oldest first.
    std::vector<Request*> pendingProduce() {
        std::vector<Request*> out;
        for (auto& r : inFlight_)
            if (r.apiKey == protocol::ApiKey::Produce) out.push_back(&r);
        return out;
    }
    size_t produceRequestsSent() const { return produceSent_; }
    static protocol::ProduceRequest decodeProduce(const Request& r) {
        protocol::ProduceRequest req;
        auto st = protocol::decodeBody(req, r.version, r.body);
        if (!st.ok()) throw std::runtime_error("bad produce request: " + st.message());
        return req;
    }
    // Answers the request with an encoded response (delivered at the next poll()).
    template <class Msg>
    void respond(int32_t correlationId, const Msg& msg) {
        Request r = take(correlationId);
        std::vector<uint8_t> body;
        protocol::Writer w(body);
        encode(msg, r.version, w);
        complete(std::move(r), std::move(body), false, false);
    }
    void respondRaw(int32_t correlationId, std::vector<uint8_t> body) {
        complete(take(correlationId), std::move(body), false, false);
    }
    // Fails every in-flight request to `node` as disconnected.
    void disconnect(int32_t node) override {
        for (auto it = inFlight_.begin(); it != inFlight_.end();) {
            if (it->destination == node) {
                complete(std::move(*it), {}, true, false);
                it = inFlight_.erase(it);
            } else {
                ++it;
            }
        }
    }
    // A produce response answering every partition of `r` with `error` (offsets from `base`).
    static protocol::ProduceResponse produceResponse(
        const Request& r, protocol::ErrorCode error, int64_t baseOffset = 0,
        std::map<std::pair<std::string, int32_t>, protocol::ErrorCode> overrides = {},
        int64_t logStartOffset = 0) {
        protocol::ProduceResponse resp;
        auto req = decodeProduce(r);
        for (const auto& t : req.topicData) {
            protocol::ProduceResponse::TopicProduceResponse tr;
            tr.name = t.name;
            for (const auto& p : t.partitionData) {
                protocol::ProduceResponse::PartitionProduceResponse pr;
                pr.index = p.index;
                auto o = overrides.find({t.name, p.index});
                pr.errorCode = o != overrides.end() ? o->second : error;
                pr.baseOffset = pr.errorCode == protocol::ErrorCode::NONE ? baseOffset : -1;
                pr.logStartOffset = logStartOffset;
                tr.partitionResponses.push_back(pr);
            }
            resp.responses.push_back(std::move(tr));
        }
        return resp;
    }

    // --- NetworkClient
    // As the real client: requests in flight to a node no longer listed fail as disconnected.
    void setNodes(const std::vector<Node>& nodes) override {
        nodes_ = nodes;
        for (auto it = inFlight_.begin(); it != inFlight_.end();) {
            if (!known(it->destination)) {
                complete(std::move(*it), {}, true, false);
                it = inFlight_.erase(it);
            } else {
                ++it;
            }
        }
    }
    bool ready(int32_t node, int64_t nowMs) override {
        if (isReady(node, nowMs)) return true;
        if (reconnectBackoffMs_ && down_.count(node) && connectionDelay(node, nowMs) == 0)
            lastAttemptMs_[node] = nowMs;  // an attempt, refused at once
        return false;
    }
    bool canSendRequest(int32_t node, int64_t) const override {
        return known(node) && !down_.count(node) && !unwritten_.count(node) &&
               inFlightRequestCount(node) < maxInFlight_;
    }
    bool sendInProgress(int32_t node) const override { return unwritten_.count(node) > 0; }
    // While stalled, a request sent to `node` stays "being written" (Java: !send.completed())
    // until the stall ends: the node cannot take another one (InFlightRequests.canSendMore).
    void stallWrites(int32_t node, bool stalled) {
        stalledWrites_[node] = stalled;
        if (!stalled) unwritten_.erase(node);
    }
    int64_t connectionDelay(int32_t node, int64_t nowMs) const override {
        if (!down_.count(node)) return INT64_MAX;
        if (!reconnectBackoffMs_) return 50;
        auto it = lastAttemptMs_.find(node);
        if (it == lastAttemptMs_.end()) return 0;
        return std::max<int64_t>(0, it->second + *reconnectBackoffMs_ - nowMs);
    }
    bool connectionFailed(int32_t node) const override { return down_.count(node) > 0; }
    int inFlightRequestCount(int32_t node) const override {
        int n = 0;
        for (const auto& r : inFlight_)
            n += r.destination == node ? 1 : 0;
        return n;
    }
    int inFlightRequestCount() const override { return static_cast<int>(inFlight_.size()); }
    int32_t send(ClientRequest request, int64_t nowMs) override {
        Request r;
        r.destination = request.destination;
        r.apiKey = request.apiKey;
        r.version = versions_.count(request.apiKey) ? versions_.at(request.apiKey)
                                                    : defaultVersion(request.apiKey);
        if (request.maxVersion >= 0) r.version = std::min(r.version, request.maxVersion);
        r.correlationId = nextCorrelationId_++;
        r.createdMs = nowMs;
        r.timeoutMs = request.requestTimeoutMs;
        r.expectResponse = request.expectResponse;
        protocol::Writer w(r.body);
        request.writeBody(r.version, w);  // now, as a socket write would
        r.callback = std::move(request.callback);
        int32_t id = r.correlationId;
        const bool accepted = canSendRequest(r.destination, nowMs);
        if (request.onWritten && accepted) {
            std::vector<uint8_t> frame;
            protocol::Writer fw(frame);
            const size_t sizePos = fw.reserveInt32();
            protocol::RequestHeader h{r.apiKey, r.version, id, "mock"};
            encode(h, protocol::requestHeaderVersion(r.apiKey, r.version), fw);
            fw.raw(r.body);
            fw.patchInt32(sizePos, static_cast<int32_t>(fw.position() - sizePos - 4));
            request.onWritten(id, r.version, frame);
        }
        if (r.apiKey == protocol::ApiKey::Produce) ++produceSent_;
        if (!accepted) {
            complete(std::move(r), {}, true, false);
            return -1;
        }
        if (stalledWrites_[r.destination]) unwritten_.insert(r.destination);
        if (!r.expectResponse) {
            complete(std::move(r), {}, false, false);
            return id;
        }
        inFlight_.push_back(std::move(r));
        autoAnswer(inFlight_.back());
        return id;
    }
    void poll(int64_t timeoutMs, int64_t) override {
        pollTimeouts.push_back(timeoutMs);
        if (duringPoll) duringPoll();
        if (sleepClock_ && done_.empty()) {
            // As the real client: no longer than until the first request times out.
            int64_t sleep = std::min<int64_t>(timeoutMs, 3'600'000);
            for (const auto& r : inFlight_)
                sleep = std::min(sleep,
                                 std::max<int64_t>(0, r.createdMs + r.timeoutMs - clock_.nowMs()));
            sleepClock_->sleepMs(sleep);
        }
        int64_t now = clock_.nowMs();
        // Request timeouts disconnect the node, as the real client does.
        std::set<int32_t> expired;
        for (const auto& r : inFlight_)
            if (now - r.createdMs >= r.timeoutMs) expired.insert(r.destination);
        for (int32_t node : expired) {
            for (auto it = inFlight_.begin(); it != inFlight_.end();) {
                if (it->destination == node) {
                    complete(std::move(*it), {}, true, true);
                    it = inFlight_.erase(it);
                } else {
                    ++it;
                }
            }
        }
        std::deque<Done> done;
        done.swap(done_);
        for (auto& d : done) {
            d.response.body = d.body;
            if (d.callback) d.callback(d.response);
        }
    }
    void wakeup() override { ++wakeups; }
    // Runs at the start of every poll(): what another thread does while the sender sleeps.
    std::function<void()> duringPoll;
    int wakeups = 0;  // wakeup() calls (the sender interrupting its own poll)
    std::optional<int32_t> leastLoadedNode(int64_t nowMs) override {
        for (const auto& n : nodes_)
            if (canSendRequest(n.id, nowMs)) return n.id;
        return std::nullopt;
    }
    std::optional<int16_t> apiVersion(int32_t, protocol::ApiKey api) const override {
        return versions_.count(api) ? versions_.at(api) : defaultVersion(api);
    }
    void close() override {
        for (auto& r : inFlight_)
            complete(std::move(r), {}, true, false);
        inFlight_.clear();
        poll(0, clock_.nowMs());
    }

  private:
    struct Done {
        RequestCompletionHandler callback;
        ClientResponse response;
        std::vector<uint8_t> body;
    };
    static int16_t defaultVersion(protocol::ApiKey api) {
        switch (api) {
            case protocol::ApiKey::Produce:
                return 9;
            case protocol::ApiKey::Metadata:
                return 12;
            case protocol::ApiKey::InitProducerId:
                return 4;
            default:
                return 0;
        }
    }
    bool known(int32_t node) const {
        for (const auto& n : nodes_)
            if (n.id == node) return true;
        return false;
    }
    Request take(int32_t correlationId) {
        for (auto it = inFlight_.begin(); it != inFlight_.end(); ++it) {
            if (it->correlationId == correlationId) {
                Request r = std::move(*it);
                inFlight_.erase(it);
                return r;
            }
        }
        throw std::runtime_error("no in-flight request " + std::to_string(correlationId));
    }
    void complete(Request&& r, std::vector<uint8_t> body, bool disconnected, bool timedOut) {
        Done d;
        d.callback = std::move(r.callback);
        d.body = std::move(body);
        d.response.destination = r.destination;
        d.response.apiKey = r.apiKey;
        d.response.apiVersion = r.version;
        d.response.correlationId = r.correlationId;
        d.response.createdMs = r.createdMs;
        d.response.receivedMs = clock_.nowMs();
        d.response.disconnected = disconnected;
        d.response.timedOut = timedOut;
        if (disconnected) d.response.error = timedOut ? "request timed out" : "disconnected";
        done_.push_back(std::move(d));
    }
    void autoAnswer(const Request& r) {
        if (r.apiKey == protocol::ApiKey::Metadata && metadata_) {
            respond(r.correlationId, *metadata_);
        } else if (r.apiKey == protocol::ApiKey::InitProducerId && producerId_) {
            ++initRequests_;
            protocol::InitProducerIdRequest req;
            (void)protocol::decodeBody(req, r.version, r.body);
            protocol::InitProducerIdResponse resp;
            resp.producerId = *producerId_;
            resp.producerEpoch = req.producerId == *producerId_ ? req.producerEpoch + 1 : 0;
            respond(r.correlationId, resp);
        }
    }

    const Clock& clock_;
    int maxInFlight_;
    std::vector<Node> nodes_;
    std::set<int32_t> down_;
    std::map<int32_t, bool> stalledWrites_;
    std::set<int32_t> unwritten_;  // nodes whose newest request is still being written
    std::optional<int64_t> reconnectBackoffMs_;
    std::map<int32_t, int64_t> lastAttemptMs_;  // of down nodes, with setReconnectBackoff
    MockClock* sleepClock_ = nullptr;
    std::map<protocol::ApiKey, int16_t> versions_;
    std::deque<Request> inFlight_;
    std::deque<Done> done_;
    int32_t nextCorrelationId_ = 0;
    size_t produceSent_ = 0;
    std::optional<protocol::MetadataResponse> metadata_;
    std::optional<int64_t> producerId_;
    int initRequests_ = 0;
};

// One topic of a metadata response: partition p led (alone in its ISR) by leaders[p].
inline protocol::MetadataResponse::MetadataResponseTopic metadataTopic(
    const std::string& topic, const std::vector<int32_t>& leaders, int32_t leaderEpoch = 0) {
    protocol::MetadataResponse::MetadataResponseTopic t;
    t.name = topic;
    for (size_t p = 0; p < leaders.size(); ++p) {
        protocol::MetadataResponse::MetadataResponsePartition mp;
        mp.partitionIndex = static_cast<int32_t>(p);
        mp.leaderId = leaders[p];
        mp.leaderEpoch = leaderEpoch;
        mp.replicaNodes = {leaders[p]};
        mp.isrNodes = {leaders[p]};
        t.partitions.push_back(mp);
    }
    return t;
}

// Metadata for one topic: partition p led by leaders[p]; brokers 0..n-1 on localhost.
inline protocol::MetadataResponse metadataFor(const std::string& topic,
                                              const std::vector<int32_t>& leaders,
                                              int brokers = 2) {
    protocol::MetadataResponse m;
    for (int i = 0; i < brokers; ++i)
        m.brokers.push_back({i, "localhost", 9092 + i, std::nullopt});
    m.topics.push_back(metadataTopic(topic, leaders));
    return m;
}

}  // namespace bs::client::test
