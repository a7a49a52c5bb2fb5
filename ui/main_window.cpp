#include "main_window.h"

#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QScreen>
#include <QScrollArea>
#include <QScrollBar>
#include <QSettings>
#include <QStatusBar>
#include <QTimer>
#include <QToolBar>
#include <QToolButton>
#include <QVBoxLayout>
#include <cmath>
#include <set>

#include "demo_runner.h"
#include "dialogs/connection_dialog.h"
#include "dialogs/import_dialog.h"
#include "dialogs/producer_settings_dialog.h"
#include "icons.h"
#include "lessons/lesson.h"
#include "lessons/lessons_panel.h"
#include "log_sink.h"
#include "models/accumulator_model.h"
#include "models/batch_records.h"
#include "models/deliveries_model.h"
#include "models/distribution_model.h"
#include "models/event_log.h"
#include "models/metrics_history.h"
#include "models/sender_model.h"
#include "models/timeline_model.h"
#include "saved_clusters.h"
#include "send_path.h"
#include "session/password_store.h"
#include "widgets/accumulator_view.h"
#include "widgets/buffer_pool_view.h"
#include "widgets/cluster_panel.h"
#include "widgets/cluster_switcher.h"
#include "widgets/consumer_groups_view.h"
#include "widgets/deliveries_panel.h"
#include "widgets/distribution_view.h"
#include "widgets/explain_panel.h"
#include "widgets/live_label.h"
#include "widgets/live_progress_bar.h"
#include "widgets/log_panel.h"
#include "widgets/metrics_panel.h"
#include "widgets/record_composer.h"
#include "widgets/request_frame_view.h"
#include "widgets/saved_messages_panel.h"
#include "widgets/sender_view.h"
#include "widgets/state_legend.h"
#include "widgets/timeline_panel.h"
#include "widgets/topic_inspector.h"

namespace bs::ui {

namespace {
QString rate(double v, const QString& unit) {
    if (std::isnan(v)) v = 0;
    if (v >= 1e6) return QStringLiteral("%1 M%2").arg(v / 1e6, 0, 'f', 2).arg(unit);
    if (v >= 1e3) return QStringLiteral("%1 k%2").arg(v / 1e3, 0, 'f', 1).arg(unit);
    return QStringLiteral("%1 %2").arg(v, 0, 'f', v < 10 ? 1 : 0).arg(unit);
}

// A dock body: a one-line summary/legend on top, the view in a scroll area, details below.
QWidget* framed(QWidget* header, QWidget* view, QLabel* footer) {
    auto* w = new QWidget;
    auto* col = new QVBoxLayout(w);
    col->setContentsMargins(4, 2, 4, 4);
    col->setSpacing(3);
    if (header) col->addWidget(header);
    auto* scroll = new QScrollArea;
    scroll->setWidget(view);
    // The view fills the viewport and sets its minimum size to its content: scroll bars appear
    // only when the lanes do not fit.
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::StyledPanel);
    col->addWidget(scroll, 1);
    if (footer) col->addWidget(footer);
    return w;
}

// A dock body that may be taller than its dock in a small window: it scrolls vertically
// instead of being cut off (the explain panel lost its last rows).
QScrollArea* scrolled(QWidget* body) {
    auto* scroll = new QScrollArea;
    scroll->setWidget(body);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    // Never narrower than the body: it would be cut on the right, with no bar to reach it.
    scroll->setMinimumWidth(body->minimumSizeHint().width() +
                            scroll->verticalScrollBar()->sizeHint().width());
    return scroll;
}

// The default heights of the Sender dock and the metrics / inspector tabs below it in a window
// `h` px high: a short one (768 px) gives the Sender room for three brokers.
QList<int> senderAndMetricsHeights(int h) {
    return {h * 27 / 100, h * 25 / 100};
}

QLabel* detailsLabel() {
    auto* l = new QLabel;
    l->setWordWrap(true);
    l->setTextInteractionFlags(Qt::TextSelectableByMouse);
    l->setMinimumHeight(l->fontMetrics().height() + 4);
    return l;
}
}  // namespace

MainWindow::MainWindow(AppController* controller, QWidget* parent)
    : QMainWindow(parent),
      controller_(controller),
      session_(&controller->session()),
      sends_(&controller->sends()),
      accModel_(new AccumulatorModel(this)),
      senderModel_(new SenderModel(this)),
      deliveries_(new DeliveriesModel(this)),
      distribution_(new DistributionModel(this)),
      metrics_(new MetricsHistory(this)),
      relay_(new LogRelay(this)),
      passwords_(new PasswordStore(this)) {
    setWindowTitle(tr("Batchscope"));
    setWindowIcon(makeIcon(IconKind::App));
    setObjectName(QStringLiteral("MainWindow"));
    setDockOptions(QMainWindow::AnimatedDocks | QMainWindow::AllowTabbedDocks |
                   QMainWindow::AllowNestedDocks);
    setCorner(Qt::BottomLeftCorner, Qt::LeftDockWidgetArea);
    setCorner(Qt::BottomRightCorner, Qt::RightDockWidgetArea);
    buildDocks();
    buildActions();
    wireController(&controller->poller());
    relay_->install();
    relay_->post(tr("Batchscope started"));
    resize(1600, 1000);
}

