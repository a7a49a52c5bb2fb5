#pragma once

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <cstddef>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

namespace bs::broker {

// The cluster's network threads (Kafka: the SocketServer's Processors, num.network.threads):
// each thread runs an io_context of its own, and each new connection is handed to the next
// one in turn. A connection's handlers so always run on one thread, which is what makes its
// state lock-free, and no thread wakes or locks against another to run them (with one
// io_context shared by all threads, every completion could wake a sleeping thread: futex and
// epoll_ctl calls per request in perf).
// Context 0 also serves the listeners and the cluster's timers.
// Thread-safety: contexts and the round-robin counter may be used from any thread; start()
// and stop() are called by the cluster's owner, once each.
class ProcessorPool {
  public:
    explicit ProcessorPool(int threads);
    ~ProcessorPool();
    ProcessorPool(const ProcessorPool&) = delete;
    ProcessorPool& operator=(const ProcessorPool&) = delete;

    // Where listeners and timers run.
    boost::asio::io_context& control() { return *contexts_.front(); }
    // The context the next accepted connection runs on.
    boost::asio::io_context& nextForConnection();

    void start();
    // Lets the threads run out of work and joins them, then runs what the closes left on
    // this thread, so every handler (and the connection it keeps) is gone on return.
    void stop();

  private:
    using Guard = boost::asio::executor_work_guard<boost::asio::io_context::executor_type>;
    std::vector<std::unique_ptr<boost::asio::io_context>> contexts_;
    std::vector<std::optional<Guard>> work_;
    std::vector<std::thread> threads_;
    std::atomic<size_t> next_{0};
};

}  // namespace bs::broker
