#pragma once

#include <QMainWindow>

#include "app_controller.h"
#include "theme.h"

class QLabel;
class QAction;
class QDockWidget;
class QTimer;
class QToolButton;

namespace bs::ui {

class AccumulatorModel;
class LiveProgressBar;
class ConsumerGroupsView;
class SenderModel;
class DeliveriesModel;
class DistributionModel;
class MetricsHistory;
class AccumulatorView;
class SenderView;
class RecordComposer;
class ExplainPanel;
class ClusterPanel;
class DeliveriesPanel;
class DistributionView;
class MetricsPanel;
class LessonsPanel;
class LogPanel;
class LogRelay;
class LiveLabel;
class BufferPoolView;
class TopicInspector;
class SendPath;
class PasswordStore;
class ClusterSwitcher;

// The main window: the Record accumulator view in the centre, every other screen in a dock
// (layout saved with QSettings), toolbar Pause / Step / Flush, status bar with throughput and
// buffer use. Owns the models; the controller is shared with main() (and tests), which find the
// window's parts by type or object name (the docks', actions' and labels' names are set here).
class MainWindow : public QMainWindow {
    Q_OBJECT
  public:
    explicit MainWindow(AppController* controller, QWidget* parent = nullptr);
    ~MainWindow() override;

    // Restores window layout and theme from QSettings (not done in tests/screenshots).
    void restoreLayout();
    void setTheme(Theme theme);

    // Splits the docks in the default proportions of the current window size.
    void applyDefaultSizes();

  protected:
    void showEvent(QShowEvent* event) override;
    void closeEvent(QCloseEvent* event) override;
    void changeEvent(QEvent* event) override;

  private:
    void buildDocks();
    void buildActions();
    void wireController(const SnapshotPoller* poller);
    void onConnected(const QString& description);
    void showConnecting();
    void updateThroughput();
    void onSnapshot(const std::shared_ptr<const producer::ProducerSnapshot>& s);
    void onEvents(const std::vector<producer::Event>& events);
    void onMetrics(const std::vector<producer::Metric>& metrics, qint64 timeMs);
    void onCluster(const ClusterInfo& info);
    void showConnectionDialog();
    // Connects to the saved cluster `name` (its password from the keyring) and remembers it.
    void switchToCluster(const QString& name);
    void showSettingsDialog();
    void updateBatchDetails();
    void updateRequestDetails();
    void clearViews();
    QDockWidget* addDock(const QString& title, const QString& name, QWidget* w,
                         Qt::DockWidgetArea area);

    AppController* controller_;
    ClusterSession* session_;
    SendService* sends_;
    AccumulatorModel* accModel_;
    SenderModel* senderModel_;
    DeliveriesModel* deliveries_;
    DistributionModel* distribution_;
    MetricsHistory* metrics_;
    LogRelay* relay_;
    PasswordStore* passwords_;

    AccumulatorView* accView_ = nullptr;
    LessonsPanel* lessons_ = nullptr;
    SenderView* senderView_ = nullptr;
    RecordComposer* composer_ = nullptr;
    ExplainPanel* explain_ = nullptr;
    ClusterPanel* cluster_ = nullptr;
    DeliveriesPanel* deliveriesPanel_ = nullptr;
    DistributionView* distView_ = nullptr;
    MetricsPanel* metricsPanel_ = nullptr;
    LogPanel* log_ = nullptr;
    TopicInspector* inspector_ = nullptr;
    ConsumerGroupsView* groupsView_ = nullptr;
    SendPath* sendPath_ = nullptr;  // the Send path and Request frame docks
    QLabel* batchDetails_ = nullptr;
    QLabel* requestDetails_ = nullptr;
    LiveLabel* accSummary_ = nullptr;
    BufferPoolView* bufferPool_ = nullptr;
    LiveLabel* senderSummary_ = nullptr;
    QMenu* viewMenu_ = nullptr;
    QDockWidget *composerDock_ = nullptr, *explainDock_ = nullptr, *clusterDock_ = nullptr,
                *senderDock_ = nullptr, *metricsDock_ = nullptr, *logDock_ = nullptr,
                *lessonsDock_ = nullptr, *deliveriesDock_ = nullptr, *distDock_ = nullptr,
                *inspectorDock_ = nullptr, *groupsDock_ = nullptr;
    bool layoutRestored_ = false;
    bool sizedOnce_ = false;

    QAction *pause_ = nullptr, *step_ = nullptr, *flush_ = nullptr;
    QLabel* stateLabel_ = nullptr;
    QToolButton* cancelConnect_ = nullptr;  // shown while a connection attempt runs
    QTimer* connectTick_ = nullptr;         // refreshes the attempt's elapsed time
    ClusterSwitcher* switcher_ = nullptr;   // the saved clusters, in the toolbar
    QString connectedTo_;                   // description of the connection in use
    QString shownBootstrap_;                // the views show this connection's pipeline
    QLabel* throughput_ = nullptr;
    LiveProgressBar* buffer_ = nullptr;

    // The batch / request the user clicked (details follow it live).
    QString selTopic_;
    int selPartition_ = -1;
    quint64 selBatch_ = 0;
    int selNode_ = -1;
    int selCorrelation_ = -1;
    QString lastTopics_;
    Theme theme_ = Theme::System;
};

}  // namespace bs::ui
