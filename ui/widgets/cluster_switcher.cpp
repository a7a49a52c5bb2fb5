#include "widgets/cluster_switcher.h"

#include "saved_clusters.h"

namespace bs::ui {

ClusterSwitcher::ClusterSwitcher(QWidget* parent) : QComboBox(parent) {
    setObjectName(QStringLiteral("clusterSwitcher"));
    setToolTip(tr("Switch to a saved cluster (save clusters in Connection…, Ctrl+K)"));
    setSizeAdjustPolicy(QComboBox::AdjustToContents);
    setMinimumContentsLength(10);
    connect(this, &QComboBox::activated, this, [this](int index) {
        if (index > 0) Q_EMIT clusterChosen(itemText(index));
    });
    refresh();
}

void ClusterSwitcher::refresh() {
    QSettings s;
    const QStringList names = saved_clusters::names(s);
    const QSignalBlocker block(this);
    clear();
    addItem(tr("(unsaved)"));
    addItems(names);
    const int at = findText(saved_clusters::lastUsed(s));
    setCurrentIndex(at > 0 ? at : 0);
    setEnabled(!names.isEmpty());
}

}  // namespace bs::ui
