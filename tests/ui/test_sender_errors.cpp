// The Sender view names the broker's error of a retried request (BatchRetried carries it), not
// a generic RETRY: in the model's outcome, in the completion box (elided, id kept) and in full
// in the tooltip.

#include <QTest>

#include "models/sender_model.h"
#include "widgets/sender_view.h"

using namespace bs::ui;
using namespace bs::producer;

namespace {
constexpr qint16 kNotLeader = 6;  // NOT_LEADER_OR_FOLLOWER, retriable

ProducerSnapshot snapshotAt(int64_t timeMs, std::vector<NodeSnapshot> nodes) {
    ProducerSnapshot s;
    s.timeMs = timeMs;
    s.nodes = std::move(nodes);
    return s;
}

NodeSnapshot node1(std::vector<InFlightRequestSnapshot> inFlight) {
    NodeSnapshot n;
    n.nodeId = 1;
    n.host = "127.0.0.1";
    n.port = 9092;
    n.connected = true;
    n.inFlight = std::move(inFlight);
    return n;
}

InFlightRequestSnapshot request(int32_t correlationId, uint64_t batchId) {
    InFlightRequestSnapshot r;
    r.correlationId = correlationId;
    r.partitions = {TopicPartition{"demo", 3}};
    r.batchIds = {batchId};
    r.recordCount = 4;
    r.bytes = 296;
    r.sentMs = 100;
    return r;
}

Event retried(uint64_t batchId, int16_t errorCode) {
    Event e;
    e.type = EventType::BatchRetried;
    e.batchId = batchId;
    e.errorCode = errorCode;
    e.nodeId = 1;
    e.attempts = 1;
    return e;
}

// A request (correlation id 11, batch 5) seen in flight, then answered with `events`.
void completeWith(SenderModel& m, const std::vector<Event>& events) {
    m.setLimits(5, 30000);
    m.update(snapshotAt(200, {node1({request(11, 5)})}));
    Event response;  // partition-level errors: the response header itself carries none
    response.type = EventType::ResponseReceived;
    response.nodeId = 1;
    response.correlationId = 11;
    m.applyEvents({response});
    m.applyEvents(events);
    m.update(snapshotAt(260, {node1({})}));
}
}  // namespace

class TestSenderErrors : public QObject {
    Q_OBJECT
  private Q_SLOTS:
    void retriedRequestShowsTheBrokersErrorName() {
        SenderModel m;
        completeWith(m, {retried(5, kNotLeader)});
        QCOMPARE(m.retries(), 1);
        QCOMPARE(m.node(1)->recent.size(), 1);
        const auto& r = m.node(1)->recent[0];
        QCOMPARE(r.errorCode, kNotLeader);
        QCOMPARE(errorLabel(r.errorCode), QStringLiteral("NOT_LEADER_OR_FOLLOWER"));
        QCOMPARE(m.node(1)->errorTotal, 1);
    }

    void retryWithoutBrokerErrorIsRetry() {
        SenderModel m;
        completeWith(m, {retried(5, 0)});  // e.g. request.timeout.ms passed
        QCOMPARE(errorLabel(m.node(1)->recent[0].errorCode), QStringLiteral("RETRY"));
    }

    void lateRetryCorrectsACompletedRequest() {
        SenderModel m;
        completeWith(m, {});
        QCOMPARE(m.node(1)->recent[0].errorCode, qint16(0));
        m.applyEvents({retried(5, kNotLeader)});  // the event came after the snapshot
        QCOMPARE(errorLabel(m.node(1)->recent[0].errorCode),
                 QStringLiteral("NOT_LEADER_OR_FOLLOWER"));
        QCOMPARE(m.node(1)->errorTotal, 1);
    }

    void completionLinesBreakTheNameAfterUnderscores() {
        SenderModel::Request r;
        r.correlationId = 11;
        r.completed = true;
        r.errorCode = kNotLeader;
        const QFontMetrics fm(QApplication::font());
        QCOMPARE(completionLines(fm, r, 10000, 2),
                 QStringList{QStringLiteral("#11 NOT_LEADER_OR_FOLLOWER")});
        // Room for "#11 NOT_LEADER_" per line: the name continues on the next.
        const int w = fm.horizontalAdvance(QStringLiteral("#11 NOT_LEADER_"));
        QCOMPARE(completionLines(fm, r, w, 2),
                 (QStringList{QStringLiteral("#11 NOT_LEADER_"), QStringLiteral("OR_FOLLOWER")}));
        // One line: elided, the correlation id kept whole.
        const QStringList one = completionLines(fm, r, w, 1);
        QCOMPARE(one.size(), 1);
        QVERIFY2(one[0].startsWith(QStringLiteral("#11 NOT_")), qPrintable(one[0]));
        QVERIFY2(one[0].endsWith(QStringLiteral("…")), qPrintable(one[0]));
        QVERIFY(fm.horizontalAdvance(one[0]) <= w);
        // Far too narrow: still the id.
        QVERIFY(completionLines(fm, r, 5, 2)[0].startsWith(QStringLiteral("#11 ")));
        r.errorCode = 0;
        QCOMPARE(completionLines(fm, r, w, 2), QStringList{QStringLiteral("#11 ✓")});
    }

    void viewDrawsTheCompletionWithTheFullNameOnHover() {
        SenderModel m;
        SenderView view(&m);
        view.resize(730, 200);
        completeWith(m, {retried(5, kNotLeader)});
        const QRect box = view.requestRect(1, 11);
        QVERIFY(!box.isEmpty());
        QVERIFY(view.rect().contains(box));
        // At the sender dock's width in the default window the whole name shows, on two lines.
        QFont small = view.font();
        small.setPointSizeF(small.pointSizeF() * 0.8);
        const QFontMetrics fm(small);
        const QRect text = box.adjusted(4, 1, -3, -1);
        const QStringList lines = completionLines(fm, m.node(1)->recent[0], text.width(),
                                                  text.height() / fm.lineSpacing());
        QVERIFY2(lines.join(QString()) == QStringLiteral("#11 NOT_LEADER_OR_FOLLOWER"),
                 qPrintable(lines.join(QLatin1Char('|'))));
        const auto hit = view.requestAt(box.center());
        QVERIFY(hit);
        QCOMPARE(hit->correlationId, 11);
        const QString tip = view.toolTipAt(box.center());
        QVERIFY2(tip.contains(QStringLiteral("NOT_LEADER_OR_FOLLOWER")), qPrintable(tip));
        QVERIFY2(tip.contains(QStringLiteral("retriable")), qPrintable(tip));
        QVERIFY2(tip.contains(QStringLiteral("demo-3")), qPrintable(tip));
        QVERIFY(view.toolTipAt(QPoint(2, 190)).isEmpty());
        const QString header = view.toolTipAt(QPoint(10, 10));
        QVERIFY2(header.contains(QStringLiteral("1 completed, 1 with an error")),
                 qPrintable(header));
        // It paints (no crash, something drawn where the box is).
        const QImage img = view.grab().toImage();
        QVERIFY(img.pixelColor(box.left() + 1, box.center().y()) != img.pixelColor(2, 190));
    }
};

QTEST_MAIN(TestSenderErrors)
#include "test_sender_errors.moc"
