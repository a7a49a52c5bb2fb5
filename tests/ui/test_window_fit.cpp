// The main window at its default size (no restored layout): the state legends above the
// accumulator and sender views show every entry, wrapping instead of clipping, and the
// Deliveries dock keeps each record's partition and offset in sight.
#include <QHeaderView>
#include <QStandardPaths>
#include <QTableView>
#include <QTest>
#include <memory>

#include "app_controller.h"
#include "main_window.h"
#include "models/deliveries_model.h"
#include "widgets/accumulator_view.h"
#include "widgets/deliveries_panel.h"
#include "widgets/state_legend.h"

using namespace bs::ui;

class TestWindowFit : public QObject {
    Q_OBJECT
  private Q_SLOTS:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        controller_ = std::make_unique<AppController>();
        window_ = std::make_unique<MainWindow>(controller_.get());
        window_->show();
        QVERIFY(QTest::qWaitForWindowExposed(window_.get()));
        QCoreApplication::processEvents();
    }
    void cleanupTestCase() {
        window_.reset();
        controller_.reset();
    }

    void legendWrapsWhenNarrow() {
        StateLegend legend(StateLegend::Kind::Accumulator);
        const int wide = legend.sizeHint().width();
        const int oneLine = legend.heightForWidth(wide);
        QCOMPARE(legend.heightForWidth(wide * 2), oneLine);
        QVERIFY(legend.heightForWidth(wide / 2) > oneLine);
        // At its minimum width (its widest entry) the six entries take five or six lines: two
        // short ones may share one.
        const int narrow = legend.heightForWidth(legend.minimumSizeHint().width());
        QVERIFY2(narrow >= 5 * oneLine && narrow <= 6 * oneLine,
                 qPrintable(QString::number(narrow)));
    }

    void everyLegendEntryShows() {
        const auto legends = window_->findChildren<StateLegend*>();
        QCOMPARE(legends.size(), 2);
        for (StateLegend* legend : legends) {
            QVERIFY(legend->isVisible());
            QVERIFY2(legend->height() >= legend->heightForWidth(legend->width()),
                     qPrintable(QStringLiteral("legend %1 px wide needs %2 px, has %3")
                                    .arg(legend->width())
                                    .arg(legend->heightForWidth(legend->width()))
                                    .arg(legend->height())));
        }
    }

    void deliveriesShowPartitionAndOffset() {
        QTableView* table = window_->findChild<DeliveriesPanel*>()->findChild<QTableView*>();
        const int viewport = table->viewport()->width();
        for (int column : {int(DeliveriesModel::Seq), int(DeliveriesModel::Partition),
                           int(DeliveriesModel::Offset)}) {
            const int right = table->columnViewportPosition(column) + table->columnWidth(column);
            QVERIFY2(table->columnViewportPosition(column) >= 0 && right <= viewport,
                     qPrintable(QStringLiteral("column %1 ends at %2 px of a %3 px table")
                                    .arg(column)
                                    .arg(right)
                                    .arg(viewport)));
        }
        // Key and value follow.
        QHeaderView* header = table->horizontalHeader();
        QVERIFY(header->visualIndex(DeliveriesModel::Offset) <
                header->visualIndex(DeliveriesModel::Key));
        QVERIFY(header->visualIndex(DeliveriesModel::Key) <
                header->visualIndex(DeliveriesModel::Value));
    }

  private:
    // One window at its default size, no cluster: only its layout is looked at.
    std::unique_ptr<AppController> controller_;
    std::unique_ptr<MainWindow> window_;
};

QTEST_MAIN(TestWindowFit)
#include "test_window_fit.moc"