MainWindow::~MainWindow() = default;

QDockWidget* MainWindow::addDock(const QString& title, const QString& name, QWidget* w,
                                 Qt::DockWidgetArea area) {
    auto* dock = new QDockWidget(title, this);
    dock->setObjectName(name);
    dock->setWidget(w);
    addDockWidget(area, dock);
    return dock;
}

void MainWindow::buildDocks() {
    // Centre: the Record accumulator.
    accView_ = new AccumulatorView(accModel_, this);
    accView_->setObjectName(QStringLiteral("accumulatorView"));
    accSummary_ = new LiveLabel(tr("100000 records in 1000 batches · running"));
    batchDetails_ = detailsLabel();
    batchDetails_->setObjectName(QStringLiteral("batchDetails"));
    batchDetails_->setText(tr("Click a batch for its details."));
    // Title and summary, then the legend on a line of its own (five entries do not fit beside
    // them in the default window; the legend wraps when narrower still).
    auto* accHeader = new QWidget;
    auto* accRows = new QVBoxLayout(accHeader);
    accRows->setContentsMargins(0, 0, 0, 0);
    accRows->setSpacing(0);
    auto* accHead = new QHBoxLayout;
    auto* accTitle = new QLabel(tr("<b>Record accumulator</b> — one lane per partition"));
    accHead->addWidget(accTitle);
    accHead->addStretch(1);
    accHead->addWidget(accSummary_);
    accRows->addLayout(accHead);
    accRows->addWidget(new StateLegend(StateLegend::Kind::Accumulator));
    bufferPool_ = new BufferPoolView;
    accRows->addWidget(bufferPool_);
    setCentralWidget(framed(accHeader, accView_, batchDetails_));

    composer_ = new RecordComposer(session_, sends_);
    auto* composerDock = addDock(tr("Record composer"), QStringLiteral("composer"),
                                 scrolled(composer_), Qt::LeftDockWidgetArea);
    explain_ = new ExplainPanel;
    auto* explainDock = addDock(tr("Partitioner · explain"), QStringLiteral("explain"),
                                scrolled(explain_), Qt::LeftDockWidgetArea);
    cluster_ = new ClusterPanel(session_);
    auto* clusterDock = addDock(tr("Cluster"), QStringLiteral("cluster"), scrolled(cluster_),
                                Qt::LeftDockWidgetArea);
    // Saved messages: a tab beside the explain panel (the composer keeps its height).
    auto* savedDock = addDock(tr("Saved messages"), QStringLiteral("saved"),
                              scrolled(new SavedMessagesPanel(composer_)), Qt::LeftDockWidgetArea);
    tabifyDockWidget(explainDock, savedDock);
    explainDock->raise();

    senderView_ = new SenderView(senderModel_, this);
    senderSummary_ = new LiveLabel(tr("5 in flight · 100000 completed · 0 retries · 0 failed"));
    requestDetails_ = detailsLabel();
    requestDetails_->setObjectName(QStringLiteral("requestDetails"));
    requestDetails_->setText(tr("Click a request for its details."));
    auto* sHeader = new QWidget;
    auto* sHead = new QHBoxLayout(sHeader);
    sHead->setContentsMargins(0, 0, 0, 0);
    sHead->addWidget(new StateLegend(StateLegend::Kind::Sender), 1);
    sHead->addWidget(senderSummary_);
    senderDock_ =
        addDock(tr("Sender · in-flight ProduceRequests per broker"), QStringLiteral("sender"),
                framed(sHeader, senderView_, requestDetails_), Qt::BottomDockWidgetArea);

    // Bottom area: the Sender, then the metrics, each across the centre's full width.
    metricsPanel_ = new MetricsPanel(metrics_);
    metricsDock_ = addDock(tr("Metrics (producer-metrics)"), QStringLiteral("metrics"),
                           metricsPanel_, Qt::BottomDockWidgetArea);
    splitDockWidget(senderDock_, metricsDock_, Qt::Vertical);
    // The inspector is wide and used now and then: a tab behind the metrics.
    inspector_ = new TopicInspector(session_);
    inspectorDock_ = addDock(tr("Topic inspector"), QStringLiteral("inspector"), inspector_,
                             Qt::BottomDockWidgetArea);
    tabifyDockWidget(metricsDock_, inspectorDock_);
    // Consumer groups and their lag, beside the inspector: it reads only while its tab shows.
    groupsView_ = new ConsumerGroupsView(session_);
    groupsDock_ = addDock(tr("Consumer groups"), QStringLiteral("consumerGroupsDock"), groupsView_,
                          Qt::BottomDockWidgetArea);
    tabifyDockWidget(inspectorDock_, groupsDock_);
    // The send path, step by step: in front, the metrics and the inspector a tab away.
    sendPath_ = new SendPath(session_, this);
    auto* sendPathDock = addDock(tr("Send path"), QStringLiteral("sendPath"), sendPath_->panel(),
                                 Qt::BottomDockWidgetArea);
    tabifyDockWidget(metricsDock_, sendPathDock);
    sendPathDock->raise();
    // The inspector needs rows and a detail pane: raised, its tab takes most of the bottom
    // area from the Sender; the metrics' tab gives it back.
    connect(inspectorDock_, &QDockWidget::visibilityChanged, this, [this](bool visible) {
        if (visible && !inspectorDock_->isFloating() &&
            !tabifiedDockWidgets(senderDock_).contains(inspectorDock_))
            resizeDocks({senderDock_, inspectorDock_}, {height() * 18 / 100, height() * 48 / 100},
                        Qt::Vertical);
    });
    // The view's own context: the signal also comes while the window is being destroyed.
    connect(groupsDock_, &QDockWidget::visibilityChanged, groupsView_,
            &ConsumerGroupsView::setActive);
    connect(groupsDock_, &QDockWidget::visibilityChanged, this, [this](bool visible) {
        if (visible && !groupsDock_->isFloating() &&
            !tabifiedDockWidgets(senderDock_).contains(groupsDock_))
            resizeDocks({senderDock_, groupsDock_}, {height() * 18 / 100, height() * 48 / 100},
                        Qt::Vertical);
    });
    connect(metricsDock_, &QDockWidget::visibilityChanged, this, [this](bool visible) {
        if (visible && sizedOnce_ && !metricsDock_->isFloating() &&
            !tabifiedDockWidgets(senderDock_).contains(metricsDock_))
            resizeDocks({senderDock_, metricsDock_}, senderAndMetricsHeights(height()),
                        Qt::Vertical);
    });

    // Right column: deliveries, where they landed, and the log.
    deliveriesPanel_ = new DeliveriesPanel(deliveries_);
    deliveriesDock_ = addDock(tr("Deliveries"), QStringLiteral("deliveries"), deliveriesPanel_,
                              Qt::RightDockWidgetArea);
    distView_ = new DistributionView(distribution_);
    distDock_ = addDock(tr("Partition distribution"), QStringLiteral("distribution"), distView_,
                        Qt::RightDockWidgetArea);
    log_ = new LogPanel;
    logDock_ = addDock(tr("Log"), QStringLiteral("log"), log_, Qt::RightDockWidgetArea);
    auto* frameDock = addDock(tr("Request frame"), QStringLiteral("requestFrame"),
                              sendPath_->frameView(), Qt::RightDockWidgetArea);
    tabifyDockWidget(logDock_, frameDock);
    lessons_ = new LessonsPanel(controller_, this);
    lessonsDock_ =
        addDock(tr("Lessons"), QStringLiteral("lessons"), lessons_, Qt::RightDockWidgetArea);
    tabifyDockWidget(logDock_, lessonsDock_);
    logDock_->raise();
    composerDock_ = composerDock;
    explainDock_ = explainDock;
    clusterDock_ = clusterDock;

    connect(accView_, &AccumulatorView::batchClicked, this,
            [this](const QString& topic, int partition, quint64 id) {
                selTopic_ = topic;
                selPartition_ = partition;
                selBatch_ = id;
                updateBatchDetails();
            });
    connect(senderView_, &SenderView::requestClicked, this, [this](int node, int corr) {
        selNode_ = node;
        selCorrelation_ = corr;
        updateRequestDetails();
        sendPath_->showRequestFrame(node, corr);
    });
    // A Send path line selects what it names in the accumulator or the Sender view.
    connect(sendPath_, &SendPath::batchChosen, this,
            [this](const QString& topic, int partition, quint64 id) {
                selTopic_ = topic;
                selPartition_ = partition;
                selBatch_ = id;
                accView_->selectBatch(id);
                batchDetails_->setText(tr("%1-%2 batch %3").arg(topic).arg(partition).arg(id));
                updateBatchDetails();
            });
    connect(sendPath_, &SendPath::requestChosen, this, [this](int node, int corr) {
        selNode_ = node;
        selCorrelation_ = corr;
        senderView_->selectRequest(corr);
        updateRequestDetails();
    });
    connect(composer_, &RecordComposer::keyChanged, this,
            [this](const QString& topic, const std::optional<std::vector<uint8_t>>& key) {
                explain_->setExplicitPartition(composer_->draft().partition);
                session_->requestExplain(topic, key);
                distView_->setTopic(topic);
            });
    connect(explain_, &ExplainPanel::partitionerChosen, this, [this](const QString& cls) {
        PropertyMap props = session_->producerProps();
        if (cls.isEmpty() || cls == QLatin1String("builtin"))
            props.erase("partitioner.class");
        else
            props["partitioner.class"] = cls.toStdString();
        const QString was = QString::fromStdString(session_->config().partitionerClass);
        const auto shown = [](const QString& c) {
            return c.isEmpty() ? QStringLiteral("builtin") : c;
        };
        relay_->post(
            tr("partitioner.class=%1: flushing and recreating the producer").arg(shown(cls)));
        // A KafkaProducer reads partitioner.class once, when it is built (as Java's): a switch
        // is a new producer, which the timeline says in order with the events.
        sendPath_->model()->addNote(
            tr("partitioner.class %1 -> %2: flush(), close(), new KafkaProducer; its partitioner "
               "starts with no sticky partition")
                .arg(shown(was), shown(cls)));
        session_->applyProducerProps(props);
    });
    connect(relay_, &LogRelay::lines, log_, &LogPanel::append);
    connect(deliveriesPanel_, &DeliveriesPanel::recordRequested, this,
            [this](const QString& topic, int partition, qint64 offset) {
                inspectorDock_->show();
                inspectorDock_->raise();
                inspector_->showRecord(topic, partition, offset);
            });
    // Send again…: the record into the composer, its topic field ready for another topic.
    connect(deliveriesPanel_, &DeliveriesPanel::replayRequested, inspector_,
            &TopicInspector::replayRecord);
    connect(inspector_, &TopicInspector::replayRequested, this, [this](const RecordDraft& d) {
        composer_->setDraft(d);
        composerDock_->show();
        composerDock_->raise();
        if (auto* topic = composer_->findChild<QWidget*>(QStringLiteral("topic")))
            topic->setFocus();
    });
}

