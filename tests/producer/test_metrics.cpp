// ProducerMetrics against Java's semantics: a Rate over 2 samples of 30 s counts at least one
// full window of elapsed time (Rate.windowSize), so a young stat reads low and a steady one
// reads the rate; request latency keeps sub-millisecond precision.
#include <QtTest>

#include <cmath>

#include "producer/producer_metrics.h"
#include "support/mock_clock.h"

using namespace bs;
using namespace bs::producer;

class MetricsTest : public QObject {
    Q_OBJECT
  private Q_SLOTS:
    void recordSendRateIsJavasRate() {
        MockClock clock;
        ProducerMetrics m(clock);
        // 1000 records/s: 10 records every 10 ms.
        auto run = [&](int ms) {
            for (int t = 0; t < ms; t += 10) {
                m.recordBatch("t", 10, 100, 1.0, 0, 80);
                clock.sleepMs(10);
            }
        };
        run(10000);
        // Java: 10 000 records over 10 s + the missing full window (30 s) = 250/s.
        QVERIFY2(std::abs(m.value("record-send-rate") - 250.0) < 1.0,
                 qPrintable(QString::number(m.value("record-send-rate"))));
        run(80000);
        QVERIFY2(std::abs(m.value("record-send-rate") - 1000.0) < 10.0,
                 qPrintable(QString::number(m.value("record-send-rate"))));
        QCOMPARE(m.value("record-send-total"), 90000.0);
        // Idle past both windows: the rate falls to 0.
        clock.sleepMs(61000);
        QCOMPARE(m.value("record-send-rate"), 0.0);
    }

    void latencyKeepsMicroseconds() {
        MockClock clock;
        ProducerMetrics m(clock);
        m.recordLatency(0.040, 1);
        m.recordLatency(0.060, 1);
        QVERIFY(std::abs(m.value("request-latency-avg") - 0.050) < 1e-9);
        QVERIFY(std::abs(m.value("request-latency-max") - 0.060) < 1e-9);
    }

    // As Java's Sender: record-size-avg/max over the drained batches, each counting its largest
    // record once, however many records it holds; samples older than the two windows fall out.
    void recordSizeIsEachBatchsLargestRecord() {
        MockClock clock;
        ProducerMetrics m(clock);
        QVERIFY(std::isnan(m.value("record-size-avg")));
        QVERIFY(std::isnan(m.value("record-size-max")));
        m.recordBatch("t", 100, 10000, 1.0, 0, 100);
        m.recordBatch("t", 1, 400, 1.0, 0, 400);
        QCOMPARE(m.value("record-size-avg"), 250.0);
        QCOMPARE(m.value("record-size-max"), 400.0);
        clock.sleepMs(2 * ProducerMetrics::kWindowMs);
        m.recordBatch("u", 7, 350, 1.0, 0, 50);
        QCOMPARE(m.value("record-size-avg"), 50.0);
        QCOMPARE(m.value("record-size-max"), 50.0);
    }
};

QTEST_GUILESS_MAIN(MetricsTest)
#include "test_metrics.moc"
