// The metrics dock against the embedded cluster: the Records/s curve is a rate (its area is the
// number of records sent, which a 30-60 s windowed average is not), request latency on loopback
// reads in microseconds, axes have round, distinct labels; Clear views clears the views (and
// only them: no new connection, no stale headline or status-bar count).

#include <QAction>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QPushButton>
#include <QRegularExpression>
#include <QSet>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTest>
#include <QValueAxis>
#include <cmath>

#include <QDoubleSpinBox>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QToolButton>
#include "models/deliveries_model.h"
#include "models/metrics_history.h"

#include "models/accumulator_model.h"
#include "models/deliveries_model.h"
#include "models/metrics_history.h"
#include "models/sender_model.h"
#include "session/cluster_session.h"
#include "session/send_service.h"
#include "session/snapshot_poller.h"
#include "ui_harness.h"
#include "widgets/accumulator_view.h"
#include "widgets/log_panel.h"
#include "widgets/metrics_panel.h"
#include "widgets/record_composer.h"

using namespace bs::ui;

namespace {

constexpr int kRecords = 3000;
constexpr int kRecordsPerSec = 0, kBytesPerSec = 1, kLatency = 4, kBuffer = 5;

// Records/s integrated over the history: records sent between the first and the last sample.
double area(const MetricsHistory& history, int series) {
    double sum = 0;
    const auto& samples = history.samples();
    for (size_t i = 1; i < samples.size(); ++i) {
        const double v = samples[i].values.value(series);
        if (!std::isnan(v)) sum += v * double(samples[i].timeMs - samples[i - 1].timeMs) / 1000.0;
    }
    return sum;
}

bool isRound(double top) {
    const double m = top / std::pow(10.0, std::floor(std::log10(top)));
    for (double nice : {1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0})
        if (std::abs(m - nice) < 1e-9) return true;
    return false;
}

// The tick labels as the axis prints them: its format is "%.<d>f<suffix>".
QStringList yLabels(QValueAxis* y) {
    QStringList out;
    const QRegularExpressionMatch m =
        QRegularExpression(QStringLiteral("^%\\.(\\d)f(.*)$")).match(y->labelFormat());
    if (!m.hasMatch()) return {y->labelFormat()};
    for (int t = 0; t < y->tickCount(); ++t) {
        const double v = y->min() + (y->max() - y->min()) * t / (y->tickCount() - 1);
        out << QString::number(v, 'f', m.captured(1).toInt()) + m.captured(2);
    }
    return out;
}

QAction* actionNamed(QWidget* w, const QString& text) {
    for (auto* a : w->findChildren<QAction*>())
        if (a->text() == text) return a;
    return nullptr;
}

}  // namespace

class TestMetricsRates : public QObject {
    Q_OBJECT
  private Q_SLOTS:
    void ratesLatencyAxesAndClear() {
        test::Harness h;
        QVERIFY(h.waitConnected());
        MetricsHistory* history = h.window->findChild<MetricsHistory*>();
        // A sample before anything is sent: the area then counts every record.
        QTRY_VERIFY_WITH_TIMEOUT(!history->samples().empty(), 10000);

        RecordComposer* c = h.window->findChild<RecordComposer*>();
        QTRY_VERIFY_WITH_TIMEOUT(child<QPushButton>(c, "repeat")->isEnabled(), 10000);
        child<QSpinBox>(c, "repeatCount")->setValue(kRecords);
        child<QDoubleSpinBox>(c, "repeatRate")
            ->setValue(0);  // as fast as it goes: a burst shorter than the window
        child<QPushButton>(c, "repeat")->click();
        DeliveriesModel* m = h.window->findChild<DeliveriesModel*>();
        QTRY_COMPARE_WITH_TIMEOUT(m->totalAdded(), qint64(kRecords), 60000);
        QCOMPARE(m->totalErrors(), qint64(0));
        // The status bar counts what the Deliveries dock counts.
        QTRY_VERIFY_WITH_TIMEOUT(child<QLabel>(h.window.get(), "throughput")
                                     ->text()
                                     .contains(QStringLiteral("%1 delivered").arg(kRecords)),
                                 10000);
        // Two more samples: the last interval with sends is in the history.
        const size_t n = history->samples().size();
        QTRY_VERIFY_WITH_TIMEOUT(history->samples().size() >= n + 2, 20000);
        QVERIFY2(std::abs(area(*history, kRecordsPerSec) - kRecords) < 0.5,
                 qPrintable(QString::number(area(*history, kRecordsPerSec))));
        QVERIFY(area(*history, kBytesPerSec) > kRecords);

        MetricsPanel* panel = h.window->findChild<MetricsPanel*>();
        QVERIFY(history->latest(kLatency) > 0);
        const QString latency = panel->valueLabel(kLatency)->text();
        QVERIFY2(latency != QStringLiteral("0.00 ms") && (latency.endsWith(QStringLiteral(" µs")) ||
                                                          latency.endsWith(QStringLiteral(" ms"))),
                 qPrintable(latency));
        for (int i = 0; i < MetricsHistory::series().size(); ++i) {
            QValueAxis* y = panel->yAxis(i);
            const QStringList labels = yLabels(y);
            QCOMPARE(QSet<QString>(labels.begin(), labels.end()).size(), labels.size());
            QVERIFY2(y->min() == 0 && isRound(y->max()), qPrintable(labels.join(" / ")));
            QValueAxis* x = panel->xAxis(i);
            QCOMPARE(x->max(), 0.0);
            QCOMPARE(std::fmod(x->min(), 60.0), 0.0);
            const double step = (x->max() - x->min()) / (x->tickCount() - 1);
            QCOMPARE(std::fmod(step, 10.0), 0.0);
        }
        // 32 MB available: an axis in MB whose top is round and not below the value.
        const double buffer = history->latest(kBuffer) / (1024.0 * 1024.0);
        QVERIFY(panel->yAxis(kBuffer)->labelFormat().endsWith(QLatin1Char('M')));
        QVERIFY(panel->yAxis(kBuffer)->max() >= buffer);

        // Clear views: empty views, no reconnect.
        QSignalSpy connected(&h.controller->session(), &ClusterSession::connected);
        QSignalSpy recreated(&h.controller->session(), &ClusterSession::producerRecreated);
        const qsizetype connectedLines =
            h.window->findChild<LogPanel*>()->text().count(QStringLiteral("connected: "));
        QAction* clear = actionNamed(h.window.get(), QStringLiteral("Clear views"));
        QVERIFY(clear);
        clear->trigger();
        QCOMPARE(m->rowCount(), 0);
        QVERIFY2(child<QLabel>(h.window.get(), "throughput")
                     ->text()
                     .endsWith(QStringLiteral(" 0 delivered")),
                 qPrintable(child<QLabel>(h.window.get(), "throughput")->text()));
        for (int i = 0; i < MetricsHistory::series().size(); ++i)
            QCOMPARE(panel->valueLabel(i)->text(), QStringLiteral("–"));
        // The producer kept running: a new record is delivered without any reconnect.
        child<QPushButton>(c, "send")->click();
        QTRY_COMPARE_WITH_TIMEOUT(m->totalAdded(), qint64(1), 30000);
        QCOMPARE(connected.size(), 0);
        QCOMPARE(recreated.size(), 0);
        QCOMPARE(h.window->findChild<LogPanel*>()->text().count(QStringLiteral("connected: ")),
                 connectedLines);
    }
};

QTEST_MAIN(TestMetricsRates)
#include "test_metrics_rates.moc"