void MainWindow::buildActions() {
    auto* tb = addToolBar(tr("Pipeline"));
    tb->setObjectName(QStringLiteral("pipelineToolbar"));
    tb->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    tb->setIconSize(QSize(18, 18));

    auto* send = composer_->sendAction();
    pause_ = new QAction(makeIcon(IconKind::Pause), tr("Pause sender"), this);
    pause_->setObjectName(QStringLiteral("pauseSender"));
    pause_->setCheckable(true);
    pause_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_P));
    pause_->setToolTip(tr("Freeze draining: batches pile up in the accumulator (Ctrl+P)"));
    step_ = new QAction(makeIcon(IconKind::Step), tr("Step"), this);
    step_->setObjectName(QStringLiteral("stepSender"));
    step_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_T));
    step_->setToolTip(
        tr("While paused: one sender iteration (Sender.runOnce), shown in the Send path (Ctrl+T)"));
    step_->setEnabled(false);  // only while paused
    flush_ = new QAction(makeIcon(IconKind::Flush), tr("Flush"), this);
    flush_->setObjectName(QStringLiteral("flush"));
    flush_->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_F));
    flush_->setToolTip(tr(
        "Resume the sender and send everything buffered now, ignoring linger.ms (Ctrl+Shift+F)"));
    auto* connectAct = new QAction(makeIcon(IconKind::Connect), tr("Connection…"), this);
    connectAct->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_K));
    auto* settingsAct = new QAction(makeIcon(IconKind::Settings), tr("Producer settings…"), this);
    settingsAct->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Comma));
    auto* clearAct = new QAction(makeIcon(IconKind::Clear), tr("Clear views"), this);
    clearAct->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_L));

    tb->addAction(send);
    tb->addSeparator();
    tb->addAction(pause_);
    tb->addAction(step_);
    tb->addAction(flush_);
    tb->addSeparator();
    tb->addAction(settingsAct);
    tb->addAction(connectAct);
    switcher_ = new ClusterSwitcher(tb);
    tb->addWidget(switcher_);
    connect(switcher_, &ClusterSwitcher::clusterChosen, this, &MainWindow::switchToCluster);
    tb->addAction(clearAct);

    connect(pause_, &QAction::toggled, session_, &ClusterSession::setSenderPaused);
    connect(step_, &QAction::triggered, session_, &ClusterSession::stepSender);
    connect(flush_, &QAction::triggered, this, [this] {
        relay_->post(session_->senderPaused()
                         ? tr("flush(): the sender was paused and is resumed to send everything "
                              "buffered (pause again to watch batches pile up)")
                         : tr("flush(): sending everything buffered"));
        session_->flush();
    });
    connect(connectAct, &QAction::triggered, this, &MainWindow::showConnectionDialog);
    connect(settingsAct, &QAction::triggered, this, &MainWindow::showSettingsDialog);
    connect(clearAct, &QAction::triggered, this, &MainWindow::clearViews);

    auto* file = menuBar()->addMenu(tr("&File"));
    file->addAction(connectAct);
    file->addAction(settingsAct);
    file->addSeparator();
    // Non-modal, one at a time: a running import goes on while the window is used.
    auto* importAct = file->addAction(tr("&Import records…"), this, [this] {
        auto* dlg = findChild<ImportDialog*>();
        if (!dlg) dlg = new ImportDialog(session_, sends_, this);
        dlg->show();
        dlg->raise();
    });
    importAct->setObjectName(QStringLiteral("importRecords"));
    file->addSeparator();
    auto* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);
    auto* prod = menuBar()->addMenu(tr("&Producer"));
    prod->addAction(send);
    prod->addAction(pause_);
    prod->addAction(step_);
    prod->addAction(flush_);
    viewMenu_ = menuBar()->addMenu(tr("&View"));
    for (auto* dock : findChildren<QDockWidget*>())
        viewMenu_->addAction(dock->toggleViewAction());
    viewMenu_->addSeparator();
    viewMenu_->addAction(clearAct);
    auto* themeMenu = viewMenu_->addMenu(tr("Theme"));
    auto* group = new QActionGroup(this);
    for (Theme t : {Theme::System, Theme::Light, Theme::Dark}) {
        auto* a = themeMenu->addAction(themeName(t));
        a->setCheckable(true);
        a->setData(themeName(t));
        group->addAction(a);
        connect(a, &QAction::triggered, this, [this, t] { setTheme(t); });
    }
    // Lessons: each a real experiment in this window (resources/lessons, docs/LESSONS.md).
    auto* lessonsMenu = menuBar()->addMenu(tr("&Lessons"));
    for (const Lesson& l : lessons_->lessons()) {
        auto* a = lessonsMenu->addAction(l.title);
        a->setToolTip(l.summary);
        connect(a, &QAction::triggered, this, [this, id = l.id] { lessons_->startLesson(id); });
    }
    auto* help = menuBar()->addMenu(tr("&Help"));
    // The demo, live: keyed and keyless records side by side, node 1 slowed (Help ▸ again stops).
    auto* demo = help->addAction(tr("Run the demo"));
    demo->setObjectName(QStringLiteral("runDemo"));
    demo->setCheckable(true);
    demo->setToolTip(
        tr("Keyed records (a repeat, 8/s) and keyless ones (3/s) sent side by side "
           "to the connection's topic, node 1 slowed: compare the partitioners"));
    connect(demo, &QAction::toggled, this, [this](bool on) {
        if (auto* running = findChild<DemoRunner*>(QStringLiteral("liveDemo"))) {
            running->stop();
            running->setObjectName(QString());
            running->deleteLater();
        }
        if (!on) return;
        auto* runner = new DemoRunner(session_, sends_, this, QString(), true, this);
        runner->setObjectName(QStringLiteral("liveDemo"));
        runner->start();
    });
    help->addAction(tr("About Batchscope"), this, [this] {
        QMessageBox::about(
            this, tr("About Batchscope"),
            tr("<b>Batchscope</b><br>Publish to Kafka and watch the producer pipeline: "
               "partitioner, RecordAccumulator batches, Sender requests, broker replies."));
    });

    stateLabel_ = new QLabel(tr("connecting…"));
    throughput_ = new QLabel;
    buffer_ = new LiveProgressBar;
    buffer_->setMaximumWidth(220);
    buffer_->setMaximumHeight(fontMetrics().height() + 2);
    buffer_->setRange(0, 100);
    buffer_->setFormat(tr("buffer %p% used"));
    buffer_->setToolTip(tr("buffer.memory in use by batches (BufferPool)"));
    stateLabel_->setObjectName(QStringLiteral("connectionState"));
    cancelConnect_ = new QToolButton;
    cancelConnect_->setObjectName(QStringLiteral("cancelConnect"));
    cancelConnect_->setText(tr("Cancel"));
    cancelConnect_->setToolTip(tr("Give up this connection attempt; the current one stays"));
    cancelConnect_->setVisible(false);
    connect(cancelConnect_, &QToolButton::clicked, session_, &ClusterSession::cancelConnect);
    connectTick_ = new QTimer(this);
    connectTick_->setInterval(500);
    connect(connectTick_, &QTimer::timeout, this, &MainWindow::showConnecting);
    throughput_->setObjectName(QStringLiteral("throughput"));
    statusBar()->addWidget(stateLabel_, 1);
    statusBar()->addWidget(cancelConnect_);
    statusBar()->addPermanentWidget(throughput_);
    statusBar()->addPermanentWidget(buffer_);
}

