#include "protocol/messages/fetch.h"

#include "protocol/codec.h"
#include "protocol/messages/common_fields.h"

namespace bs::protocol {
namespace {

template <class IO, class M>
void request(IO& io, M& m, int16_t v) {
    io.int32("replicaId", m.replicaId);
    io.int32("maxWaitMs", m.maxWaitMs);
    io.int32("minBytes", m.minBytes);
    io.int32("maxBytes", m.maxBytes);
    io.int8("isolationLevel", m.isolationLevel);
    if (v >= 7) {
        io.int32("sessionId", m.sessionId);
        io.int32("sessionEpoch", m.sessionEpoch);
    }
    io.array("topics", m.topics, [&](auto& t) {
        io.string("topic", t.topic);
        io.array("partitions", t.partitions, [&](auto& p) {
            io.int32("partition", p.partition);
            if (v >= 9) io.int32("currentLeaderEpoch", p.currentLeaderEpoch);
            io.int64("fetchOffset", p.fetchOffset);
            if (v >= 12) io.int32("lastFetchedEpoch", p.lastFetchedEpoch);
            if (v >= 5) io.int64("logStartOffset", p.logStartOffset);
            io.int32("partitionMaxBytes", p.partitionMaxBytes);
            io.tags();
        });
        io.tags();
    });
    if (v >= 7) {
        io.array("forgottenTopicsData", m.forgottenTopicsData, [&](auto& t) {
            io.string("topic", t.topic);
            io.int32Array("partitions", t.partitions);
            io.tags();
        });
    }
    if (v >= 11) io.string("rackId", m.rackId);
    io.tags([&](auto& t) {
        t.field(0, m.clusterId, [](auto& tio, auto& id) { tio.stringOrNull("clusterId", id); });
    });
}

template <class IO, class P>
void partition(IO& io, P& p, int16_t v) {
    io.int32("partitionIndex", p.partitionIndex);
    io.errorCode("errorCode", p.errorCode);
    io.int64("highWatermark", p.highWatermark);
    io.int64("lastStableOffset", p.lastStableOffset);
    if (v >= 5) io.int64("logStartOffset", p.logStartOffset);
    io.nullableArray("abortedTransactions", p.abortedTransactions, [&](auto& a) {
        io.int64("producerId", a.producerId);
        io.int64("firstOffset", a.firstOffset);
        io.tags();
    });
    if (v >= 11) io.int32("preferredReadReplica", p.preferredReadReplica);
    io.records("records", p.records);
    io.tags([&](auto& t) {
        t.field(0, p.divergingEpoch, [](auto& tio, auto& e) {
            tio.int32("epoch", e.epoch);
            tio.int64("endOffset", e.endOffset);
            tio.tags();
        });
        t.field(1, p.currentLeader, [](auto& tio, auto& l) { leaderIdAndEpochFields(tio, l); });
        t.field(2, p.snapshotId, [](auto& tio, auto& s) {
            tio.int64("endOffset", s.endOffset);
            tio.int32("epoch", s.epoch);
            tio.tags();
        });
    });
}

template <class IO, class M>
void response(IO& io, M& m, int16_t v) {
    io.int32("throttleTimeMs", m.throttleTimeMs);
    if (v >= 7) {
        io.errorCode("errorCode", m.errorCode);
        io.int32("sessionId", m.sessionId);
    }
    io.array("responses", m.responses, [&](auto& t) {
        io.string("topic", t.topic);
        io.array("partitions", t.partitions, [&](auto& p) { partition(io, p, v); });
        io.tags();
    });
    io.tags();
}

}  // namespace

BS_PROTOCOL_MESSAGE_CODEC(FetchRequest, ApiKey::Fetch, request)
BS_PROTOCOL_MESSAGE_CODEC(FetchResponse, ApiKey::Fetch, response)

}  // namespace bs::protocol
