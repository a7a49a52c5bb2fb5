// `batchscope --screenshot FILE --demo` runs the demo until every main view has data and writes
// a PNG of the main window.

#include <QImage>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

class TestScreenshot : public QObject {
    Q_OBJECT
  private Q_SLOTS:
    void writesPngWithEveryViewFilled() {
        QTemporaryDir dir;
        const QString png = dir.filePath(QStringLiteral("shot.png"));
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        env.insert(QStringLiteral("HOME"), dir.path());  // never the user's settings
        p.setProcessEnvironment(env);
        p.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        p.start(QStringLiteral(BS_BINARY_DIR "/app/batchscope"),
                {QStringLiteral("--screenshot"), png, QStringLiteral("--demo")});
        QVERIFY(p.waitForStarted());
        QVERIFY2(p.waitForFinished(150000), "batchscope --screenshot did not exit");
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QCOMPARE(p.exitCode(), 0);  // 2 would mean a view stayed empty
        QImage img(png);
        QVERIFY(!img.isNull());
        QVERIFY(img.width() >= 1200 && img.height() >= 800);
    }
};

QTEST_GUILESS_MAIN(TestScreenshot)
#include "test_screenshot.moc"
