#include <QtTest>

#include "support/mock_clock.h"

class ClockTest : public QObject {
    Q_OBJECT
  private slots:
    void mockClockMovesOnlyWhenTold() {
        bs::MockClock clock(1'000'000, 5'000'000'000);
        QCOMPARE(clock.nowMs(), 5000);
        QCOMPARE(clock.wallMs(), 1'000'000);
        clock.sleepMs(250);
        QCOMPARE(clock.nowMs(), 5250);
        QCOMPARE(clock.nowNs(), 5'250'000'000);
        QCOMPARE(clock.wallMs(), 1'000'250);
    }
    void systemClockIsMonotonic() {
        auto& clock = bs::SystemClock::instance();
        const int64_t a = clock.nowNs();
        const int64_t b = clock.nowNs();
        QVERIFY(b >= a);
        QVERIFY(clock.wallMs() > 1'600'000'000'000);
    }
};

QTEST_GUILESS_MAIN(ClockTest)
#include "test_clock.moc"
