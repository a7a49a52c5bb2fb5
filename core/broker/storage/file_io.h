#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>

#include "common/result.h"

// Thin POSIX file helpers for the log: whole-buffer pread/pwrite that retry short transfers and
// EINTR, and errors that name the file and the errno text.
namespace bs::broker::fileio {

// Opens (O_RDWR | O_CLOEXEC, plus O_CREAT when `create`) and returns the descriptor.
Result<int> openReadWrite(const std::string& path, bool create);
Result<int64_t> fileSize(int fd, const std::string& path);
// Reads up to out.size() bytes at `position`; fewer only at end of file. Returns the count.
Result<size_t> readAt(int fd, const std::string& path, int64_t position, std::span<uint8_t> out);
Status writeAt(int fd, const std::string& path, int64_t position, std::span<const uint8_t> data);
// writeAt of `data` followed by `zeros` zero bytes (at most kMaxZeroFill), in one pwritev.
inline constexpr size_t kMaxZeroFill = size_t{256} << 10;
Status writeAtThenZeros(int fd, const std::string& path, int64_t position,
                        std::span<const uint8_t> data, size_t zeros);
Status truncate(int fd, const std::string& path, int64_t size);
Status sync(int fd, const std::string& path);
Status removeFile(const std::string& path);
void closeQuietly(int fd);
// Replaces `path` with `text` so that a crash leaves the old or the new content, never a torn
// one: written to `path`.tmp, synced, renamed over `path`, and the directory entry synced.
Status replaceFileDurably(const std::filesystem::path& path, const std::string& text);
// "<what> <path>: <strerror(errno)>" from the current errno.
Error errnoError(const char* what, const std::string& path);

// Big-endian field access for the index formats.
inline void storeBE32(uint8_t* p, uint32_t v) {
    p[0] = static_cast<uint8_t>(v >> 24);
    p[1] = static_cast<uint8_t>(v >> 16);
    p[2] = static_cast<uint8_t>(v >> 8);
    p[3] = static_cast<uint8_t>(v);
}
inline uint32_t loadBE32(const uint8_t* p) {
    return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3];
}

}  // namespace bs::broker::fileio
