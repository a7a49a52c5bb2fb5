// Compose and send a keyed record with Ctrl+Return: a delivery row appears with the partition
// Java's murmur2 placement gives and an offset; the explain panel shows the same computation.

#include <QComboBox>
#include <QLineEdit>
#include <QPushButton>
#include <QTest>

#include "models/deliveries_model.h"
#include "producer/partitioner.h"
#include "ui_harness.h"
#include "widgets/explain_panel.h"
#include "widgets/record_composer.h"

using namespace bs::ui;

class TestSendKeyed : public QObject {
    Q_OBJECT
  private Q_SLOTS:
    void keyedRecordLandsOnMurmur2Partition() {
        test::Harness h;
        QVERIFY(h.waitConnected());
        RecordComposer* c = h.window->findChild<RecordComposer*>();
        child<QComboBox>(c, "keySerializer")->setCurrentText(QStringLiteral("string"));
        child<QLineEdit>(c, "key")->setText(QStringLiteral("order-42"));
        QTRY_VERIFY_WITH_TIMEOUT(child<QPushButton>(c, "send")->isEnabled(), 10000);

        const std::string key = "order-42";
        const int expected = bs::producer::partitionForKey(
            std::span(reinterpret_cast<const uint8_t*>(key.data()), key.size()), 6);
        QTRY_COMPARE_WITH_TIMEOUT(h.window->findChild<ExplainPanel*>()->shownPartition(), expected,
                                  10000);

        h.window->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(h.window.get()));
        child<QLineEdit>(c, "key")->setFocus();
        QTest::keyClick(child<QLineEdit>(c, "key"), Qt::Key_Return, Qt::ControlModifier);

        DeliveriesModel* m = h.window->findChild<DeliveriesModel*>();
        QTRY_COMPARE_WITH_TIMEOUT(m->rowCount(), 1, 30000);
        const Delivery& d = m->at(0);
        QVERIFY2(d.ok(), qPrintable(d.error));
        QCOMPARE(d.key, QStringLiteral("order-42"));
        QCOMPARE(d.partition, expected);
        QVERIFY(d.offset >= 0);
        QCOMPARE(m->data(m->index(0, DeliveriesModel::Partition), Qt::DisplayRole).toInt(),
                 expected);

        // A second record with the same key goes to the same partition, next offset.
        child<QPushButton>(c, "send")->click();
        QTRY_COMPARE_WITH_TIMEOUT(m->rowCount(), 2, 30000);
        QCOMPARE(m->at(0).partition, expected);
        QCOMPARE(m->at(0).offset, d.offset + 1);
    }
};

QTEST_MAIN(TestSendKeyed)
#include "test_send_keyed.moc"
