#pragma once

// The parts of `batchscope-cli soak` that are not command-line handling: the seeded fault
// schedule, the thread that applies it to the embedded cluster, and the check of what the
// consumer read back (each key's records once each, in the order they were sent).

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <random>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "broker/cluster_control.h"
#include "protocol/errors.h"

namespace bs::cli::soak {

enum class FaultType {
    NodeDown,      // a node is taken down, then brought up again
    SlowNode,      // a node answers later than the producer's request.timeout.ms
    LeaderMove,    // a partition's leadership moves to another node (epoch bumped)
    ProduceError,  // the next Produce requests on a partition's leader fail with a retriable error
};

struct FaultKind {
    FaultType type;
    protocol::ErrorCode error = protocol::ErrorCode::NONE;  // ProduceError only
    std::string name;                                       // as the faults line prints it
};

// Every kind the schedule uses, in the order the faults line prints them: node-down, slow-node,
// leader-move, then each retriable error a Produce response can carry.
const std::vector<FaultKind>& faultKinds();

// One scheduled fault.
struct FaultStep {
    size_t kind = 0;        // index into faultKinds()
    int64_t afterMs = 0;    // pause since the previous step was applied
    int32_t node = 0;       // NodeDown, SlowNode: the node
    int32_t partition = 0;  // LeaderMove, ProduceError: the partition whose leader it hits
    int32_t hop = 1;        // LeaderMove: the new leader is this many nodes past the old one
    int64_t holdMs = 0;     // NodeDown, SlowNode: reverted this long after being applied
    int64_t latencyMs = 0;  // SlowNode: added to each response
    int errorCount = 0;     // ProduceError: how many requests get the error
};

// The schedule: a pure function of the seed and the cluster's shape. Each round is every kind
// once, in an order shuffled by the seed, so the first faultKinds().size() steps cover them all.
class FaultPlan {
  public:
    FaultPlan(uint64_t seed, int32_t nodes, int32_t partitions, int64_t requestTimeoutMs);
    FaultStep next();

  private:
    std::mt19937_64 rng_;
    const int32_t nodes_, partitions_;
    const int64_t requestTimeoutMs_;
    std::vector<size_t> round_;            // kinds left in this round, taken from the back
    int64_t pick(int64_t lo, int64_t hi);  // uniform in [lo, hi]
};

// Applies a FaultPlan to the embedded cluster on its own thread ("soak-faults"), reverts each
// timed fault after its hold, and counts by kind the faults that took effect: a node down or
// slowed and a leader moved when applied, an injected error once a request was answered with
// it. One thread drives it (start, waitForSteps, stop); the fault thread owns the schedule and
// the bookkeeping, guarded by mu_.
class FaultDriver {
  public:
    FaultDriver(broker::ClusterControl& control, std::string topic, FaultPlan plan);
    ~FaultDriver();
    FaultDriver(const FaultDriver&) = delete;
    FaultDriver& operator=(const FaultDriver&) = delete;

    void start();
    // Blocks until at least `steps` steps were applied (or the driver stopped).
    void waitForSteps(uint64_t steps);
    // Stops the schedule and reverts what is still in force: every node up and at full speed,
    // injected errors not yet answered withdrawn (and not counted). Idempotent.
    void stop();
    // Faults that took effect, indexed like faultKinds(). Final after stop().
    std::vector<uint64_t> counts() const;
    // The first control call that failed, if any (the soak then reports it).
    std::string firstError() const;

  private:
    struct Pending {  // a fault to revert at `dueMs` (since start)
        int64_t dueMs;
        FaultType type;
        int32_t node;
    };
    struct Armed {  // an error injection not yet seen fully answered
        size_t kind;
        int count;
        bool counted;
    };
    void run();
    void apply(const FaultStep& step, int64_t atMs);  // mu_ held
    void revert(const Pending& p);                    // mu_ held
    void revertAll();                                 // mu_ held
    void accountErrors();                             // mu_ held
    int32_t leaderOf(int32_t partition) const;
    void note(const Status& s);  // mu_ held
    int64_t nowMs() const;

    broker::ClusterControl& control_;
    const std::string topic_;
    const std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
    std::thread thread_;

    mutable std::mutex mu_;
    std::condition_variable cv_;
    FaultPlan plan_;                        // guarded by mu_
    bool stopping_ = false;                 // guarded by mu_
    bool stopped_ = false;                  // guarded by mu_
    uint64_t stepsApplied_ = 0;             // guarded by mu_
    std::vector<Pending> pending_;          // guarded by mu_
    std::vector<std::deque<Armed>> armed_;  // per node, in injection order; guarded by mu_
    std::vector<uint64_t> counts_;          // guarded by mu_
    std::string firstError_;                // guarded by mu_
};

// The records of the soak: key "k<i>" for i in [0, keys), value "k<i>#<seq>" where seq counts
// that key's records from 0 in send order.
std::string keyText(int32_t key);
std::string valueText(int32_t key, int64_t seq);

// What the read-back found, from the records of every partition in offset order (a key always
// lands in one partition). A record is duplicated when its (key, seq) was read before, and
// reordered when a later seq of its key was read before it; a sent record never read is lost;
// a record that is not a soak record of this run is unexpected.
class OrderCheck {
  public:
    explicit OrderCheck(std::vector<int64_t> sentPerKey);
    void add(std::string_view key, std::string_view value);

    int64_t lost() const;
    int64_t duplicated() const { return duplicated_; }
    int64_t reordered() const { return reordered_; }
    int64_t unexpected() const { return unexpected_; }

  private:
    std::vector<int64_t> sent_;
    std::vector<std::vector<bool>> seen_;  // per key, per seq
    std::vector<int64_t> highest_;         // per key, the highest seq read so far (-1: none)
    int64_t distinct_ = 0, duplicated_ = 0, reordered_ = 0, unexpected_ = 0;
};

}  // namespace bs::cli::soak
