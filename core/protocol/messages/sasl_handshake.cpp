#include "protocol/messages/sasl_handshake.h"

#include "protocol/codec.h"

namespace bs::protocol {
namespace {

template <class IO, class M>
void request(IO& io, M& m, int16_t) {
    io.string("mechanism", m.mechanism);
}

template <class IO, class M>
void response(IO& io, M& m, int16_t) {
    io.errorCode("errorCode", m.errorCode);
    io.array("mechanisms", m.mechanisms, [&](auto& s) { io.string("mechanism", s); });
}

}  // namespace

BS_PROTOCOL_MESSAGE_CODEC(SaslHandshakeRequest, ApiKey::SaslHandshake, request)
BS_PROTOCOL_MESSAGE_CODEC(SaslHandshakeResponse, ApiKey::SaslHandshake, response)

}  // namespace bs::protocol
