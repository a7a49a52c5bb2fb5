// The Consumer groups view against the real embedded cluster and a real kcat -G group (two
// librdkafka balanced consumers): the view lists the group with its members (client ids and
// assignments covering all 6 partitions of `demo`) and per partition the committed offset, log
// end offset and lag that ConsumerGroupAdmin reports; records produced while the members are
// stopped grow the lag by exactly their count (table, total and lag chart); reset offsets is
// refused with Kafka's message while the group has members, and once they left the dialog's
// dry run plans offset 0 everywhere and committing it moves the group to the earliest offsets.

#include <QComboBox>
#include <QDockWidget>
#include <QLabel>
#include <QLineSeries>
#include <QPointer>
#include <QPushButton>
#include <QTableView>
#include <QTableWidget>
#include <QTest>
#include <set>

#include "broker/broker_process.h"
#include "broker/group_peers.h"
#include "common/clock.h"
#include "consumer/consumer_config.h"
#include "consumer/consumer_group_admin.h"
#include "consumer/group_offsets.h"
#include "dialogs/reset_offsets_dialog.h"
#include "models/consumer_groups_model.h"
#include "models/group_lag_history.h"
#include "ui_harness.h"
#include "widgets/consumer_groups_view.h"
#include "widgets/lag_chart.h"

using namespace bs::ui;
using bs::test::countBatch;
using bs::test::describe;
using bs::test::GroupMember;
using bs::test::runTool;

namespace {

constexpr int kWaitMs = 60000;
const char* kGroup = "billing";

QString cell(const QAbstractItemModel* m, int row, int column) {
    return m->data(m->index(row, column), Qt::DisplayRole).toString();
}

}  // namespace

class TestConsumerGroups : public QObject {
    Q_OBJECT
  private:
    std::unique_ptr<test::Harness> h;
    ConsumerGroupsView* view = nullptr;
    QString bootstrap;

    void produce(const QByteArray& tag, int count) {
        QByteArray in;
        for (int i = 0; i < count; ++i)
            in += "k" + QByteArray::number(i % 50) + ":" + tag + "-" + QByteArray::number(i) + "\n";
        auto r = runTool("kcat", {"-P", "-b", bootstrap, "-t", "demo", "-K:"}, in);
        QVERIFY2(r.exitCode == 0, r.err.constData());
    }

    // What ConsumerGroupAdmin reports for the group now (the truth the view must show).
    bs::consumer::GroupOffsets adminView() {
        auto config = bs::consumer::ConsumerConfig::parse(
            std::map<std::string, std::string>{{"bootstrap.servers", bootstrap.toStdString()}});
        if (!config) return {};
        auto admin = bs::consumer::ConsumerGroupAdmin::create(*config, bs::SystemClock::instance());
        if (!admin) return {};
        auto offsets = bs::consumer::describeGroupOffsets(**admin, kGroup);
        return offsets ? *offsets : bs::consumer::GroupOffsets{};
    }

    // The view's partition rows equal `truth` cell for cell.
    bool viewMatches(const bs::consumer::GroupOffsets& truth) {
        auto* m = view->partitionsModel();
        if (view->selectedGroup() != kGroup || m->rowCount() != int(truth.partitions.size()))
            return false;
        int row = 0;
        for (const auto& [tp, p] : truth.partitions) {
            const auto text = [](const std::optional<int64_t>& v) {
                return v ? QString::number(*v) : QStringLiteral("-");
            };
            if (cell(m, row, GroupPartitionsModel::Topic) != QString::fromStdString(tp.topic) ||
                cell(m, row, GroupPartitionsModel::Partition).toInt() != tp.partition ||
                cell(m, row, GroupPartitionsModel::Committed) != text(p.committed) ||
                cell(m, row, GroupPartitionsModel::LogEnd) != text(p.logEnd) ||
                cell(m, row, GroupPartitionsModel::Lag) != text(p.lag()) ||
                cell(m, row, GroupPartitionsModel::Member) != QString::fromStdString(p.memberId))
                return false;
            ++row;
        }
        return true;
    }

    // The groups list row of the group.
    int groupRow() { return view->groupsModel()->rowOf(kGroup); }
    QString groupCell(int column) {
        const int row = groupRow();
        return row < 0 ? QString() : cell(view->groupsModel(), row, column);
    }

    ResetOffsetsDialog* clickReset() {
        QTest::mouseClick(child<QPushButton>(view, "resetOffsets"), Qt::LeftButton);
        return view->findChild<ResetOffsetsDialog*>();
    }

