// The Deliveries table: newest first without the proxy re-sorting every burst, a header click
// still sorts, the filter still filters.
#include <QHeaderView>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QtTest>

#include "models/deliveries_model.h"
#include "widgets/deliveries_panel.h"

using namespace bs::ui;

class TestDeliveriesPanel : public QObject {
    Q_OBJECT
  private Q_SLOTS:
    void newestFirstThenSortableAndFilterable() {
        DeliveriesModel model;
        DeliveriesPanel panel(&model);
        QVector<Delivery> burst;
        for (int i = 1; i <= 6; ++i) {
            Delivery d;
            d.seq = i;
            d.topic = QStringLiteral("demo");
            d.partition = (7 - i) % 3;
            d.offset = 100 + i;
            d.key = QStringLiteral("key-%1").arg(i);
            burst.push_back(d);
        }
        model.add(burst);
        auto* proxy = panel.proxy();
        auto seqAt = [&](int row) {
            return proxy->data(proxy->index(row, DeliveriesModel::Seq), Qt::UserRole).toLongLong();
        };
        QCOMPARE(proxy->sortColumn(), -1);  // the model's order is the one shown
        QCOMPARE(seqAt(0), qint64(6));
        QCOMPARE(seqAt(5), qint64(1));
        QCOMPARE(panel.findChild<QTableView*>()->horizontalHeader()->sortIndicatorSection(),
                 int(DeliveriesModel::Seq));

        panel.findChild<QTableView*>()->sortByColumn(DeliveriesModel::Seq, Qt::AscendingOrder);
        QCOMPARE(seqAt(0), qint64(1));
        QCOMPARE(seqAt(5), qint64(6));

        proxy->setFilterFixedString(QStringLiteral("key-4"));
        QCOMPARE(proxy->rowCount(), 1);
        QCOMPARE(seqAt(0), qint64(4));
    }
};

QTEST_MAIN(TestDeliveriesPanel)
#include "test_deliveries_panel.moc"
