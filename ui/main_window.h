#pragma once

#include <QMainWindow>

#include "app_controller.h"
#include "theme.h"

class QLabel;
class QProgressBar;
class QAction;
class QDockWidget;

namespace bs::ui {

class AccumulatorModel;
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
class LogPanel;
class LogRelay;
class LiveLabel;
class TopicInspector;

// The main window: the Record accumulator view in the centre, every other screen in a dock
// (layout saved with QSettings), toolbar Pause / Step / Flush, status bar with throughput and
// buffer use. Owns the models; the controller is shared with main() (and tests).
class MainWindow : public QMainWindow {
    Q_OBJECT
  public:
    explicit MainWindow(AppController* controller, QWidget* parent = nullptr);
    ~MainWindow() override;

    // Restores window layout and theme from QSettings (not done in tests/screenshots).
    void restoreLayout();
    void setTheme(Theme theme);

    AppController* controller() const { return controller_; }
    AccumulatorModel* accumulatorModel() const { return accModel_; }
    SenderModel* senderModel() const { return senderModel_; }
    DeliveriesModel* deliveriesModel() const { return deliveries_; }
    DistributionModel* distributionModel() const { return distribution_; }
    MetricsHistory* metricsHistory() const { return metrics_; }
    RecordComposer* composer() const { return composer_; }
    ExplainPanel* explainPanel() const { return explain_; }
    ClusterPanel* clusterPanel() const { return cluster_; }
    DeliveriesPanel* deliveriesPanel() const { return deliveriesPanel_; }
    LogPanel* logPanel() const { return log_; }
    AccumulatorView* accumulatorView() const { return accView_; }
    SenderView* senderView() const { return senderView_; }
    LogRelay* logRelay() const { return relay_; }
    TopicInspector* topicInspector() const { return inspector_; }
    QDockWidget* inspectorDock() const { return inspectorDock_; }
    QAction* pauseAction() const { return pause_; }
    QAction* stepAction() const { return step_; }
    QAction* flushAction() const { return flush_; }
    QString batchDetails() const;

    // Splits the docks in the default proportions of the current window size.
    void applyDefaultSizes();

  protected:
    void showEvent(QShowEvent* event) override;
    void closeEvent(QCloseEvent* event) override;
    void changeEvent(QEvent* event) override;

  private:
    void buildDocks();
    void buildActions();
    void wireController();
    void onConnected(const QString& description);
    void onSnapshot(const std::shared_ptr<const producer::ProducerSnapshot>& s);
    void onEvents(const std::vector<producer::Event>& events);
    void onMetrics(const std::vector<producer::Metric>& metrics, qint64 timeMs);
    void onCluster(const ClusterInfo& info);
    void showConnectionDialog();
    void showSettingsDialog();
    void updateBatchDetails();
    void updateRequestDetails();
    void clearViews();
    QDockWidget* addDock(const QString& title, const QString& name, QWidget* w,
                         Qt::DockWidgetArea area);

    AppController* controller_;
    AccumulatorModel* accModel_;
    SenderModel* senderModel_;
    DeliveriesModel* deliveries_;
    DistributionModel* distribution_;
    MetricsHistory* metrics_;
    LogRelay* relay_;

    AccumulatorView* accView_ = nullptr;
    SenderView* senderView_ = nullptr;
    RecordComposer* composer_ = nullptr;
    ExplainPanel* explain_ = nullptr;
    ClusterPanel* cluster_ = nullptr;
    DeliveriesPanel* deliveriesPanel_ = nullptr;
    DistributionView* distView_ = nullptr;
    MetricsPanel* metricsPanel_ = nullptr;
    LogPanel* log_ = nullptr;
    TopicInspector* inspector_ = nullptr;
    QLabel* batchDetails_ = nullptr;
    QLabel* requestDetails_ = nullptr;
    LiveLabel* accSummary_ = nullptr;
    LiveLabel* senderSummary_ = nullptr;
    QMenu* viewMenu_ = nullptr;
    QDockWidget *composerDock_ = nullptr, *explainDock_ = nullptr, *clusterDock_ = nullptr,
                *senderDock_ = nullptr, *metricsDock_ = nullptr, *logDock_ = nullptr,
                *deliveriesDock_ = nullptr, *distDock_ = nullptr, *inspectorDock_ = nullptr;
    bool layoutRestored_ = false;
    bool sizedOnce_ = false;

    QAction *pause_ = nullptr, *step_ = nullptr, *flush_ = nullptr;
    QLabel* stateLabel_ = nullptr;
    QLabel* throughput_ = nullptr;
    QProgressBar* buffer_ = nullptr;

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
