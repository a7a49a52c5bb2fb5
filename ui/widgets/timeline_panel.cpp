#include "widgets/timeline_panel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QScrollBar>
#include <QToolButton>
#include <QVBoxLayout>

#include "models/timeline_model.h"
#include "producer/observation.h"

namespace bs::ui {

TimelinePanel::TimelinePanel(TimelineModel* model, QWidget* parent)
    : QWidget(parent),
      model_(model),
      filter_(new TimelineFilter(this)),
      view_(new QListView),
      partition_(new QLineEdit),
      node_(new QComboBox),
      step_(new QComboBox),
      onlySteps_(new QCheckBox(tr("Step runs only"))),
      perRecord_(new QCheckBox(tr("per record"))),
      hold_(new QToolButton),
      held_(new QLabel) {
    filter_->setSourceModel(model_);
    view_->setModel(filter_);
    // One line per row, all the same height: the view lays out only what is visible.
    view_->setUniformItemSizes(true);
    view_->setWordWrap(false);
    view_->setTextElideMode(Qt::ElideRight);
    view_->setSelectionMode(QAbstractItemView::SingleSelection);
    view_->setHorizontalScrollBarPolicy(Qt::ScrollBarAsNeeded);

    partition_->setPlaceholderText(tr("partition (3 or topic-3)"));
    partition_->setClearButtonEnabled(true);
    partition_->setMaximumWidth(170);
    node_->addItem(tr("all nodes"), -1);
    step_->addItem(tr("all steps"), -1);
    for (auto s :
         {TimelineModel::Step::Append, TimelineModel::Step::Ready, TimelineModel::Step::Drain,
          TimelineModel::Step::Request, TimelineModel::Step::Response,
          TimelineModel::Step::Metadata, TimelineModel::Step::Retry})
        step_->addItem(TimelineModel::stepName(s), static_cast<int>(s));
    onlySteps_->setToolTip(tr("Only the lines of sender iterations run by Step"));
    perRecord_->setToolTip(
        tr("A doSend() line per record (costs a lock per record while on; off by default)"));
    hold_->setText(tr("Hold"));
    hold_->setCheckable(true);
    hold_->setToolTip(tr("Keep the lines still; new ones are added when released"));

    auto* bar = new QHBoxLayout;
    bar->setContentsMargins(0, 0, 0, 0);
    bar->addWidget(partition_);
    bar->addWidget(node_);
    bar->addWidget(step_);
    bar->addWidget(onlySteps_);
    bar->addWidget(perRecord_);
    bar->addStretch(1);
    bar->addWidget(held_);
    bar->addWidget(hold_);
    auto* col = new QVBoxLayout(this);
    col->setContentsMargins(4, 2, 4, 4);
    col->setSpacing(3);
    col->addLayout(bar);
    col->addWidget(view_, 1);

    connect(partition_, &QLineEdit::textChanged, filter_, &TimelineFilter::setPartition);
    connect(node_, &QComboBox::currentIndexChanged, this,
            [this] { filter_->setNode(node_->currentData().toInt()); });
    connect(step_, &QComboBox::currentIndexChanged, this,
            [this] { filter_->setStep(step_->currentData().toInt()); });
    connect(onlySteps_, &QCheckBox::toggled, filter_, &TimelineFilter::setOnlyStepIterations);
    connect(perRecord_, &QCheckBox::toggled, this, &TimelinePanel::perRecordToggled);
    connect(hold_, &QToolButton::toggled, model_, &TimelineModel::setHeld);
    connect(model_, &TimelineModel::heldCountChanged, this,
            [this](int n) { held_->setText(n > 0 ? tr("%1 new lines held").arg(n) : QString()); });
    auto* sb = view_->verticalScrollBar();
    connect(sb, &QScrollBar::valueChanged, this,
            [this, sb](int v) { follow_ = v >= sb->maximum(); });
    connect(filter_, &QAbstractItemModel::rowsInserted, this, [this] {
        if (follow_) view_->scrollToBottom();
    });
    connect(view_, &QListView::clicked, this, &TimelinePanel::onClicked);
}

void TimelinePanel::setNodes(const QList<int>& nodes) {
    const int current = node_->currentData().toInt();
    const QSignalBlocker block(node_);
    while (node_->count() > 1)
        node_->removeItem(1);
    for (int n : nodes)
        node_->addItem(tr("node %1").arg(n), n);
    const int i = node_->findData(current);
    node_->setCurrentIndex(i < 0 ? 0 : i);
}

void TimelinePanel::onClicked(const QModelIndex& index) {
    const quint64 batch = index.data(TimelineModel::BatchIdRole).toULongLong();
    const int corr = index.data(TimelineModel::CorrelationRole).toInt();
    const int node = index.data(TimelineModel::NodeRole).toInt();
    if (corr >= 0 && node >= 0) {
        Q_EMIT requestChosen(node, corr);
        return;
    }
    if (batch) {
        const QString tps = index.data(TimelineModel::PartitionRole).toString();
        const QString first = tps.section(QLatin1Char(';'), 0, 0);
        Q_EMIT batchChosen(index.data(TimelineModel::TopicRole).toString(),
                           first.section(QLatin1Char('-'), -1).toInt(), batch);
    }
}

}  // namespace bs::ui
