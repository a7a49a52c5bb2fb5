#include <QtTest>

#include <atomic>
#include <thread>

#include "producer/buffer_pool.h"
#include "support/eventually.h"
#include "support/mock_clock.h"

using namespace bs::producer;

class BufferPoolTest : public QObject {
    Q_OBJECT
  private slots:
    void pooledBuffersAreReused() {
        bs::MockClock clock;
        BufferPool pool(4096, 1024, clock);
        auto a = pool.allocate(1024, 0);
        QVERIFY(a.ok());
        QCOMPARE(a->capacity(), size_t{1024});
        QCOMPARE(pool.availableMemory(), int64_t{3072});
        const uint8_t* data = a->data();
        pool.deallocate(std::move(*a));
        QCOMPARE(pool.freeBuffers(), 1);
        QCOMPARE(pool.availableMemory(), int64_t{4096});
        QCOMPARE(pool.unallocatedMemory(), int64_t{3072});
        auto b = pool.allocate(1024, 0);
        QCOMPARE(b->data(), data);  // the same buffer came back
        QCOMPARE(pool.freeBuffers(), 0);
    }

    void otherSizesAreCountedButNotPooled() {
        bs::MockClock clock;
        BufferPool pool(4096, 1024, clock);
        auto big = pool.allocate(3000, 0);
        QVERIFY(big.ok());
        QCOMPARE(big->capacity(), size_t{3000});
        QCOMPARE(pool.availableMemory(), int64_t{1096});
        pool.deallocate(std::move(*big), 3000);
        QCOMPARE(pool.freeBuffers(), 0);
        QCOMPARE(pool.availableMemory(), int64_t{4096});
    }

    void freeListIsReleasedForLargerRequests() {
        bs::MockClock clock;
        BufferPool pool(2048, 1024, clock);
        auto a = pool.allocate(1024, 0);
        auto b = pool.allocate(1024, 0);
        pool.deallocate(std::move(*a));
        pool.deallocate(std::move(*b));
        QCOMPARE(pool.freeBuffers(), 2);
        auto big = pool.allocate(2048, 0);
        QVERIFY(big.ok());
        QCOMPARE(pool.freeBuffers(), 0);
        QCOMPARE(pool.availableMemory(), int64_t{0});
    }

    void largerThanBufferMemoryFails() {
        bs::MockClock clock;
        BufferPool pool(1000, 100, clock);
        auto r = pool.allocate(1001, 60000);
        QVERIFY(!r.ok());
        QVERIFY2(r.error().message.find("buffer.memory") != std::string::npos,
                 r.error().message.c_str());
    }

    void timesOutNamingTheSettings() {
        bs::MockClock clock;
        BufferPool pool(1024, 1024, clock);
        auto held = pool.allocate(1024, 0);
        QVERIFY(held.ok());
        for (int64_t maxBlock : {0, 5}) {
            auto r = pool.allocate(1024, maxBlock);
            QVERIFY(!r.ok());
            const auto& m = r.error().message;
            QVERIFY2(
                m.find("max.block.ms (" + std::to_string(maxBlock) + " ms)") != std::string::npos &&
                    m.find("buffer.memory (1024 bytes)") != std::string::npos,
                m.c_str());
        }
        QCOMPARE(pool.exhaustedTotal(), int64_t{2});
        QCOMPARE(pool.queued(), 0);
        QCOMPARE(pool.availableMemory(), int64_t{0});  // nothing leaked by the failed waits
        pool.deallocate(std::move(*held));
        QCOMPARE(pool.availableMemory(), int64_t{1024});
    }

    void blockedAllocationResumesWhenMemoryReturns() {
        bs::MockClock clock;
        BufferPool pool(2048, 1024, clock);
        auto a = pool.allocate(1024, 0);
        auto b = pool.allocate(1024, 0);
        std::atomic<bool> done{false};
        std::atomic<bool> ok{false};
        std::thread waiter([&] {
            auto c = pool.allocate(1024, 600000);
            ok = c.ok();
            done = true;
            if (c.ok()) pool.deallocate(std::move(*c));
        });
        QVERIFY(bs::test::eventually([&] { return pool.queued() == 1; }));
        QVERIFY(!done);
        clock.sleepMs(7);  // time passes on the injected clock while it waits
        pool.deallocate(std::move(*a));
        waiter.join();
        QVERIFY(done);
        QVERIFY(ok);
        QCOMPARE(pool.waitTimeNsTotal(), int64_t{7'000'000});
        QCOMPARE(pool.queued(), 0);
        pool.deallocate(std::move(*b));
        QCOMPARE(pool.availableMemory(), int64_t{2048});
    }

