// The demo, started from the Help menu, sends keyed records (a repeat) and keyless ones (single
// sends) side by side: both reach Deliveries while the repeat runs. A Send clicked during a
// repeat is delivered before the repeat ends (it used to wait behind it on the one worker).

#include <QAction>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTest>

#include "models/deliveries_model.h"
#include "session/send_service.h"
#include "ui_harness.h"
#include "widgets/record_composer.h"

using namespace bs::ui;

namespace {

// Deliveries whose key preview is / is not "null".
std::pair<int, int> keyedAndKeyless(const DeliveriesModel* m) {
    int keyed = 0, keyless = 0;
    for (int r = 0; r < m->rowCount(); ++r) {
        if (!m->at(r).ok()) continue;
        ++(m->at(r).key == QLatin1String("null") ? keyless : keyed);
    }
    return {keyed, keyless};
}

}  // namespace

class TestDemo : public QObject {
    Q_OBJECT
  private Q_SLOTS:
    // Help ▸ Run the demo starts it in the window; unchecking it stops the sending.
    void demoDeliversKeyedAndKeylessRecords() {
        test::Harness h;
        QVERIFY(h.waitConnected());
        QAction* demo = child<QAction>(h.window.get(), "runDemo");
        QVERIFY(demo);
        demo->trigger();
        auto* deliveries = h.window->findChild<DeliveriesModel*>();
        QTRY_VERIFY_WITH_TIMEOUT(
            keyedAndKeyless(deliveries).first >= 3 && keyedAndKeyless(deliveries).second >= 3,
            60000);
        QVERIFY(h.controller->sends().repeating());  // the keyed repeat still runs beside
        demo->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(!h.controller->sends().repeating(), 10000);
    }

    void sendDuringARepeatIsNotHeldBack() {
        test::Harness h(PropertyMap{{"linger.ms", "0"}});
        QVERIFY(h.waitConnected());
        auto* c = h.window->findChild<RecordComposer*>();
        child<QComboBox>(c, "keySerializer")->setCurrentText(QStringLiteral("string"));
        child<QLineEdit>(c, "key")->setText(QStringLiteral("slow"));
        child<QSpinBox>(c, "repeatCount")->setValue(100000);
        child<QDoubleSpinBox>(c, "repeatRate")->setValue(2);
        QTRY_VERIFY_WITH_TIMEOUT(child<QPushButton>(c, "repeat")->isEnabled(), 10000);
        child<QPushButton>(c, "repeat")->click();
        auto* deliveries = h.window->findChild<DeliveriesModel*>();
        QTRY_VERIFY_WITH_TIMEOUT(deliveries->rowCount() >= 1, 30000);  // the repeat runs
        child<QComboBox>(c, "keySerializer")->setCurrentText(QStringLiteral("null"));
        child<QPushButton>(c, "send")->click();
        // The keyless record arrives while the repeat (50 000 s at 2/s) still runs.
        QTRY_VERIFY_WITH_TIMEOUT(keyedAndKeyless(deliveries).second == 1, 30000);
        QVERIFY(h.controller->sends().repeating());
        h.controller->sends().cancelRepeat();
    }
};

QTEST_MAIN(TestDemo)
#include "test_demo.moc"
