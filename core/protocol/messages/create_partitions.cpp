#include "protocol/messages/create_partitions.h"

#include "protocol/codec.h"

namespace bs::protocol {
namespace {

template <class IO, class M>
void request(IO& io, M& m, int16_t) {
    io.array("topics", m.topics, [&](auto& t) {
        io.string("name", t.name);
        io.int32("count", t.count);
        io.nullableArray("assignments", t.assignments, [&](auto& a) {
            io.int32Array("brokerIds", a.brokerIds);
            io.tags();
        });
        io.tags();
    });
    io.int32("timeoutMs", m.timeoutMs);
    io.boolean("validateOnly", m.validateOnly);
    io.tags();
}

template <class IO, class M>
void response(IO& io, M& m, int16_t) {
    io.int32("throttleTimeMs", m.throttleTimeMs);
    io.array("results", m.results, [&](auto& t) {
        io.string("name", t.name);
        io.errorCode("errorCode", t.errorCode);
        io.nullableString("errorMessage", t.errorMessage);
        io.tags();
    });
    io.tags();
}

}  // namespace

BS_PROTOCOL_MESSAGE_CODEC(CreatePartitionsRequest, ApiKey::CreatePartitions, request)
BS_PROTOCOL_MESSAGE_CODEC(CreatePartitionsResponse, ApiKey::CreatePartitions, response)

}  // namespace bs::protocol
