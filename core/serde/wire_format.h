#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/result.h"

namespace bs::serde {

// Confluent's wire format: magic byte 0, the schema id as a 4-byte big-endian int, then the
// payload (for Protobuf the message-index list comes first, see below).
inline constexpr uint8_t kMagicByte = 0;
inline constexpr size_t kWireHeaderSize = 5;

std::vector<uint8_t> frameWithSchemaId(int32_t schemaId, const std::vector<uint8_t>& payload);

struct FramedPayload {
    int32_t schemaId = 0;
    const uint8_t* data = nullptr;  // into the framed bytes
    size_t size = 0;
};
// Errors: too short for the header, a magic byte other than 0 ("Unknown magic byte!", as the
// Java deserializer says).
Result<FramedPayload> unframe(const uint8_t* data, size_t size);

// Protobuf's message indexes, after the schema id: the count then each index, as zigzag varints
// (Kafka's ByteUtils.writeVarint); {0}, the first top-level message, is the single byte 0.
std::vector<uint8_t> encodeMessageIndexes(const std::vector<int32_t>& indexes);
// Reads the list at the start of `p` and advances p past it. Errors: a truncated or overlong
// varint, a negative count or index, a count larger than the bytes left.
Result<std::vector<int32_t>> decodeMessageIndexes(FramedPayload& p);

}  // namespace bs::serde
