#pragma once

#include <QDialog>
#include <map>
#include <string>
#include <vector>

#include "client/topic_partition.h"
#include "consumer/group_offsets.h"

class QComboBox;
class QDateTimeEdit;
class QLineEdit;
class QLabel;
class QTableWidget;
class QPushButton;

namespace bs::ui {

class GroupReader;

// Reset a group's committed offsets, as kafka-consumer-groups.sh --reset-offsets: to earliest,
// latest, a timestamp or an offset, for all the group's topics or one. It shows the planned new
// offset of every partition (the --dry-run, recomputed on each change) and commits exactly those
// on "Reset offsets". While the group has members the plan is refused with Kafka's message and
// nothing can be committed.
class ResetOffsetsDialog : public QDialog {
    Q_OBJECT
  public:
    ResetOffsetsDialog(GroupReader* reader, const std::string& group,
                       const std::vector<std::string>& topics,
                       const std::map<client::TopicPartition, int64_t>& committed,
                       QWidget* parent = nullptr);

    // The plan shown (empty while none is).
    const std::map<client::TopicPartition, int64_t>& plan() const { return plan_; }

  private:
    void replan();
    void onPlan(quint64 id, const std::map<client::TopicPartition, int64_t>& offsets,
                const QString& error);
    void onResetDone(const QString& group, const QString& error);
    void execute();
    void showError(const QString& error);

    GroupReader* reader_;
    std::string group_;
    std::vector<std::string> topics_;
    std::map<client::TopicPartition, int64_t> committed_;
    std::map<client::TopicPartition, int64_t> plan_;
    quint64 pending_ = 0;  // the plan being computed; older answers are dropped
    bool executing_ = false;

    QComboBox* mode_;
    QComboBox* topic_;
    QDateTimeEdit* datetime_;
    QLineEdit* offset_;
    QTableWidget* table_;
    QLabel* status_;
    QPushButton* execute_;
};

}  // namespace bs::ui
