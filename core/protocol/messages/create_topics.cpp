#include "protocol/messages/create_topics.h"

#include "protocol/codec.h"

namespace bs::protocol {
namespace {

template <class IO, class M>
void request(IO& io, M& m, int16_t) {
    io.array("topics", m.topics, [&](auto& t) {
        io.string("name", t.name);
        io.int32("numPartitions", t.numPartitions);
        io.int16("replicationFactor", t.replicationFactor);
        io.array("assignments", t.assignments, [&](auto& a) {
            io.int32("partitionIndex", a.partitionIndex);
            io.int32Array("brokerIds", a.brokerIds);
            io.tags();
        });
        io.array("configs", t.configs, [&](auto& c) {
            io.string("name", c.name);
            io.nullableString("value", c.value);
            io.tags();
        });
        io.tags();
    });
    io.int32("timeoutMs", m.timeoutMs);
    io.boolean("validateOnly", m.validateOnly);
    io.tags();
}

template <class IO, class T>
void topicResult(IO& io, T& t, int16_t v) {
    io.string("name", t.name);
    if (v >= 7) io.uuid("topicId", t.topicId);
    io.errorCode("errorCode", t.errorCode);
    io.nullableString("errorMessage", t.errorMessage);
    if (v >= 5) {
        io.int32("numPartitions", t.numPartitions);
        io.int16("replicationFactor", t.replicationFactor);
        io.nullableArray("configs", t.configs, [&](auto& c) {
            io.string("name", c.name);
            io.nullableString("value", c.value);
            io.boolean("readOnly", c.readOnly);
            io.int8("configSource", c.configSource);
            io.boolean("isSensitive", c.isSensitive);
            io.tags();
        });
    }
    io.tags([&](auto& tags) {
        tags.field(0, t.topicConfigErrorCode,
                   [](auto& tio, auto& code) { tio.int16("topicConfigErrorCode", code); });
    });
}

template <class IO, class M>
void response(IO& io, M& m, int16_t v) {
    io.int32("throttleTimeMs", m.throttleTimeMs);
    io.array("topics", m.topics, [&](auto& t) { topicResult(io, t, v); });
    io.tags();
}

}  // namespace

BS_PROTOCOL_MESSAGE_CODEC(CreateTopicsRequest, ApiKey::CreateTopics, request)
BS_PROTOCOL_MESSAGE_CODEC(CreateTopicsResponse, ApiKey::CreateTopics, response)

}  // namespace bs::protocol
