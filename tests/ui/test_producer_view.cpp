// What the producer itself believes and waits for, through the real window against the embedded
// cluster: the cluster dock shows the producer's Metadata beside the cluster (a moved leader is
// "stale" until NOT_LEADER_OR_FOLLOWER makes the producer refresh; a node down shrinks the
// producer's available partitions); the BufferPool line names the send() blocked in allocate()
// while buffer.memory is full; doSend() lines carry the sizes and how the partition was chosen;
// a switch of partitioner.class is a line of its own, and KIP-480's onNewBatch re-routing shows;
// the composer's send().get() mode sends each record alone.

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSpinBox>
#include <QTest>
#include <QTreeWidget>

#include "models/deliveries_model.h"
#include "models/timeline_model.h"
#include "send_path.h"
#include "session/cluster_session.h"
#include "ui_harness.h"
#include "widgets/buffer_pool_view.h"
#include "widgets/cluster_panel.h"
#include "widgets/explain_panel.h"
#include "widgets/record_composer.h"
#include "widgets/timeline_panel.h"

using namespace bs::ui;

namespace {

QStringList lines(TimelineModel* m, int from = 0) {
    QStringList out;
    for (int i = from; i < m->rowCount(); ++i)
        out << m->text(i);
    return out;
}

int find(const QStringList& l, const QString& needle) {
    for (int i = 0; i < l.size(); ++i)
        if (l[i].contains(needle)) return i;
    return -1;
}

// The cluster dock's row for demo-<partition>, or its topic row (partition -1): state column.
QString clusterState(const test::Harness& h, int partition) {
    auto* tree = child<QTreeWidget>(h.window.get(), "clusterTree");
    if (!tree) return QStringLiteral("<no cluster tree>");
    for (QTreeWidgetItemIterator it(tree); *it; ++it) {
        if ((*it)->text(0) != QLatin1String("demo")) continue;
        if (partition < 0) return (*it)->text(2);
        for (int i = 0; i < (*it)->childCount(); ++i)
            if ((*it)->child(i)->text(0) == QStringLiteral("P%1").arg(partition))
                return (*it)->child(i)->text(2);
    }
    return QStringLiteral("<no row>");
}

void compose(RecordComposer* c, int partition, const QString& key, const QString& value) {
    child<QSpinBox>(c, "partition")->setValue(partition);
    child<QLineEdit>(c, "key")->setText(key);
    child<QComboBox>(c, "valueSerializer")->setCurrentText(QStringLiteral("string"));
    child<QPlainTextEdit>(c, "value")->setPlainText(value);
}

void sendOne(RecordComposer* c) {
    QPushButton* send = child<QPushButton>(c, "send");
    QTRY_VERIFY_WITH_TIMEOUT(send->isEnabled(), 10000);
    send->click();
}

}  // namespace

class TestProducerView : public QObject {
    Q_OBJECT
  private Q_SLOTS:
    void producerMetadataBesideTheCluster() {
        test::Harness h(PropertyMap{{"linger.ms", "0"}, {"retry.backoff.ms", "50"}});
        QVERIFY(h.waitConnected());
        auto* composer = h.window->findChild<RecordComposer*>();
        auto* deliveries = h.window->findChild<DeliveriesModel*>();
        auto* summary = child<QLabel>(h.window.get(), "producerMetadata");
        QVERIFY(summary);
        compose(composer, 1, QStringLiteral("k"), QStringLiteral("first"));
        sendOne(composer);
        QTRY_COMPARE_WITH_TIMEOUT(deliveries->rowCount(), 1, 30000);
        QTRY_VERIFY_WITH_TIMEOUT(summary->text().contains(QStringLiteral("Producer's metadata")),
                                 10000);
        const int oldLeader = h.leaderOf(1);
        QTRY_VERIFY2_WITH_TIMEOUT(
            clusterState(h, 1).startsWith(QStringLiteral("✓ node %1 · e").arg(oldLeader)),
            qPrintable(clusterState(h, 1)), 10000);
        QTRY_VERIFY2_WITH_TIMEOUT(clusterState(h, -1).contains(QStringLiteral("6 of 6 available")),
                                  qPrintable(clusterState(h, -1)), 10000);

        // The leader moves: the cluster says so at once, the producer only after a produce
        // answer tells it (NOT_LEADER_OR_FOLLOWER) and its refresh arrives.
        const int newLeader = (oldLeader + 1) % 3;
        QCOMPARE(h.controller->session().moveLeader(QStringLiteral("demo"), 1, newLeader),
                 QString());
        QTRY_VERIFY2_WITH_TIMEOUT(
            clusterState(h, 1).contains(QStringLiteral("node %1 · e").arg(oldLeader)) &&
                clusterState(h, 1).endsWith(QStringLiteral("(stale)")),
            qPrintable(clusterState(h, 1)), 10000);
        compose(composer, 1, QStringLiteral("k"), QStringLiteral("after the move"));
        sendOne(composer);
        QTRY_COMPARE_WITH_TIMEOUT(deliveries->rowCount(), 2, 30000);
        QTRY_VERIFY2_WITH_TIMEOUT(
            clusterState(h, 1).startsWith(QStringLiteral("✓ node %1 · e").arg(newLeader)),
            qPrintable(clusterState(h, 1)), 10000);

        // A node down: its partitions have no leader, and once the producer refreshes they
        // leave its available partitions (the legacy partitioner's choice set).
        const int down = h.leaderOf(0);
        QCOMPARE(h.controller->session().setNodeUp(down, false), QString());
        compose(composer, 0, QStringLiteral("k"), QStringLiteral("to a downed leader"));
        sendOne(composer);
        QTRY_VERIFY2_WITH_TIMEOUT(
            QRegularExpression(QStringLiteral("(^| )[0-5] of 6 available"))
                .match(clusterState(h, -1))
                .hasMatch(),
            qPrintable(clusterState(h, -1) + QStringLiteral(" / ") + summary->text()), 30000);
        QCOMPARE(h.controller->session().setNodeUp(down, true), QString());
        QTRY_COMPARE_WITH_TIMEOUT(deliveries->rowCount(), 3, 60000);
    }

