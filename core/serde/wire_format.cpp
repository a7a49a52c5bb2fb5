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

namespace {

void writeVarint(int32_t v, std::vector<uint8_t>& out) {
    uint32_t z = (static_cast<uint32_t>(v) << 1) ^ static_cast<uint32_t>(v >> 31);
    while (z & ~0x7fu) {
        out.push_back(static_cast<uint8_t>((z & 0x7f) | 0x80));
        z >>= 7;
    }
    out.push_back(static_cast<uint8_t>(z));
}

Result<int32_t> readVarint(FramedPayload& p) {
    uint32_t z = 0;
    for (int shift = 0; shift < 35; shift += 7) {
        if (p.size == 0) return Error{"the Protobuf message indexes are truncated"};
        const uint8_t b = *p.data++;
        --p.size;
        if (shift == 28 && (b & 0xf0)) break;
        z |= uint32_t{b & 0x7fu} << shift;
        if (!(b & 0x80)) return static_cast<int32_t>((z >> 1) ^ (~(z & 1) + 1));
    }
    return Error{"the Protobuf message indexes hold an overlong varint"};
}

}  // namespace

std::vector<uint8_t> encodeMessageIndexes(const std::vector<int32_t>& indexes) {
    std::vector<uint8_t> out;
    if (indexes.size() == 1 && indexes[0] == 0) {
        out.push_back(0);
        return out;
    }
    writeVarint(static_cast<int32_t>(indexes.size()), out);
    for (int32_t i : indexes)
        writeVarint(i, out);
    return out;
}

Result<std::vector<int32_t>> decodeMessageIndexes(FramedPayload& p) {
    auto count = readVarint(p);
    if (!count) return count.error();
    if (*count == 0) return std::vector<int32_t>{0};
    if (*count < 0 || static_cast<size_t>(*count) > p.size)
        return Error{"the Protobuf message indexes hold a bad count " + std::to_string(*count)};
    std::vector<int32_t> out;
    for (int32_t k = 0; k < *count; ++k) {
        auto i = readVarint(p);
        if (!i) return i.error();
        if (*i < 0) return Error{"the Protobuf message indexes hold a negative index"};
        out.push_back(*i);
    }
    return out;
}

}  // namespace bs::serde
