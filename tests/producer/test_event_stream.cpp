#include <QtTest>

#include <malloc.h>

#include <atomic>
#include <thread>
#include <vector>

#include "producer/observation.h"

using namespace bs::producer;

// EventStream's ring without a lock on the publishing side: several publishers and a reader at
// once lose nothing silently (every event is read once or counted as dropped) and each
// publisher's events come out in the order it published them. Run under TSan too.
class EventStreamTest : public QObject {
    Q_OBJECT
  private slots:
    void capacityIsAPowerOfTwo() {
        QCOMPARE(EventStream(8).capacity(), size_t{8});
        QCOMPARE(EventStream(5).capacity(), size_t{8});
        QCOMPARE(EventStream(0).capacity(), size_t{1});
    }

    // Filled, read, filled again: slots are reused in order across the wrap.
    void wrapsAroundInOrder() {
        EventStream events(4);
        events.setEnabled(true);
        std::vector<Event> out;
        int64_t next = 0;
        for (int round = 0; round < 5; ++round) {
            for (int i = 0; i < 3; ++i) {
                Event e;
                e.type = EventType::BatchCreated;
                e.offset = next++;
                events.publish(e);
            }
            QCOMPARE(events.poll(out, 2), size_t{2});
            QCOMPARE(events.poll(out), size_t{1});
        }
        QCOMPARE(out.size(), size_t{15});
        for (size_t i = 0; i < out.size(); ++i)
            QCOMPARE(out[i].offset, static_cast<int64_t>(i));
        QCOMPARE(events.dropped(), uint64_t{0});
    }

    // The ring is allocated when a type is first enabled: a stream nobody turned on takes no
    // room for its 65 536 slots, publishes nothing and polls nothing; turned on, it works.
    void ringIsAllocatedWhenFirstEnabled() {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
        const bool countable = false;  // the sanitizers' allocators do not fill mallinfo2()
#else
        const bool countable = true;
#endif
        const auto heap = [] {
            const struct mallinfo2 m = mallinfo2();
            return static_cast<long>(m.uordblks + m.hblkhd);
        };
        const long before = heap();
        EventStream events(65536);
        const long constructed = heap();
        Event e;
        e.type = EventType::BatchCreated;
        e.offset = 7;
        events.publish(e);
        std::vector<Event> out;
        QCOMPARE(events.poll(out), size_t{0});
        events.setEnabledTypes(0);
        QCOMPARE(heap(), constructed);
        events.setEnabledTypes(EventStream::bit(EventType::BatchCreated));
        const long enabled = heap();
        events.publish(e);
        QCOMPARE(events.poll(out), size_t{1});
        QCOMPARE(out[0].offset, int64_t{7});
        events.setEnabled(false);
        events.setEnabled(true);  // the same ring again
        events.publish(e);
        QCOMPARE(events.poll(out), size_t{1});
        if (countable) {
            QVERIFY2(constructed - before < 64 * 1024,
                     qPrintable(QString::number(constructed - before)));
            QVERIFY2(enabled - constructed >= static_cast<long>(65536 * sizeof(Event)),
                     qPrintable(QString::number(enabled - constructed)));
        }
    }

    void concurrentPublishersLoseNothingSilently() {
        constexpr int kThreads = 4;
        constexpr int kPerThread = 20000;
        EventStream events(256);  // small: the publishers overrun the reader now and then
        events.setEnabled(true);
        std::atomic<int> left{kThreads};
        std::vector<std::thread> publishers;
        for (int t = 0; t < kThreads; ++t)
            publishers.emplace_back([&, t] {
                for (int i = 0; i < kPerThread; ++i) {
                    Event e;
                    e.type = EventType::BatchDrained;
                    e.nodeId = t;
                    e.offset = i;
                    events.publish(e);
                }
                left.fetch_sub(1);
            });
        std::vector<Event> out;
        while (left.load() > 0) {
            events.poll(out, 100);
            std::this_thread::yield();
        }
        for (auto& p : publishers)
            p.join();
        events.poll(out);
        QCOMPARE(events.poll(out), size_t{0});

        QCOMPARE(out.size() + events.dropped(), static_cast<uint64_t>(kThreads) * kPerThread);
        QVERIFY(out.size() >= events.capacity());
        std::vector<int64_t> last(kThreads, -1);
        for (const Event& e : out) {
            QVERIFY(e.type == EventType::BatchDrained);
            QVERIFY(e.nodeId >= 0 && e.nodeId < kThreads);
            QVERIFY2(e.offset > last[static_cast<size_t>(e.nodeId)], "a publisher's order broke");
            last[static_cast<size_t>(e.nodeId)] = e.offset;
        }
    }
};

QTEST_GUILESS_MAIN(EventStreamTest)
#include "test_event_stream.moc"
