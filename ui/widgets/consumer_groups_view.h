#pragma once

#include <QWidget>
#include <memory>
#include <string>

#include "models/group_snapshot.h"

class QLabel;
class QPushButton;
class QTableView;
class QTimer;

namespace bs::ui {

class ClusterSession;
class GroupReader;
class GroupsTableModel;
class GroupMembersModel;
class GroupPartitionsModel;
class GroupLagHistory;
class LagChart;
class ResetOffsetsDialog;

// The inspector's Consumer groups view, against whatever cluster the session is connected to
// (embedded or not, with its security settings): the groups with state, protocol, assignor,
// members and total lag; for the selected group its members, per partition committed offset,
// log end offset, lag and owner, and a lag chart. Refreshed every kRefreshMs while visible, all
// admin calls on GroupReader's worker; errors show in the view's status line.
class ConsumerGroupsView : public QWidget {
    Q_OBJECT
  public:
    static constexpr int kRefreshMs = 2000;

    explicit ConsumerGroupsView(ClusterSession* session, QWidget* parent = nullptr);
    ~ConsumerGroupsView() override;

    GroupReader* reader() const { return reader_; }
    GroupsTableModel* groupsModel() const { return groups_; }
    GroupMembersModel* membersModel() const { return members_; }
    GroupPartitionsModel* partitionsModel() const { return partitions_; }
    GroupLagHistory* lagHistory() const { return history_; }
    QTableView* groupsTable() const { return groupsTable_; }
    // The group whose details are shown ("" for none).
    const std::string& selectedGroup() const { return selected_; }
    void selectGroup(const std::string& groupId);
    // The last snapshot applied (null before the first).
    const GroupsSnapshot* lastSnapshot() const { return last_.get(); }
    // Opens the reset dialog for the selected group (the Reset offsets… button).
    ResetOffsetsDialog* openResetDialog();
    // Reads now (if no read is running).
    void refreshNow();
    // Whether the view can be seen: a dock tab behind another one stays isVisible(), so the
    // main window passes its dock's visibilityChanged. The live refresh runs only while active
    // (and not hidden).
    void setActive(bool active);
    bool isActive() const { return active_; }
    bool refreshing() const;

  protected:
    void showEvent(QShowEvent* event) override;
    void hideEvent(QHideEvent* event) override;

  private:
    void onConnected();
    void apply(const std::shared_ptr<const GroupsSnapshot>& snapshot);
    void onGroupSelectionChanged();

    ClusterSession* session_;
    GroupReader* reader_;
    GroupsTableModel* groups_;
    GroupMembersModel* members_;
    GroupPartitionsModel* partitions_;
    GroupLagHistory* history_;
    QTimer* timer_;
    QTableView* groupsTable_;
    QTableView* membersTable_;
    QTableView* partitionsTable_;
    LagChart* chart_;
    QLabel* status_;
    QLabel* detailTitle_;
    QPushButton* reset_;
    std::string selected_;
    bool applying_ = false;
    bool active_ = false;  // apply() is replacing the group rows
    std::shared_ptr<const GroupsSnapshot> last_;
};

}  // namespace bs::ui