void MainWindow::wireController(const SnapshotPoller* poller) {
    connect(
        session_, &ClusterSession::connectionStarted, this,
        [this](const QString& description, int timeoutMs) {
            relay_->post(tr("connecting to %1 (gives up after %2 s)%3")
                             .arg(description)
                             .arg(timeoutMs / 1000.0)
                             .arg(session_->isConnected()
                                      ? tr("; %1 stays in use until it answers").arg(connectedTo_)
                                      : QString()));
            cancelConnect_->setVisible(true);
            connectTick_->start();
            showConnecting();
        });
    connect(session_, &ClusterSession::connected, this, &MainWindow::onConnected);
    connect(session_, &ClusterSession::connectionFailed, this, [this](const QString& e) {
        connectTick_->stop();
        cancelConnect_->setVisible(false);
        stateLabel_->setText(session_->isConnected()
                                 ? tr("Could not connect: %1 · still connected to %2 (%3)")
                                       .arg(e, connectedTo_, session_->bootstrapServers())
                                 : tr("Not connected: %1").arg(e));
        relay_->post(tr("connection failed: %1").arg(e));
    });
    connect(poller, &SnapshotPoller::snapshotReady, this, &MainWindow::onSnapshot);
    connect(poller, &SnapshotPoller::eventsReady, this, &MainWindow::onEvents);
    connect(poller, &SnapshotPoller::eventsDropped, sendPath_->model(), &TimelineModel::addLost);
    connect(poller, &SnapshotPoller::metricsReady, this, &MainWindow::onMetrics);
    connect(poller, &SnapshotPoller::clusterChanged, this, &MainWindow::onCluster);
    connect(sends_, &SendService::delivered, this, [this](const DeliveryTick& d) {
        deliveries_->add(d);
        distribution_->add(d);
        updateThroughput();
    });
    connect(sends_, &SendService::sendFailed, this,
            [this](const QString& e) { relay_->post(tr("send failed: %1").arg(e)); });
    connect(session_, &ClusterSession::explained, explain_, &ExplainPanel::showExplanation);
    connect(session_, &ClusterSession::senderPausedChanged, this, [this](bool p) {
        const QSignalBlocker block(pause_);
        pause_->setChecked(p);
        step_->setEnabled(p);
        relay_->post(p ? tr("sender paused: nothing new is drained") : tr("sender resumed"));
    });
    connect(session_, &ClusterSession::flushFinished, this,
            [this] { relay_->post(tr("flush() completed")); });
    connect(sends_, &SendService::repeatFinished, this, [this](qint64 n, bool cancelled) {
        const QString count = n == 1 ? tr("1 record") : tr("%1 records").arg(n);
        relay_->post(cancelled ? tr("repeat cancelled after %1").arg(count)
                               : tr("repeat finished: %1").arg(count));
    });
}

