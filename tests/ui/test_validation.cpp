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
// Tries every way to send; none may go through.
void trySend(test::Harness& h) {
    RecordComposer* c = h.window->composer();
    QVERIFY(!c->sendButton()->isEnabled());
    QVERIFY(!c->repeatButton()->isEnabled());
    c->sendOne();
    c->startRepeat();
    c->sendAction()->trigger();
    QCoreApplication::processEvents();
    QCOMPARE(h.controller->sentCount(), 0);
}

void restoreValid(RecordComposer* c) {
    c->keySerializerBox()->setCurrentText(QStringLiteral("string"));
    c->keyEdit()->setText(QStringLiteral("k"));
    c->valueSerializerBox()->setCurrentText(QStringLiteral("json"));
    c->valueEdit()->setPlainText(QStringLiteral("{\"ok\": true}"));
    c->partitionSpin()->setValue(-1);
    QVERIFY(c->sendButton()->isEnabled());
}
}  // namespace

class TestValidation : public QObject {
    Q_OBJECT
  private Q_SLOTS:
    void badInputsShowErrorsAndSendNothing() {
        test::Harness h;
        QVERIFY(h.waitConnected());
        RecordComposer* c = h.window->composer();
        QTRY_VERIFY_WITH_TIMEOUT(c->sendButton()->isEnabled(), 10000);

        // Bad hex.
        c->keySerializerBox()->setCurrentText(QStringLiteral("bytes"));
        c->keyEdit()->setText(QStringLiteral("0a zz"));
        QVERIFY(c->keyError()->isVisibleTo(c));
        QVERIFY2(!c->keyError()->text().isEmpty(), "bad hex: no message");
        trySend(h);
        restoreValid(c);
        QVERIFY(!c->keyError()->isVisibleTo(c));

        // Bad JSON.
        c->valueEdit()->setPlainText(QStringLiteral("{\"a\": }"));
        QVERIFY(c->valueError()->isVisibleTo(c));
        QVERIFY(!c->valueError()->text().isEmpty());
        trySend(h);
        restoreValid(c);

        // int out of range.
        c->keySerializerBox()->setCurrentText(QStringLiteral("int"));
        c->keyEdit()->setText(QStringLiteral("2147483648"));
        QVERIFY(c->keyError()->isVisibleTo(c));
        trySend(h);
        c->keyEdit()->setText(QStringLiteral("2147483647"));
        QVERIFY(!c->keyError()->isVisibleTo(c));
        restoreValid(c);

        // Partition out of range: demo has 6 (0-5).
        c->partitionSpin()->setValue(6);
        QVERIFY(c->partitionError()->isVisibleTo(c));
        QVERIFY2(c->partitionError()->text().contains(QStringLiteral("6")),
                 qPrintable(c->partitionError()->text()));
        trySend(h);
        c->partitionSpin()->setValue(5);
        QVERIFY(!c->partitionError()->isVisibleTo(c));
        restoreValid(c);

        // A valid record is the barrier: it is the only delivery.
        c->sendButton()->click();
        QTRY_COMPARE_WITH_TIMEOUT(h.window->deliveriesModel()->rowCount(), 1, 30000);
        QCOMPARE(h.controller->sentCount(), 1);
        QVERIFY(h.window->deliveriesModel()->at(0).ok());
    }

    void unknownTopicWithoutAutoCreate() {
        test::Harness h({}, /*autoCreate=*/false);
        QVERIFY(h.waitConnected());
        RecordComposer* c = h.window->composer();
        QTRY_VERIFY_WITH_TIMEOUT(c->sendButton()->isEnabled(), 10000);
        c->topicBox()->setEditText(QStringLiteral("no-such-topic"));
        QVERIFY(c->topicError()->isVisibleTo(c));
        QVERIFY2(c->topicError()->text().contains(QStringLiteral("auto.create")),
                 qPrintable(c->topicError()->text()));
        trySend(h);
        c->topicBox()->setEditText(QStringLiteral("bad topic!"));
        QVERIFY(c->topicError()->isVisibleTo(c));
        trySend(h);
        c->topicBox()->setEditText(QStringLiteral("demo"));
        QVERIFY(!c->topicError()->isVisibleTo(c));
        QVERIFY(c->sendButton()->isEnabled());
    }
};

QTEST_MAIN(TestValidation)
#include "test_validation.moc"
