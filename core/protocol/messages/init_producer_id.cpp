#include "protocol/messages/init_producer_id.h"

#include "protocol/codec.h"

namespace bs::protocol {
namespace {

template <class IO, class M>
void request(IO& io, M& m, int16_t v) {
    io.nullableString("transactionalId", m.transactionalId);
    io.int32("transactionTimeoutMs", m.transactionTimeoutMs);
    if (v >= 3) {
        io.int64("producerId", m.producerId);
        io.int16("producerEpoch", m.producerEpoch);
    }
    io.tags();
}

template <class IO, class M>
void response(IO& io, M& m, int16_t) {
    io.int32("throttleTimeMs", m.throttleTimeMs);
    io.errorCode("errorCode", m.errorCode);
    io.int64("producerId", m.producerId);
    io.int16("producerEpoch", m.producerEpoch);
    io.tags();
}

}  // namespace

BS_PROTOCOL_MESSAGE_CODEC(InitProducerIdRequest, ApiKey::InitProducerId, request)
BS_PROTOCOL_MESSAGE_CODEC(InitProducerIdResponse, ApiKey::InitProducerId, response)

}  // namespace bs::protocol
