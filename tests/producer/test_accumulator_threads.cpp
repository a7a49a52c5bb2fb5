#include <QtTest>

#include <atomic>
#include <map>
#include <thread>

#include "accumulator_fixture.h"

using namespace bs::producer;
using namespace bs::producer::test;

// Many application threads append while a sender thread drains and completes, and a viewer
// thread takes snapshots: every record is completed exactly once, offsets per partition are
// dense and unique, and per-thread order holds within a partition. Run under TSan too.
class AccumulatorThreadsTest : public QObject {
    Q_OBJECT
  private slots:
    void concurrentAppendsAreAccountedExactlyOnce() {
        constexpr int kThreads = 4;
        constexpr int kPerThread = 2500;
        constexpr int kTotal = kThreads * kPerThread;
        auto config = smallConfig();
        config.lingerMs = 0;
        EventStream events(1024);
        events.setEnabled(true);
        // Little memory: appenders block on the pool now and then.
        AccumulatorFixture f(config, 8 * 1024, nullptr, &events);

        struct Slot {
            std::atomic<int> calls{0};
            int32_t partition = -1;
            int64_t offset = -1;
            bool error = false;
        };
        std::vector<Slot> seen(kTotal);
        std::atomic<int> appendFailures{0};
        std::atomic<int> producersLeft{kThreads};

        std::vector<std::thread> producers;
        for (int t = 0; t < kThreads; ++t) {
            producers.emplace_back([&, t] {
                for (int i = 0; i < kPerThread; ++i) {
                    const int id = t * kPerThread + i;
                    uint8_t value[8];
                    for (int b = 0; b < 4; ++b)
                        value[b] = static_cast<uint8_t>(id >> (8 * b));
                    for (int b = 4; b < 8; ++b)
                        value[b] = 0xAB;
                    // Threads 0 and 1 let the built-in sticky partitioner choose.
                    const int32_t partition = t < 2 ? kUnknownPartition : (t == 2 ? 0 : 1);
                    Callback cb = [&seen, id](const RecordMetadata& md, const bs::Error* e) {
                        Slot& s = seen[static_cast<size_t>(id)];
                        s.partition = md.partition;
                        s.offset = md.offset;
                        s.error = e != nullptr;
                        s.calls.fetch_add(1);
                    };
                    auto r = f.acc.append("t", partition, id, std::nullopt,
                                          std::span<const uint8_t>(value, 8), {}, std::move(cb),
                                          600000, false, f.clock.nowMs(), f.cluster);
                    if (!r.ok()) appendFailures.fetch_add(1);
                }
                producersLeft.fetch_sub(1);
            });
        }

        std::atomic<bool> stopViewer{false};
        std::thread viewer([&] {
            std::vector<Event> out;
            while (!stopViewer.load()) {
                auto parts = f.acc.snapshotPartitions();
                auto pool = f.acc.snapshotBufferPool();
                (void)parts;
                (void)pool;
                out.clear();
                events.poll(out);
                std::this_thread::yield();
            }
        });

        std::map<int32_t, int64_t> nextOffset;  // sender thread
        std::thread sender([&] {
            while (producersLeft.load() > 0 || f.acc.hasIncomplete()) {
                auto ready = f.acc.ready(f.cluster, f.clock.nowMs());
                auto drained = f.acc.drain(f.cluster, ready.readyNodes, 1 << 20, f.clock.nowMs());
                bool any = false;
                for (auto& [node, batches] : drained)
                    for (auto& b : batches) {
                        any = true;
                        const int32_t p = b->topicPartition().partition;
                        b->complete(nextOffset[p], -1);
                        nextOffset[p] += b->recordCount();
                        f.acc.deallocate(b);
                    }
                if (!any) std::this_thread::yield();
            }
        });

        for (auto& t : producers)
            t.join();
        sender.join();
        stopViewer = true;
        viewer.join();

        QCOMPARE(appendFailures.load(), 0);
        std::map<int32_t, std::vector<int64_t>> offsets;
        for (int id = 0; id < kTotal; ++id) {
            const Slot& s = seen[static_cast<size_t>(id)];
            QCOMPARE(s.calls.load(), 1);
            QVERIFY(!s.error);
            QVERIFY(s.partition >= 0 && s.partition <= 2);
            offsets[s.partition].push_back(s.offset);
        }
        int64_t total = 0;
        for (auto& [p, list] : offsets) {
            std::sort(list.begin(), list.end());
            for (size_t i = 0; i < list.size(); ++i)
                QCOMPARE(list[i], static_cast<int64_t>(i));
            QCOMPARE(nextOffset[p], static_cast<int64_t>(list.size()));
            total += static_cast<int64_t>(list.size());
        }
        QCOMPARE(total, int64_t{kTotal});
        // One thread's records to one partition keep their order.
        for (int t = 2; t < kThreads; ++t)
            for (int i = 1; i < kPerThread; ++i)
                QVERIFY(seen[static_cast<size_t>(t * kPerThread + i)].offset >
                        seen[static_cast<size_t>(t * kPerThread + i - 1)].offset);
        QVERIFY(!f.acc.hasUndrained());
        QCOMPARE(f.pool.availableMemory(), int64_t{8 * 1024});
    }
};

QTEST_GUILESS_MAIN(AccumulatorThreadsTest)
#include "test_accumulator_threads.moc"
