#pragma once

#include <QComboBox>

namespace bs::ui {

// The toolbar's cluster switcher: the saved clusters (saved_clusters.h), the last used one
// shown; choosing another emits clusterChosen. Object name "clusterSwitcher". GUI thread.
class ClusterSwitcher : public QComboBox {
    Q_OBJECT
  public:
    explicit ClusterSwitcher(QWidget* parent = nullptr);
    // Rereads the saved clusters and shows the last used one ("(unsaved)" when none applies).
    void refresh();

  Q_SIGNALS:
    void clusterChosen(const QString& name);
};

}  // namespace bs::ui