void MainWindow::showConnecting() {
    if (!session_->connecting()) {
        connectTick_->stop();
        cancelConnect_->setVisible(false);
        return;
    }
    const ConnectionSettings& s = session_->pendingConnection();
    QString text = tr("Connecting to %1… %2 s of %3 s")
                       .arg(s.describe())
                       .arg(session_->connectingForMs() / 1000)
                       .arg(s.connectTimeoutMs / 1000.0);
    if (session_->isConnected()) text += tr(" · still connected to %1").arg(connectedTo_);
    stateLabel_->setText(text);
}

void MainWindow::onConnected(const QString& description) {
    connectTick_->stop();
    cancelConnect_->setVisible(false);
    connectedTo_ = description;
    if (shownBootstrap_ != session_->bootstrapServers()) {
        // Another cluster: the old pipeline's lanes and requests do not belong to it.
        shownBootstrap_ = session_->bootstrapServers();
        accModel_->clear();
        senderModel_->clear();
    }
    const auto& cfg = session_->config();
    accModel_->setLimits(cfg.batchSize, cfg.lingerMs);
    senderModel_->setLimits(cfg.maxInFlightRequestsPerConnection, cfg.requestTimeoutMs);
    explain_->setPartitionerClass(QString::fromStdString(cfg.partitionerClass));
    composer_->setSchemaRegistryUrl(session_->schemaRegistryUrl());
    sendPath_->onConnected();
    stateLabel_->setText(tr("Connected to %1 (%2)").arg(description, session_->bootstrapServers()));
    setWindowTitle(tr("Batchscope — %1").arg(description));
    relay_->post(
        tr("connected: %1, bootstrap.servers=%2").arg(description, session_->bootstrapServers()));
    relay_->post(tr("producer: batch.size=%1 linger.ms=%2 acks=%3 enable.idempotence=%4 "
                    "max.in.flight=%5")
                     .arg(cfg.batchSize)
                     .arg(cfg.lingerMs)
                     .arg(cfg.acks == -1 ? QStringLiteral("all") : QString::number(cfg.acks))
                     .arg(cfg.enableIdempotence ? QStringLiteral("true") : QStringLiteral("false"))
                     .arg(cfg.maxInFlightRequestsPerConnection));
    for (const auto& [key, why] : cfg.adjustments)
        relay_->post(
            tr("config: %1: %2").arg(QString::fromStdString(key), QString::fromStdString(why)));
    const QString topic = session_->connection().topic;
    if (!topic.isEmpty()) {
        const int n = session_->partitionCount(topic);
        if (n > 0) {
            accModel_->setTopicPartitions(topic, n);
            distribution_->setTopicPartitions(topic, n);
        }
        distView_->setTopic(topic);
    }
    onCluster(session_->clusterInfo());
    composer_->validate();
}

