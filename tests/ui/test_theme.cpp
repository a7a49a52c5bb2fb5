// Light and dark palettes: the Qt Charts metrics and the distribution histogram follow a live
// theme switch (both in the main window and on their own), as the other views do.

#include <QChart>
#include <QChartView>
#include <QStandardPaths>
#include <QTest>

#include "app_controller.h"
#include "main_window.h"
#include "models/distribution_model.h"
#include "models/metrics_history.h"
#include "widgets/distribution_view.h"
#include "widgets/metrics_panel.h"

using namespace bs::ui;

namespace {
// Mean HSL lightness (0..255) of what the widget renders.
int renderedLightness(QWidget* w) {
    const QImage img = w->grab().toImage();
    if (img.isNull() || img.width() == 0) return -1;
    qint64 sum = 0;
    for (int y = 0; y < img.height(); ++y)
        for (int x = 0; x < img.width(); ++x)
            sum += img.pixelColor(x, y).lightness();
    return static_cast<int>(sum / (qint64(img.width()) * img.height()));
}
}  // namespace

class TestTheme : public QObject {
    Q_OBJECT
  private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void chartsAndHistogramFollowTheThemeSwitch() {
        AppController controller;  // not connected: the views are empty but painted
        MainWindow window(&controller);
        window.resize(1400, 900);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        // The same widgets outside the main window: their own palette hook, not the window's.
        MetricsHistory history;
        MetricsPanel lonePanel(&history);
        DistributionModel dist;
        DistributionView loneHistogram(&dist);
        lonePanel.resize(700, 260);
        loneHistogram.resize(360, 180);
        lonePanel.show();
        loneHistogram.show();

        auto* panel = window.findChild<MetricsPanel*>();
        auto* histogram = window.findChild<DistributionView*>();
        QVERIFY(panel && histogram);
        const auto charts = panel->findChildren<QChartView*>();
        QCOMPARE(charts.size(), MetricsHistory::series().size());

        for (Theme theme : {Theme::Light, Theme::Dark, Theme::Light, Theme::Dark}) {
            window.setTheme(theme);
            QCoreApplication::processEvents();
            const bool dark = theme == Theme::Dark;
            const QString what = themeName(theme);
            for (MetricsPanel* p : {panel, &lonePanel}) {
                for (int i = 0; i < MetricsHistory::series().size(); ++i) {
                    const int l = p->chart(i)->backgroundBrush().color().lightness();
                    QVERIFY2(dark ? l < 80 : l > 200,
                             qPrintable(QStringLiteral("%1: chart %2 background lightness %3")
                                            .arg(what)
                                            .arg(i)
                                            .arg(l)));
                    const QColor label = p->chart(i)->axes().first()->labelsColor();
                    QVERIFY2(dark ? label.lightness() > 110 : label.lightness() < 150,
                             qPrintable(what + QStringLiteral(": axis labels unreadable")));
                }
            }
            // What is painted, not only the brush.
            for (QWidget* w :
                 {static_cast<QWidget*>(charts.first()),
                  static_cast<QWidget*>(lonePanel.findChild<QChartView*>()),
                  static_cast<QWidget*>(histogram), static_cast<QWidget*>(&loneHistogram)}) {
                const int l = renderedLightness(w);
                QVERIFY2(dark ? l >= 0 && l < 90 : l > 190,
                         qPrintable(QStringLiteral("%1: %2 renders with mean lightness %3")
                                        .arg(what, QString::fromUtf8(w->metaObject()->className()))
                                        .arg(l)));
            }
        }
    }
};

QTEST_MAIN(TestTheme)
#include "test_theme.moc"
