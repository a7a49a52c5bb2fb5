#include "broker/storage/index_file.h"

#include "broker/storage/file_io.h"

namespace bs::broker {

IndexFile::~IndexFile() {
    fileio::closeQuietly(fd_);
}

Result<std::vector<uint8_t>> IndexFile::open(std::string path) {
    path_ = std::move(path);
    auto fd = fileio::openReadWrite(path_, /*create=*/true);
    if (!fd) return fd.error();
    fd_ = *fd;
    auto size = fileio::fileSize(fd_, path_);
    if (!size) return size.error();
    std::vector<uint8_t> bytes(static_cast<size_t>(*size));
    auto got = fileio::readAt(fd_, path_, 0, bytes);
    if (!got) return got.error();
    bytes.resize(*got);
    return bytes;
}

Status IndexFile::writeEntry(size_t slot, std::span<const uint8_t> entry) {
    return fileio::writeAt(fd_, path_, static_cast<int64_t>(slot * entry.size()), entry);
}

Status IndexFile::rewrite(std::span<const uint8_t> content) {
    auto truncated = fileio::truncate(fd_, path_, 0);
    if (!truncated) return truncated;
    return fileio::writeAt(fd_, path_, 0, content);
}

Status IndexFile::flush() {
    return fileio::sync(fd_, path_);
}

Status IndexFile::deleteFile() {
    return fileio::removeFile(path_);
}

}  // namespace bs::broker
