// The Send path dock against the embedded cluster, driven through the real widgets: one Send
// tells append -> wakeup -> ready() with its reason -> drain(node) with its drainIndex -> the
// request written -> its response, in order; Step while paused runs exactly one iteration and is
// disabled while running; a leader move shows NOT_LEADER_OR_FOLLOWER, the metadata refresh and
// the drain to the new leader; the explain panel names an explicit partition; the request frame
// view's bytes parse back to the request sent.

#include <QCheckBox>
#include <QComboBox>
#include <QLineEdit>
#include <QListView>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSet>
#include <QSpinBox>
#include <QTest>

#include "models/accumulator_model.h"
#include "models/deliveries_model.h"
#include "models/timeline_model.h"
#include "protocol/frame.h"
#include "protocol/messages/produce.h"
#include "protocol/record/record_batch.h"
#include "send_path.h"
#include "session/cluster_session.h"
#include "ui_harness.h"
#include "widgets/explain_panel.h"
#include "widgets/record_composer.h"
#include "widgets/request_frame_view.h"
#include "widgets/timeline_panel.h"

using namespace bs::ui;

namespace {

QStringList lines(TimelineModel* m) {
    QStringList out;
    for (int i = 0; i < m->rowCount(); ++i)
        out << m->text(i);
    return out;
}

// Index of the first line at or after `from` containing `needle`, -1 if none.
int find(const QStringList& l, const QString& needle, int from = 0) {
    for (int i = std::max(from, 0); i < l.size(); ++i)
        if (l[i].contains(needle)) return i;
    return -1;
}

int count(const QStringList& l, const QString& needle, int from = 0) {
    int n = 0;
    for (int i = std::max(from, 0); i < l.size(); ++i)
        n += l[i].contains(needle) ? 1 : 0;
    return n;
}

QString dump(const QStringList& l) {
    return l.join(QLatin1Char('\n'));
}

void sendTo(RecordComposer* c, int partition, const QString& value) {
    child<QSpinBox>(c, "partition")->setValue(partition);
    child<QComboBox>(c, "valueSerializer")->setCurrentText(QStringLiteral("string"));
    child<QPlainTextEdit>(c, "value")->setPlainText(value);
    QPushButton* send = child<QPushButton>(c, "send");
    QTRY_VERIFY_WITH_TIMEOUT(send->isEnabled(), 10000);
    send->click();
}

struct Parts {
    explicit Parts(const test::Harness& h)
        : sendPath(h.window->findChild<SendPath*>()),
          model(sendPath->model()),
          panel(sendPath->panel()),
          composer(h.window->findChild<RecordComposer*>()),
          deliveries(h.window->findChild<DeliveriesModel*>()) {}
    SendPath* sendPath;
    TimelineModel* model;
    TimelinePanel* panel;
    RecordComposer* composer;
    DeliveriesModel* deliveries;
};

}  // namespace

