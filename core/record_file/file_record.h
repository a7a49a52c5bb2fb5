#pragma once

// A record as a record file holds it (docs/RECORD_FILES.md): plain bytes, no producer or
// consumer types, so the CLI and the GUI share the codec and convert at their edges.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace bs::recordfile {

using Bytes = std::vector<uint8_t>;

struct FileHeader {
    std::string name;
    std::optional<Bytes> value;  // nullopt: Kafka's null header value

    bool operator==(const FileHeader&) const = default;
};

// What is sent (key, value, headers, partition, timestamp) and, in an export, where the record
// was read from (topic, offset), which an import ignores.
struct FileRecord {
    std::optional<Bytes> key;    // nullopt: null
    std::optional<Bytes> value;  // nullopt: null (a tombstone)
    std::vector<FileHeader> headers;
    std::optional<int32_t> partition;  // nullopt: the partitioner decides
    std::optional<int64_t> timestamp;  // ms since the epoch; nullopt: the producer stamps it
    std::optional<std::string> topic;  // export only
    std::optional<int64_t> offset;     // export only

    bool operator==(const FileRecord&) const = default;
};

enum class Format {
    JsonLines,  // one JSON object per line
    Csv,        // RFC 4180, a header row naming the columns
    Lines,      // kafka-console-producer / kcat -P: one value per line, optionally "key<sep>value"
};

// "jsonl" (also "json"), "csv", "lines"; the error lists the accepted names.
Result<Format> parseFormat(std::string_view name);
std::string_view formatName(Format f);

inline Bytes bytesOf(std::string_view s) {
    return Bytes(s.begin(), s.end());
}
inline std::string_view textOf(const Bytes& b) {
    return {reinterpret_cast<const char*>(b.data()), b.size()};
}

}  // namespace bs::recordfile
