#pragma once

#include <QAbstractTableModel>
#include <map>
#include <memory>
#include <vector>

#include "models/group_snapshot.h"

namespace bs::ui {

// The three tables of the consumer groups view, each fed the latest GroupsSnapshot. A refresh
// of the same shape changes cells in place (dataChanged), so selection and scroll survive the
// live updates. GUI thread only.

// Group id, state, protocol type, assignor, members, total lag.
class GroupsTableModel : public QAbstractTableModel {
    Q_OBJECT
  public:
    enum Column { GroupId, State, ProtocolType, Assignor, Members, TotalLag, ColumnCount };
    using QAbstractTableModel::QAbstractTableModel;
    void setGroups(std::vector<GroupSummary> groups);
    const std::vector<GroupSummary>& groups() const { return groups_; }
    int rowOf(const std::string& groupId) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation o, int role) const override;

  private:
    std::vector<GroupSummary> groups_;
};

// The selected group's members: member id, client id, host, group.instance.id, assignment.
class GroupMembersModel : public QAbstractTableModel {
    Q_OBJECT
  public:
    enum Column { MemberId, ClientId, Host, InstanceId, Assignment, ColumnCount };
    using QAbstractTableModel::QAbstractTableModel;
    void setMembers(std::vector<consumer::GroupMemberDescription> members);
    const std::vector<consumer::GroupMemberDescription>& members() const { return members_; }
    // "orders: 0, 2, 4; audit: 1" (partitions per topic, sorted).
    static QString assignmentText(const std::vector<client::TopicPartition>& assignment);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation o, int role) const override;

  private:
    std::vector<consumer::GroupMemberDescription> members_;
};

// Per partition of the selected group: topic, partition, committed offset, log end offset, lag
// ("-" while nothing is committed) and the member that owns it.
class GroupPartitionsModel : public QAbstractTableModel {
    Q_OBJECT
  public:
    enum Column { Topic, Partition, Committed, LogEnd, Lag, Member, ClientId, ColumnCount };
    using QAbstractTableModel::QAbstractTableModel;
    struct Row {
        client::TopicPartition tp;
        consumer::GroupPartitionOffsets offsets;
    };
    void setPartitions(const std::map<client::TopicPartition, consumer::GroupPartitionOffsets>& p);
    const std::vector<Row>& rows() const { return rows_; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation o, int role) const override;

  private:
    std::vector<Row> rows_;
};

}  // namespace bs::ui
