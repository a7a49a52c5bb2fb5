#include "protocol/messages/find_coordinator.h"

#include "protocol/codec.h"

namespace bs::protocol {
namespace {

template <class IO, class M>
void request(IO& io, M& m, int16_t v) {
    if (v <= 3) io.string("key", m.key);
    if (v >= 1) io.int8("keyType", m.keyType);
    if (v >= 4)
        io.array("coordinatorKeys", m.coordinatorKeys, [&](auto& k) { io.string("key", k); });
    io.tags();
}

template <class IO, class M>
void response(IO& io, M& m, int16_t v) {
    if (v >= 1) io.int32("throttleTimeMs", m.throttleTimeMs);
    if (v <= 3) {
        io.errorCode("errorCode", m.errorCode);
        if (v >= 1) io.nullableString("errorMessage", m.errorMessage);
        io.int32("nodeId", m.nodeId);
        io.string("host", m.host);
        io.int32("port", m.port);
    } else {
        io.array("coordinators", m.coordinators, [&](auto& c) {
            io.string("key", c.key);
            io.int32("nodeId", c.nodeId);
            io.string("host", c.host);
            io.int32("port", c.port);
            io.errorCode("errorCode", c.errorCode);
            io.nullableString("errorMessage", c.errorMessage);
            io.tags();
        });
    }
    io.tags();
}

}  // namespace

BS_PROTOCOL_MESSAGE_CODEC(FindCoordinatorRequest, ApiKey::FindCoordinator, request)
BS_PROTOCOL_MESSAGE_CODEC(FindCoordinatorResponse, ApiKey::FindCoordinator, response)

}  // namespace bs::protocol
