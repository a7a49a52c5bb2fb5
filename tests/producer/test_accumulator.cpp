#include <QtTest>

#include "accumulator_fixture.h"
#include "protocol/record/record_batch.h"

using namespace bs::producer;
using namespace bs::producer::test;

namespace {

const TopicPartition tp0{"t", 0}, tp1{"t", 1}, tp2{"t", 2}, tp3{"t", 3};

std::set<int32_t> nodes(std::initializer_list<int32_t> n) {
    return std::set<int32_t>(n);
}

}  // namespace

class AccumulatorTest : public QObject {
    Q_OBJECT
  private slots:
    void lingerNotExpiredIsNotReady() {
        AccumulatorFixture f;
        auto r = f.append(0);
        QVERIFY(r.ok());
        QVERIFY(r->newBatchCreated);
        QVERIFY(!r->batchIsFull);
        QCOMPARE(r->partition, 0);
        auto ready = f.acc.ready(f.cluster, f.clock.nowMs());
        QVERIFY(ready.readyNodes.empty());
        QCOMPARE(ready.nextReadyCheckDelayMs, int64_t{10});
        f.clock.sleepMs(4);
        QCOMPARE(f.acc.ready(f.cluster, f.clock.nowMs()).nextReadyCheckDelayMs, int64_t{6});
        f.clock.sleepMs(6);  // linger.ms passed
        QCOMPARE(f.acc.ready(f.cluster, f.clock.nowMs()).readyNodes, nodes({0}));
    }

    void fullBatchIsReady() {
        AccumulatorFixture f;
        const int n = f.fillBatch(1);
        QVERIFY2(n == 8, std::to_string(n).c_str());  // 61 + 8 * 108 bytes <= 1024
        // The record that did not fit opened a second batch; a deque with two batches is
        // sendable at once (Java: full = deque.size() > 1 || batch.isFull()).
        QCOMPARE(f.acc.ready(f.cluster, f.clock.nowMs()).readyNodes, nodes({1}));
        QCOMPARE(f.acc.queuedBatches(tp1), size_t{2});
        auto r = f.append(1);
        QVERIFY(!r->newBatchCreated);
        QVERIFY(r->batchIsFull);
        auto snap = f.acc.snapshotPartitions();
        QCOMPARE(snap.size(), size_t{1});
        QCOMPARE(snap[0].batches.size(), size_t{2});
        QVERIFY(snap[0].batches[0].state == BatchState::Closed);
        QVERIFY(snap[0].batches[1].state == BatchState::Open);
        QCOMPARE(snap[0].batches[0].recordCount, n);
        QCOMPARE(snap[0].batches[1].recordCount, 2);
        QCOMPARE(snap[0].batches[0].capacity, int64_t{1024});
    }

    void flushMakesEverythingReady() {
        AccumulatorFixture f;
        f.add(0);
        f.add(1);
        QVERIFY(f.acc.ready(f.cluster, f.clock.nowMs()).readyNodes.empty());
        f.acc.beginFlush();
        QVERIFY(f.acc.flushInProgress());
        QCOMPARE(f.acc.ready(f.cluster, f.clock.nowMs()).readyNodes, nodes({0, 1}));
        auto drained = f.acc.drain(f.cluster, nodes({0, 1}), 1 << 20, f.clock.nowMs());
        for (auto& [node, batches] : drained)
            for (auto& b : batches) {
                b->complete(100, -1);
                f.acc.deallocate(b);
            }
        f.acc.awaitFlushCompletion();  // everything is complete: returns at once
        QVERIFY(!f.acc.flushInProgress());
        QVERIFY(!f.acc.hasIncomplete());
        QCOMPARE(f.completions.size(), size_t{2});
    }

    void closedAccumulatorIsReadyAndRejectsAppends() {
        AccumulatorFixture f;
        f.add(0);
        f.acc.close();
        QCOMPARE(f.acc.ready(f.cluster, f.clock.nowMs()).readyNodes, nodes({0}));
        auto r = f.append(0);
        QVERIFY(!r.ok());
        QVERIFY(r.error().message.find("closed") != std::string::npos);
    }

    // Memory exhausted: a thread waits for buffer memory, so every partition is sendable.
    void exhaustedMemoryMakesReady() {
        auto config = smallConfig();
        AccumulatorFixture f(config, 2 * 1024);
        f.add(0);
        f.add(2);
        QVERIFY(f.acc.ready(f.cluster, f.clock.nowMs()).readyNodes.empty());
        std::atomic<bool> appended{false};
        std::thread blocked([&] {
            const std::string v(100, 'x');
            const std::span<const uint8_t> bytes(reinterpret_cast<const uint8_t*>(v.data()),
                                                 v.size());
            auto r = f.acc.append("t", 1, 0, std::nullopt, bytes, {}, Callback{}, 600000, false,
                                  f.clock.nowMs(), f.cluster);
            appended = r.ok();
        });
        for (int i = 0; i < 20000 && f.pool.queued() == 0; ++i)
            std::this_thread::sleep_for(std::chrono::microseconds(500));
        QCOMPARE(f.pool.queued(), 1);
        QCOMPARE(f.acc.ready(f.cluster, f.clock.nowMs()).readyNodes, nodes({0}));
        auto drained = f.acc.drain(f.cluster, nodes({0}), 1 << 20, f.clock.nowMs());
        QCOMPARE(drained[0].size(), size_t{2});
        for (auto& b : drained[0]) {
            b->complete(0, -1);
            f.acc.deallocate(b);  // memory back: the blocked append proceeds
        }
        blocked.join();
        QVERIFY(appended);
        QCOMPARE(f.acc.queuedBatches(tp1), size_t{1});
    }

    void appendFailsAfterMaxBlockWhenMemoryIsExhausted() {
        AccumulatorFixture f(smallConfig(), 1024);
        QVERIFY(f.append(0).ok());
        auto r = f.append(1);  // maxTimeToBlock 0, the only buffer is in use
        QVERIFY(!r.ok());
        QVERIFY2(r.error().message.find("max.block.ms") != std::string::npos &&
                     r.error().message.find("buffer.memory") != std::string::npos,
                 r.error().message.c_str());
        QCOMPARE(f.acc.queuedBatches(tp1), size_t{0});
        QCOMPARE(f.pool.availableMemory(), int64_t{0});
    }

