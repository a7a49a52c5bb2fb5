// The default layout at 1680x1050 and at 1366x768 (a common laptop): the window fits, and every
// dock's essentials are in sight without scrolling sideways: the accumulator's six lanes, three
// broker lanes and their completions in the Sender, the Deliveries' #, partition, offset and
// latency, the composer's Send, the explain panel whole or scrollable, every metrics chart (a
// tab beside the Sender in a short window), and the Topic inspector's rows and detail pane once
// raised.

#include <QAbstractScrollArea>
#include <QChartView>
#include <QDockWidget>
#include <QHeaderView>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QStandardPaths>
#include <QTableView>
#include <QTest>
#include <memory>

#include "app_controller.h"
#include "main_window.h"
#include "models/accumulator_model.h"
#include "models/deliveries_model.h"
#include "models/sender_model.h"
#include "ui_harness.h"
#include "widgets/accumulator_view.h"
#include "widgets/deliveries_panel.h"
#include "widgets/explain_panel.h"
#include "widgets/metrics_panel.h"
#include "widgets/record_composer.h"
#include "widgets/sender_view.h"
#include "widgets/topic_inspector.h"

using namespace bs::ui;

namespace {

QAbstractScrollArea* scrollAreaOf(QWidget* w) {
    for (QWidget* p = w->parentWidget(); p; p = p->parentWidget())
        if (auto* area = qobject_cast<QAbstractScrollArea*>(p)) return area;
    return nullptr;
}

// The part of `w` its window shows (clipped by scroll areas and docks).
QRect shown(QWidget* w) {
    return w->visibleRegion().boundingRect();
}

QString describe(QWidget* w) {
    const QRect r = shown(w);
    return QStringLiteral("%1: %2x%3 shown of %4x%5")
        .arg(QString::fromLatin1(w->metaObject()->className()))
        .arg(r.width())
        .arg(r.height())
        .arg(w->width())
        .arg(w->height());
}

// Three brokers with a request in flight each, as the embedded cluster gives.
void threeBrokers(SenderModel* m) {
    bs::producer::ProducerSnapshot s;
    s.timeMs = 1000;
    for (int id = 0; id < 3; ++id) {
        bs::producer::NodeSnapshot n;
        n.nodeId = id;
        n.host = "127.0.0.1";
        n.port = 40000 + id;
        n.connected = true;
        bs::producer::InFlightRequestSnapshot r;
        r.correlationId = 298500 + id;
        r.partitions = {{"demo", id}};
        r.batchIds = {uint64_t(10 + id)};
        r.recordCount = 3;
        r.bytes = 300;
        r.sentMs = 10;
        n.inFlight.push_back(r);
        s.nodes.push_back(n);
    }
    m->update(s);
}

// Topic demo's six partitions, one open batch each.
void sixPartitions(AccumulatorModel* m) {
    bs::producer::ProducerSnapshot s;
    s.timeMs = 1000;
    for (int p = 0; p < 6; ++p) {
        bs::producer::PartitionSnapshot ps;
        ps.tp = {"demo", p};
        bs::producer::BatchSnapshot b;
        b.batchId = uint64_t(p + 1);
        b.recordCount = 2;
        b.sizeBytes = 200;
        b.capacity = 16384;
        b.createdMs = 990;
        ps.batches.push_back(b);
        s.partitions.push_back(ps);
    }
    m->update(s);
}

}  // namespace

class TestWindowSizes : public QObject {
    Q_OBJECT
  private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void essentialsInSight_data() {
        QTest::addColumn<QSize>("size");
        QTest::newRow("1680x1050") << QSize(1680, 1050);
        QTest::newRow("1366x768") << QSize(1366, 768);
    }

