// RequestMemoryPool (queued.max.request.bytes): strict cap, waiters woken once by a release,
// the peak, and -1 as unbounded.
#include <QtTest>

#include "broker/request_memory_pool.h"

using bs::broker::RequestMemoryPool;

class RequestMemoryPoolTest : public QObject {
    Q_OBJECT

  private slots:
    void chargesUpToTheCapAndNeverPast() {
        RequestMemoryPool pool(100);
        int woken = 0;
        QVERIFY(pool.tryAllocate(60, [&] { ++woken; }));
        QVERIFY(pool.tryAllocate(40, [&] { ++woken; }));
        QCOMPARE(pool.used(), size_t{100});
        QVERIFY(!pool.tryAllocate(1, [&] { ++woken; }));
        QCOMPARE(pool.used(), size_t{100});
        QCOMPARE(pool.refusals(), uint64_t{1});
        QCOMPARE(woken, 0);
    }

    void aReleaseWakesEveryWaiterOnce() {
        RequestMemoryPool pool(10);
        QVERIFY(pool.tryAllocate(10, [] {}));
        int a = 0;
        int b = 0;
        QVERIFY(!pool.tryAllocate(5, [&] { ++a; }));
        QVERIFY(!pool.tryAllocate(8, [&] { ++b; }));
        pool.release(4);
        QCOMPARE(a, 1);
        QCOMPARE(b, 1);
        pool.release(6);  // nobody waits any more
        QCOMPARE(a, 1);
        QCOMPARE(b, 1);
        QCOMPARE(pool.used(), size_t{0});
        QCOMPARE(pool.peak(), size_t{10});
    }

    void minusOneIsUnbounded() {
        RequestMemoryPool pool(RequestMemoryPool::kUnbounded);
        QVERIFY(pool.tryAllocate(size_t{1} << 40, [] {}));
        QCOMPARE(pool.used(), size_t{1} << 40);
        pool.release(size_t{1} << 40);
        QCOMPARE(pool.used(), size_t{0});
    }
};

QTEST_GUILESS_MAIN(RequestMemoryPoolTest)
#include "test_request_memory_pool.moc"
