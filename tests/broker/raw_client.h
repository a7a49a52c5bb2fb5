#pragma once

// Raw TCP clients for the broker's abuse tests: connections that announce frames and stall,
// never read, or just open and drop; and a well-behaved client that sends one ApiVersions or
// Metadata request and waits for its answer. Blocking POSIX sockets, bounded by poll().
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace bs::test {

// An owned socket; -1 when connecting failed.
class RawSocket {
  public:
    RawSocket() = default;
    explicit RawSocket(int fd) : fd_(fd) {}
    RawSocket(RawSocket&& o) noexcept : fd_(o.fd_) { o.fd_ = -1; }
    RawSocket& operator=(RawSocket&& o) noexcept {
        if (this != &o) {
            reset();
            fd_ = o.fd_;
            o.fd_ = -1;
        }
        return *this;
    }
    ~RawSocket() { reset(); }
    void reset() {
        if (fd_ >= 0) ::close(fd_);
        fd_ = -1;
    }
    int fd() const { return fd_; }
    bool ok() const { return fd_ >= 0; }

  private:
    int fd_ = -1;
};

// `receiveBuffer` > 0 shrinks SO_RCVBUF before connecting (a slow reader).
inline RawSocket connectTo(uint16_t port, int receiveBuffer = 0) {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return RawSocket();
    if (receiveBuffer > 0) {
        ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &receiveBuffer, sizeof receiveBuffer);
    }
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        ::close(fd);
        return RawSocket();
    }
    return RawSocket(fd);
}

inline void appendBe32(std::vector<uint8_t>& out, uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8)
        out.push_back(static_cast<uint8_t>(v >> shift));
}

inline bool sendAll(const RawSocket& s, const std::vector<uint8_t>& bytes) {
    size_t sent = 0;
    while (sent < bytes.size()) {
        const ssize_t n = ::send(s.fd(), bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) return false;
        sent += static_cast<size_t>(n);
    }
    return true;
}

// The 4-byte size prefix announcing a frame of `size` bytes, then `bodyBytes` zero bytes of it.
inline std::vector<uint8_t> announce(uint32_t size, size_t bodyBytes = 0) {
    std::vector<uint8_t> out;
    appendBe32(out, size);
    out.resize(out.size() + bodyBytes, 0);
    return out;
}

// A v0 request frame with no body fields beyond `fields`: api key, version 0, correlation id,
// null client id.
inline std::vector<uint8_t> requestV0(int16_t apiKey, int32_t correlationId,
                                      const std::vector<uint8_t>& fields = {}) {
    std::vector<uint8_t> body{static_cast<uint8_t>(apiKey >> 8), static_cast<uint8_t>(apiKey), 0,
                              0};
    appendBe32(body, static_cast<uint32_t>(correlationId));
    body.push_back(0xff);  // client id: null
    body.push_back(0xff);
    body.insert(body.end(), fields.begin(), fields.end());
    std::vector<uint8_t> frame;
    appendBe32(frame, static_cast<uint32_t>(body.size()));
    frame.insert(frame.end(), body.begin(), body.end());
    return frame;
}

inline std::vector<uint8_t> apiVersionsRequest(int32_t correlationId) {
    return requestV0(18, correlationId);
}

// Metadata v0 for one topic.
inline std::vector<uint8_t> metadataRequest(int32_t correlationId, const std::string& topic) {
    std::vector<uint8_t> fields;
    appendBe32(fields, 1);
    fields.push_back(static_cast<uint8_t>(topic.size() >> 8));
    fields.push_back(static_cast<uint8_t>(topic.size()));
    fields.insert(fields.end(), topic.begin(), topic.end());
    return requestV0(3, correlationId, fields);
}

// Reads exactly n bytes within the time left; false on close, error or timeout.
inline bool readExactly(const RawSocket& s, uint8_t* out, size_t n,
                        std::chrono::steady_clock::time_point deadline) {
    size_t got = 0;
    while (got < n) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) return false;
        pollfd p{s.fd(), POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
        const ssize_t r = ::recv(s.fd(), out + got, n - got, 0);
        if (r <= 0) return false;
        got += static_cast<size_t>(r);
    }
    return true;
}

// Sends `frame` on a new connection and waits for the response carrying `correlationId`.
inline bool served(uint16_t port, const std::vector<uint8_t>& frame, int32_t correlationId,
                   std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    RawSocket s = connectTo(port);
    if (!s.ok() || !sendAll(s, frame)) return false;
    uint8_t head[8];
    if (!readExactly(s, head, sizeof head, deadline)) return false;
    const int32_t correlation = static_cast<int32_t>(
        (uint32_t{head[4]} << 24) | (uint32_t{head[5]} << 16) | (uint32_t{head[6]} << 8) | head[7]);
    return correlation == correlationId;
}

inline bool apiVersionsServed(uint16_t port) {
    return served(port, apiVersionsRequest(4242), 4242);
}

// True once the broker closed the connection (EOF or reset) within `timeout`; false if it is
// still open then. Discards what arrives.
inline bool closedByPeer(const RawSocket& s, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) return false;
        pollfd p{s.fd(), POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
        char buf[4096];
        if (::recv(s.fd(), buf, sizeof buf, 0) <= 0) return true;
    }
}

}  // namespace bs::test
