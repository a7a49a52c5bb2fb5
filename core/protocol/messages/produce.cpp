#include "protocol/messages/produce.h"

#include "protocol/codec.h"
#include "protocol/messages/common_fields.h"

namespace bs::protocol {
namespace {

template <class IO, class M>
void request(IO& io, M& m, int16_t) {
    io.nullableString("transactionalId", m.transactionalId);
    io.int16("acks", m.acks);
    io.int32("timeoutMs", m.timeoutMs);
    io.array("topicData", m.topicData, [&](auto& t) {
        io.string("name", t.name);
        io.array("partitionData", t.partitionData, [&](auto& p) {
            io.int32("index", p.index);
            io.records("records", p.records);
            io.tags();
        });
        io.tags();
    });
    io.tags();
}

template <class IO, class P>
void partition(IO& io, P& p, int16_t v) {
    io.int32("index", p.index);
    io.errorCode("errorCode", p.errorCode);
    io.int64("baseOffset", p.baseOffset);
    if (v >= 2) io.int64("logAppendTimeMs", p.logAppendTimeMs);
    if (v >= 5) io.int64("logStartOffset", p.logStartOffset);
    if (v >= 8) {
        io.array("recordErrors", p.recordErrors, [&](auto& e) {
            io.int32("batchIndex", e.batchIndex);
            io.nullableString("batchIndexErrorMessage", e.batchIndexErrorMessage);
            io.tags();
        });
        io.nullableString("errorMessage", p.errorMessage);
    }
    io.tags([&](auto& t) {
        if (v >= 10) {
            t.field(0, p.currentLeader, [](auto& tio, auto& l) { leaderIdAndEpochFields(tio, l); });
        }
    });
}

template <class IO, class M>
void response(IO& io, M& m, int16_t v) {
    io.array("responses", m.responses, [&](auto& t) {
        io.string("name", t.name);
        io.array("partitionResponses", t.partitionResponses, [&](auto& p) { partition(io, p, v); });
        io.tags();
    });
    io.int32("throttleTimeMs", m.throttleTimeMs);
    io.tags([&](auto& t) {
        if (v < 10) return;
        t.field(0, m.nodeEndpoints, [](auto& tio, auto& endpoints) {
            tio.array("nodeEndpoints", endpoints, [&](auto& e) {
                tio.int32("nodeId", e.nodeId);
                tio.string("host", e.host);
                tio.int32("port", e.port);
                tio.nullableString("rack", e.rack);
                tio.tags();
            });
        });
    });
}

}  // namespace

BS_PROTOCOL_MESSAGE_CODEC(ProduceRequest, ApiKey::Produce, request)
BS_PROTOCOL_MESSAGE_CODEC(ProduceResponse, ApiKey::Produce, response)

}  // namespace bs::protocol
