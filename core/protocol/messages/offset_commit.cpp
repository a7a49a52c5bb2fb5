#include "protocol/messages/offset_commit.h"

#include "protocol/codec.h"

namespace bs::protocol {
namespace {

template <class IO, class M>
void commitRequest(IO& io, M& m, int16_t v) {
    io.string("groupId", m.groupId);
    if (v >= 1) {
        io.int32("generationId", m.generationId);
        io.string("memberId", m.memberId);
    }
    if (v >= 7) io.nullableString("groupInstanceId", m.groupInstanceId);
    if (v >= 2 && v <= 4) io.int64("retentionTimeMs", m.retentionTimeMs);
    io.array("topics", m.topics, [&](auto& t) {
        io.string("name", t.name);
        io.array("partitions", t.partitions, [&](auto& p) {
            io.int32("partitionIndex", p.partitionIndex);
            io.int64("committedOffset", p.committedOffset);
            if (v >= 6) io.int32("committedLeaderEpoch", p.committedLeaderEpoch);
            if (v == 1) io.int64("commitTimestamp", p.commitTimestamp);
            io.nullableString("committedMetadata", p.committedMetadata);
            io.tags();
        });
        io.tags();
    });
    io.tags();
}

template <class IO, class M>
void commitResponse(IO& io, M& m, int16_t v) {
    if (v >= 3) io.int32("throttleTimeMs", m.throttleTimeMs);
    io.array("topics", m.topics, [&](auto& t) {
        io.string("name", t.name);
        io.array("partitions", t.partitions, [&](auto& p) {
            io.int32("partitionIndex", p.partitionIndex);
            io.errorCode("errorCode", p.errorCode);
            io.tags();
        });
        io.tags();
    });
    io.tags();
}

template <class IO, class T>
void fetchTopics(IO& io, T& topics, bool nullable) {
    io.nullableArray(
        "topics", topics,
        [&](auto& t) {
            io.string("name", t.name);
            io.int32Array("partitionIndexes", t.partitionIndexes);
            io.tags();
        },
        nullable);
}

template <class IO, class M>
void fetchRequest(IO& io, M& m, int16_t v) {
    if (v <= 7) {
        io.string("groupId", m.groupId);
        fetchTopics(io, m.topics, v >= 2);
    } else {
        io.array("groups", m.groups, [&](auto& g) {
            io.string("groupId", g.groupId);
            fetchTopics(io, g.topics, true);
            io.tags();
        });
    }
    if (v >= 7) io.boolean("requireStable", m.requireStable);
    io.tags();
}

template <class IO, class T>
void fetchResponseTopics(IO& io, T& topics, int16_t v) {
    io.array("topics", topics, [&](auto& t) {
        io.string("name", t.name);
        io.array("partitions", t.partitions, [&](auto& p) {
            io.int32("partitionIndex", p.partitionIndex);
            io.int64("committedOffset", p.committedOffset);
            if (v >= 5) io.int32("committedLeaderEpoch", p.committedLeaderEpoch);
            io.nullableString("metadata", p.metadata);
            io.errorCode("errorCode", p.errorCode);
            io.tags();
        });
        io.tags();
    });
}

template <class IO, class M>
void fetchResponse(IO& io, M& m, int16_t v) {
    if (v >= 3) io.int32("throttleTimeMs", m.throttleTimeMs);
    if (v <= 7) {
        fetchResponseTopics(io, m.topics, v);
        if (v >= 2) io.errorCode("errorCode", m.errorCode);
    } else {
        io.array("groups", m.groups, [&](auto& g) {
            io.string("groupId", g.groupId);
            fetchResponseTopics(io, g.topics, v);
            io.errorCode("errorCode", g.errorCode);
            io.tags();
        });
    }
    io.tags();
}

}  // namespace

BS_PROTOCOL_MESSAGE_CODEC(OffsetCommitRequest, ApiKey::OffsetCommit, commitRequest)
BS_PROTOCOL_MESSAGE_CODEC(OffsetCommitResponse, ApiKey::OffsetCommit, commitResponse)
BS_PROTOCOL_MESSAGE_CODEC(OffsetFetchRequest, ApiKey::OffsetFetch, fetchRequest)
BS_PROTOCOL_MESSAGE_CODEC(OffsetFetchResponse, ApiKey::OffsetFetch, fetchResponse)

}  // namespace bs::protocol
