// Controls a newcomer touches first: Import in the producer settings refuses a bad file whole
// and says why; the partitioner list tells its entries apart in words.

#include <QApplication>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QLineEdit>
#include <QPushButton>
#include <QSet>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include "dialogs/producer_settings_dialog.h"
#include "widgets/explain_panel.h"

using namespace bs::ui;

namespace {

QString writeFile(const QTemporaryDir& dir, const QString& name, const QByteArray& text) {
    const QString path = dir.filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly)) return {};
    f.write(text);
    return path;
}

// Clicks the dialog's Import… button and picks `path` in the file dialog it opens.
void importThroughTheButton(ProducerSettingsDialog& dlg, const QString& path) {
    QPushButton* import = nullptr;
    for (auto* b : dlg.findChildren<QPushButton*>())
        if (b->text().startsWith(QStringLiteral("Import"))) import = b;
    QVERIFY(import);
    bool picked = false;
    QTimer pick;
    pick.setInterval(20);
    QObject::connect(&pick, &QTimer::timeout, [&] {
        auto* fd = qobject_cast<QFileDialog*>(QApplication::activeModalWidget());
        if (!fd) return;
        // Typed, as a user would: selectFile() selects through the directory model, which
        // fills on a thread of its own, so in a fast (Release) build nothing was selected yet
        // and accept() kept the dialog open.
        auto* name = fd->findChild<QLineEdit*>(QStringLiteral("fileNameEdit"));
        if (name)
            name->setText(path);
        else
            fd->selectFile(path);
        if (fd->selectedFiles().isEmpty()) return;  // the next tick tries again
        pick.stop();
        QMetaObject::invokeMethod(fd, "accept");  // a slot: protected, but invokable
        picked = true;
    });
    pick.start();
    import->click();  // returns once the file dialog closed
    QVERIFY(picked);
}

}  // namespace

class TestNewcomerControls : public QObject {
    Q_OBJECT
  private Q_SLOTS:
    void importRefusesABadFileWhole() {
        QStandardPaths::setTestModeEnabled(true);
        QTemporaryDir dir;
        const QString bad =
            writeFile(dir, QStringLiteral("bad.properties"), "linger.ms=20\nacks=banana\n");
        ProducerSettingsDialog dlg({{"batch.size", "32768"}}, QStringLiteral("127.0.0.1:9092"));
        dlg.show();
        importThroughTheButton(dlg, bad);
        // Nothing applied, not even the good key, and the bad one is named.
        const auto props = dlg.properties();
        QVERIFY(!props.count("linger.ms"));
        QVERIFY(!props.count("acks"));
        QCOMPARE(props.at("batch.size"), std::string("32768"));
        QVERIFY2(dlg.message().contains(QStringLiteral("acks")) &&
                     dlg.message().contains(QStringLiteral("banana")),
                 qPrintable(dlg.message()));

        // Unknown keys are refused the same way.
        const QString unknown =
            writeFile(dir, QStringLiteral("unknown.properties"), "linger.ms=20\nlinger=5\n");
        QVERIFY(!dlg.importFrom(unknown).isEmpty());
        QVERIFY(!dlg.properties().count("linger.ms"));
        QVERIFY2(dlg.message().contains(QStringLiteral("'linger'")), qPrintable(dlg.message()));

        // A good file replaces the fields.
        const QString good =
            writeFile(dir, QStringLiteral("good.properties"), "linger.ms=20\nacks=1\n");
        importThroughTheButton(dlg, good);
        QCOMPARE(dlg.properties().at("linger.ms"), std::string("20"));
        QCOMPARE(dlg.properties().at("acks"), std::string("1"));
        QVERIFY(!dlg.properties().count("batch.size"));
        QVERIFY(dlg.isValid());
    }

    void partitionerListTellsEntriesApart() {
        ExplainPanel panel;
        QComboBox* box = panel.chooser();
        QVERIFY(box->count() >= 6);
        QSet<QString> described;
        for (int i = 0; i < box->count(); ++i) {
            const QString text = box->itemText(i);
            QVERIFY2(!text.contains(QStringLiteral("<path")), qPrintable(text));
            // What an entry says besides its partitioner.class value must differ from every
            // other entry ("sticky" and "uniform-sticky" read alike).
            QString words = text;
            words.remove(box->itemData(i).toString());
            QVERIFY2(!described.contains(words), qPrintable(text));
            described.insert(words);
        }
        QCOMPARE(box->itemData(0).toString(), QStringLiteral("builtin"));
        QVERIFY(box->itemText(box->count() - 1).contains(QStringLiteral(".so")));
        for (const QString& word : {QStringLiteral("keys ignored"), QStringLiteral("Kafka 3.3+")})
            QVERIFY2(box->findText(word, Qt::MatchContains) >= 0, qPrintable(word));
    }
};

QTEST_MAIN(TestNewcomerControls)
#include "test_newcomer_controls.moc"