    // buffer.memory holds four batches; with the sender paused a repeat fills them and its
    // next send() blocks in allocate(): the BufferPool line says so, with the wait. Resumed,
    // the batches go, the memory returns, the repeat finishes and nothing is blocked.
    void blockedSendShowsInTheBufferPoolLine() {
        test::Harness h(PropertyMap{{"linger.ms", "0"},
                                    {"batch.size", "16384"},
                                    {"buffer.memory", "65536"},
                                    {"max.block.ms", "120000"}});
        QVERIFY(h.waitConnected());
        auto* composer = h.window->findChild<RecordComposer*>();
        auto* deliveries = h.window->findChild<DeliveriesModel*>();
        auto* pool = h.window->findChild<BufferPoolView*>();
        QVERIFY(pool);
        QTRY_VERIFY_WITH_TIMEOUT(pool->summary().contains(QStringLiteral("no send() blocked")),
                                 10000);
        QAction* pause = child<QAction>(h.window.get(), "pauseSender");
        pause->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(h.controller->session().producer()->snapshot().senderState ==
                                     bs::producer::SenderState::Paused,
                                 5000);
        compose(composer, 2, QStringLiteral("k"), QString(4000, QLatin1Char('x')));
        child<QSpinBox>(composer, "repeatCount")->setValue(40);
        child<QDoubleSpinBox>(composer, "repeatRate")->setValue(0);  // max rate
        QPushButton* repeat = child<QPushButton>(composer, "repeat");
        QTRY_VERIFY_WITH_TIMEOUT(repeat->isEnabled(), 10000);
        repeat->click();
        QTRY_VERIFY2_WITH_TIMEOUT(
            pool->blockedText().startsWith(QStringLiteral("1 send() blocked in allocate()")),
            qPrintable(pool->summary()), 20000);
        QVERIFY2(pool->summary().startsWith(QStringLiteral("64 KB of 64 KB in batches")),
                 qPrintable(pool->summary()));
        const QRegularExpression waited(QStringLiteral("waited (\\d+) ms"));
        const int first = waited.match(pool->blockedText()).captured(1).toInt();
        QTRY_VERIFY2_WITH_TIMEOUT(waited.match(pool->blockedText()).captured(1).toInt() > first,
                                  qPrintable(pool->blockedText()),
                                  10000);  // the wait grows while it waits
        pause->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(deliveries->rowCount(), 40, 60000);
        QTRY_VERIFY2_WITH_TIMEOUT(pool->summary().contains(QStringLiteral("no send() blocked")),
                                  qPrintable(pool->summary()), 10000);
    }