  private Q_SLOTS:
    void initTestCase() {
        h = std::make_unique<test::Harness>();
        QVERIFY(h->waitConnected());
        bootstrap = QString::fromStdString(
            h->controller->session().clientProperties().at("bootstrap.servers"));
        view = child<ConsumerGroupsView>(h->window.get(), "consumerGroups");
        QVERIFY(view);
        auto* dock = child<QDockWidget>(h->window.get(), "consumerGroupsDock");
        QVERIFY(dock);
        // A tab behind the inspector: no reads until it is raised.
        QVERIFY(!view->isActive());
        QVERIFY(!view->refreshing());
        QVERIFY(!view->lastSnapshot());
        dock->show();
        dock->raise();
        QVERIFY(QTest::qWaitFor([&] { return view->isActive() && view->lastSnapshot(); }, kWaitMs));
    }

    void showsAKcatGroupItsLagAndResetsItOnceEmpty() {
        produce("b1", 600);
        QVERIFY(QTest::qWaitFor(
            [&] { return h->controller->session().partitionCount("demo") == 6; }, kWaitMs));
        GroupMember a("member-a"), b("member-b");
        for (auto* m : {&a, &b})
            m->start("kcat", {"-b", bootstrap, "-G", kGroup, "-u", "-X",
                              "auto.offset.reset=earliest", "-X", "auto.commit.interval.ms=100",
                              "-X", "client.id=" + m->name(), "-f", "%p %o %s\\n", "demo"});
        auto pump = [&] {
            a.pump();
            b.pump();
        };
        QVERIFY2(QTest::qWaitFor(
                     [&] {
                         pump();
                         return countBatch({&a, &b}, "b1").size() == 600;
                     },
                     kWaitMs),
                 describe({&a, &b}).constData());

        // The list shows the group, Stable with its two members and no lag.
        QVERIFY2(QTest::qWaitFor(
                     [&] {
                         pump();
                         return groupCell(GroupsTableModel::State) == "Stable" &&
                                groupCell(GroupsTableModel::Members) == "2" &&
                                groupCell(GroupsTableModel::TotalLag) == "0";
                     },
                     kWaitMs),
                 qPrintable(groupCell(GroupsTableModel::State) + " " +
                            groupCell(GroupsTableModel::Members) + " " +
                            groupCell(GroupsTableModel::TotalLag)));
        QCOMPARE(groupCell(GroupsTableModel::ProtocolType), QStringLiteral("consumer"));
        QVERIFY(!groupCell(GroupsTableModel::Assignor).isEmpty());
        QVERIFY(groupCell(GroupsTableModel::Assignor) != "-");

        // Selected like a user does: its members and partitions fill in, equal to the admin's.
        view->groupsTable()->selectRow(groupRow());
        QCOMPARE(view->selectedGroup(), std::string(kGroup));
        bs::consumer::GroupOffsets truth;
        QVERIFY(QTest::qWaitFor(
            [&] {
                pump();
                truth = adminView();
                // Every partition committed up to its end (kcat commits every 100 ms).
                bool caughtUp = truth.partitions.size() == 6;
                for (const auto& [tp, p] : truth.partitions)
                    caughtUp = caughtUp && p.lag() == int64_t(0);
                return caughtUp && truth.description.members.size() == 2 && viewMatches(truth);
            },
            kWaitMs));
        auto* members = view->membersModel();
        QCOMPARE(members->rowCount(), 2);
        std::set<QString> clients;
        std::set<int> assigned;
        for (int r = 0; r < 2; ++r) {
            clients.insert(cell(members, r, GroupMembersModel::ClientId));
            QVERIFY(cell(members, r, GroupMembersModel::MemberId)
                        .startsWith(cell(members, r, GroupMembersModel::ClientId) + "-"));
            QCOMPARE(cell(members, r, GroupMembersModel::Host), QStringLiteral("/127.0.0.1"));
            QCOMPARE(cell(members, r, GroupMembersModel::InstanceId), QStringLiteral("-"));
            const QString text = cell(members, r, GroupMembersModel::Assignment);
            QVERIFY2(text.startsWith("demo: "), qPrintable(text));
            for (const auto& p : text.mid(6).split(", "))
                QVERIFY(assigned.insert(p.toInt()).second);  // no partition twice
        }
        QCOMPARE(clients, (std::set<QString>{"member-a", "member-b"}));
        QCOMPARE(assigned, (std::set<int>{0, 1, 2, 3, 4, 5}));
        // Each partition's committed offset is what its member consumed last + 1.
        std::map<int, int64_t> consumed;
        for (auto* m : {&a, &b})
            for (const auto& [p, o, v] : m->records())
                consumed[p] = std::max(consumed[p], o + 1);
        for (int r = 0; r < 6; ++r) {
            auto* pm = view->partitionsModel();
            QCOMPARE(cell(pm, r, GroupPartitionsModel::Partition).toInt(), r);
            QVERIFY2(
                cell(pm, r, GroupPartitionsModel::Committed).toLongLong() == consumed[r],
                qPrintable(QStringLiteral("partition %1: committed %2, log end %3, consumed %4")
                               .arg(r)
                               .arg(cell(pm, r, GroupPartitionsModel::Committed))
                               .arg(cell(pm, r, GroupPartitionsModel::LogEnd))
                               .arg(consumed[r])));
        }

        // Reset while the members are in: Kafka's refusal, in the dialog, nothing to commit.
        QPointer<ResetOffsetsDialog> refused = clickReset();
        QVERIFY(refused);
        const QString message = QString::fromStdString(
            "Assignments can only be reset if the group 'billing' is inactive, but the current "
            "state is Stable.");
        QVERIFY2(QTest::qWaitFor(
                     [&] {
                         pump();
                         return child<QLabel>(refused, "resetStatus")->text() == message;
                     },
                     kWaitMs),
                 qPrintable(child<QLabel>(refused, "resetStatus")->text()));
        QVERIFY(!child<QPushButton>(refused, "executeReset")->isEnabled());
        QCOMPARE(child<QTableWidget>(refused, "plannedOffsets")->rowCount(), 0);
        refused->reject();
        QVERIFY(QTest::qWaitFor([&] { return refused.isNull(); }, kWaitMs));

        // The members leave; 120 more records: the lag is exactly 120, in the table, the list
        // and the chart's total.
        QVERIFY(a.stop());
        QVERIFY(b.stop());
        produce("b2", 120);
        QVERIFY(QTest::qWaitFor(
            [&] {
                truth = adminView();
                return truth.description.state == "Empty" && truth.totalLag() == 120 &&
                       viewMatches(truth) && groupCell(GroupsTableModel::TotalLag) == "120" &&
                       groupCell(GroupsTableModel::Members) == "0";
            },
            kWaitMs));
        QCOMPARE(members->rowCount(), 0);
        for (const auto& [tp, p] : truth.partitions) {
            QCOMPARE(*p.committed, consumed[tp.partition]);
            QCOMPARE(p.memberId, std::string("-"));
        }
        auto* history = view->lagHistory();
        QVERIFY(QTest::qWaitFor([&] { return history->samples().back().total == 120; }, kWaitMs));
        QCOMPARE(history->samples().front().total, qint64(0));  // the chart saw it grow from 0
        QCOMPARE(int(history->seriesNames().size()), 6);        // one line per partition
        auto* chart = child<LagChart>(view, "lagChart");
        QCOMPARE(chart->totalSeries()->points().back().y(), 120.0);
        // BS_SCREENSHOT_DIR=dir: the dock as it is now, for the docs (docs/screenshots/).
        if (const QString dir = qEnvironmentVariable("BS_SCREENSHOT_DIR"); !dir.isEmpty()) {
            h->window->resize(1680, 1050);
            QTest::qWait(200);  // the resized layout, drawn (only for the picture)
            QVERIFY(child<QDockWidget>(h->window.get(), "consumerGroupsDock")
                        ->grab()
                        .save(dir + "/consumer-groups.png"));
        }

        // Reset to earliest, all topics: the dry run plans 0 everywhere; confirming commits it.
        QPointer<ResetOffsetsDialog> dialog = clickReset();
        QVERIFY(dialog);
        child<QComboBox>(dialog, "resetMode")->setCurrentIndex(0);  // To earliest
        auto* planned = child<QTableWidget>(dialog, "plannedOffsets");
        QVERIFY2(QTest::qWaitFor([&] { return planned->rowCount() == 6; }, kWaitMs),
                 qPrintable(child<QLabel>(dialog, "resetStatus")->text()));
        for (int r = 0; r < 6; ++r) {
            QCOMPARE(planned->item(r, 0)->text(), QStringLiteral("demo"));
            QCOMPARE(planned->item(r, 1)->text().toInt(), r);
            QCOMPARE(planned->item(r, 2)->text().toLongLong(), consumed[r]);  // current
            QCOMPARE(planned->item(r, 3)->text(), QStringLiteral("0"));       // new
        }
        // The dry run committed nothing.
        QCOMPARE(adminView().totalLag(), int64_t(120));
        auto* execute = child<QPushButton>(dialog, "executeReset");
        QVERIFY(execute->isEnabled());
        QTest::mouseClick(execute, Qt::LeftButton);
        QVERIFY2(QTest::qWaitFor([&] { return dialog.isNull(); }, kWaitMs),
                 dialog ? qPrintable(child<QLabel>(dialog, "resetStatus")->text()) : "");
        truth = adminView();
        QCOMPARE(truth.partitions.size(), size_t(6));
        for (const auto& [tp, p] : truth.partitions) {
            QCOMPARE(*p.committed, int64_t(0));
            QCOMPARE(*p.lag(), *p.logEnd);
        }
        QVERIFY(QTest::qWaitFor([&] { return viewMatches(adminView()); }, kWaitMs));
        QCOMPARE(groupCell(GroupsTableModel::TotalLag), QString::number(720));
    }

    void cleanupTestCase() { h.reset(); }
};

QTEST_MAIN(TestConsumerGroups)
#include "test_consumer_groups.moc"
