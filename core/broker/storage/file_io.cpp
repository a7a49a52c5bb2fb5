#include "broker/storage/file_io.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace bs::broker::fileio {

Error errnoError(const char* what, const std::string& path) {
    return Error{std::string(what) + " " + path + ": " + std::strerror(errno)};
}

Result<int> openReadWrite(const std::string& path, bool create) {
    int flags = O_RDWR | O_CLOEXEC | (create ? O_CREAT : 0);
    int fd = ::open(path.c_str(), flags, 0644);
    if (fd < 0) return errnoError("cannot open", path);
    return fd;
}

Result<int64_t> fileSize(int fd, const std::string& path) {
    struct stat st {};
    if (::fstat(fd, &st) != 0) return errnoError("cannot stat", path);
    return static_cast<int64_t>(st.st_size);
}

Result<size_t> readAt(int fd, const std::string& path, int64_t position, std::span<uint8_t> out) {
    size_t done = 0;
    while (done < out.size()) {
        ssize_t n = ::pread(fd, out.data() + done, out.size() - done,
                            static_cast<off_t>(position + static_cast<int64_t>(done)));
        if (n < 0) {
            if (errno == EINTR) continue;
            return errnoError("cannot read", path);
        }
        if (n == 0) break;  // end of file
        done += static_cast<size_t>(n);
    }
    return done;
}

Status writeAt(int fd, const std::string& path, int64_t position, std::span<const uint8_t> data) {
    size_t done = 0;
    while (done < data.size()) {
        ssize_t n = ::pwrite(fd, data.data() + done, data.size() - done,
                             static_cast<off_t>(position + static_cast<int64_t>(done)));
        if (n < 0) {
            if (errno == EINTR) continue;
            return errnoError("cannot write", path);
        }
        done += static_cast<size_t>(n);
    }
    return Status::success();
}

Status writeAtThenZeros(int fd, const std::string& path, int64_t position,
                        std::span<const uint8_t> data, size_t zeros) {
    // Never written, so it stays the kernel's shared zero page: no memory, always in cache.
    static const uint8_t kZeros[kMaxZeroFill]{};
    if (zeros > kMaxZeroFill) return Error{"cannot write " + path + ": zero fill too long"};
    const size_t total = data.size() + zeros;
    size_t done = 0;
    while (done < total) {
        iovec parts[2];
        int count = 0;
        if (done < data.size()) {
            parts[count++] = {const_cast<uint8_t*>(data.data() + done), data.size() - done};
        }
        const size_t zerosDone = done > data.size() ? done - data.size() : 0;
        if (zerosDone < zeros) {
            parts[count++] = {const_cast<uint8_t*>(kZeros), zeros - zerosDone};
        }
        ssize_t n =
            ::pwritev(fd, parts, count, static_cast<off_t>(position + static_cast<int64_t>(done)));
        if (n < 0) {
            if (errno == EINTR) continue;
            return errnoError("cannot write", path);
        }
        done += static_cast<size_t>(n);
    }
    return Status::success();
}

Status truncate(int fd, const std::string& path, int64_t size) {
    while (::ftruncate(fd, static_cast<off_t>(size)) != 0) {
        if (errno != EINTR) return errnoError("cannot truncate", path);
    }
    return Status::success();
}

Status sync(int fd, const std::string& path) {
    if (::fsync(fd) != 0) return errnoError("cannot fsync", path);
    return Status::success();
}

Status removeFile(const std::string& path) {
    if (::unlink(path.c_str()) != 0 && errno != ENOENT) return errnoError("cannot delete", path);
    return Status::success();
}

void closeQuietly(int fd) {
    if (fd >= 0) ::close(fd);
}

Status replaceFileDurably(const std::filesystem::path& path, const std::string& text) {
    const auto tmp = path.string() + ".tmp";
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return Error{"cannot write " + tmp + ": " + std::strerror(errno)};
    size_t done = 0;
    while (done < text.size()) {
        ssize_t n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            int e = errno;
            ::close(fd);
            return Error{"cannot write " + tmp + ": " + std::strerror(e)};
        }
        done += static_cast<size_t>(n);
    }
    if (::fsync(fd) != 0 || ::close(fd) != 0) {
        return Error{"cannot sync " + tmp + ": " + std::strerror(errno)};
    }
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        return Error{"cannot rename " + tmp + ": " + std::strerror(errno)};
    }
    // The rename itself must survive a crash: sync the directory entry.
    int dfd = ::open(path.parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        ::fsync(dfd);
        ::close(dfd);
    }
    return {};
}

}  // namespace bs::broker::fileio
