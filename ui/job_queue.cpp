#include "job_queue.h"

#include <pthread.h>

namespace bs::ui {

JobQueue::JobQueue(std::string name) {
    thread_ = std::thread([this, name = std::move(name)] {
        pthread_setname_np(pthread_self(), name.substr(0, 15).c_str());
        run();
    });
}

JobQueue::~JobQueue() {
    {
        std::lock_guard lock(mu_);
        stopping_ = true;
    }
    cv_.notify_all();
    thread_.join();
}

void JobQueue::post(std::function<void()> job) {
    {
        std::lock_guard lock(mu_);
        jobs_.push_back(std::move(job));
    }
    cv_.notify_one();
}

size_t JobQueue::pending() const {
    std::lock_guard lock(mu_);
    return jobs_.size();
}

void JobQueue::clear() {
    std::lock_guard lock(mu_);
    jobs_.clear();
}

void JobQueue::run() {
    for (;;) {
        std::function<void()> job;
        {
            std::unique_lock lock(mu_);
            cv_.wait(lock, [&] { return stopping_ || !jobs_.empty(); });
            if (jobs_.empty()) return;  // stopping and drained
            job = std::move(jobs_.front());
            jobs_.pop_front();
        }
        job();
    }
}

}  // namespace bs::ui
