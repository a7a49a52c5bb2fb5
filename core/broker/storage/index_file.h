#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "common/result.h"

namespace bs::broker {

// The file half of a segment index (.index, .timeindex): fixed-size entries appended at the
// end and rewritten whole by recovery. Written at its exact size, so there is no preallocated
// tail to trim on close (Kafka preallocates and mmaps; we keep entries in memory instead).
// Thread ownership: that of the index owning it (the Log's mutex).
class IndexFile {
  public:
    IndexFile() = default;
    IndexFile(const IndexFile&) = delete;
    IndexFile& operator=(const IndexFile&) = delete;
    ~IndexFile();

    // Opens or creates the file and returns its whole content.
    Result<std::vector<uint8_t>> open(std::string path);
    // Writes one entry of entrySize bytes in slot `slot`.
    Status writeEntry(size_t slot, std::span<const uint8_t> entry);
    Status rewrite(std::span<const uint8_t> content);
    Status flush();
    Status deleteFile();
    const std::string& path() const { return path_; }

  private:
    std::string path_;
    int fd_ = -1;
};

}  // namespace bs::broker