    void sendPathTellsDoSendAndPartitionerSwitches() {
        test::Harness h(PropertyMap{{"linger.ms", "0"}});
        QVERIFY(h.waitConnected());
        auto* sendPath = h.window->findChild<SendPath*>();
        TimelineModel* m = sendPath->model();
        sendPath->panel()->perRecordBox()->setChecked(true);
        auto* composer = h.window->findChild<RecordComposer*>();
        auto* deliveries = h.window->findChild<DeliveriesModel*>();  // newest first

        // Explicit partition, then keyed: doSend()'s sizes and partition()'s decision.
        compose(composer, 3, QStringLiteral("user-7"), QStringLiteral("explicit"));
        sendOne(composer);
        QTRY_COMPARE_WITH_TIMEOUT(deliveries->rowCount(), 1, 30000);
        compose(composer, -1, QStringLiteral("user-7"), QStringLiteral("keyed"));
        sendOne(composer);
        QTRY_COMPARE_WITH_TIMEOUT(deliveries->rowCount(), 2, 30000);
        const QString explicitLine = QStringLiteral(
            "doSend(): key 6 B, value 8 B; partition(): the record names P3 "
            "(partition() returns it first); append(): demo-3 batch #");
        const QString keyedLine = QStringLiteral(
            "doSend(): key 6 B, value 5 B; partition(): murmur2(key) % partitions -> P");
        // The timeline adds lines at most four times a second: the last may come just after.
        QTRY_VERIFY2_WITH_TIMEOUT(
            find(lines(m), explicitLine) >= 0 && find(lines(m), keyedLine) >= 0,
            qPrintable(lines(m).join('\n')), 5000);
        QStringList l = lines(m);
        const int keyed = find(l, keyedLine);
        QVERIFY(l[keyed].contains(QStringLiteral("-> P%1;").arg(deliveries->at(0).partition)));

        // Switch to KIP-480's sticky partitioner: a line says the producer is rebuilt, and a
        // keyless record that starts a batch is re-routed by onNewBatch().
        const int from = m->rowCount();
        auto* chooser = child<QComboBox>(h.window.get(), "partitioner");
        const int sticky = chooser->findData(QStringLiteral("sticky"));
        QVERIFY(sticky >= 0);
        chooser->setCurrentIndex(sticky);
        Q_EMIT chooser->activated(sticky);  // what a pick in the popup emits
        QTRY_COMPARE_WITH_TIMEOUT(
            QString::fromStdString(h.controller->session().config().partitionerClass),
            QStringLiteral("sticky"), 30000);
        QTRY_VERIFY_WITH_TIMEOUT(h.controller->session().isConnected(), 30000);
        compose(composer, -1, QString(), QStringLiteral("keyless"));
        child<QComboBox>(composer, "keySerializer")->setCurrentText(QStringLiteral("null"));
        sendOne(composer);
        QTRY_COMPARE_WITH_TIMEOUT(deliveries->rowCount(), 3, 30000);
        QTRY_VERIFY2_WITH_TIMEOUT(
            find(lines(m, from), QStringLiteral("doSend(): key null")) >= 0,
            qPrintable(QStringLiteral("from %1 of %2:\n").arg(from).arg(m->rowCount()) +
                       lines(m).mid(std::max(0, m->rowCount() - 20)).join('\n')),
            10000);
        l = lines(m, from);
        const int note = find(l, QStringLiteral("partitioner.class builtin -> sticky: flush(), "
                                                "close(), new KafkaProducer"));
        const int onNewBatch = find(l, QStringLiteral("partitioner.onNewBatch() -> partition() "
                                                      "again: demo-"));
        const int appended =
            find(l, QStringLiteral("doSend(): key null, value 7 B; partition(): sticky "
                                   "partitioner (KIP-480), keyless -> P%1;")
                        .arg(deliveries->at(0).partition));
        QVERIFY2(note >= 0 && onNewBatch > note && appended > onNewBatch, qPrintable(l.join('\n')));
        QVERIFY(l[onNewBatch].contains(
            QStringLiteral("again: demo-%1 (KIP-480)").arg(deliveries->at(0).partition)));
    }

    // send().get() per record: each record waits for the previous one's acknowledgement, so
    // with a long linger.ms every request still carries one record (asynchronous sends would
    // share a batch).
    void synchronousRepeatSendsEachRecordAlone() {
        test::Harness h(PropertyMap{{"linger.ms", "30"}});
        QVERIFY(h.waitConnected());
        auto* sendPath = h.window->findChild<SendPath*>();
        TimelineModel* m = sendPath->model();
        auto* composer = h.window->findChild<RecordComposer*>();
        auto* deliveries = h.window->findChild<DeliveriesModel*>();
        compose(composer, 4, QStringLiteral("k"), QStringLiteral("sync"));
        child<QSpinBox>(composer, "repeatCount")->setValue(3);
        child<QDoubleSpinBox>(composer, "repeatRate")->setValue(0);
        child<QCheckBox>(composer, "repeatSync")->setChecked(true);
        const int from = m->rowCount();
        QPushButton* repeat = child<QPushButton>(composer, "repeat");
        QTRY_VERIFY_WITH_TIMEOUT(repeat->isEnabled(), 10000);
        repeat->click();
        QTRY_COMPARE_WITH_TIMEOUT(deliveries->rowCount(), 3, 30000);
        QTRY_COMPARE_WITH_TIMEOUT(
            static_cast<int>(lines(m, from).filter(QStringLiteral("completeBatch: demo-4")).size()),
            3, 10000);
        const QStringList requests = lines(m, from).filter(QStringLiteral("sendProduceRequests"));
        QCOMPARE(requests.size(), 3);
        for (const QString& r : requests)
            QVERIFY2(r.contains(QStringLiteral("1 batches, 1 records")), qPrintable(r));
    }
};

QTEST_MAIN(TestProducerView)
#include "test_producer_view.moc"