    void retryBackoffDelaysReadiness() {
        auto config = smallConfig();
        config.lingerMs = 0;
        AccumulatorFixture f(config);
        f.add(0);
        auto batches = f.acc.drain(f.cluster, nodes({0}), 1 << 20, f.clock.nowMs())[0];
        QCOMPARE(batches.size(), size_t{1});
        auto batch = batches[0];
        QVERIFY(batch->state() == BatchState::InFlight);
        f.acc.reenqueue(batch, f.clock.nowMs());
        QVERIFY(batch->state() == BatchState::Retrying);
        QCOMPARE(batch->attempts(), 1);
        auto ready = f.acc.ready(f.cluster, f.clock.nowMs());
        QVERIFY(ready.readyNodes.empty());
        QCOMPARE(ready.nextReadyCheckDelayMs, int64_t{100});  // retry.backoff.ms
        QVERIFY(f.acc.drain(f.cluster, nodes({0}), 1 << 20, f.clock.nowMs())[0].empty());
        f.clock.sleepMs(99);
        QVERIFY(f.acc.ready(f.cluster, f.clock.nowMs()).readyNodes.empty());
        f.clock.sleepMs(1);
        QCOMPARE(f.acc.ready(f.cluster, f.clock.nowMs()).readyNodes, nodes({0}));
        batches = f.acc.drain(f.cluster, nodes({0}), 1 << 20, f.clock.nowMs())[0];
        QCOMPARE(batches.size(), size_t{1});
        // Second retry: exponential, 200 ms; capped by retry.backoff.max.ms later.
        f.acc.reenqueue(batch, f.clock.nowMs());
        QCOMPARE(f.acc.ready(f.cluster, f.clock.nowMs()).nextReadyCheckDelayMs, int64_t{200});
        for (int i = 0; i < 5; ++i) {
            f.clock.sleepMs(2000);
            f.acc.drain(f.cluster, nodes({0}), 1 << 20, f.clock.nowMs());
            f.acc.reenqueue(batch, f.clock.nowMs());
        }
        QCOMPARE(f.acc.ready(f.cluster, f.clock.nowMs()).nextReadyCheckDelayMs, int64_t{1000});
    }

    void leaderChangeSkipsBackoff() {
        auto config = smallConfig();
        config.lingerMs = 0;
        AccumulatorFixture f(config);
        f.cluster.setLeaderEpoch(tp0, 1);
        f.add(0);
        auto batch = f.acc.drain(f.cluster, nodes({0}), 1 << 20, f.clock.nowMs())[0].at(0);
        f.acc.reenqueue(batch, f.clock.nowMs());
        QVERIFY(f.acc.ready(f.cluster, f.clock.nowMs()).readyNodes.empty());
        f.cluster.setLeaderEpoch(tp0, 2);  // a new leader: retry at once (KIP-951)
        QCOMPARE(f.acc.ready(f.cluster, f.clock.nowMs()).readyNodes, nodes({0}));
    }

    void drainRespectsMaxRequestSize() {
        AccumulatorFixture f;
        f.fillBatch(0);
        f.fillBatch(2);
        f.clock.sleepMs(10);
        // Room for one batch only: p0's.
        auto first = f.acc.drain(f.cluster, nodes({0}), 1500, f.clock.nowMs())[0];
        QCOMPARE(first.size(), size_t{1});
        QCOMPARE(first[0]->topicPartition(), tp0);
        QVERIFY(first[0]->isClosed());
        QCOMPARE(first[0]->records().size(), static_cast<size_t>(first[0]->estimatedSizeInBytes()));
        // The first batch always goes, even when larger than the limit.
        auto second = f.acc.drain(f.cluster, nodes({0}), 10, f.clock.nowMs())[0];
        QCOMPARE(second.size(), size_t{1});
        QCOMPARE(second[0]->topicPartition(), tp2);
        // Both fit a large request.
        AccumulatorFixture g;
        g.fillBatch(0);
        g.fillBatch(2);
        QCOMPARE(g.acc.drain(g.cluster, nodes({0}), 1 << 20, g.clock.nowMs())[0].size(), size_t{2});
    }

    // Each node rotates its start partition so no partition starves.
    void drainRotatesStartPartition() {
        AccumulatorFixture f;
        std::vector<int32_t> order;
        for (int round = 0; round < 4; ++round) {
            f.fillBatch(0);
            f.fillBatch(2);
            auto got = f.acc.drain(f.cluster, nodes({0}), 1, f.clock.nowMs())[0];
            QCOMPARE(got.size(), size_t{1});
            order.push_back(got[0]->topicPartition().partition);
            // Drain the other one too so both deques are refilled equally.
            auto rest = f.acc.drain(f.cluster, nodes({0}), 1, f.clock.nowMs())[0];
            QCOMPARE(rest.size(), size_t{1});
            order.push_back(rest[0]->topicPartition().partition);
        }
        // Strict alternation: p0, p2, p0, p2, ...
        for (size_t i = 0; i < order.size(); ++i)
            QCOMPARE(order[i], i % 2 == 0 ? 0 : 2);
    }

    void mutedPartitionsAreNeitherReadyNorDrained() {
        AccumulatorFixture f;
        f.fillBatch(0);
        f.acc.mutePartition(tp0);
        QVERIFY(f.acc.isMuted(tp0));
        QVERIFY(f.acc.ready(f.cluster, f.clock.nowMs()).readyNodes.empty());
        QVERIFY(f.acc.drain(f.cluster, nodes({0}), 1 << 20, f.clock.nowMs())[0].empty());
        QVERIFY(f.acc.snapshotPartitions().at(0).muted);
        f.acc.unmutePartition(tp0);
        QCOMPARE(f.acc.ready(f.cluster, f.clock.nowMs()).readyNodes, nodes({0}));
        QCOMPARE(f.acc.drain(f.cluster, nodes({0}), 1 << 20, f.clock.nowMs())[0].size(), size_t{1});
    }

    void unknownLeaderIsReported() {
        AccumulatorFixture f;
        f.fillBatch(3);  // p3 has no leader
        auto ready = f.acc.ready(f.cluster, f.clock.nowMs());
        QVERIFY(ready.readyNodes.empty());
        QCOMPARE(ready.unknownLeaderTopics, (std::set<std::string>{"t"}));
    }

