// Several saved clusters: the connection dialog saves, lists, fills from and deletes named
// clusters (kept in QSettings, passwords never there); the toolbar's switcher connects to one
// (a real embedded cluster of another size), and the choice is remembered for the next window
// and the next start.

#include <QComboBox>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

#include "dialogs/connection_dialog.h"
#include "saved_clusters.h"
#include "ui_harness.h"
#include "widgets/cluster_switcher.h"

using namespace bs::ui;

namespace {
constexpr int kWaitMs = 30000;

QStringList items(const QComboBox* box) {
    QStringList out;
    for (int i = 0; i < box->count(); ++i)
        out << box->itemText(i);
    return out;
}
}  // namespace

class TestSavedClusters : public QObject {
    Q_OBJECT
  private Q_SLOTS:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QSettings s;
        s.remove(QStringLiteral("clusters"));
        s.remove(QStringLiteral("clusterLastUsed"));
    }
    void cleanupTestCase() { initTestCase(); }

    void dialogSavesChoosesAndDeletes() {
        ConnectionSettings three;
        three.nodes = 3;
        three.topic = QStringLiteral("demo");
        three.saslUsername = QStringLiteral("alice");
        three.saslPassword = QStringLiteral("secret");  // never saved with the rest
        {
            ConnectionDialog dlg(three);
            QCOMPARE(items(child<QComboBox>(&dlg, "savedClusters")),
                     QStringList{QStringLiteral("(not saved)")});
            dlg.saveCluster(QStringLiteral("three/nodes"));  // a '/' in a name is fine
            QCOMPARE(dlg.chosenCluster(), QStringLiteral("three/nodes"));
        }
        QSettings s;
        ConnectionSettings ext;
        ext.mode = ConnectionSettings::Mode::External;
        ext.bootstrapServers = QStringLiteral("kafka-1:9092,kafka-2:9092");
        ext.securityProtocol = QStringLiteral("SASL_SSL");
        ext.saslUsername = QStringLiteral("bob");
        saved_clusters::save(s, QStringLiteral("prod"), ext);
        QCOMPARE(saved_clusters::names(s),
                 (QStringList{QStringLiteral("prod"), QStringLiteral("three/nodes")}));
        const auto loaded = saved_clusters::load(s, QStringLiteral("three/nodes"));
        QVERIFY(loaded);
        QCOMPARE(loaded->saslUsername, QStringLiteral("alice"));
        QVERIFY(loaded->saslPassword.isEmpty());
        s.sync();
        QFile file(s.fileName());
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(!file.readAll().contains("secret"));

        // Choosing one fills every field.
        ConnectionDialog dlg(ConnectionSettings{});
        // The password comes from the lookup the window gives (the keyring), never QSettings.
        QString askedFor;
        dlg.setPasswordLookup([&](const QString& account, auto found) {
            askedFor = account;
            found(QStringLiteral("from-keyring"));
        });
        QCOMPARE(items(child<QComboBox>(&dlg, "savedClusters")),
                 (QStringList{QStringLiteral("(not saved)"), QStringLiteral("prod"),
                              QStringLiteral("three/nodes")}));
        QVERIFY(dlg.chooseCluster(QStringLiteral("prod")));
        const ConnectionSettings shown = dlg.settings();
        QCOMPARE(shown.mode, ConnectionSettings::Mode::External);
        QCOMPARE(shown.bootstrapServers, ext.bootstrapServers);
        QCOMPARE(shown.securityProtocol, QStringLiteral("SASL_SSL"));
        QCOMPARE(shown.saslUsername, QStringLiteral("bob"));
        QCOMPARE(askedFor, ext.passwordAccount());
        QCOMPARE(shown.saslPassword, QStringLiteral("from-keyring"));
        QVERIFY(!dlg.chooseCluster(QStringLiteral("nope")));
        dlg.deleteCluster(QStringLiteral("prod"));
        QCOMPARE(saved_clusters::names(s), QStringList{QStringLiteral("three/nodes")});
    }

    void toolbarSwitchesAndRemembers() {
        QTemporaryDir single;
        {
            QSettings s;
            ConnectionSettings one;
            one.nodes = 1;
            one.partitions = 2;
            one.topic = QStringLiteral("solo");
            one.dataDir = single.path();
            saved_clusters::save(s, QStringLiteral("single node"), one);
        }
        test::Harness h;
        QVERIFY(h.waitConnected());
        QTRY_COMPARE_WITH_TIMEOUT(h.controller->session().clusterInfo().nodes.size(), 3, kWaitMs);
        auto* sw = h.window->findChild<ClusterSwitcher*>(QStringLiteral("clusterSwitcher"));
        QVERIFY(sw);
        QCOMPARE(items(sw), (QStringList{QStringLiteral("(unsaved)"), QStringLiteral("single node"),
                                         QStringLiteral("three/nodes")}));

        const int index = sw->findText(QStringLiteral("single node"));
        sw->setCurrentIndex(index);
        Q_EMIT sw->activated(index);  // as a user's choice in the list
        QTRY_COMPARE_WITH_TIMEOUT(h.controller->session().connection().nodes, 1, kWaitMs);
        QVERIFY(h.waitConnected());
        QTRY_COMPARE_WITH_TIMEOUT(h.controller->session().clusterInfo().nodes.size(), 1, kWaitMs);
        QCOMPARE(h.controller->session().partitionCount(QStringLiteral("solo")), 2);

        // Remembered: the next window's switcher and the next start's connection.
        QSettings s;
        QCOMPARE(saved_clusters::lastUsed(s), QStringLiteral("single node"));
        ClusterSwitcher next;
        QCOMPARE(next.currentText(), QStringLiteral("single node"));
        const ConnectionSettings atStart = ConnectionSettings::load(s);
        QCOMPARE(atStart.nodes, 1);
        QCOMPARE(atStart.topic, QStringLiteral("solo"));
    }
};

QTEST_MAIN(TestSavedClusters)
#include "test_saved_clusters.moc"
