#include "widgets/consumer_groups_view.h"

#include <QDateTime>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>
#include <set>

#include "dialogs/reset_offsets_dialog.h"
#include "models/consumer_groups_model.h"
#include "models/group_lag_history.h"
#include "session/cluster_session.h"
#include "session/group_reader.h"
#include "widgets/lag_chart.h"

namespace bs::ui {

namespace {

QTableView* makeTable(QAbstractItemModel* model, const char* name, QWidget* parent) {
    auto* t = new QTableView(parent);
    t->setObjectName(QLatin1String(name));
    t->setModel(model);
    t->setSelectionBehavior(QAbstractItemView::SelectRows);
    t->setSelectionMode(QAbstractItemView::SingleSelection);
    t->setEditTriggers(QAbstractItemView::NoEditTriggers);
    t->verticalHeader()->hide();
    t->verticalHeader()->setDefaultSectionSize(t->fontMetrics().height() + 6);
    t->horizontalHeader()->setStretchLastSection(true);
    t->setAlternatingRowColors(true);
    t->setMinimumHeight(40);  // the bottom tabs must not squeeze the Sender above
    return t;
}

}  // namespace

ConsumerGroupsView::ConsumerGroupsView(ClusterSession* session, QWidget* parent)
    : QWidget(parent),
      session_(session),
      reader_(new GroupReader(this)),
      groups_(new GroupsTableModel(this)),
      members_(new GroupMembersModel(this)),
      partitions_(new GroupPartitionsModel(this)),
      history_(new GroupLagHistory(this)),
      timer_(new QTimer(this)) {
    setObjectName(QStringLiteral("consumerGroups"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->setSpacing(4);
    auto* head = new QHBoxLayout;
    status_ = new QLabel(tr("Not connected"), this);
    status_->setObjectName(QStringLiteral("groupsStatus"));
    status_->setWordWrap(true);
    status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    head->addWidget(status_, 1);
    reset_ = new QPushButton(tr("Reset offsets…"), this);
    reset_->setObjectName(QStringLiteral("resetOffsets"));
    reset_->setToolTip(
        tr("Move the selected group's committed offsets (only while it has no members)"));
    reset_->setEnabled(false);
    head->addWidget(reset_);
    layout->addLayout(head);

    groupsTable_ = makeTable(groups_, "groupsTable", this);
    membersTable_ = makeTable(members_, "groupMembers", this);
    partitionsTable_ = makeTable(partitions_, "groupPartitions", this);
    chart_ = new LagChart(history_, this);
    chart_->setObjectName(QStringLiteral("lagChart"));

    detailTitle_ = new QLabel(tr("Select a group to see its members, offsets and lag"), this);
    auto* tables = new QSplitter(Qt::Vertical, this);
    tables->addWidget(partitionsTable_);
    tables->addWidget(membersTable_);
    auto* detail = new QSplitter(Qt::Horizontal, this);
    detail->addWidget(tables);
    detail->addWidget(chart_);
    detail->setStretchFactor(0, 3);
    detail->setStretchFactor(1, 2);
    auto* lower = new QWidget(this);
    auto* lowerLayout = new QVBoxLayout(lower);
    lowerLayout->setContentsMargins(0, 0, 0, 0);
    lowerLayout->addWidget(detailTitle_);
    lowerLayout->addWidget(detail, 1);
    auto* split = new QSplitter(Qt::Vertical, this);
    split->addWidget(groupsTable_);
    split->addWidget(lower);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 3);
    split->setSizes({100, 300});  // a few groups; the details need the rows
    layout->addWidget(split, 1);

    timer_->setInterval(kRefreshMs);
    connect(timer_, &QTimer::timeout, this, &ConsumerGroupsView::refreshNow);
    connect(reader_, &GroupReader::snapshotReady, this, &ConsumerGroupsView::apply);
    connect(groupsTable_->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &ConsumerGroupsView::onGroupSelectionChanged);
    connect(reset_, &QPushButton::clicked, this, [this] { openResetDialog(); });
    connect(session_, &ClusterSession::connected, this, &ConsumerGroupsView::onConnected);
    if (session_->isConnected()) onConnected();
}

ConsumerGroupsView::~ConsumerGroupsView() = default;

void ConsumerGroupsView::onConnected() {
    reader_->setConnection(session_->clientProperties());
    last_.reset();
    selected_.clear();
    groups_->setGroups({});
    members_->setMembers({});
    partitions_->setPartitions({});
    history_->setGroup({});
    reset_->setEnabled(false);
    if (active_ && isVisible()) refreshNow();
}

void ConsumerGroupsView::setActive(bool active) {
    if (active == active_) return;
    active_ = active;
    if (active_ && isVisible()) {
        timer_->start();
        refreshNow();
    } else {
        timer_->stop();  // no admin traffic for a view no one sees
    }
}

bool ConsumerGroupsView::refreshing() const {
    return reader_->refreshing();
}

void ConsumerGroupsView::showEvent(QShowEvent* event) {
    QWidget::showEvent(event);
    if (!active_) return;
    timer_->start();
    refreshNow();
}

void ConsumerGroupsView::hideEvent(QHideEvent* event) {
    QWidget::hideEvent(event);
    timer_->stop();  // no admin traffic for a view no one sees
}

void ConsumerGroupsView::refreshNow() {
    if (!session_->isConnected()) {
        status_->setText(tr("Not connected"));
        return;
    }
    reader_->setConnection(session_->clientProperties());
    reader_->refresh(selected_);
}

void ConsumerGroupsView::selectGroup(const std::string& groupId) {
    const int row = groups_->rowOf(groupId);
    if (row >= 0) {
        groupsTable_->selectRow(row);  // onGroupSelectionChanged follows
        return;
    }
    groupsTable_->clearSelection();
    selected_ = groupId;
    history_->setGroup(QString::fromStdString(groupId));
    refreshNow();
}

void ConsumerGroupsView::onGroupSelectionChanged() {
    if (applying_) return;  // a refresh replaced the rows; the selected group is unchanged
    const auto rows = groupsTable_->selectionModel()->selectedRows();
    std::string id;
    if (!rows.isEmpty() && rows.first().row() < groups_->rowCount())
        id = groups_->groups()[static_cast<size_t>(rows.first().row())].groupId;
    if (id == selected_) return;
    selected_ = id;
    history_->setGroup(QString::fromStdString(id));
    members_->setMembers({});
    partitions_->setPartitions({});
    reset_->setEnabled(!id.empty());
    detailTitle_->setText(id.empty() ? tr("Select a group to see its members, offsets and lag")
                                     : tr("Group %1: reading…").arg(QString::fromStdString(id)));
    refreshNow();
}

void ConsumerGroupsView::apply(const std::shared_ptr<const GroupsSnapshot>& snapshot) {
    last_ = snapshot;
    const QString when = QDateTime::fromMSecsSinceEpoch(snapshot->timeMs).toString("HH:mm:ss");
    if (!snapshot->error.isEmpty()) {
        status_->setText(
            tr("Consumer groups could not be read (%1): %2").arg(when, snapshot->error));
        status_->setStyleSheet(QStringLiteral("color: #c0392b;"));
    } else {
        status_->setText(
            tr("%n group(s) · updated %1", nullptr, static_cast<int>(snapshot->groups.size()))
                .arg(when));
        status_->setStyleSheet({});
        // The listing replaces the rows; the selected group stays selected.
        applying_ = true;
        groups_->setGroups(snapshot->groups);
        const int row = groups_->rowOf(selected_);
        if (row >= 0 && !groupsTable_->selectionModel()->isRowSelected(row, {}))
            groupsTable_->selectRow(row);
        applying_ = false;
    }
    if (snapshot->selected != selected_ || selected_.empty()) return;  // read for another one
    const QString id = QString::fromStdString(selected_);
    if (snapshot->detail) {
        const auto& d = *snapshot->detail;
        members_->setMembers(d.description.members);
        partitions_->setPartitions(d.partitions);
        history_->add(d, snapshot->timeMs);
        detailTitle_->setText(d.missing()
                                  ? tr("Group %1 does not exist").arg(id)
                                  : tr("Group %1 · %2 · %n member(s) · total lag %3", nullptr,
                                       static_cast<int>(d.description.members.size()))
                                        .arg(id, QString::fromStdString(d.description.state))
                                        .arg(d.totalLag()));
    } else if (!snapshot->detailError.isEmpty()) {
        detailTitle_->setText(
            tr("Group %1 could not be described: %2").arg(id, snapshot->detailError));
    }
}

ResetOffsetsDialog* ConsumerGroupsView::openResetDialog() {
    if (selected_.empty()) return nullptr;
    std::set<std::string> topics;
    std::map<client::TopicPartition, int64_t> committed;
    for (const auto& r : partitions_->rows()) {
        if (!r.offsets.committed) continue;
        topics.insert(r.tp.topic);
        committed[r.tp] = *r.offsets.committed;
    }
    auto* dialog =
        new ResetOffsetsDialog(reader_, selected_, {topics.begin(), topics.end()}, committed, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this] {
        status_->setText(tr("Offsets of %1 reset").arg(QString::fromStdString(selected_)));
        refreshNow();
    });
    dialog->open();  // window-modal, without a nested event loop
    return dialog;
}

}  // namespace bs::ui