    void batchesExpireAfterDeliveryTimeout() {
        AccumulatorFixture f;
        f.add(0);
        f.clock.sleepMs(500);
        f.add(1);
        f.clock.sleepMs(499);
        QVERIFY(f.acc.expiredBatches(f.clock.nowMs()).empty());
        QCOMPARE(f.acc.nextExpiryTimeMs(), f.clock.nowMs() + 1);
        f.clock.sleepMs(1);  // p0's batch is 1000 ms old: delivery.timeout.ms
        auto expired = f.acc.expiredBatches(f.clock.nowMs());
        QCOMPARE(expired.size(), size_t{1});
        QCOMPARE(expired[0]->topicPartition(), tp0);
        QCOMPARE(f.acc.queuedBatches(tp0), size_t{0});
        QCOMPARE(f.acc.queuedBatches(tp1), size_t{1});
        // The caller fails them: the callback sees the error.
        expired[0]->abort(bs::Error{"Expiring 1 record(s) for t-0: 1000 ms has passed"});
        f.acc.deallocate(expired[0]);
        QCOMPARE(f.completions.size(), size_t{1});
        QVERIFY(f.completions[0].error.find("Expiring") != std::string::npos);
        QCOMPARE(f.completions[0].offset, int64_t{-1});
        // A late success for an expired batch is ignored.
        QVERIFY(!expired[0]->complete(5, -1));
        QCOMPARE(f.completions.size(), size_t{1});
    }

    void completionGivesEachRecordItsOffsetInOrder() {
        AccumulatorFixture f;
        std::vector<FutureRecordMetadata> futures;
        for (int i = 0; i < 3; ++i)
            futures.push_back(*f.append(0)->future);
        QVERIFY(!futures[0].isDone());
        auto batch = f.acc.drain(f.cluster, nodes({0}), 1 << 20, f.clock.nowMs() + 10)[0].at(0);
        QVERIFY(batch->complete(500, -1));
        QVERIFY(batch->state() == BatchState::Done);
        for (int i = 0; i < 3; ++i) {
            QVERIFY(futures[i].isDone());
            auto md = futures[i].get();
            QVERIFY(md.ok());
            QCOMPARE(md->offset, int64_t{500 + i});
            QCOMPARE(md->partition, 0);
            QCOMPARE(md->topic, std::string("t"));
            QCOMPARE(md->serializedValueSize, 100);
            QCOMPARE(md->serializedKeySize, -1);
            QCOMPARE(f.completions[static_cast<size_t>(i)].id, i);
            QCOMPARE(f.completions[static_cast<size_t>(i)].offset, int64_t{500 + i});
        }
        f.acc.deallocate(batch);
        QCOMPARE(f.pool.availableMemory(), int64_t{64 * 1024});
    }

    // A completed batch's thunk storage is reused by the next batch: the next batch's records
    // get their own callbacks and metadata, and the first batch's callbacks never run again.
    void recycledThunkStorageCarriesOnlyTheNewRecords() {
        AccumulatorFixture f;
        for (int round = 0; round < 3; ++round) {
            const size_t before = f.completions.size();
            const int firstId = f.nextId;
            for (int i = 0; i < 4; ++i)
                f.add(0);
            auto batch = f.acc.drain(f.cluster, nodes({0}), 1 << 20, f.clock.nowMs() + 10)[0].at(0);
            QCOMPARE(batch->recordCount(), 4);
            QVERIFY(batch->complete(100 * round, -1));
            f.acc.deallocate(batch);
            QCOMPARE(f.completions.size(), before + 4);
            for (int i = 0; i < 4; ++i) {
                const auto& c = f.completions[before + static_cast<size_t>(i)];
                QCOMPARE(c.id, firstId + i);
                QCOMPARE(c.offset, int64_t{100 * round + i});
            }
        }
        QCOMPARE(f.pool.availableMemory(), int64_t{64 * 1024});
    }

    // A record sent without a future is appended, counted and called back like any other.
    void appendWithoutFutureStillCallsBack() {
        AccumulatorFixture f;
        int called = 0;
        int64_t offset = -2;
        const std::span<const uint8_t> v(reinterpret_cast<const uint8_t*>(f.value.data()),
                                         f.value.size());
        auto r = f.acc.append(
            "t", 0, f.clock.wallMs(), std::nullopt, v, {},
            [&](const RecordMetadata& md, const bs::Error* e) {
                ++called;
                offset = e ? -1 : md.offset;
            },
            0, false, f.clock.nowMs(), f.cluster, -1, PartitionChoice::Explicit, false);
        QVERIFY(r.ok());
        QVERIFY(r->future.has_value());  // appended
        QVERIFY(!r->future->valid());    // but no future was made
        QCOMPARE(f.acc.queuedBatches({"t", 0}), size_t{1});
        auto batch = f.acc.drain(f.cluster, nodes({0}), 1 << 20, f.clock.nowMs() + 10)[0].at(0);
        QCOMPARE(batch->recordCount(), 1);
        QVERIFY(batch->complete(42, -1));
        QCOMPARE(called, 1);
        QCOMPARE(offset, int64_t{42});
        f.acc.deallocate(batch);
    }

    // append() caches the topic per thread: a second accumulator on the same thread (even at
    // the same address as a destroyed one) must get its own deques, and queues added later
    // (a higher partition first, then a lower one) are all found.
    void topicCacheIsPerAccumulator() {
        StaticCluster cluster;
        cluster.addTopic("t", {0, 0, 0, 0});
        bs::MockClock clock;
        const std::string value(10, 'v');
        const std::span<const uint8_t> v(reinterpret_cast<const uint8_t*>(value.data()),
                                         value.size());
        auto appendTo = [&](RecordAccumulator& acc, int32_t partition) {
            auto r = acc.append("t", partition, 0, std::nullopt, v, {}, {}, 0, false, clock.nowMs(),
                                cluster);
            QVERIFY(r.ok());
        };
        for (int round = 0; round < 2; ++round) {
            BufferPool pool(64 * 1024, 1024, clock);
            auto acc = std::make_unique<RecordAccumulator>(smallConfig(), pool, clock);
            appendTo(*acc, 3);
            appendTo(*acc, 1);
            appendTo(*acc, 3);
            QCOMPARE(acc->queuedBatches({"t", 3}), size_t{1});
            QCOMPARE(acc->queuedBatches({"t", 1}), size_t{1});
            QCOMPARE(acc->queuedBatches({"t", 0}), size_t{0});
            BufferPool otherPool(64 * 1024, 1024, clock);
            RecordAccumulator other(smallConfig(), otherPool, clock);
            appendTo(other, 3);
            QCOMPARE(other.queuedBatches({"t", 3}), size_t{1});
            QCOMPARE(acc->queuedBatches({"t", 3}), size_t{1});  // unchanged
            auto drained = acc->drain(cluster, nodes({0}), 1 << 20, clock.nowMs() + 100);
            int records = 0;
            for (const auto& b : drained[0])
                records += b->recordCount();
            QCOMPARE(records, 3);
            acc->abortIncompleteBatches(bs::Error{"test over"});
            other.abortIncompleteBatches(bs::Error{"test over"});
        }
    }

