#include "serde/wire_format.h"

namespace bs::serde {

std::vector<uint8_t> frameWithSchemaId(int32_t schemaId, const std::vector<uint8_t>& payload) {
    std::vector<uint8_t> out;
    out.reserve(kWireHeaderSize + payload.size());
    const auto id = static_cast<uint32_t>(schemaId);
    out.push_back(kMagicByte);
    out.push_back(static_cast<uint8_t>(id >> 24));
    out.push_back(static_cast<uint8_t>(id >> 16));
    out.push_back(static_cast<uint8_t>(id >> 8));
    out.push_back(static_cast<uint8_t>(id));
    out.insert(out.end(), payload.begin(), payload.end());
    return out;
}

Result<FramedPayload> unframe(const uint8_t* data, size_t size) {
    if (size < kWireHeaderSize)
        return Error{"Unknown magic byte! (" + std::to_string(size) +
                     " bytes, shorter than the 5-byte schema header)"};
    if (data[0] != kMagicByte)
        return Error{"Unknown magic byte! (first byte " + std::to_string(data[0]) + ", not 0)"};
    FramedPayload p;
    p.schemaId = static_cast<int32_t>((uint32_t{data[1]} << 24) | (uint32_t{data[2]} << 16) |
                                      (uint32_t{data[3]} << 8) | uint32_t{data[4]});
    p.data = data + kWireHeaderSize;
    p.size = size - kWireHeaderSize;
    return p;
}

}  // namespace bs::serde
