#include "broker/processor_pool.h"

#include <pthread.h>

#include <algorithm>
#include <string>

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
    for (size_t i = 0; i < contexts_.size(); ++i)
        threads_.emplace_back([&io = *contexts_[i], i] {
            // Named for top -H, perf and the ingest bench's CPU accounting.
            const std::string name = "bs-network-" + std::to_string(i);
            pthread_setname_np(pthread_self(), name.c_str());
            io.run();
        });
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