    // Zero-copy Produce requests write from the batch's buffer: a batch deallocated (expired,
    // aborted) while a request still holds it for writing returns its buffer to the pool only
    // when the last hold goes, in either order, and only once.
    void writeHoldKeepsTheBufferOutOfThePool() {
        AccumulatorFixture f;
        const int64_t all = 64 * 1024;
        for (bool holdOutlivesDeallocate : {true, false}) {
            f.add(0);
            auto batch = f.acc.drain(f.cluster, nodes({0}), 1 << 20, f.clock.nowMs() + 10)[0].at(0);
            QVERIFY(!batch->records().empty());
            const int64_t inUse = all - f.pool.availableMemory();
            QVERIFY(inUse > 0);
            batch->acquireWriteHold();  // the first request
            batch->acquireWriteHold();  // a retry's request, still queued
            QVERIFY(batch->abort(bs::Error{"expired while being written"}));
            if (holdOutlivesDeallocate) {
                f.acc.deallocate(batch);
                f.acc.deallocate(batch);  // a second deallocate changes nothing
                QCOMPARE(f.pool.availableMemory(), all - inUse);
                f.acc.releaseWriteHold(*batch);
                QCOMPARE(f.pool.availableMemory(), all - inUse);
                f.acc.releaseWriteHold(*batch);  // the bytes left: now the pool has it
                QCOMPARE(f.pool.availableMemory(), all);
            } else {
                f.acc.releaseWriteHold(*batch);
                f.acc.releaseWriteHold(*batch);
                QCOMPARE(f.pool.availableMemory(), all - inUse);
                f.acc.deallocate(batch);
                QCOMPARE(f.pool.availableMemory(), all);
            }
        }
    }