    void essentialsInSight() {
        QFETCH(QSize, size);
        AppController controller;  // not connected: only the layout is looked at
        MainWindow w(&controller);
        threeBrokers(w.findChild<SenderModel*>());
        sixPartitions(w.findChild<AccumulatorModel*>());
        w.resize(size);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        w.applyDefaultSizes();
        QCoreApplication::processEvents();
        QCOMPARE(w.size(), size);  // its minimum size fits the screen

        // The accumulator, the window's centre: all six lanes at their height or more.
        auto* acc = w.findChild<AccumulatorView*>();
        QVERIFY2(shown(acc).height() >= acc->sizeHint().height(), qPrintable(describe(acc)));

        // Sender: all three lanes, the slots and the completions column, no sideways scroll.
        SenderView* sender = w.findChild<SenderView*>();
        QAbstractScrollArea* senderArea = scrollAreaOf(sender);
        QVERIFY(senderArea);
        QVERIFY2(!senderArea->horizontalScrollBar()->isVisible(),
                 qPrintable(QStringLiteral("sender needs %1 px, its viewport has %2 px")
                                .arg(sender->minimumSizeHint().width())
                                .arg(senderArea->viewport()->width())));
        QVERIFY2(shown(sender).height() >= sender->minimumSizeHint().height(),
                 qPrintable(describe(sender)));
        QCOMPARE(shown(sender).width(), sender->width());

        // Deliveries: #, partition, offset and latency inside the table.
        QTableView* table = w.findChild<DeliveriesPanel*>()->findChild<QTableView*>();
        for (int column : {int(DeliveriesModel::Seq), int(DeliveriesModel::Partition),
                           int(DeliveriesModel::Offset), int(DeliveriesModel::Latency)}) {
            const int right = table->columnViewportPosition(column) + table->columnWidth(column);
            QVERIFY2(
                table->columnViewportPosition(column) >= 0 && right <= table->viewport()->width(),
                qPrintable(QStringLiteral("column %1 ends at %2 of %3")
                               .arg(column)
                               .arg(right)
                               .arg(table->viewport()->width())));
        }

        // Composer: Send in sight.
        QPushButton* send = child<QPushButton>(w.findChild<RecordComposer*>(), "send");
        QCOMPARE(shown(send).size(), send->size());

        // Explain: whole, or scrollable to its last row; never cut sideways.
        ExplainPanel* explain = w.findChild<ExplainPanel*>();
        QAbstractScrollArea* explainArea = scrollAreaOf(explain);
        QVERIFY(explainArea);
        QCOMPARE(shown(explain).width(), explain->width());
        QVERIFY2(shown(explain).height() == explain->height() ||
                     explainArea->verticalScrollBar()->maximum() > 0,
                 qPrintable(describe(explain)));
        QVERIFY(explain->height() >= explain->minimumSizeHint().height());

        // Metrics (a tab beside the Sender in a short window): every chart whole and readable.
        child<QDockWidget>(&w, "metrics")->raise();
        QCoreApplication::processEvents();
        const auto charts = w.findChild<MetricsPanel*>()->findChildren<QChartView*>();
        QCOMPARE(charts.size(), 8);
        for (QChartView* chart : charts) {
            QCOMPARE(shown(chart->viewport()).size(), chart->viewport()->size());
            QVERIFY2(chart->width() >= 150 && chart->height() >= 80, qPrintable(describe(chart)));
        }

        // Topic inspector, raised: a page of rows and a detail pane beside them.
        child<QDockWidget>(&w, "inspector")->raise();
        QCoreApplication::processEvents();
        auto* inspector = w.findChild<TopicInspector*>();
        QTableView* rows = child<QTableView>(inspector, "records");
        const int visibleRows =
            rows->viewport()->height() / rows->verticalHeader()->defaultSectionSize();
        QVERIFY2(visibleRows >= (size.height() >= 1000 ? 14 : 8),
                 qPrintable(QString::number(visibleRows)));
        QVERIFY2(rows->width() <= inspector->width() * 6 / 10, qPrintable(describe(rows)));
    }
};

QTEST_MAIN(TestWindowSizes)
#include "test_window_sizes.moc"
