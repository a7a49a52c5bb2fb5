// FindCoordinator. A group's coordinator is the node leading its __consumer_offsets partition
// (GroupCoordinator::coordinatorNode), the node the group APIs insist on. The embedded cluster
// has no transaction coordinator (InitProducerId refuses transactional ids), but clients probe
// FindCoordinator as a broker-age feature check (librdkafka enables LZ4 only when it is
// advertised), so a transactional id gets the node that would own it, found by hashing it over
// the nodes that are up.
#include <string_view>

#include "broker/group_coordinator.h"
#include "broker/kafka_apis.h"
#include "common/murmur2.h"
#include "protocol/frame.h"
#include "protocol/messages/find_coordinator.h"

namespace bs::broker {

using apis_detail::malformed;
using apis_detail::respond;
using protocol::ApiKey;
using protocol::ErrorCode;
using protocol::FindCoordinatorResponse;

namespace {
constexpr int8_t kGroupKey = 0;
constexpr int8_t kTransactionKey = 1;
}  // namespace

RequestOutcome KafkaApis::handleFindCoordinator(int32_t nodeId, const protocol::RequestHeader& h,
                                                std::span<const uint8_t> body) {
    protocol::FindCoordinatorRequest req;
    if (auto s = protocol::decodeBody(req, h.apiVersion, body); !s) {
        return malformed("FindCoordinator", s);
    }
    const auto injected = faults_.takeError(nodeId, ApiKey::FindCoordinator);
    std::vector<const BrokerEndpoint*> up;
    for (const auto& e : endpoints_)
        if (!faults_.isDown(e.nodeId)) up.push_back(&e);

    auto find = [&](const std::string& key) {
        FindCoordinatorResponse::Coordinator c;
        c.key = key;
        if (injected) {
            c.errorCode = *injected;
        } else if (req.keyType != kGroupKey && req.keyType != kTransactionKey) {
            c.errorCode = ErrorCode::INVALID_REQUEST;
            c.errorMessage = "unknown coordinator key type " + std::to_string(req.keyType);
        } else if (up.empty()) {
            c.errorCode = ErrorCode::COORDINATOR_NOT_AVAILABLE;
        } else if (req.keyType == kGroupKey && groups_) {
            const auto e = endpoint(coordinatorFor(key));
            if (!e) {
                c.errorCode = ErrorCode::COORDINATOR_NOT_AVAILABLE;
            } else {
                c.nodeId = e->nodeId;
                c.host = e->host;
                c.port = e->port;
            }
        } else {
            std::span<const uint8_t> bytes(reinterpret_cast<const uint8_t*>(key.data()),
                                           key.size());
            const auto* e = up[static_cast<size_t>(toPositive(murmur2(bytes))) % up.size()];
            c.nodeId = e->nodeId;
            c.host = e->host;
            c.port = e->port;
        }
        return c;
    };

    FindCoordinatorResponse r;
    if (h.apiVersion >= 4) {
        for (const auto& key : req.coordinatorKeys)
            r.coordinators.push_back(find(key));
    } else {
        auto c = find(req.key);
        r.errorCode = c.errorCode;
        r.errorMessage = c.errorMessage;
        r.nodeId = c.nodeId;
        r.host = c.host;
        r.port = c.port;
    }
    return respond(h, r);
}

}  // namespace bs::broker