    // RecordMetadata::latencyUs: from the clock reading passed at append to the one completion
    // reading, per record; a split batch keeps the clock; no send time, no latency.
    void callbacksCarryTheLatencyFromSend() {
        AccumulatorFixture f;
        const std::span<const uint8_t> v(reinterpret_cast<const uint8_t*>(f.value.data()),
                                         f.value.size());
        std::vector<int64_t> latencies;
        Callback cb = [&](const RecordMetadata& md, const bs::Error*) {
            latencies.push_back(md.latencyUs);
        };
        for (int64_t stepNs : {0, 1'500'000, 250'000}) {
            f.clock.sleepNs(stepNs);
            Callback c = cb;
            QVERIFY(f.acc
                        .append("t", 0, f.clock.wallMs(), std::nullopt, v, {}, std::move(c), 0,
                                false, f.clock.nowMs(), f.cluster, f.clock.nowNs())
                        .ok());
        }
        Callback c = cb;
        QVERIFY(f.acc
                    .append("t", 0, f.clock.wallMs(), std::nullopt, v, {}, std::move(c), 0, false,
                            f.clock.nowMs(), f.cluster)
                    .ok());  // no send time
        f.clock.sleepNs(7'000'000);
        auto batch = f.acc.drain(f.cluster, nodes({0}), 1 << 20, f.clock.nowMs() + 10)[0].at(0);
        QVERIFY(batch->complete(0, -1));
        QCOMPARE(latencies, (std::vector<int64_t>{8750, 7250, 7000, -1}));
        f.acc.deallocate(batch);

        latencies.clear();
        auto big = std::make_shared<ProducerBatch>(
            tp0, ByteBuffer(1024), bs::protocol::CompressionType::None, 0, 0, false, &f.clock);
        for (int i = 0; i < 4; ++i) {
            Callback each = cb;
            QVERIFY(big->tryAppend(i, std::nullopt, v, {}, std::move(each), 0,
                                   f.clock.nowNs() - 1000 * i)
                        .has_value());
        }
        auto parts = big->split(300);
        QVERIFY(parts.ok());
        QVERIFY(parts->size() > 1);
        f.clock.sleepNs(2'000'000);
        for (auto& p : *parts)
            p->complete(0, -1);
        QCOMPARE(latencies, (std::vector<int64_t>{2000, 2001, 2002, 2003}));
    }

    void perRecordErrors() {
        AccumulatorFixture f;
        std::vector<FutureRecordMetadata> futures;
        for (int i = 0; i < 2; ++i)
            futures.push_back(*f.append(0)->future);
        auto batch = f.acc.drain(f.cluster, nodes({0}), 1 << 20, f.clock.nowMs())[0].at(0);
        batch->completeExceptionally(bs::Error{"INVALID_RECORD"}, [](int32_t i) {
            return bs::Error{i == 1 ? "record 1 is bad" : "INVALID_RECORD (batch)"};
        });
        QCOMPARE(futures[1].get().error().message, std::string("record 1 is bad"));
        QCOMPARE(f.completions[0].error, std::string("INVALID_RECORD (batch)"));
        f.acc.deallocate(batch);
    }

    void reenqueueGoesToTheFront() {
        auto config = smallConfig();
        config.lingerMs = 0;
        AccumulatorFixture f(config);
        f.add(0);
        auto a = f.acc.drain(f.cluster, nodes({0}), 1 << 20, f.clock.nowMs())[0].at(0);
        f.add(0);  // batch b, queued behind the retried a
        f.acc.reenqueue(a, f.clock.nowMs());
        QCOMPARE(f.acc.queuedBatches(tp0), size_t{2});
        f.clock.sleepMs(100);
        auto again = f.acc.drain(f.cluster, nodes({0}), 1 << 20, f.clock.nowMs())[0];
        QVERIFY(!again.empty());
        QCOMPARE(again[0].get(), a.get());
        // An appended record never joins a batch that was already sent.
        QVERIFY(a->isClosedForRecordAppends());
    }

    // With idempotence, a re-enqueued batch goes to its sequence position.
    void reenqueueKeepsSequenceOrder() {
        auto config = smallConfig();
        config.lingerMs = 0;
        SequenceState state;
        AccumulatorFixture f(config, 64 * 1024, &state);
        std::vector<ProducerBatchPtr> sent;
        for (int i = 0; i < 3; ++i) {
            f.add(0);
            f.add(0);
            auto got = f.acc.drain(f.cluster, nodes({0}), 1 << 20, f.clock.nowMs())[0];
            QCOMPARE(got.size(), size_t{1});
            sent.push_back(got[0]);
        }
        QCOMPARE(sent[0]->baseSequence(), 0);
        QCOMPARE(sent[1]->baseSequence(), 2);
        QCOMPARE(sent[2]->baseSequence(), 4);
        QCOMPARE(sent[2]->producerId(), int64_t{1000});
        // The finished bytes carry the producer state.
        auto header = bs::protocol::parseBatchHeader(sent[1]->records());
        QVERIFY(header.ok());
        QCOMPARE(header->producerId, int64_t{1000});
        QCOMPARE(header->baseSequence, 2);
        f.add(0);  // a new batch without a sequence
        // Responses fail out of order: 4 comes back first, then 0, then 2.
        f.acc.reenqueue(sent[2], f.clock.nowMs());
        f.acc.reenqueue(sent[0], f.clock.nowMs());
        f.acc.reenqueue(sent[1], f.clock.nowMs());
        auto snap = f.acc.snapshotPartitions().at(0).batches;
        QCOMPARE(snap.size(), size_t{4});
        QCOMPARE(snap[0].baseSequence, 0);
        QCOMPARE(snap[1].baseSequence, 2);
        QCOMPARE(snap[2].baseSequence, 4);
        QCOMPARE(snap[3].baseSequence, -1);
        // Only the oldest in-flight sequence may go while retrying.
        f.clock.sleepMs(100);
        auto retry = f.acc.drain(f.cluster, nodes({0}), 1 << 20, f.clock.nowMs())[0];
        QCOMPARE(retry.size(), size_t{1});
        QCOMPARE(retry[0]->baseSequence(), 0);
        QVERIFY(f.acc.drain(f.cluster, nodes({0}), 1 << 20, f.clock.nowMs())[0].empty());
        state.complete(retry[0]);
        auto next = f.acc.drain(f.cluster, nodes({0}), 1 << 20, f.clock.nowMs())[0];
        QCOMPARE(next.at(0)->baseSequence(), 2);
    }

    void noDrainWithoutProducerId() {
        SequenceState state;
        state.pidEpoch = {};
        AccumulatorFixture f(smallConfig(), 64 * 1024, &state);
        f.fillBatch(0);
        QCOMPARE(f.acc.ready(f.cluster, f.clock.nowMs()).readyNodes, nodes({0}));
        QVERIFY(f.acc.drain(f.cluster, nodes({0}), 1 << 20, f.clock.nowMs())[0].empty());
        state.pidEpoch = {7, 3};
        auto got = f.acc.drain(f.cluster, nodes({0}), 1 << 20, f.clock.nowMs())[0];
        QCOMPARE(got.size(), size_t{1});
        QCOMPARE(got[0]->producerEpoch(), int16_t{3});
    }

    // MESSAGE_TOO_LARGE: the batch is split; every record's future follows its new batch.
    void splitAndReenqueue() {
        auto config = smallConfig();
        config.lingerMs = 0;
        SequenceState state;
        AccumulatorFixture f(config, 64 * 1024, &state);
        const int n = f.fillBatch(0);
        auto big = f.acc.drain(f.cluster, nodes({0}), 1 << 20, f.clock.nowMs())[0].at(0);
        QCOMPARE(big->recordCount(), n);
        auto count = f.acc.splitAndReenqueue(big);
        QVERIFY2(count.ok(), count.ok() ? "" : count.error().message.c_str());
        QCOMPARE(*count, 1);  // split to batch.size: all still fit one batch of 1024
        f.acc.deallocate(big);
        auto again = f.acc.drain(f.cluster, nodes({0}), 1 << 20, f.clock.nowMs())[0];
        QCOMPARE(again.size(), size_t{1});
        QVERIFY(again[0]->isSplitBatch());
        QCOMPARE(again[0]->recordCount(), n);
        QCOMPARE(again[0]->baseSequence(), 0);  // keeps its sequence
        again[0]->complete(40, -1);
        QCOMPARE(static_cast<int>(f.completions.size()), n);
        QCOMPARE(f.completions.back().offset, int64_t{40 + n - 1});
        f.acc.deallocate(again[0]);
        // Split batches live outside the pool; the big batch's buffer went back. What remains in
        // use is the open batch holding the record that did not fit.
        QCOMPARE(f.pool.availableMemory(), int64_t{63 * 1024});
    }

    void splitIntoSmallerBatchesChainsFutures() {
        auto config = smallConfig();
        config.lingerMs = 0;
        config.batchSize = 300;  // split target: about two records per batch
        AccumulatorFixture f(config, 64 * 1024);
        // Build a big batch by appending to a pool buffer of 1024 bytes: records bigger than
        // batch.size get their own buffer, so append to an explicit big batch instead.
        const std::string v(100, 'x');
        const std::span<const uint8_t> bytes(reinterpret_cast<const uint8_t*>(v.data()), v.size());
        auto batch = std::make_shared<ProducerBatch>(tp0, ByteBuffer(1024),
                                                     bs::protocol::CompressionType::None, 0, 0);
        std::vector<FutureRecordMetadata> futures;
        std::vector<int64_t> offsets;
        for (int i = 0; i < 6; ++i) {
            auto fut = batch->tryAppend(
                i, std::nullopt, bytes, {},
                [&offsets](const RecordMetadata& md, const bs::Error*) {
                    offsets.push_back(md.offset);
                },
                0);
            QVERIFY(fut.has_value());
            futures.push_back(*fut);
        }
        auto parts = batch->split(300);
        QVERIFY(parts.ok());
        QCOMPARE(parts->size(), size_t{3});
        int64_t base = 10;
        for (auto& p : *parts) {
            QCOMPARE(p->recordCount(), 2);
            QVERIFY(!futures[0].isDone() || base > 10);
            p->complete(base, -1);
            base += 100;
        }
        QCOMPARE(offsets, (std::vector<int64_t>{10, 11, 110, 111, 210, 211}));
        QCOMPARE(futures[0].get()->offset, int64_t{10});
        QCOMPARE(futures[3].get()->offset, int64_t{111});
        QCOMPARE(futures[5].get()->offset, int64_t{211});
        QCOMPARE(futures[5].get()->timestamp, int64_t{5});
    }

    // A batch of same-sized records keeps its callbacks in one allocation, sized close to the
    // count that fits: it was sized by the record's upper-bound estimate, so a full batch of
    // 100-byte records outgrew it, moved every callback and held twice the storage it used.
    void callbackStorageFitsAFullBatchOnce() {
        const std::string v(100, 'x'), k("key-7");
        const std::span<const uint8_t> bytes(reinterpret_cast<const uint8_t*>(v.data()), v.size());
        const std::span<const uint8_t> key(reinterpret_cast<const uint8_t*>(k.data()), k.size());
        for (const size_t batchSize : {size_t{1024}, size_t{16384}}) {
            ProducerBatch batch(tp0, ByteBuffer(batchSize), bs::protocol::CompressionType::None, 0,
                                0);
            int calls = 0;
            while (batch.tryAppend(
                0, key, bytes, {}, [&calls](const RecordMetadata&, const bs::Error*) { ++calls; },
                0))
                ;
            const auto count = static_cast<size_t>(batch.recordCount());
            QVERIFY(count > 5);
            batch.complete(0, -1);
            QCOMPARE(static_cast<size_t>(calls), count);
            auto storage = batch.takeThunks();
            QVERIFY(storage.has_value());
            QVERIFY2(
                storage->capacity() >= count && storage->capacity() <= count + count / 20 + 1,
                qPrintable(
                    QStringLiteral("%1 records, room for %2").arg(count).arg(storage->capacity())));
        }
    }

    void abortOnNewBatchReturnsBeforeAllocating() {
        AccumulatorFixture f;
        auto r = f.append(0, true);
        QVERIFY(r.ok());
        QVERIFY(r->abortForNewBatch);
        QVERIFY(!r->future);
        QCOMPARE(f.acc.queuedBatches(tp0), size_t{0});
        QCOMPARE(f.pool.availableMemory(), int64_t{64 * 1024});
        f.add(0);
        auto joined = f.append(0, true);  // an open batch exists: appended normally
        QVERIFY(joined->future.has_value());
        QVERIFY(!joined->abortForNewBatch);
    }

    void invalidPartitionsAndTopicsAreErrors() {
        AccumulatorFixture f;
        auto r = f.append(9);
        QVERIFY(!r.ok());
        QVERIFY(r.error().message.find("partition 9") != std::string::npos);
        auto t = f.acc.append("nope", 0, 0, std::nullopt, std::nullopt, {}, Callback{}, 0, false, 0,
                              f.cluster);
        QVERIFY(!t.ok());
        QVERIFY(t.error().message.find("'nope'") != std::string::npos);
    }

    // Keyless records (kUnknownPartition) use the uniform sticky partitioner.
    void builtInStickyPlacementThroughAppend() {
        AccumulatorFixture f;
        static std::atomic<int32_t> draws{0};
        draws = 0;
        f.acc.builtInPartitioner("t").setRandomForTest([] { return draws.fetch_add(1); });
        std::vector<std::pair<int32_t, int>> runs;  // (partition, records in a row)
        for (int i = 0; i < 60; ++i) {
            auto r = f.append(kUnknownPartition);
            QVERIFY(r.ok());
            if (runs.empty() || runs.back().first != r->partition)
                runs.push_back({r->partition, 0});
            ++runs.back().second;
        }
        // Available partitions are 0, 1, 2 (p3 has no leader); draws 0, 1, 2, ... cycle them.
        for (size_t i = 0; i < runs.size(); ++i)
            QCOMPARE(runs[i].first, static_cast<int32_t>(i % 3));
        // A stay lasts until batch.size (1024) bytes were produced and the batch is full, at most
        // 2x batch.size: 108-byte records plus a 61-byte header per new batch.
        for (size_t i = 0; i + 1 < runs.size(); ++i)
            QVERIFY2(runs[i].second >= 9 && runs[i].second <= 19,
                     std::to_string(runs[i].second).c_str());
        auto info = f.acc.stickyPartitionInfo("t");
        QVERIFY(info != nullptr);
        QCOMPARE(info->partition, runs.back().first);
    }

    void abortIncompleteBatchesFailsEverything() {
        AccumulatorFixture f;
        f.add(0);
        f.add(1);
        auto inFlight = f.acc.drain(f.cluster, nodes({0}), 1 << 20, f.clock.nowMs() + 10)[0];
        QCOMPARE(inFlight.size(), size_t{1});
        f.acc.abortIncompleteBatches(bs::Error{"producer is closed forcefully"});
        QCOMPARE(f.completions.size(), size_t{2});
        for (const auto& c : f.completions)
            QCOMPARE(c.error, std::string("producer is closed forcefully"));
        QVERIFY(!f.acc.hasIncomplete());
        QVERIFY(!f.acc.hasUndrained());
        QCOMPARE(f.pool.availableMemory(), int64_t{64 * 1024});
    }

    // A forced close while other threads append: every record appended before it is failed
    // exactly once, every append after it is refused, and no batch or memory is left behind.
    void abortIncompleteBatchesWaitsOutConcurrentAppends() {
        AccumulatorFixture f(smallConfig(), 64 * 1024 * 1024);
        constexpr int kThreads = 3;
        std::atomic<int> accepted{0}, refused{0}, refusedAsClosed{0}, failed{0}, succeeded{0};
        std::atomic<bool> started[kThreads] = {};
        std::vector<std::thread> appenders;
        for (int t = 0; t < kThreads; ++t)
            appenders.emplace_back([&, t] {
                const std::string v(100, 'a');
                const std::span<const uint8_t> bytes(reinterpret_cast<const uint8_t*>(v.data()),
                                                     v.size());
                for (int i = 0;; ++i) {
                    Callback cb = [&](const RecordMetadata&, const bs::Error* error) {
                        (error ? failed : succeeded).fetch_add(1);
                    };
                    auto r = f.acc.append("t", i % 3, 0, std::nullopt, bytes, {}, std::move(cb), 0,
                                          false, 0, f.cluster);
                    started[t] = true;
                    if (!r.ok()) {
                        refused.fetch_add(1);
                        if (r.error().message.find("closed") != std::string::npos)
                            refusedAsClosed.fetch_add(1);
                        return;
                    }
                    accepted.fetch_add(1);
                }
            });
        for (auto& s : started)
            while (!s.load())
                std::this_thread::yield();
        f.acc.abortIncompleteBatches(bs::Error{"Producer is closed forcefully."});
        for (auto& a : appenders)
            a.join();
        QCOMPARE(refused.load(), kThreads);
        QCOMPARE(refusedAsClosed.load(), kThreads);
        QVERIFY(accepted.load() > 0);
        QCOMPARE(succeeded.load(), 0);
        QCOMPARE(failed.load(), accepted.load());  // each accepted record completed, once
        QVERIFY(!f.acc.hasIncomplete());
        QVERIFY(!f.acc.hasUndrained());
        QCOMPARE(f.pool.availableMemory(), int64_t{64 * 1024 * 1024});
    }

    void abortUndrainedLeavesInFlightAlone() {
        AccumulatorFixture f;
        f.add(0);
        f.add(1);
        auto inFlight = f.acc.drain(f.cluster, nodes({0}), 1 << 20, f.clock.nowMs() + 10)[0];
        f.acc.abortUndrainedBatches(bs::Error{"aborted"});
        QCOMPARE(f.completions.size(), size_t{1});
        QVERIFY(f.acc.hasIncomplete());
        inFlight[0]->complete(1, -1);
        f.acc.deallocate(inFlight[0]);
        QVERIFY(!f.acc.hasIncomplete());
    }

    void eventsAreOffByDefaultAndRecordThePipeline() {
        EventStream events(8);
        AccumulatorFixture f(smallConfig(), 64 * 1024, nullptr, &events);
        f.add(0);
        std::vector<Event> out;
        QCOMPARE(events.poll(out), size_t{0});
        events.setEnabled(true);
        f.add(0);
        f.clock.sleepMs(10);
        f.acc.drain(f.cluster, nodes({0}), 1 << 20, f.clock.nowMs());
        QCOMPARE(events.poll(out), size_t{4});
        QVERIFY(out[0].type == EventType::RecordAppended);
        QCOMPARE(out[0].recordCount, 2);
        QCOMPARE(events.topicName(out[0].topicId), std::string("t"));
        QVERIFY(out[1].type == EventType::BatchClosed);
        QVERIFY(out[2].type == EventType::BatchDrained);
        QCOMPARE(out[2].batchId, out[0].batchId);
        QCOMPARE(out[2].timeNs, f.clock.nowNs());
        QCOMPARE(out[2].nodeId, 0);
        QVERIFY(out[3].type == EventType::NodeDrained);
        QCOMPARE(out[3].batchCount, 1);
        QCOMPARE(out[3].recordCount, 2);
        // Bounded and lossy: a full buffer drops new events and counts them.
        for (int i = 0; i < 10; ++i)
            f.add(1);
        out.clear();
        QCOMPARE(events.poll(out), size_t{8});
        // 13 events: 10 appended, 2 batches created, 1 batch full.
        QCOMPARE(events.dropped(), uint64_t{5});
        QCOMPARE(events.capacity(), size_t{8});
    }

    // A reader can leave RecordAppended (one per record) off and keep the per-batch events;
    // when on, it is stamped with send()'s clock reading, not a second one.
    void eventTypesCanBeChosen() {
        EventStream events(64);
        AccumulatorFixture f(smallConfig(), 64 * 1024, nullptr, &events);
        events.setEnabledTypes(EventStream::kAllTypes &
                               ~EventStream::bit(EventType::RecordAppended));
        QVERIFY(events.enabled());
        QVERIFY(!events.enabled(EventType::RecordAppended));
        QVERIFY(events.enabled(EventType::BatchCreated));
        for (int i = 0; i < 3; ++i)
            f.add(0);
        std::vector<Event> out;
        events.poll(out);
        QCOMPARE(out.size(), size_t{1});
        QVERIFY(out[0].type == EventType::BatchCreated);
        // publish() itself drops a type that is off.
        Event e;
        e.type = EventType::RecordAppended;
        events.publish(e);
        QCOMPARE(events.poll(out), size_t{0});

        events.setEnabledTypes(EventStream::bit(EventType::RecordAppended));
        const std::span<const uint8_t> v(reinterpret_cast<const uint8_t*>(f.value.data()),
                                         f.value.size());
        const int64_t sendNs = f.clock.nowNs() - 12345;
        QVERIFY(f.acc
                    .append("t", 0, f.clock.wallMs(), std::nullopt, v, {}, Callback{}, 0, false,
                            f.clock.nowMs(), f.cluster, sendNs)
                    .ok());
        out.clear();
        QCOMPARE(events.poll(out), size_t{1});
        QVERIFY(out[0].type == EventType::RecordAppended);
        QCOMPARE(out[0].timeNs, sendNs);
        events.setEnabled(false);
        QVERIFY(!events.enabled());
    }

    // RecordAppended tells doSend()'s story: the serialized sizes and how the partition was
    // chosen (the record's own partition wins over the partitioner, as Java's partition()).
    void appendEventsCarrySizesAndPartitionChoice() {
        EventStream events(64);
        AccumulatorFixture f(smallConfig(), 64 * 1024, nullptr, &events);
        events.setEnabledTypes(EventStream::bit(EventType::RecordAppended));
        const std::string key = "user-7";
        const std::span<const uint8_t> k(reinterpret_cast<const uint8_t*>(key.data()), key.size());
        const std::span<const uint8_t> v(reinterpret_cast<const uint8_t*>(f.value.data()),
                                         f.value.size());
        QVERIFY(f.acc
                    .append("t", 1, f.clock.wallMs(), k, v, {}, Callback{}, 0, false,
                            f.clock.nowMs(), f.cluster, -1, PartitionChoice::Explicit)
                    .ok());
        QVERIFY(f.acc
                    .append("t", 2, f.clock.wallMs(), std::nullopt, std::nullopt, {}, Callback{}, 0,
                            false, f.clock.nowMs(), f.cluster)
                    .ok());
        std::vector<Event> out;
        QCOMPARE(events.poll(out), size_t{2});
        QCOMPARE(out[0].keyBytes, 6);
        QCOMPARE(out[0].valueBytes, 100);
        QCOMPARE(out[0].partition, 1);
        QVERIFY(static_cast<PartitionChoice>(out[0].reason) == PartitionChoice::Explicit);
        QCOMPARE(out[1].keyBytes, -1);  // null key and value
        QCOMPARE(out[1].valueBytes, -1);
        QVERIFY(static_cast<PartitionChoice>(out[1].reason) == PartitionChoice::Partitioner);
    }

    // KIP-794: keyless records stay on one partition until it took batch.size bytes, then the
    // built-in partitioner moves on; the switch is an event naming both partitions and the
    // bytes, and the records after it go to the new partition.
    void builtInStickySwitchIsPublished() {
        EventStream events(4096);
        AccumulatorFixture f(smallConfig(), 64 * 1024, nullptr, &events);
        events.setEnabledTypes(EventStream::bit(EventType::RecordAppended) |
                               EventStream::bit(EventType::PartitionSwitched));
        const std::span<const uint8_t> v(reinterpret_cast<const uint8_t*>(f.value.data()),
                                         f.value.size());
        std::vector<Event> out;
        for (int i = 0; i < 60; ++i) {
            QVERIFY(f.acc
                        .append("t", kUnknownPartition, f.clock.wallMs(), std::nullopt, v, {},
                                Callback{}, 0, false, f.clock.nowMs(), f.cluster, -1,
                                PartitionChoice::Accumulator)
                        .ok());
            events.poll(out);
        }
        const auto sw = std::find_if(out.begin(), out.end(), [](const Event& e) {
            return e.type == EventType::PartitionSwitched;
        });
        QVERIFY(sw != out.end());
        QVERIFY(static_cast<SwitchCause>(sw->reason) == SwitchCause::StickyBytes);
        QCOMPARE(sw->fromPartition, out.front().partition);
        // (The next partition is drawn at random among the available ones, as Java's
        // nextPartition: it may be the same one again.)
        QVERIFY(sw->bytes >= 1024);  // batch.size of the small config
        QVERIFY(static_cast<PartitionChoice>(out.front().reason) == PartitionChoice::Accumulator);
        // Every record before the switch went to the partition left, the next one to the new.
        for (auto it = out.begin(); it != sw; ++it)
            QCOMPARE(it->partition, sw->fromPartition);
        QVERIFY(sw + 1 != out.end());
        QCOMPARE((sw + 1)->partition, sw->partition);
    }

    void snapshotShowsPoolAndBatches() {
        AccumulatorFixture f;
        f.add(0);
        auto pool = f.acc.snapshotBufferPool();
        QCOMPARE(pool.totalMemory, int64_t{64 * 1024});
        QCOMPARE(pool.availableMemory, int64_t{63 * 1024});
        QCOMPARE(pool.queuedWaiters, 0);
        f.clock.sleepMs(3);
        auto parts = f.acc.snapshotPartitions();
        QCOMPARE(parts.at(0).tp, tp0);
        const auto& b = parts.at(0).batches.at(0);
        QCOMPARE(b.recordCount, 1);
        QVERIFY(b.sizeBytes > 100 && b.sizeBytes < 200);
        QCOMPARE(b.createdMs, f.clock.nowMs() - 3);
        QVERIFY(b.state == BatchState::Open);
        QCOMPARE(batchStateName(b.state), std::string_view("open"));
    }

    // Java rule (CompressionRatioEstimator, MemoryRecordsBuilder.estimatedBytesWritten/hasRoomFor,
    // ProducerBatch.close): a compressed batch is full when header + uncompressed bytes *
    // estimate * 1.05 reaches batch.size; the estimate per topic and codec starts at 1.0 and,
    // as each closed batch is observed, falls by at most 0.005 per batch toward the observed
    // ratio (and rises by at least 0.05 when compression gets worse). So compressible records
    // fill a batch with about batch.size of compressed bytes once the estimate has learned.
    void compressionRatioEstimateGrowsCompressedBatches() {
        for (auto codec :
             {bs::protocol::CompressionType::Lz4, bs::protocol::CompressionType::Zstd}) {
            auto config = smallConfig();
            config.batchSize = 16384;
            config.compression = codec;
            // Kafka's default levels (compression.lz4.level, compression.zstd.level).
            config.compressionLevel = codec == bs::protocol::CompressionType::Lz4 ? 9 : 3;
            AccumulatorFixture f(config, 4 << 20);
            QCOMPARE(f.acc.compressionRatioEstimate("t"), 1.0f);
            std::vector<int> perBatch;
            float lastRatio = 1.0f;
            size_t lastBytes = 0;
            int seq = 0;
            // Log-like JSON values of about 100 bytes: compressible, not trivially so.
            auto fill = [&] {
                for (;;) {
                    const std::string v = "{\"id\":" + std::to_string(seq) + ",\"user\":\"user-" +
                                          std::to_string(int64_t{seq} * 7919 % 1000) +
                                          "\",\"action\":\"click\",\"page\":\"/products/" +
                                          std::to_string(seq % 37) + "\",\"ok\":true}";
                    ++seq;
                    const std::span<const uint8_t> bytes(reinterpret_cast<const uint8_t*>(v.data()),
                                                         v.size());
                    auto r = f.acc.append("t", 0, f.clock.wallMs(), std::nullopt, bytes, {}, {}, 0,
                                          false, f.clock.nowMs(), f.cluster);
                    if (!r.ok() || r->batchIsFull) return;
                }
            };
            for (int i = 0; i < 400; ++i) {
                fill();
                auto drained = f.acc.drain(f.cluster, nodes({0}), 1 << 24, f.clock.nowMs());
                for (const auto& b : drained[0]) {
                    perBatch.push_back(b->recordCount());
                    lastRatio = b->observedCompressionRatio();
                    lastBytes = b->records().size();
                    QVERIFY2(b->records().size() <= 16384,
                             qPrintable(QString::number(b->records().size())));
                    f.acc.deallocate(b);
                }
            }
            const float estimate = f.acc.compressionRatioEstimate("t");
            QVERIFY(perBatch.size() == 400);
            qInfo(
                "%s: %d records in the first batch, %d in the last (%zu bytes; estimate %.3f, "
                "observed %.3f)",
                std::string(bs::protocol::compressionName(codec)).c_str(), perBatch.front(),
                perBatch.back(), lastBytes, double(estimate), double(lastRatio));
            // About batch.size of compressed bytes (1.05 is Java's safety factor).
            QVERIFY2(lastBytes > 16384 * 3 / 4, qPrintable(QString::number(lastBytes)));
            QVERIFY2(estimate < 0.5f, qPrintable(QString::number(estimate)));
            QVERIFY(perBatch.back() > 2 * perBatch.front());
            // The estimate is per topic: another topic starts again at 1.0.
            QCOMPARE(f.acc.compressionRatioEstimate("other"), 1.0f);
        }
        // Worse compression than expected raises the estimate at once by at least 0.05.
        CompressionRatioEstimator e;
        e.updateEstimation("t", bs::protocol::CompressionType::Gzip, 0.5f);
        QCOMPARE(e.estimation("t", bs::protocol::CompressionType::Gzip), 0.995f);
        QCOMPARE(e.updateEstimation("t", bs::protocol::CompressionType::Gzip, 1.0f), 1.045f);
        QCOMPARE(e.updateEstimation("t", bs::protocol::CompressionType::Gzip, 2.0f), 2.0f);
        QCOMPARE(e.estimation("t", bs::protocol::CompressionType::Snappy), 1.0f);
    }
};

QTEST_GUILESS_MAIN(AccumulatorTest)
#include "test_accumulator.moc"