void MainWindow::onSnapshot(const std::shared_ptr<const producer::ProducerSnapshot>& s) {
    accModel_->update(*s);
    senderModel_->update(*s);
    const auto& pool = s->bufferPool;
    // Whole percents, as shown.
    if (pool.totalMemory > 0)
        buffer_->setLiveValue(
            static_cast<int>(100 * (pool.totalMemory - pool.availableMemory) / pool.totalMemory));
    bufferPool_->setSnapshot(pool);
    cluster_->showProducerMetadata(s->metadata);
    accSummary_->setText(accModel_->summary());
    senderSummary_->setText(senderModel_->summary());
    if (selBatch_) updateBatchDetails();
    if (selCorrelation_ >= 0) updateRequestDetails();
}

void MainWindow::onEvents(const std::vector<producer::Event>& events) {
    senderModel_->applyEvents(events);
    sendPath_->applyEvents(events);
    const auto topicName = [this](uint32_t id) { return session_->topicName(id); };
    bool metadataUpdated = false;
    for (const auto& e : events) {
        metadataUpdated = metadataUpdated || e.type == producer::EventType::MetadataUpdated;
        if (auto line = eventLogLine(e, topicName)) relay_->post(*line);
    }
    if (metadataUpdated)
        for (const QString& line : session_->metadataChanges())
            relay_->post(line);
}

