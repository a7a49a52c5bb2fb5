#include "broker/processor_pool.h"

#include <algorithm>

namespace bs::broker {

ProcessorPool::ProcessorPool(int threads) {
    const int n = std::max(threads, 1);
    for (int i = 0; i < n; ++i) {
        // Concurrency hint 1: one thread runs it, so Asio skips waking others for more work.
        contexts_.push_back(std::make_unique<boost::asio::io_context>(1));
        work_.emplace_back(contexts_.back()->get_executor());
    }
}

ProcessorPool::~ProcessorPool() {
    stop();
}

boost::asio::io_context& ProcessorPool::nextForConnection() {
    return *contexts_[next_.fetch_add(1, std::memory_order_relaxed) % contexts_.size()];
}

void ProcessorPool::start() {
    for (auto& c : contexts_)
        threads_.emplace_back([&io = *c] { io.run(); });
}

void ProcessorPool::stop() {
    for (auto& w : work_)
        w.reset();
    for (auto& t : threads_)
        t.join();
    threads_.clear();
    for (auto& c : contexts_) {
        c->restart();
        c->run();
    }
}

}  // namespace bs::broker
