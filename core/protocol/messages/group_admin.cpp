#include "protocol/messages/group_admin.h"

#include "protocol/codec.h"

namespace bs::protocol {
namespace {

template <class IO, class M>
void listRequest(IO& io, M& m, int16_t v) {
    if (v >= 4) io.array("statesFilter", m.statesFilter, [&](auto& s) { io.string("state", s); });
    io.tags();
}

template <class IO, class M>
void listResponse(IO& io, M& m, int16_t v) {
    if (v >= 1) io.int32("throttleTimeMs", m.throttleTimeMs);
    io.errorCode("errorCode", m.errorCode);
    io.array("groups", m.groups, [&](auto& g) {
        io.string("groupId", g.groupId);
        io.string("protocolType", g.protocolType);
        if (v >= 4) io.string("groupState", g.groupState);
        io.tags();
    });
    io.tags();
}

template <class IO, class M>
void describeRequest(IO& io, M& m, int16_t v) {
    io.array("groups", m.groups, [&](auto& g) { io.string("group", g); });
    if (v >= 3) io.boolean("includeAuthorizedOperations", m.includeAuthorizedOperations);
    io.tags();
}

template <class IO, class M>
void describeResponse(IO& io, M& m, int16_t v) {
    if (v >= 1) io.int32("throttleTimeMs", m.throttleTimeMs);
    io.array("groups", m.groups, [&](auto& g) {
        io.errorCode("errorCode", g.errorCode);
        io.string("groupId", g.groupId);
        io.string("groupState", g.groupState);
        io.string("protocolType", g.protocolType);
        io.string("protocolData", g.protocolData);
        io.array("members", g.members, [&](auto& e) {
            io.string("memberId", e.memberId);
            if (v >= 4) io.nullableString("groupInstanceId", e.groupInstanceId);
            io.string("clientId", e.clientId);
            io.string("clientHost", e.clientHost);
            io.bytes("memberMetadata", e.memberMetadata);
            io.bytes("memberAssignment", e.memberAssignment);
            io.tags();
        });
        if (v >= 3) io.int32("authorizedOperations", g.authorizedOperations);
        io.tags();
    });
    io.tags();
}

template <class IO, class M>
void deleteRequest(IO& io, M& m, int16_t) {
    io.array("groupsNames", m.groupsNames, [&](auto& g) { io.string("group", g); });
    io.tags();
}

template <class IO, class M>
void deleteResponse(IO& io, M& m, int16_t) {
    io.int32("throttleTimeMs", m.throttleTimeMs);
    io.array("results", m.results, [&](auto& r) {
        io.string("groupId", r.groupId);
        io.errorCode("errorCode", r.errorCode);
        io.tags();
    });
    io.tags();
}

}  // namespace

BS_PROTOCOL_MESSAGE_CODEC(ListGroupsRequest, ApiKey::ListGroups, listRequest)
BS_PROTOCOL_MESSAGE_CODEC(ListGroupsResponse, ApiKey::ListGroups, listResponse)
BS_PROTOCOL_MESSAGE_CODEC(DescribeGroupsRequest, ApiKey::DescribeGroups, describeRequest)
BS_PROTOCOL_MESSAGE_CODEC(DescribeGroupsResponse, ApiKey::DescribeGroups, describeResponse)
BS_PROTOCOL_MESSAGE_CODEC(DeleteGroupsRequest, ApiKey::DeleteGroups, deleteRequest)
BS_PROTOCOL_MESSAGE_CODEC(DeleteGroupsResponse, ApiKey::DeleteGroups, deleteResponse)

}  // namespace bs::protocol
