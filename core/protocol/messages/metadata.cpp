#include "protocol/messages/metadata.h"

#include "protocol/codec.h"

namespace bs::protocol {
namespace {

template <class IO, class M>
void request(IO& io, M& m, int16_t v) {
    // v0 has no null array: an empty one asks for all topics (the broker treats it so).
    io.nullableArray(
        "topics", m.topics,
        [&](auto& t) {
            if (v >= 10) io.uuid("topicId", t.topicId);
            io.nullableString("name", t.name, v >= 10);
            io.tags();
        },
        v >= 1);
    if (v >= 4) io.boolean("allowAutoTopicCreation", m.allowAutoTopicCreation);
    if (v >= 8 && v <= 10) {
        io.boolean("includeClusterAuthorizedOperations", m.includeClusterAuthorizedOperations);
    }
    if (v >= 8) io.boolean("includeTopicAuthorizedOperations", m.includeTopicAuthorizedOperations);
    io.tags();
}

template <class IO, class P>
void partition(IO& io, P& p, int16_t v) {
    io.errorCode("errorCode", p.errorCode);
    io.int32("partitionIndex", p.partitionIndex);
    io.int32("leaderId", p.leaderId);
    if (v >= 7) io.int32("leaderEpoch", p.leaderEpoch);
    io.int32Array("replicaNodes", p.replicaNodes);
    io.int32Array("isrNodes", p.isrNodes);
    if (v >= 5) io.int32Array("offlineReplicas", p.offlineReplicas);
    io.tags();
}

template <class IO, class M>
void response(IO& io, M& m, int16_t v) {
    if (v >= 3) io.int32("throttleTimeMs", m.throttleTimeMs);
    io.array("brokers", m.brokers, [&](auto& b) {
        io.int32("nodeId", b.nodeId);
        io.string("host", b.host);
        io.int32("port", b.port);
        if (v >= 1) io.nullableString("rack", b.rack);
        io.tags();
    });
    if (v >= 2) io.nullableString("clusterId", m.clusterId);
    if (v >= 1) io.int32("controllerId", m.controllerId);
    io.array("topics", m.topics, [&](auto& t) {
        io.errorCode("errorCode", t.errorCode);
        io.nullableString("name", t.name, v >= 12);
        if (v >= 10) io.uuid("topicId", t.topicId);
        if (v >= 1) io.boolean("isInternal", t.isInternal);
        io.array("partitions", t.partitions, [&](auto& p) { partition(io, p, v); });
        if (v >= 8) io.int32("topicAuthorizedOperations", t.topicAuthorizedOperations);
        io.tags();
    });
    if (v >= 8 && v <= 10) io.int32("clusterAuthorizedOperations", m.clusterAuthorizedOperations);
    io.tags();
}

}  // namespace

BS_PROTOCOL_MESSAGE_CODEC(MetadataRequest, ApiKey::Metadata, request)
BS_PROTOCOL_MESSAGE_CODEC(MetadataResponse, ApiKey::Metadata, response)

}  // namespace bs::protocol
