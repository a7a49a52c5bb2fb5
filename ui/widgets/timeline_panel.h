#pragma once

#include <QWidget>

class QListView;
class QLineEdit;
class QComboBox;
class QCheckBox;
class QToolButton;
class QLabel;

namespace bs::ui {

class TimelineModel;
class TimelineFilter;

// The "Send path" dock: the timeline's lines with filters (partition, node, pipeline step, only
// what Step ran), Hold (the lines stay still; new ones are counted and added on release) and
// a per-record switch (doSend lines cost a lock per record: off by default). Follows the newest
// line while scrolled to the bottom. Clicking a line names the batch or request it is about.
class TimelinePanel : public QWidget {
    Q_OBJECT
  public:
    explicit TimelinePanel(TimelineModel* model, QWidget* parent = nullptr);

    QListView* view() const { return view_; }
    TimelineFilter* filter() const { return filter_; }
    QLineEdit* partitionFilter() const { return partition_; }
    QComboBox* nodeFilter() const { return node_; }
    QComboBox* stepFilter() const { return step_; }
    QCheckBox* onlyStepsBox() const { return onlySteps_; }
    QToolButton* holdButton() const { return hold_; }
    QCheckBox* perRecordBox() const { return perRecord_; }
    // The node filter's choices.
    void setNodes(const QList<int>& nodes);

  Q_SIGNALS:
    void batchChosen(const QString& topic, int partition, quint64 batchId);
    void requestChosen(int nodeId, int correlationId);
    void perRecordToggled(bool on);

  private:
    void onClicked(const QModelIndex& index);

    TimelineModel* model_;
    TimelineFilter* filter_;
    QListView* view_;
    QLineEdit* partition_;
    QComboBox* node_;
    QComboBox* step_;
    QCheckBox* onlySteps_;
    QCheckBox* perRecord_;
    QToolButton* hold_;
    QLabel* held_;
    bool follow_ = true;  // scrolled to the bottom: keep showing the newest line
};

}  // namespace bs::ui