    // The window shows who waits in allocate() and for how long: state() lists the waiters in
    // the order they will be served, with when each began (the injected clock) and its size.
    void stateNamesBlockedThreadsAndWhenTheyBegan() {
        bs::MockClock clock;
        BufferPool pool(2048, 1024, clock);
        auto a = pool.allocate(1024, 0);
        auto b = pool.allocate(1024, 0);
        QVERIFY(a.ok() && b.ok());
        const int64_t beganNs = clock.nowNs();
        std::thread waiter([&] {
            auto c = pool.allocate(1500, 600000);
            if (c.ok()) pool.deallocate(std::move(*c), 1500);
        });
        QVERIFY(bs::test::eventually([&] { return pool.queued() == 1; }));
        clock.sleepMs(40);
        const BufferPool::State st = pool.state();
        QCOMPARE(st.waiters.size(), size_t{1});
        QCOMPARE(st.waiters[0].bytes, int64_t{1500});
        QCOMPARE(st.waiters[0].sinceNs, beganNs);
        QCOMPARE(clock.nowNs() - st.waiters[0].sinceNs, int64_t{40'000'000});
        QCOMPARE(st.availableMemory, int64_t{0});
        QCOMPARE(st.freeBuffers, 0);
        pool.deallocate(std::move(*a));
        pool.deallocate(std::move(*b));
        waiter.join();
        const BufferPool::State after = pool.state();
        QVERIFY(after.waiters.empty());
        QCOMPARE(after.waitTimeNsTotal, int64_t{40'000'000});
        QCOMPARE(after.availableMemory, int64_t{2048});
    }

    // max.block.ms=Long.MAX_VALUE ("block forever"): the ns conversion must not overflow into
    // an immediate timeout.
    void hugeMaxBlockWaitsInsteadOfOverflowing() {
        bs::MockClock clock;
        BufferPool pool(1024, 1024, clock);
        auto held = pool.allocate(1024, 0);
        QVERIFY(held.ok());
        std::atomic<bool> done{false}, ok{false};
        std::thread waiter([&] {
            auto c = pool.allocate(1024, INT64_MAX);
            ok = c.ok();
            done = true;
            if (c.ok()) pool.deallocate(std::move(*c));
        });
        QVERIFY(bs::test::eventually([&] { return pool.queued() == 1 || done.load(); }));
        QVERIFY(!done);  // before the fix it had already failed
        pool.deallocate(std::move(*held));
        waiter.join();
        QVERIFY(ok);
    }

    void waitersAreServedInOrder() {
        bs::MockClock clock;
        BufferPool pool(1024, 1024, clock);
        auto held = pool.allocate(1024, 0);
        std::atomic<int> order{0};
        std::atomic<int> firstDone{0}, secondDone{0};
        std::optional<ByteBuffer> firstBuf, secondBuf;
        std::thread first([&] {
            auto r = pool.allocate(1024, 600000);
            if (r.ok()) firstBuf = std::move(*r);
            firstDone = ++order;
        });
        QVERIFY(bs::test::eventually([&] { return pool.queued() == 1; }));
        std::thread second([&] {
            auto r = pool.allocate(1024, 600000);
            if (r.ok()) secondBuf = std::move(*r);
            secondDone = ++order;
        });
        QVERIFY(bs::test::eventually([&] { return pool.queued() == 2; }));
        pool.deallocate(std::move(*held));
        first.join();
        QCOMPARE(firstDone.load(), 1);
        QCOMPARE(secondDone.load(), 0);
        QCOMPARE(pool.queued(), 1);
        QVERIFY(firstBuf.has_value());
        pool.deallocate(std::move(*firstBuf));
        second.join();
        QCOMPARE(secondDone.load(), 2);
        QVERIFY(secondBuf.has_value());
        pool.deallocate(std::move(*secondBuf));
        QCOMPARE(pool.availableMemory(), int64_t{1024});
    }

    void memoryIsGatheredPiecewiseForABigRequest() {
        bs::MockClock clock;
        BufferPool pool(3000, 1000, clock);
        auto a = pool.allocate(1000, 0);
        auto b = pool.allocate(1000, 0);
        auto c = pool.allocate(1000, 0);
        std::atomic<bool> done{false};
        std::atomic<size_t> capacity{0};
        std::thread big([&] {
            auto r = pool.allocate(2500, 600000);
            if (!r.ok()) return;
            capacity = r->capacity();
            done = true;
            pool.deallocate(std::move(*r), 2500);
        });
        QVERIFY(bs::test::eventually([&] { return pool.queued() == 1; }));
        pool.deallocate(std::move(*a));
        pool.deallocate(std::move(*b));
        QVERIFY(bs::test::eventually(
            [&] { return pool.availableMemory() == 0; }));  // taken by the waiter
        QVERIFY(!done);
        pool.deallocate(std::move(*c));
        big.join();
        QVERIFY(done);
        QCOMPARE(capacity.load(), size_t{2500});
        QCOMPARE(pool.availableMemory(), int64_t{3000});
    }

    void closeFailsWaiters() {
        bs::MockClock clock;
        BufferPool pool(1024, 1024, clock);
        auto held = pool.allocate(1024, 0);
        std::string error;
        std::thread waiter([&] {
            auto r = pool.allocate(1024, 600000);
            if (!r.ok()) error = r.error().message;
        });
        QVERIFY(bs::test::eventually([&] { return pool.queued() == 1; }));
        pool.close();
        waiter.join();
        QVERIFY2(error.find("closed") != std::string::npos, error.c_str());
        QVERIFY(!pool.allocate(1, 0).ok());
        pool.deallocate(std::move(*held));
    }
};

QTEST_GUILESS_MAIN(BufferPoolTest)
#include "test_buffer_pool.moc"
