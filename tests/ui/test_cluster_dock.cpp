// The Cluster dock at the default window size: the default embedded cluster's brokers, topic and
// its 6 partitions all show in the tree without a scroll bar, next to the node controls.

#include <QScrollBar>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>
#include <QTreeWidgetItemIterator>

#include "app_controller.h"
#include "main_window.h"
#include "widgets/cluster_panel.h"

using namespace bs::ui;

class TestClusterDock : public QObject {
    Q_OBJECT
  private Q_SLOTS:
    void defaultClusterFitsWithoutScrolling() {
        QStandardPaths::setTestModeEnabled(true);
        QTemporaryDir dir;
        AppController controller;
        MainWindow window(&controller);  // its default size, no restored layout
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        ConnectionSettings c;  // embedded: 3 nodes, topic demo with 6 partitions
        c.dataDir = dir.path();
        controller.session().connectTo(c, {});
        QVERIFY(QTest::qWaitFor([&] { return controller.session().isConnected(); }, 30000));

        QTreeWidget* tree = window.findChild<ClusterPanel*>()->findChild<QTreeWidget*>();
        // Brokers (3) + 3 nodes + Topics (1) + demo + 6 partitions.
        QVERIFY(QTest::qWaitFor(
            [&] {
                int rows = 0;
                for (QTreeWidgetItemIterator it(tree); *it; ++it)
                    ++rows;
                return rows == 12;
            },
            10000));
        QCoreApplication::processEvents();
        QVERIFY2(!tree->verticalScrollBar()->isVisible(),
                 qPrintable(QStringLiteral("the tree scrolls: viewport %1 px, %2 more rows")
                                .arg(tree->viewport()->height())
                                .arg(tree->verticalScrollBar()->maximum())));
        for (QTreeWidgetItemIterator it(tree); *it; ++it) {
            const QRect r = tree->visualItemRect(*it);
            QVERIFY2(!r.isEmpty() && tree->viewport()->rect().contains(r),
                     qPrintable((*it)->text(0) + QStringLiteral(" is not fully visible")));
        }
        // The partitions are listed with their leaders.
        const auto found =
            tree->findItems(QStringLiteral("P5"), Qt::MatchExactly | Qt::MatchRecursive);
        QCOMPARE(found.size(), 1);
        QVERIFY(found[0]->text(1).startsWith(QStringLiteral("leader node")));
    }
};

QTEST_MAIN(TestClusterDock)
#include "test_cluster_dock.moc"
