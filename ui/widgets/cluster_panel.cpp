#include "widgets/cluster_panel.h"

#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QTreeWidget>
#include <QTreeWidgetItemIterator>
#include <QVBoxLayout>
#include <algorithm>

#include "protocol/api_keys.h"
#include "protocol/errors.h"
#include "session/session_interfaces.h"

namespace bs::ui {

namespace {
QString errName(protocol::ErrorCode c) {
    auto n = protocol::errorName(c);
    return QString::fromUtf8(n.data(), qsizetype(n.size()));
}
}  // namespace

ClusterPanel::ClusterPanel(FaultControls* faults, QWidget* parent)
    : QWidget(parent), faults_(faults) {
    connection_ = new QLabel(this);
    connection_->setWordWrap(true);
    connection_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    tree_ = new QTreeWidget(this);
    tree_->setObjectName(QStringLiteral("clusterTree"));
    tree_->setColumnCount(3);
    tree_->setHeaderLabels({tr("Name"), tr("Where / leader"), tr("State · producer sees")});
    tree_->headerItem()->setToolTip(
        2, tr("The cluster's state, then what the producer's own Metadata says: the leader it "
              "would send to and its epoch. Amber: the producer is behind the cluster (a refresh "
              "follows NOT_LEADER_OR_FOLLOWER or an unknown leader)."));
    producerSummary_ = new QLabel(this);
    producerSummary_->setObjectName(QStringLiteral("producerMetadata"));
    producerSummary_->setWordWrap(true);
    producerSummary_->setTextFormat(Qt::RichText);
    tree_->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    tree_->header()->setSectionResizeMode(1, QHeaderView::Stretch);
    tree_->setRootIsDecorated(true);
    tree_->setUniformRowHeights(true);
    connect(tree_, &QTreeWidget::itemExpanded, this, &ClusterPanel::fitTreeToRows);
    connect(tree_, &QTreeWidget::itemCollapsed, this, &ClusterPanel::fitTreeToRows);

    controls_ = new QGroupBox(tr("Embedded node controls"), this);
    node_ = new QComboBox(controls_);
    latency_ = new QSpinBox(controls_);
    latency_->setRange(0, 60000);
    latency_->setSuffix(tr(" ms"));
    latency_->setToolTip(tr("Added to every response of the node"));
    auto* applyLatency = new QPushButton(tr("Set latency"), controls_);
    downUp_ = new QPushButton(tr("Take down"), controls_);
    downUp_->setToolTip(
        tr("Close the node's listener and connections (its partitions go "
           "offline), or bring it back on the same port"));
    api_ = new QComboBox(controls_);
    api_->addItem(QStringLiteral("Produce"), int(protocol::ApiKey::Produce));
    api_->addItem(QStringLiteral("Metadata"), int(protocol::ApiKey::Metadata));
    api_->addItem(QStringLiteral("InitProducerId"), int(protocol::ApiKey::InitProducerId));
    error_ = new QComboBox(controls_);
    for (auto c :
         {protocol::ErrorCode::NOT_LEADER_OR_FOLLOWER, protocol::ErrorCode::REQUEST_TIMED_OUT,
          protocol::ErrorCode::NOT_ENOUGH_REPLICAS, protocol::ErrorCode::KAFKA_STORAGE_ERROR,
          protocol::ErrorCode::CORRUPT_MESSAGE, protocol::ErrorCode::MESSAGE_TOO_LARGE,
          protocol::ErrorCode::INVALID_RECORD, protocol::ErrorCode::UNKNOWN_SERVER_ERROR}) {
        error_->addItem(errName(c), int(c));
        error_->setItemData(error_->count() - 1,
                            protocol::isRetriable(c) ? tr("retriable: the producer retries")
                                                     : tr("not retriable: the batch fails"),
                            Qt::ToolTipRole);
    }
    count_ = new QSpinBox(controls_);
    count_->setRange(1, 1000);
    count_->setPrefix(tr("next "));
    auto* inject = new QPushButton(tr("Inject"), controls_);
    feedback_ = new QLabel(controls_);
    feedback_->setWordWrap(true);

    // Compact: the node and its up/down switch share a row, so the tree keeps the height.
    auto* form = new QFormLayout(controls_);
    form->setContentsMargins(6, 4, 6, 4);
    form->setVerticalSpacing(3);
    auto* nodeRow = new QHBoxLayout;
    nodeRow->addWidget(node_, 1);
    nodeRow->addWidget(downUp_, 1);
    form->addRow(tr("Node"), nodeRow);
    auto* latRow = new QHBoxLayout;
    latRow->addWidget(latency_, 1);
    latRow->addWidget(applyLatency);
    form->addRow(tr("Latency"), latRow);
    auto* injRow = new QHBoxLayout;
    injRow->addWidget(api_);
    injRow->addWidget(count_);
    form->addRow(tr("Inject"), injRow);
    auto* injRow2 = new QHBoxLayout;
    injRow2->addWidget(error_, 1);
    injRow2->addWidget(inject);
    form->addRow(QString(), injRow2);
    form->addRow(feedback_);

    auto* col = new QVBoxLayout(this);
    col->setContentsMargins(6, 4, 6, 4);
    col->setSpacing(4);
    col->addWidget(connection_);
    col->addWidget(producerSummary_);
    col->addWidget(tree_, 1);
    col->addWidget(controls_);

    auto report = [this](const QString& err, const QString& okText) {
        feedback_->setStyleSheet(err.isEmpty() ? QString() : QStringLiteral("color:#d63333"));
        feedback_->setText(err.isEmpty() ? okText : err);
    };
    connect(node_, &QComboBox::currentIndexChanged, this, &ClusterPanel::refreshControls);
    connect(applyLatency, &QPushButton::clicked, this, [this, report] {
        const int n = selectedNode();
        report(faults_->setNodeLatency(n, latency_->value()),
               tr("node %1 answers %2 ms later").arg(n).arg(latency_->value()));
    });
    connect(downUp_, &QPushButton::clicked, this, [this, report] {
        const int n = selectedNode();
        bool up = true;
        for (const auto& ni : info_.nodes)
            if (ni.id == n) up = ni.up;
        report(faults_->setNodeUp(n, !up),
               up ? tr("node %1 is down").arg(n) : tr("node %1 is up").arg(n));
        for (auto& ni : info_.nodes)
            if (ni.id == n) ni.up = !up;
        refreshControls();
    });
    connect(inject, &QPushButton::clicked, this, [this, report] {
        const int n = selectedNode();
        report(faults_->injectErrors(n, api_->currentData().toInt(), error_->currentData().toInt(),
                                     count_->value()),
               tr("node %1: next %2 %3 requests get %4")
                   .arg(n)
                   .arg(count_->value())
                   .arg(api_->currentText(), error_->currentText()));
    });
}

int ClusterPanel::selectedNode() const {
    return node_->currentData().toInt();
}

void ClusterPanel::refreshControls() {
    const int n = selectedNode();
    for (const auto& ni : info_.nodes) {
        if (ni.id != n) continue;
        downUp_->setText(ni.up ? tr("Take down") : tr("Bring up"));
        downUp_->setToolTip(ni.up ? tr("Close node %1's listener and connections (its "
                                       "partitions go offline)")
                                        .arg(n)
                                  : tr("Bring node %1 back on the same port").arg(n));
        if (!latency_->hasFocus()) latency_->setValue(static_cast<int>(ni.latencyMs));
    }
}

void ClusterPanel::showInfo(const ClusterInfo& info) {
    info_ = info;
    connection_->setText(info.embedded ? tr("<b>Embedded cluster</b> %1<br><small>%2</small>")
                                             .arg(info.clusterId, info.bootstrap)
                                       : tr("<b>External cluster</b> %1<br><small>%2</small>")
                                             .arg(info.clusterId, info.bootstrap));
    controls_->setVisible(info.embedded);
    QString sig;
    for (const auto& n : info.nodes)
        sig += QStringLiteral("%1:%2:%3:%4:%5;")
                   .arg(n.id)
                   .arg(n.up)
                   .arg(n.latencyMs)
                   .arg(n.connections)
                   .arg(n.pendingErrors);
    for (const auto& t : info.topics) {
        sig += t.name;
        for (const auto& [p, l] : t.partitions)
            sig += QStringLiteral(",%1>%2").arg(p).arg(l);
    }
    if (sig == signature_) return;
    signature_ = sig;
    if (node_->count() != info.nodes.size()) {
        const QSignalBlocker block(node_);
        node_->clear();
        for (const auto& n : info.nodes)
            node_->addItem(tr("node %1").arg(n.id), n.id);
    }
    refreshControls();

    rebuildTree();
}

void ClusterPanel::showProducerMetadata(const client::MetadataSnapshot& m) {
    QString age = m.ageMs < 0 ? tr("no update yet")
                  : m.ageMs < 10000
                      ? tr("updated %1 s ago").arg(static_cast<double>(m.ageMs) / 1000.0, 0, 'f', 1)
                      : tr("updated %1 s ago").arg(m.ageMs / 1000);
    QString refresh;
    if (m.requestInFlight)
        refresh = tr("a Metadata request is in flight");
    else if (m.updateRequested)
        refresh = m.timeToNextUpdateMs > 0
                      ? tr("refresh requested, sent in %1 ms (backoff)").arg(m.timeToNextUpdateMs)
                      : tr("refresh requested");
    else
        refresh = tr("next refresh in %1 s (metadata.max.age.ms)")
                      .arg((m.timeToNextUpdateMs + 999) / 1000);
    QString text = tr("<b>Producer's metadata</b> v%1 · %2 · %3")
                       .arg(m.version)
                       .arg(age, refresh.toHtmlEscaped());
    if (m.bootstrap) text += tr("<br><small>only bootstrap.servers known so far</small>");
    if (!m.connectionProblem.empty())
        text += tr("<br><small style='color:#d63333'>last connection problem: %1</small>")
                    .arg(QString::fromStdString(m.connectionProblem).toHtmlEscaped());
    producerSummary_->setText(text);
    producerSummary_->setVisible(true);

    std::map<QString, ProducerTopic> topics;
    QString sig;
    for (const auto& t : m.topics) {
        ProducerTopic pt;
        pt.inMetadata = !t.partitions.empty();
        for (const auto& p : t.partitions)
            pt.leaders.emplace_back(p.leader, p.leaderEpoch);
        pt.available.assign(t.available.begin(), t.available.end());
        sig += QString::fromStdString(t.name);
        for (const auto& [l, e] : pt.leaders)
            sig += QStringLiteral(",%1@%2").arg(l).arg(e);
        sig += QStringLiteral("|%1;").arg(pt.available.size());
        topics.emplace(QString::fromStdString(t.name), std::move(pt));
    }
    if (sig == producerSignature_) return;
    producerSignature_ = sig;
    producer_ = std::move(topics);
    rebuildTree();
}

void ClusterPanel::clearProducerMetadata() {
    producerSummary_->clear();
    producerSummary_->setVisible(false);
    producer_.clear();
    producerSignature_.clear();
    rebuildTree();
}

QString ClusterPanel::producerState(const QString& topic, int partition, int clusterLeader) const {
    const auto it = producer_.find(topic);
    if (it == producer_.end() || !it->second.inMetadata) return {};
    const auto& leaders = it->second.leaders;
    if (partition < 0 || partition >= static_cast<int>(leaders.size())) return tr("not known yet");
    const auto [leader, epoch] = leaders[static_cast<size_t>(partition)];
    if (leader < 0) return tr("no leader known");
    // Short: the column is narrow; the row's tooltip says it in full.
    const QString where = tr("node %1 · e%2").arg(leader).arg(epoch);
    return leader == clusterLeader ? QStringLiteral("✓ ") + where : where + tr(" (stale)");
}

QString ClusterPanel::producerTopicState(const QString& topic, int partitionCount) const {
    const auto it = producer_.find(topic);
    if (it == producer_.end()) return {};
    if (!it->second.inMetadata) return tr("not in its metadata yet");
    return tr("%1 of %2 available")
        .arg(it->second.available.size())
        .arg(std::max<size_t>(it->second.leaders.size(), static_cast<size_t>(partitionCount)));
}

void ClusterPanel::rebuildTree() {
    const ClusterInfo& info = info_;
    // Rebuild, keeping which top-level items were expanded.
    QSet<QString> expanded;
    for (int i = 0; i < tree_->topLevelItemCount(); ++i)
        for (int j = 0; j < tree_->topLevelItem(i)->childCount(); ++j)
            if (tree_->topLevelItem(i)->child(j)->isExpanded())
                expanded.insert(tree_->topLevelItem(i)->child(j)->text(0));
    const bool firstTime = tree_->topLevelItemCount() == 0;
    tree_->clear();
    auto* nodes = new QTreeWidgetItem(tree_, {tr("Brokers (%1)").arg(info.nodes.size())});
    for (const auto& n : info.nodes) {
        QString state = n.up ? tr("● up") : tr("○ DOWN");
        if (n.latencyMs) state += tr(" · +%1 ms").arg(n.latencyMs);
        if (n.pendingErrors) state += tr(" · %1 injection(s)").arg(n.pendingErrors);
        auto* item = new QTreeWidgetItem(
            nodes,
            {tr("node %1").arg(n.id), QStringLiteral("%1:%2").arg(n.host).arg(n.port), state});
        item->setForeground(2, n.up ? QColor(0x1f, 0x9d, 0x5c) : QColor(0xd6, 0x33, 0x33));
    }
    auto* topics = new QTreeWidgetItem(tree_, {tr("Topics (%1)").arg(info.topics.size())});
    for (const auto& t : info.topics) {
        int offline = 0;
        for (const auto& pl : t.partitions)
            offline += pl.second < 0;
        QStringList topicState;
        if (offline) topicState << tr("%1 offline").arg(offline);
        if (const QString ps = producerTopicState(t.name, int(t.partitions.size())); !ps.isEmpty())
            topicState << ps;
        auto* ti = new QTreeWidgetItem(
            topics, {t.name, tr("%n partition(s)", nullptr, int(t.partitions.size())),
                     topicState.join(QStringLiteral(" · "))});
        ti->setToolTip(2, tr("Available: partitions whose leader the producer's Metadata knows "
                             "(the legacy partitioner picks among these only)."));
        for (const auto& [p, leader] : t.partitions) {
            const QString ps = producerState(t.name, p, leader);
            QStringList state;
            if (leader < 0) state << tr("offline");
            if (!ps.isEmpty()) state << ps;
            auto* pi = new QTreeWidgetItem(
                ti, {QStringLiteral("P%1").arg(p),
                     leader >= 0 ? tr("leader node %1").arg(leader) : tr("no leader"),
                     state.join(QStringLiteral(" · "))});
            if (!ps.isEmpty())
                pi->setToolTip(
                    2,
                    tr("The cluster: %1. The producer's Metadata: %2 (e = leader epoch). It "
                       "sends this partition's batches to the leader it knows; a stale one "
                       "answers NOT_LEADER_OR_FOLLOWER and the producer refreshes.")
                        .arg(leader >= 0 ? tr("leader node %1").arg(leader) : tr("no leader"), ps));
            if (leader < 0)
                pi->setForeground(2, QColor(0xd6, 0x33, 0x33));
            else if (!ps.isEmpty() && !ps.startsWith(QStringLiteral("✓")))
                pi->setForeground(2, QColor(0xb9, 0x77, 0x0e));  // behind the cluster
            else if (!ps.isEmpty())
                pi->setForeground(2, QColor(0x55, 0x5f, 0x6b));
        }
        if (expanded.contains(t.name) || (firstTime && info.topics.size() <= 3))
            ti->setExpanded(true);
    }
    nodes->setExpanded(true);
    topics->setExpanded(true);
    fitTreeToRows();
}

void ClusterPanel::fitTreeToRows() {
    int rows = 0;
    for (QTreeWidgetItemIterator it(tree_); *it; ++it) {
        const QTreeWidgetItem* parent = (*it)->parent();
        bool shown = true;
        for (; parent && shown; parent = parent->parent())
            shown = parent->isExpanded();
        rows += shown;
    }
    rows = std::clamp(rows, 4, kMaxTreeRows);
    // Rows are uniform: the first one's height (the font's before the tree has items).
    const int first = tree_->sizeHintForRow(0);
    const int rowHeight = first > 0 ? first : tree_->fontMetrics().height() + 2;
    const int header = tree_->header()->isHidden() ? 0 : tree_->header()->sizeHint().height();
    tree_->setMinimumHeight(header + rows * rowHeight + 2 * tree_->frameWidth());
}

}  // namespace bs::ui