void MainWindow::onMetrics(const std::vector<producer::Metric>& metrics, qint64 timeMs) {
    metrics_->add(metrics, timeMs);
    updateThroughput();
}

void MainWindow::updateThroughput() {
    // The delivered count is the Deliveries dock's, updated on the same hand-off (it lagged when
    // it followed the metrics' slower clock) and cleared with it.
    throughput_->setText(
        tr("%1 · %2 · %3 delivered")
            .arg(rate(metrics_->latest(0), tr("rec/s")), rate(metrics_->latest(1), tr("B/s")))
            .arg(deliveries_->totalAdded() - deliveries_->totalErrors()));
}

void MainWindow::onCluster(const ClusterInfo& info) {
    cluster_->showInfo(info);
    std::set<int> down;
    QList<int> nodes;
    for (const auto& n : info.nodes) {
        nodes << n.id;
        if (!n.up) down.insert(n.id);
    }
    sendPath_->setNodes(nodes);
    senderModel_->setNodesDown(down);
    inspector_->setClusterInfo(info);
    QStringList topics;
    for (const auto& t : info.topics)
        topics << t.name;
    composer_->setTopics(topics);
    composer_->validate();  // a topic may have appeared or gone
    // Lanes for the topic being composed (and the connection's), even before any record.
    for (const auto& t : info.topics)
        for (const auto& [p, leader] : t.partitions) {
            auto downLeader = t.leaderDown.find(p);
            accModel_->setLeader(t.name, p, leader,
                                 downLeader == t.leaderDown.end() ? -1 : downLeader->second);
        }
    for (const QString& topic : {session_->connection().topic, composer_->draft().topic})
        for (const auto& t : info.topics)
            if (t.name == topic && t.partitions.size() <= 1000) {
                accModel_->setTopicPartitions(topic, static_cast<int>(t.partitions.size()));
                distribution_->setTopicPartitions(topic, static_cast<int>(t.partitions.size()));
            }
}

void MainWindow::updateBatchDetails() {
    if (!accModel_->lane(selTopic_, selPartition_)) return;
    if (auto text = accModel_->describeBatch(selTopic_, selPartition_, selBatch_)) {
        // What the batch holds: offsets count from the batch's base, which the broker assigns.
        if (auto producer = session_->producer())
            if (auto bytes =
                    producer->batchRecords({selTopic_.toStdString(), selPartition_}, selBatch_);
                bytes && !bytes->empty())
                *text +=
                    tr("<br>records (offset delta: key → value): %1").arg(batchRecordsText(*bytes));
        batchDetails_->setText(*text);
        return;
    }
    batchDetails_->setText(tr("%1-%2 batch %3 has left the accumulator (sent, or expired).")
                               .arg(selTopic_)
                               .arg(selPartition_)
                               .arg(selBatch_));
    selBatch_ = 0;
}

void MainWindow::updateRequestDetails() {
    if (selCorrelation_ < 0) return;
    if (auto text = senderModel_->describeRequest(selNode_, selCorrelation_)) {
        requestDetails_->setText(*text);
        return;
    }
    // Gone from the view: say so rather than keep describing it as if it were still there.
    requestDetails_->setText(tr("node %1 ProduceRequest #%2 completed and left the view.")
                                 .arg(selNode_)
                                 .arg(selCorrelation_));
    selCorrelation_ = -1;
}

void MainWindow::clearViews() {
    // Views only: the producer and its connection are left alone.
    deliveries_->clear();
    distribution_->clear();
    metrics_->clear();
    senderModel_->clear();
    sendPath_->clear();
    updateThroughput();
    relay_->post(tr("views cleared"));
}

void MainWindow::showConnectionDialog() {
    ConnectionDialog dlg(session_->connection(), this);
    dlg.setPasswordLookup([passwords = passwords_](const QString& account, auto found) {
        passwords->load(account, [found](const QString& pw, const QString&) { found(pw); });
    });
    if (dlg.exec() != QDialog::Accepted) return;
    const ConnectionSettings s = dlg.settings();
    QSettings settings;
    s.save(settings);
    if (s.usesSasl()) {
        // The keyring may prompt; the connection does not wait for it.
        passwords_->save(s.passwordAccount(), s.saslPassword, [relay = relay_](const QString& e) {
            relay->post(e.isEmpty() ? tr("SASL password saved in the system keyring")
                                    : tr("SASL password not saved: %1").arg(e));
        });
    }
    saved_clusters::setLastUsed(settings, dlg.chosenCluster());  // empty: an unsaved one
    switcher_->refresh();
    session_->connectTo(s, session_->producerProps());
}