class TestTimeline : public QObject {
    Q_OBJECT
  private Q_SLOTS:
    void oneSendTellsTheWholePathInOrder() {
        test::Harness h(PropertyMap{{"linger.ms", "20"}});
        QVERIFY(h.waitConnected());
        Parts w(h);
        w.sendPath->frameView()->keepBox()->setChecked(true);
        const int leader = h.leaderOf(0);
        QVERIFY(leader >= 0);
        sendTo(w.composer, 0, QStringLiteral("hello timeline"));
        // The explain panel says the explicit partition wins.
        auto* explain = h.window->findChild<ExplainPanel*>();
        QTRY_COMPARE_WITH_TIMEOUT(explain->shownPartition(), 0, 10000);
        QVERIFY2(explain->text().contains(QStringLiteral("KafkaProducer.partition() returns it")),
                 qPrintable(explain->text()));
        QTRY_COMPARE_WITH_TIMEOUT(w.deliveries->rowCount(), 1, 30000);
        TimelineModel* m = w.model;
        const QString done = QStringLiteral("completeBatch: demo-0");
        QTRY_VERIFY_WITH_TIMEOUT(find(lines(m), done) >= 0, 10000);
        const QStringList l = lines(m);

        const int created = find(l, QStringLiteral("-> new batch demo-0 #"));
        const int woken = find(l, QStringLiteral("Sender.wakeup()"), created);
        const QString node = QStringLiteral("node %1 (").arg(leader);
        int ready = -1;
        for (int i = woken; i >= 0 && i < l.size(); ++i)
            if (l[i].contains(QStringLiteral("ready() -> ")) &&
                l[i].contains(node + QStringLiteral("linger expired"))) {
                ready = i;
                break;
            }
        const int drained =
            find(l, QStringLiteral("drain(node %1): P0 (drainIndex").arg(leader), ready);
        const int sent = find(
            l, QStringLiteral("sendProduceRequests: node %1 correlation").arg(leader), drained);
        QVERIFY2(
            created >= 0 && woken > created && ready > woken && drained > ready && sent > drained,
            qPrintable(dump(l)));
        const QRegularExpression corrRe(QStringLiteral("correlation (\\d+)"));
        const int corr = corrRe.match(l[sent]).captured(1).toInt();
        const int written = find(l, QStringLiteral("ProduceRequest v"), sent);
        QVERIFY2(
            written > sent && l[written].contains(
                                  QStringLiteral(" %1 written to node %2 (").arg(corr).arg(leader)),
            qPrintable(dump(l)));
        const int response =
            find(l, QStringLiteral("response %1 from node %2").arg(corr).arg(leader), written);
        const int completed = find(l, done, response);
        QVERIFY2(response > written && completed > response, qPrintable(dump(l)));

        // Clicking the written line selects the request: the frame view decodes it.
        TimelinePanel* panel = w.panel;
        const QModelIndex src = m->index(written, 0);
        const QModelIndex idx = panel->filter()->mapFromSource(src);
        QVERIFY(idx.isValid());
        panel->view()->scrollTo(idx);
        QTest::mouseClick(panel->view()->viewport(), Qt::LeftButton, {},
                          panel->view()->visualRect(idx).center());
        const QString frameText = w.sendPath->frameView()->text();
        QVERIFY2(frameText.contains(QStringLiteral("correlation id %1").arg(corr)),
                 qPrintable(frameText));
        QVERIFY(frameText.contains(QStringLiteral("demo-0:")));
        QVERIFY(frameText.contains(QStringLiteral("RecordBatch baseOffset")));
        // The bytes kept are the request sent: they parse back to it.
        const auto frame = h.controller->session().requestFrame(leader, corr);
        QVERIFY(frame.has_value());
        QCOMPARE(static_cast<qint64>(frame->bytes.size()), frame->frameSize);
        auto parsed = bs::protocol::parseRequestFrame(
            std::span<const uint8_t>(frame->bytes).subspan(bs::protocol::kFrameSizeBytes));
        QVERIFY(parsed.ok());
        QCOMPARE(parsed->header.correlationId, corr);
        QCOMPARE(parsed->header.clientId.value_or(""), std::string("batchscope"));
        bs::protocol::ProduceRequest req;
        QVERIFY(bs::protocol::decodeBody(req, parsed->header.apiVersion, parsed->body).ok());
        QCOMPARE(req.acks, int16_t{-1});
        QCOMPARE(req.topicData.size(), size_t{1});
        QCOMPARE(req.topicData[0].name, std::string("demo"));
        QCOMPARE(req.topicData[0].partitionData.size(), size_t{1});
        QCOMPARE(req.topicData[0].partitionData[0].index, 0);
        bs::protocol::RecordBatchReader reader(req.topicData[0].partitionData[0].records.bytes);
        QVERIFY(reader.nextBatch());
        bs::protocol::Record rec;
        QVERIFY(reader.nextRecord(rec));
        QVERIFY(rec.value.has_value());
        QCOMPARE(std::string(reinterpret_cast<const char*>(rec.value->data()), rec.value->size()),
                 std::string("hello timeline"));

        // Filters: node and step narrow the lines.
        panel->stepFilter()->setCurrentIndex(
            panel->stepFilter()->findData(static_cast<int>(TimelineModel::Step::Drain)));
        QVERIFY(panel->filter()->rowCount() >= 1);
        for (int i = 0; i < panel->filter()->rowCount(); ++i)
            QVERIFY(
                panel->filter()->index(i, 0).data().toString().contains(QStringLiteral("drain(")));
        panel->stepFilter()->setCurrentIndex(0);
        panel->partitionFilter()->setText(QStringLiteral("demo-0"));
        for (int i = 0; i < panel->filter()->rowCount(); ++i)
            QVERIFY(
                panel->filter()->index(i, 0).data().toString().contains(QStringLiteral("P0")) ||
                panel->filter()->index(i, 0).data().toString().contains(QStringLiteral("demo-0")));
    }

    // drain() for one node starts at the partition after the one it began with last time
    // (RecordAccumulator's per-node drainIndex): each drain(node) line starts where the previous
    // one for that node left off, so the partitions take turns at the front of the request.
    void drainRotatesThroughANodesPartitions() {
        test::Harness h(PropertyMap{{"linger.ms", "0"}});
        QVERIFY(h.waitConnected());
        Parts w(h);
        const int node = h.leaderOf(0);
        int other = -1;
        for (int p = 1; p < 6 && other < 0; ++p)
            if (h.leaderOf(p) == node) other = p;
        QVERIFY2(other > 0, "no second partition led by the leader of demo-0");
        const int from = w.model->rowCount();
        for (int i = 0; i < 4; ++i) {
            sendTo(w.composer, i % 2 ? other : 0, QStringLiteral("turn %1").arg(i));
            QTRY_COMPARE_WITH_TIMEOUT(w.deliveries->rowCount(), i + 1, 30000);
        }
        const QRegularExpression re(
            QStringLiteral("^drain\\(node %1\\): .* \\(drainIndex (\\d+) -> (\\d+) of (\\d+)\\)")
                .arg(node));
        QList<QPair<int, int>> drains;  // (start, next)
        const QStringList l = lines(w.model);
        for (int i = from; i < l.size(); ++i)
            if (auto m = re.match(l[i]); m.hasMatch()) {
                QCOMPARE(m.captured(3).toInt(), 2);  // the node leads two demo partitions
                drains << qMakePair(m.captured(1).toInt(), m.captured(2).toInt());
            }
        QVERIFY2(drains.size() >= 4, qPrintable(dump(l.mid(from))));
        QSet<int> starts;
        for (int i = 0; i < drains.size(); ++i) {
            starts.insert(drains[i].first);
            if (i > 0)
                QVERIFY2(drains[i].first == drains[i - 1].second, qPrintable(dump(l.mid(from))));
        }
        QCOMPARE(starts.size(), 2);  // both partitions were first in turn
    }

