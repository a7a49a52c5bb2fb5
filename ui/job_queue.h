#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace bs::ui {

// A worker thread that runs jobs in submission order, so the GUI thread never waits on
// Producer::send (max.block.ms), flush() or start-up. Jobs must not touch widgets; they report
// back through queued signals.
class JobQueue {
  public:
    explicit JobQueue(std::string name);
    ~JobQueue();  // runs the jobs already queued, then joins
    JobQueue(const JobQueue&) = delete;
    JobQueue& operator=(const JobQueue&) = delete;

    void post(std::function<void()> job);
    // Jobs waiting (not counting the one running).
    size_t pending() const;
    // Drops the jobs not yet started.
    void clear();

  private:
    void run();

    mutable std::mutex mu_;
    std::condition_variable cv_;
    std::deque<std::function<void()>> jobs_;  // guarded by mu_
    bool stopping_ = false;                   // guarded by mu_
    std::thread thread_;
};

}  // namespace bs::ui
