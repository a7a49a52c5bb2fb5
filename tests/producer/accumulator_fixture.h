#pragma once

// Shared set-up for the RecordAccumulator tests: a MockClock, a BufferPool, a fixed cluster
// (topic "t": p0 and p2 led by node 0, p1 by node 1, p3 leaderless) and small records.

#include <map>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "producer/buffer_pool.h"
#include "producer/record_accumulator.h"
#include "static_cluster.h"
#include "support/mock_clock.h"

namespace bs::producer::test {

inline RecordAccumulator::Config smallConfig() {
    RecordAccumulator::Config c;
    c.batchSize = 1024;
    c.lingerMs = 10;
    c.retryBackoffMs = 100;
    c.retryBackoffMaxMs = 1000;
    c.retryBackoffJitter = 0;  // exact backoffs for the assertions
    c.deliveryTimeoutMs = 1000;
    c.enableAdaptivePartitioning = false;
    return c;
}

struct AccumulatorFixture {
    explicit AccumulatorFixture(RecordAccumulator::Config config = smallConfig(),
                                int64_t bufferMemory = 64 * 1024,
                                ProducerStateProvider* state = nullptr,
                                EventStream* events = nullptr)
        : pool(bufferMemory, config.batchSize, clock),
          acc(config, pool, clock, state, events),
          value(100, 'v') {
        cluster.addTopic("t", {0, 1, 0, -1});
    }

    // Appends one 100-byte-value record; its callback records (offset, error) per call.
    Result<RecordAccumulator::RecordAppendResult> append(int32_t partition,
                                                         bool abortOnNewBatch = false) {
        const int id = nextId++;
        Callback cb = [this, id](const RecordMetadata& md, const Error* error) {
            completions.push_back({id, md.offset, error ? error->message : std::string()});
        };
        const std::span<const uint8_t> v(reinterpret_cast<const uint8_t*>(value.data()),
                                         value.size());
        return acc.append("t", partition, clock.wallMs(), std::nullopt, v, {}, std::move(cb), 0,
                          abortOnNewBatch, clock.nowMs(), cluster);
    }
    // append() that must succeed (a failure throws, failing the test).
    void add(int32_t partition) {
        auto r = append(partition);
        if (!r.ok()) throw std::runtime_error("append failed: " + r.error().message);
    }
    // Appends until a record no longer fits the partition's open batch: that batch is then
    // closed and the record opened a new one. Returns the closed batch's record count.
    int fillBatch(int32_t partition) {
        for (int n = 1; n < 1000; ++n) {
            auto r = append(partition);
            if (!r.ok()) return -1;
            if (r->newBatchCreated && n > 1) return n - 1;
        }
        return -1;
    }

    struct Completion {
        int id;
        int64_t offset;
        std::string error;
    };

    MockClock clock;
    BufferPool pool;
    RecordAccumulator acc;
    StaticCluster cluster;
    std::string value;
    int nextId = 0;
    std::vector<Completion> completions;
};

// A small TransactionManager stand-in with the real bookkeeping the accumulator relies on:
// producer id/epoch, next sequence per partition and in-flight batches. Single-threaded tests.
class SequenceState final : public ProducerStateProvider {
  public:
    ProducerIdAndEpoch pidEpoch{1000, 0};
    std::map<TopicPartition, int32_t> next;
    std::map<TopicPartition, std::set<int32_t>> inFlight;  // base sequences

    ProducerIdAndEpoch producerIdAndEpoch() const override { return pidEpoch; }
    bool hasInflightBatches(const TopicPartition& tp) const override {
        auto it = inFlight.find(tp);
        return it != inFlight.end() && !it->second.empty();
    }
    bool hasStaleProducerIdAndEpoch(const TopicPartition&) const override { return false; }
    bool hasUnresolvedSequence(const TopicPartition&) const override { return false; }
    int32_t firstInFlightSequence(const TopicPartition& tp) const override {
        auto it = inFlight.find(tp);
        return it == inFlight.end() || it->second.empty() ? -1 : *it->second.begin();
    }
    void maybeUpdateProducerIdAndEpoch(const TopicPartition&) override {}
    int32_t sequenceNumber(const TopicPartition& tp) const override {
        auto it = next.find(tp);
        return it == next.end() ? 0 : it->second;
    }
    void incrementSequenceNumber(const TopicPartition& tp, int32_t n) override { next[tp] += n; }
    void addInFlightBatch(const ProducerBatchPtr& batch) override {
        inFlight[batch->topicPartition()].insert(batch->baseSequence());
    }
    void complete(const ProducerBatchPtr& batch) {
        inFlight[batch->topicPartition()].erase(batch->baseSequence());
    }
};

}  // namespace bs::producer::test
