#include "protocol/messages/list_offsets.h"

#include "protocol/codec.h"

namespace bs::protocol {
namespace {

template <class IO, class M>
void request(IO& io, M& m, int16_t v) {
    io.int32("replicaId", m.replicaId);
    if (v >= 2) io.int8("isolationLevel", m.isolationLevel);
    io.array("topics", m.topics, [&](auto& t) {
        io.string("name", t.name);
        io.array("partitions", t.partitions, [&](auto& p) {
            io.int32("partitionIndex", p.partitionIndex);
            if (v >= 4) io.int32("currentLeaderEpoch", p.currentLeaderEpoch);
            io.int64("timestamp", p.timestamp);
            io.tags();
        });
        io.tags();
    });
    io.tags();
}

template <class IO, class M>
void response(IO& io, M& m, int16_t v) {
    if (v >= 2) io.int32("throttleTimeMs", m.throttleTimeMs);
    io.array("topics", m.topics, [&](auto& t) {
        io.string("name", t.name);
        io.array("partitions", t.partitions, [&](auto& p) {
            io.int32("partitionIndex", p.partitionIndex);
            io.errorCode("errorCode", p.errorCode);
            io.int64("timestamp", p.timestamp);
            io.int64("offset", p.offset);
            if (v >= 4) io.int32("leaderEpoch", p.leaderEpoch);
            io.tags();
        });
        io.tags();
    });
    io.tags();
}

}  // namespace

BS_PROTOCOL_MESSAGE_CODEC(ListOffsetsRequest, ApiKey::ListOffsets, request)
BS_PROTOCOL_MESSAGE_CODEC(ListOffsetsResponse, ApiKey::ListOffsets, response)

}  // namespace bs::protocol
