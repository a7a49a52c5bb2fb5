#include "protocol/record/compression.h"

#include <string>

#include "protocol/record/codecs.h"

namespace bs::protocol {

namespace {
bool equalsIgnoreCase(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i) {
        char c = a[i];
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        if (c != b[i]) return false;
    }
    return true;
}
}  // namespace

std::string_view compressionName(CompressionType type) {
    switch (type) {
        case CompressionType::None:
            return "none";
        case CompressionType::Gzip:
            return "gzip";
        case CompressionType::Snappy:
            return "snappy";
        case CompressionType::Lz4:
            return "lz4";
        case CompressionType::Zstd:
            return "zstd";
    }
    return "unknown";
}

Result<CompressionType> parseCompressionType(std::string_view name) {
    for (int id = 0; id <= 4; ++id) {
        const auto type = static_cast<CompressionType>(id);
        if (equalsIgnoreCase(name, compressionName(type))) return type;
    }
    return Error{"unknown compression type '" + std::string(name) +
                 "' (expected none, gzip, snappy, lz4 or zstd)"};
}

int defaultCompressionLevel(CompressionType type) {
    switch (type) {
        case CompressionType::Gzip:
            return -1;
        case CompressionType::Lz4:
            return 9;
        case CompressionType::Zstd:
            return 3;
        default:
            return 0;
    }
}

Status validateCompressionLevel(CompressionType type, int level) {
    if (level == kDefaultCompressionLevel) return Status::success();
    auto outOfRange = [&](const char* range) {
        return Status(Error{std::string(compressionName(type)) + " compression level " +
                            std::to_string(level) + " is out of range " + range});
    };
    switch (type) {
        case CompressionType::Gzip:
            if (level != -1 && (level < 1 || level > 9)) return outOfRange("[1..9] or -1");
            break;
        case CompressionType::Lz4:
            if (level < 1 || level > 17) return outOfRange("[1..17]");
            break;
        case CompressionType::Zstd:
            if (level < -131072 || level > 22) return outOfRange("[-131072..22]");
            break;
        default:
            break;
    }
    return Status::success();
}

Status compress(CompressionType type, int level, std::span<const uint8_t> in, UninitBytes& out) {
    if (Status s = validateCompressionLevel(type, level); !s) return s;
    if (level == kDefaultCompressionLevel) level = defaultCompressionLevel(type);
    switch (type) {
        case CompressionType::None:
            out.insert(out.end(), in.begin(), in.end());
            return Status::success();
        case CompressionType::Gzip:
            return detail::gzipCompress(level, in, out);
        case CompressionType::Snappy:
            return detail::snappyCompress(in, out);
        case CompressionType::Lz4:
            return detail::lz4Compress(level, in, out);
        case CompressionType::Zstd:
            return detail::zstdCompress(level, in, out);
    }
    return Error{"unknown compression type id " + std::to_string(static_cast<int>(type))};
}

Status decompress(CompressionType type, std::span<const uint8_t> in, std::vector<uint8_t>& out,
                  size_t maxOutputBytes) {
    switch (type) {
        case CompressionType::None:
            if (in.size() > maxOutputBytes) return detail::bombError("none", maxOutputBytes);
            out.insert(out.end(), in.begin(), in.end());
            return Status::success();
        case CompressionType::Gzip:
            return detail::gzipDecompress(in, out, maxOutputBytes);
        case CompressionType::Snappy:
            return detail::snappyDecompress(in, out, maxOutputBytes);
        case CompressionType::Lz4:
            return detail::lz4Decompress(in, out, maxOutputBytes);
        case CompressionType::Zstd:
            return detail::zstdDecompress(in, out, maxOutputBytes);
    }
    return Error{"unknown compression type id " + std::to_string(static_cast<int>(type))};
}

}  // namespace bs::protocol