    void stepWhilePausedAndLeaderMove() {
        test::Harness h(PropertyMap{{"linger.ms", "0"}, {"retry.backoff.ms", "50"}});
        QVERIFY(h.waitConnected());
        Parts w(h);
        TimelineModel* m = w.model;
        RecordComposer* c = w.composer;
        QAction* step = child<QAction>(h.window.get(), "stepSender");
        QAction* pause = child<QAction>(h.window.get(), "pauseSender");
        QVERIFY(!step->isEnabled());  // running: Step is off
        // One record first, so the producer is connected to the leader of demo-1: a Step then
        // drains at once (else its iteration would start connecting, and a second Step drain).
        sendTo(c, 1, QStringLiteral("warm-up"));
        QTRY_COMPARE_WITH_TIMEOUT(w.deliveries->rowCount(), 1, 30000);
        pause->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(step->isEnabled(), 5000);
        // Paused once an iteration began that read the pause: none drains on its own after it.
        QTRY_VERIFY_WITH_TIMEOUT(h.controller->session().producer()->snapshot().senderState ==
                                     bs::producer::SenderState::Paused,
                                 5000);
        const int from = m->rowCount();
        sendTo(c, 1, QStringLiteral("stepped"));
        QTRY_VERIFY_WITH_TIMEOUT(h.window->findChild<AccumulatorModel*>()->queuedRecords() == 1,
                                 10000);
        QCOMPARE(count(lines(m), QStringLiteral("ready() -> "), from), 0);
        step->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(w.deliveries->rowCount(), 2, 30000);
        QTRY_VERIFY_WITH_TIMEOUT(find(lines(m), QStringLiteral("completeBatch: demo-1"), from) >= 0,
                                 10000);
        QStringList l = lines(m);
        QCOMPARE(count(l, QStringLiteral("(Step): ready() -> "), from), 1);
        QCOMPARE(count(l, QStringLiteral("ready() -> "), from), 1);
        const int header = find(l, QStringLiteral("(Step): ready() -> "), from);
        const int drain = find(l, QStringLiteral("drain(node %1): P1").arg(h.leaderOf(1)), header);
        QVERIFY2(drain > header && l[drain].startsWith(QStringLiteral("    └ ")),
                 qPrintable(dump(l)));
        // A second Step: one more iteration, no more.
        step->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(count(lines(m), QStringLiteral("(Step): ready() -> "), from), 2,
                                  10000);
        QCOMPARE(count(lines(m), QStringLiteral("ready() -> "), from), 2);
        pause->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(!step->isEnabled(), 5000);

        // The leader of demo-1 moves: the producer's metadata is stale until the broker says so.
        const int oldLeader = h.leaderOf(1);
        const int newLeader = (oldLeader + 1) % 3;
        QCOMPARE(h.controller->session().moveLeader(QStringLiteral("demo"), 1, newLeader),
                 QString());
        const int moveFrom = m->rowCount();
        sendTo(c, 1, QStringLiteral("moved"));
        QTRY_COMPARE_WITH_TIMEOUT(w.deliveries->rowCount(), 3, 30000);
        const QString drainNew = QStringLiteral("drain(node %1): P1").arg(newLeader);
        QTRY_VERIFY_WITH_TIMEOUT(find(lines(m), drainNew, moveFrom) >= 0, 10000);
        l = lines(m);
        const int notLeader =
            find(l, QStringLiteral("demo-1 answered NOT_LEADER_OR_FOLLOWER -> requestUpdate()"),
                 moveFrom);
        const int metaWritten = find(l, QStringLiteral("MetadataRequest v"), notLeader);
        const int updated = find(l, QStringLiteral("metadata: update from node"), metaWritten);
        const int redrained = find(l, drainNew, updated);
        QVERIFY2(notLeader >= 0 && metaWritten > notLeader && updated > metaWritten &&
                     redrained > updated,
                 qPrintable(dump(l.mid(moveFrom))));
        for (int r = 0; r < w.deliveries->rowCount(); ++r) {
            const Delivery& d = w.deliveries->at(r);
            QVERIFY2(d.ok(), qPrintable(d.error));
            QCOMPARE(d.partition, 1);
        }
    }
};

QTEST_MAIN(TestTimeline)
#include "test_timeline.moc"
