#include "broker/storage/file_io.h"

#include <fcntl.h>
#include <sys/stat.h>
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

}  // namespace bs::broker::fileio