void MainWindow::switchToCluster(const QString& name) {
    QSettings settings;
    auto c = saved_clusters::load(settings, name);
    if (!c) {
        relay_->post(tr("no saved cluster named '%1'").arg(name));
        switcher_->refresh();
        return;
    }
    c->save(settings);  // the connection the next start uses
    saved_clusters::setLastUsed(settings, name);
    if (!c->usesSasl()) {
        session_->connectTo(*c, session_->producerProps());
        return;
    }
    // The keyring may prompt: connect once it has answered.
    passwords_->load(c->passwordAccount(),
                     [this, c = *c](const QString& password, const QString& error) mutable {
                         if (!error.isEmpty())
                             relay_->post(tr("SASL password not in the keyring: %1").arg(error));
                         c.saslPassword = password;
                         session_->connectTo(c, session_->producerProps());
                     });
}

void MainWindow::showSettingsDialog() {
    ProducerSettingsDialog dlg(session_->producerProps(), session_->bootstrapServers(), this);
    if (dlg.exec() != QDialog::Accepted) return;
    const PropertyMap props = dlg.properties();
    QSettings settings;
    settings.remove(QStringLiteral("producer"));
    settings.beginGroup(QStringLiteral("producer"));
    for (const auto& [k, v] : props)
        settings.setValue(QString::fromStdString(k), QString::fromStdString(v));
    settings.endGroup();
    relay_->post(tr("producer settings changed: flushing and recreating the producer"));
    session_->applyProducerProps(props);
}

void MainWindow::applyDefaultSizes() {
    // Proportions of the default layout for the current window size.
    const int w = width(), h = height();
    // A short window (768 px) gives the composer and the Sender the height they need to show
    // Send and three brokers; the accumulator in the centre takes what is left.
    const bool shortWindow = h < 900;
    // Below 900 px the centre column cannot hold the accumulator, the Sender and the metrics at
    // readable heights: the Sender joins the metrics' tabs (raised), and the accumulator keeps
    // room for its lanes.
    if (shortWindow && !tabifiedDockWidgets(senderDock_).contains(metricsDock_)) {
        tabifyDockWidget(metricsDock_, senderDock_);
        senderDock_->raise();
    }
    // A narrow window (1366 px) keeps the sides slimmer so the Sender in the centre shows five
    // in-flight slots and the completions column without scrolling sideways.
    const bool narrowWindow = w < 1500;
    resizeDocks({composerDock_, deliveriesDock_},
                {w * (narrowWindow ? 23 : 25) / 100, w * (narrowWindow ? 23 : 24) / 100},
                Qt::Horizontal);
    resizeDocks({composerDock_, explainDock_, clusterDock_},
                shortWindow ? QList<int>{h * 50 / 100, h * 20 / 100, h * 30 / 100}
                            : QList<int>{h * 36 / 100, h * 22 / 100, h * 42 / 100},
                Qt::Vertical);
    resizeDocks({deliveriesDock_, distDock_, logDock_}, {h * 46 / 100, h * 27 / 100, h * 27 / 100},
                Qt::Vertical);
    if (shortWindow)
        resizeDocks({senderDock_}, {h * 42 / 100}, Qt::Vertical);
    else
        resizeDocks({senderDock_, metricsDock_}, senderAndMetricsHeights(h), Qt::Vertical);
}

void MainWindow::showEvent(QShowEvent* event) {
    QMainWindow::showEvent(event);
    if (!layoutRestored_ && !sizedOnce_) applyDefaultSizes();
    sizedOnce_ = true;
}

void MainWindow::restoreLayout() {
    QSettings s;
    if (!restoreGeometry(s.value(QStringLiteral("window/geometry")).toByteArray()) && screen()) {
        // First start: the default size, or the screen's free area when smaller (a 1366x768
        // laptop got a 1600x1000 window hanging off the screen).
        const QRect avail = screen()->availableGeometry();
        resize(size().boundedTo(avail.size()));
        move(avail.topLeft() +
             QPoint((avail.width() - width()) / 2, (avail.height() - height()) / 2));
    }
    layoutRestored_ = restoreState(s.value(QStringLiteral("window/state")).toByteArray());
    setTheme(themeFromName(s.value(QStringLiteral("window/theme")).toString()));
}

void MainWindow::setTheme(Theme theme) {
    theme_ = theme;
    applyTheme(theme);
    QSettings().setValue(QStringLiteral("window/theme"), themeName(theme));
}

void MainWindow::changeEvent(QEvent* event) {
    if (event->type() == QEvent::PaletteChange && metricsPanel_) metricsPanel_->applyPalette();
    QMainWindow::changeEvent(event);
}

void MainWindow::closeEvent(QCloseEvent* event) {
    QSettings s;
    s.setValue(QStringLiteral("window/geometry"), saveGeometry());
    s.setValue(QStringLiteral("window/state"), saveState());
    event->accept();
}

}  // namespace bs::ui
