// Bad inputs each show their error on the field and send nothing: bad hex, bad JSON, an int
// out of range, a partition out of range, an unknown topic when auto-create is off.

#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTest>

#include "models/deliveries_model.h"
#include "ui_harness.h"
#include "widgets/record_composer.h"

using namespace bs::ui;

namespace {
// Whether the composer offers a way to send (its Send and Repeat buttons).
bool offersSend(const RecordComposer* c) {
    return child<QPushButton>(c, "send")->isEnabled() ||
           child<QPushButton>(c, "repeat")->isEnabled();
}

// Tries every way to send anyway; returns how many records the controller sent so far.
qint64 trySend(test::Harness& h, RecordComposer* c) {
    c->sendOne();
    c->startRepeat();
    c->sendAction()->trigger();
    QCoreApplication::processEvents();
    return h.controller->sends().sentCount();
}

void restoreValid(RecordComposer* c) {
    child<QComboBox>(c, "keySerializer")->setCurrentText(QStringLiteral("string"));
    child<QLineEdit>(c, "key")->setText(QStringLiteral("k"));
    child<QComboBox>(c, "valueSerializer")->setCurrentText(QStringLiteral("json"));
    child<QPlainTextEdit>(c, "value")->setPlainText(QStringLiteral("{\"ok\": true}"));
    child<QSpinBox>(c, "partition")->setValue(-1);
}
}  // namespace

class TestValidation : public QObject {
    Q_OBJECT
  private Q_SLOTS:
    void badInputsShowErrorsAndSendNothing() {
        test::Harness h;
        QVERIFY(h.waitConnected());
        RecordComposer* c = h.window->findChild<RecordComposer*>();
        QTRY_VERIFY_WITH_TIMEOUT(child<QPushButton>(c, "send")->isEnabled(), 10000);

        // Bad hex.
        child<QComboBox>(c, "keySerializer")->setCurrentText(QStringLiteral("bytes"));
        child<QLineEdit>(c, "key")->setText(QStringLiteral("0a zz"));
        QVERIFY(child<QLabel>(c, "keyError")->isVisibleTo(c));
        QVERIFY2(!child<QLabel>(c, "keyError")->text().isEmpty(), "bad hex: no message");
        QVERIFY(!offersSend(c));
        QCOMPARE(trySend(h, c), qint64{0});
        restoreValid(c);
        QVERIFY(child<QPushButton>(c, "send")->isEnabled());
        QVERIFY(!child<QLabel>(c, "keyError")->isVisibleTo(c));

        // Bad JSON.
        child<QPlainTextEdit>(c, "value")->setPlainText(QStringLiteral("{\"a\": }"));
        QVERIFY(child<QLabel>(c, "valueError")->isVisibleTo(c));
        QVERIFY(!child<QLabel>(c, "valueError")->text().isEmpty());
        QVERIFY(!offersSend(c));
        QCOMPARE(trySend(h, c), qint64{0});
        restoreValid(c);
        QVERIFY(child<QPushButton>(c, "send")->isEnabled());

        // int out of range.
        child<QComboBox>(c, "keySerializer")->setCurrentText(QStringLiteral("int"));
        child<QLineEdit>(c, "key")->setText(QStringLiteral("2147483648"));
        QVERIFY(child<QLabel>(c, "keyError")->isVisibleTo(c));
        QVERIFY(!offersSend(c));
        QCOMPARE(trySend(h, c), qint64{0});
        child<QLineEdit>(c, "key")->setText(QStringLiteral("2147483647"));
        QVERIFY(!child<QLabel>(c, "keyError")->isVisibleTo(c));
        restoreValid(c);
        QVERIFY(child<QPushButton>(c, "send")->isEnabled());

        // Partition out of range: demo has 6 (0-5).
        child<QSpinBox>(c, "partition")->setValue(6);
        QVERIFY(child<QLabel>(c, "partitionError")->isVisibleTo(c));
        QVERIFY2(child<QLabel>(c, "partitionError")->text().contains(QStringLiteral("6")),
                 qPrintable(child<QLabel>(c, "partitionError")->text()));
        QVERIFY(!offersSend(c));
        QCOMPARE(trySend(h, c), qint64{0});
        child<QSpinBox>(c, "partition")->setValue(5);
        QVERIFY(!child<QLabel>(c, "partitionError")->isVisibleTo(c));
        restoreValid(c);
        QVERIFY(child<QPushButton>(c, "send")->isEnabled());

        // A valid record is the barrier: it is the only delivery.
        child<QPushButton>(c, "send")->click();
        QTRY_COMPARE_WITH_TIMEOUT(h.window->findChild<DeliveriesModel*>()->rowCount(), 1, 30000);
        QCOMPARE(h.controller->sends().sentCount(), 1);
        QVERIFY(h.window->findChild<DeliveriesModel*>()->at(0).ok());
    }

    void unknownTopicWithoutAutoCreate() {
        test::Harness h({}, /*autoCreate=*/false);
        QVERIFY(h.waitConnected());
        RecordComposer* c = h.window->findChild<RecordComposer*>();
        QTRY_VERIFY_WITH_TIMEOUT(child<QPushButton>(c, "send")->isEnabled(), 10000);
        child<QComboBox>(c, "topic")->setEditText(QStringLiteral("no-such-topic"));
        QVERIFY(child<QLabel>(c, "topicError")->isVisibleTo(c));
        QVERIFY2(child<QLabel>(c, "topicError")->text().contains(QStringLiteral("auto.create")),
                 qPrintable(child<QLabel>(c, "topicError")->text()));
        QVERIFY(!offersSend(c));
        QCOMPARE(trySend(h, c), qint64{0});
        child<QComboBox>(c, "topic")->setEditText(QStringLiteral("bad topic!"));
        QVERIFY(child<QLabel>(c, "topicError")->isVisibleTo(c));
        QVERIFY(!offersSend(c));
        QCOMPARE(trySend(h, c), qint64{0});
        child<QComboBox>(c, "topic")->setEditText(QStringLiteral("demo"));
        QVERIFY(!child<QLabel>(c, "topicError")->isVisibleTo(c));
        QVERIFY(child<QPushButton>(c, "send")->isEnabled());
    }
};

QTEST_MAIN(TestValidation)
#include "test_validation.moc"
