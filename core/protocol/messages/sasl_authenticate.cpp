#include "protocol/messages/sasl_authenticate.h"

#include "protocol/codec.h"

namespace bs::protocol {
namespace {

template <class IO, class M>
void request(IO& io, M& m, int16_t) {
    io.bytes("authBytes", m.authBytes);
    io.tags();
}

template <class IO, class M>
void response(IO& io, M& m, int16_t v) {
    io.errorCode("errorCode", m.errorCode);
    io.nullableString("errorMessage", m.errorMessage);
    io.bytes("authBytes", m.authBytes);
    if (v >= 1) io.int64("sessionLifetimeMs", m.sessionLifetimeMs);
    io.tags();
}

}  // namespace

BS_PROTOCOL_MESSAGE_CODEC(SaslAuthenticateRequest, ApiKey::SaslAuthenticate, request)
BS_PROTOCOL_MESSAGE_CODEC(SaslAuthenticateResponse, ApiKey::SaslAuthenticate, response)

}  // namespace bs::protocol
