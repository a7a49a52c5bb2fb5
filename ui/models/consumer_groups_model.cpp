#include "models/consumer_groups_model.h"

#include <QStringList>
#include <algorithm>
#include <map>

namespace bs::ui {

namespace {

QString qs(const std::string& s) {
    return QString::fromStdString(s);
}

QString offsetText(const std::optional<int64_t>& v) {
    return v ? QString::number(*v) : QStringLiteral("-");
}

QVariant alignment(int column, std::initializer_list<int> numeric) {
    for (int c : numeric)
        if (c == column) return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    return {};
}

}  // namespace

// ---- groups

void GroupsTableModel::setGroups(std::vector<GroupSummary> groups) {
    bool sameIds = groups.size() == groups_.size();
    for (size_t i = 0; sameIds && i < groups.size(); ++i)
        sameIds = groups[i].groupId == groups_[i].groupId;
    if (sameIds && !groups.empty()) {
        groups_ = std::move(groups);
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
        return;
    }
    beginResetModel();
    groups_ = std::move(groups);
    endResetModel();
}

int GroupsTableModel::rowOf(const std::string& groupId) const {
    for (size_t i = 0; i < groups_.size(); ++i)
        if (groups_[i].groupId == groupId) return static_cast<int>(i);
    return -1;
}

int GroupsTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(groups_.size());
}

int GroupsTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant GroupsTableModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rowCount()) return {};
    const auto& g = groups_[static_cast<size_t>(index.row())];
    if (role == Qt::TextAlignmentRole) return alignment(index.column(), {Members, TotalLag});
    if (role == Qt::ToolTipRole && !g.error.isEmpty()) return g.error;
    if (role != Qt::DisplayRole) return {};
    switch (index.column()) {
        case GroupId:
            return qs(g.groupId);
        case State:
            return g.error.isEmpty() ? qs(g.state) : tr("error");
        case ProtocolType:
            return qs(g.protocolType);
        case Assignor:
            return g.protocol.empty() ? QStringLiteral("-") : qs(g.protocol);
        case Members:
            return g.members;
        case TotalLag:
            return g.error.isEmpty() ? QString::number(g.totalLag) : QStringLiteral("-");
    }
    return {};
}

QVariant GroupsTableModel::headerData(int section, Qt::Orientation o, int role) const {
    if (o != Qt::Horizontal || role != Qt::DisplayRole) return {};
    static const char* names[] = {"Group",    "State",   "Protocol type",
                                  "Assignor", "Members", "Total lag"};
    return section >= 0 && section < ColumnCount ? tr(names[section]) : QVariant();
}

// ---- members

QString GroupMembersModel::assignmentText(const std::vector<client::TopicPartition>& assignment) {
    std::map<std::string, std::vector<int32_t>> byTopic;
    for (const auto& tp : assignment)
        byTopic[tp.topic].push_back(tp.partition);
    QStringList parts;
    for (auto& [topic, ps] : byTopic) {
        std::sort(ps.begin(), ps.end());
        QStringList numbers;
        for (int32_t p : ps)
            numbers << QString::number(p);
        parts << qs(topic) + QStringLiteral(": ") + numbers.join(QStringLiteral(", "));
    }
    return parts.join(QStringLiteral("; "));
}

void GroupMembersModel::setMembers(std::vector<consumer::GroupMemberDescription> members) {
    if (members.size() == members_.size() && !members.empty()) {
        members_ = std::move(members);
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
        return;
    }
    beginResetModel();
    members_ = std::move(members);
    endResetModel();
}

int GroupMembersModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(members_.size());
}

int GroupMembersModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant GroupMembersModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rowCount()) return {};
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole) return {};
    const auto& m = members_[static_cast<size_t>(index.row())];
    switch (index.column()) {
        case MemberId:
            return qs(m.memberId);
        case ClientId:
            return qs(m.clientId);
        case Host:
            return qs(m.host);
        case InstanceId:
            return m.groupInstanceId ? qs(*m.groupInstanceId) : QStringLiteral("-");
        case Assignment:
            return assignmentText(m.assignment);
    }
    return {};
}

QVariant GroupMembersModel::headerData(int section, Qt::Orientation o, int role) const {
    if (o != Qt::Horizontal || role != Qt::DisplayRole) return {};
    static const char* names[] = {"Member id", "Client id", "Host", "group.instance.id",
                                  "Assignment"};
    return section >= 0 && section < ColumnCount ? tr(names[section]) : QVariant();
}

// ---- partitions

void GroupPartitionsModel::setPartitions(
    const std::map<client::TopicPartition, consumer::GroupPartitionOffsets>& partitions) {
    std::vector<Row> next;
    for (const auto& [tp, offsets] : partitions)
        next.push_back({tp, offsets});
    bool sameKeys = next.size() == rows_.size();
    for (size_t i = 0; sameKeys && i < next.size(); ++i)
        sameKeys = next[i].tp == rows_[i].tp;
    if (sameKeys && !next.empty()) {
        rows_ = std::move(next);
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
        return;
    }
    beginResetModel();
    rows_ = std::move(next);
    endResetModel();
}

int GroupPartitionsModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}

int GroupPartitionsModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant GroupPartitionsModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rowCount()) return {};
    if (role == Qt::TextAlignmentRole)
        return alignment(index.column(), {Partition, Committed, LogEnd, Lag});
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole) return {};
    const auto& r = rows_[static_cast<size_t>(index.row())];
    switch (index.column()) {
        case Topic:
            return qs(r.tp.topic);
        case Partition:
            return QString::number(r.tp.partition);
        case Committed:
            return offsetText(r.offsets.committed);
        case LogEnd:
            return offsetText(r.offsets.logEnd);
        case Lag:
            return offsetText(r.offsets.lag());
        case Member:
            return qs(r.offsets.memberId);
        case ClientId:
            return qs(r.offsets.clientId);
    }
    return {};
}

QVariant GroupPartitionsModel::headerData(int section, Qt::Orientation o, int role) const {
    if (o != Qt::Horizontal || role != Qt::DisplayRole) return {};
    static const char* names[] = {"Topic", "Partition", "Committed offset", "Log end offset",
                                  "Lag",   "Member",    "Client id"};
    return section >= 0 && section < ColumnCount ? tr(names[section]) : QVariant();
}

}  // namespace bs::ui
