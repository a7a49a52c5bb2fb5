#include "broker/storage/index_file.h"

#include "broker/storage/file_io.h"

namespace bs::broker {

IndexFile::~IndexFile() {
    seal();
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

namespace {

Error sealedError(const std::string& path) {
    return Error{"index " + path + " belongs to a rolled segment and takes no more writes"};
}

}  // namespace

Status IndexFile::writeEntry(size_t slot, std::span<const uint8_t> entry) {
    if (fd_ < 0) return sealedError(path_);
    if (!pending_.empty() &&
        (entry.size() != entrySize_ || slot != pendingSlot_ + pending_.size() / entrySize_)) {
        if (auto s = writePending(); !s) return s;
    }
    if (pending_.empty()) {
        pendingSlot_ = slot;
        entrySize_ = entry.size();
    }
    pending_.insert(pending_.end(), entry.begin(), entry.end());
    return pending_.size() >= kPendingBytes ? writePending() : Status::success();
}

Status IndexFile::writePending() {
    if (pending_.empty()) return Status::success();
    auto written =
        fileio::writeAt(fd_, path_, static_cast<int64_t>(pendingSlot_ * entrySize_), pending_);
    pending_.clear();
    return written;
}

Status IndexFile::rewrite(std::span<const uint8_t> content) {
    if (fd_ < 0) return sealedError(path_);
    pending_.clear();  // the new content replaces them
    auto truncated = fileio::truncate(fd_, path_, 0);
    if (!truncated) return truncated;
    return fileio::writeAt(fd_, path_, 0, content);
}

Status IndexFile::flush() {
    if (fd_ < 0) return Status::success();
    if (auto s = writePending(); !s) return s;
    return fileio::sync(fd_, path_);
}

void IndexFile::seal() {
    if (fd_ >= 0) (void)writePending();  // a failure leaves what recovery rebuilds
    fileio::closeQuietly(fd_);
    fd_ = -1;
}

Status IndexFile::deleteFile() {
    pending_.clear();
    return fileio::removeFile(path_);
}

}  // namespace bs::broker
