#include "demo_runner.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLineEdit>
#include <QPixmap>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>

#include "app_controller.h"
#include "log_sink.h"
#include "main_window.h"
#include "models/accumulator_model.h"
#include "models/deliveries_model.h"
#include "models/distribution_model.h"
#include "models/metrics_history.h"
#include "models/sender_model.h"
#include "models/timeline_model.h"
#include "widgets/deliveries_panel.h"
#include "widgets/explain_panel.h"
#include "widgets/record_composer.h"

namespace bs::ui {

namespace {
constexpr int kSlowNode = 1;
constexpr int kSlowNodeLatencyMs = 1200;
constexpr int kTimeoutMs = 60000;
constexpr int kMinRunMs = 9000;  // a few metric samples make the charts readable
}  // namespace

DemoRunner::DemoRunner(ClusterSession* session, SendService* sends, QWidget* window,
                       QString screenshotPath, bool demo, QObject* parent)
    : QObject(parent),
      session_(session),
      sends_(sends),
      window_(window),
      path_(std::move(screenshotPath)),
      demo_(demo) {}

DemoRunner::DemoRunner(AppController* controller, QWidget* window, QString screenshotPath,
                       bool demo, QObject* parent)
    : DemoRunner(&controller->session(), &controller->sends(), window, std::move(screenshotPath),
                 demo, parent) {}

std::map<std::string, std::string> DemoRunner::demoProducerProps() {
    // A long linger and small batches: batches are seen filling and aging in the accumulator.
    return {{"linger.ms", "2500"}, {"batch.size", "1024"}};
}

void DemoRunner::start() {
    clock_.start();
    connect(session_, &ClusterSession::connected, this, &DemoRunner::onConnected);
    if (path_.isEmpty()) {
        if (session_->isConnected()) onConnected();
        return;
    }
    connect(&check_, &QTimer::timeout, this, &DemoRunner::tick);
    check_.start(100);
}

void DemoRunner::stop() {
    keyless_.stop();
    check_.stop();
    sends_->cancelRepeat();
    if (started_ && demo_ && session_->embedded()) (void)session_->setNodeLatency(kSlowNode, 0);
    if (started_ && demo_) window_->findChild<LogRelay*>()->post(tr("demo stopped"));
    started_ = false;
}

void DemoRunner::onConnected() {
    if (started_) return;
    started_ = true;
    if (!demo_) return;
    ClusterSession* c = session_;
    window_->findChild<LogRelay*>()->post(
        tr("demo: node %1 slowed by %2 ms; keyed records at 8/s, keyless at 3/s")
            .arg(kSlowNode)
            .arg(kSlowNodeLatencyMs));
    if (c->embedded()) (void)c->setNodeLatency(kSlowNode, kSlowNodeLatencyMs);
    // The composer filled in as a user would (its fields by object name).
    auto* comp = window_->findChild<RecordComposer*>();
    comp->findChild<QComboBox*>(QStringLiteral("keySerializer"))
        ->setCurrentText(QStringLiteral("string"));
    comp->findChild<QLineEdit*>(QStringLiteral("key"))->setText(QStringLiteral("user-${n}"));
    comp->findChild<QComboBox*>(QStringLiteral("valueSerializer"))
        ->setCurrentText(QStringLiteral("json"));
    comp->findChild<QPlainTextEdit*>(QStringLiteral("value"))
        ->setPlainText(QStringLiteral("{\"order\": ${n}, \"item\": \"book\"}"));
    comp->findChild<QSpinBox*>(QStringLiteral("repeatCount"))->setValue(100000);
    comp->findChild<QDoubleSpinBox*>(QStringLiteral("repeatRate"))->setValue(8);
    comp->startRepeat();
    // Keyless records in parallel: the sticky partitioner fills one batch at a time.
    keyless_.setInterval(333);
    SendService* sends = sends_;
    connect(&keyless_, &QTimer::timeout, this, [c, sends] {
        RecordDraft d;
        d.topic = c->connection().topic;
        d.keySerializer = QStringLiteral("null");
        d.valueSerializer = QStringLiteral("string");
        d.valueText = QStringLiteral("keyless click event ${time}");
        sends->send(d);
    });
    keyless_.start();
}

QStringList DemoRunner::missing() const {
    QStringList m;
    if (!session_->isConnected()) return {QStringLiteral("connection")};
    if (!demo_) return m;
    const auto* deliveries = window_->findChild<DeliveriesModel*>();
    if (deliveries->rowCount() < 5) m << QStringLiteral("deliveries");
    // Both kinds of record went out side by side (neither waits for the other's sends).
    bool keyed = false, keyless = false;
    for (int r = 0; r < deliveries->rowCount() && !(keyed && keyless); ++r) {
        const Delivery& d = deliveries->at(r);
        if (!d.ok()) continue;
        (d.key == QLatin1String("null") ? keyless : keyed) = true;
    }
    if (!keyed) m << QStringLiteral("keyed deliveries");
    if (!keyless) m << QStringLiteral("keyless deliveries");
    if (window_->findChild<TimelineModel*>()->rowCount() < 10) m << QStringLiteral("send path");
    if (window_->findChild<AccumulatorModel*>()->queuedRecords() < 3)
        m << QStringLiteral("accumulator");
    if (window_->findChild<SenderModel*>()->inFlightCount() < 1) m << QStringLiteral("sender");
    if (window_->findChild<MetricsHistory*>()->samples().size() < 4) m << QStringLiteral("metrics");
    if (window_->findChild<DistributionModel*>()->total(session_->connection().topic) < 5)
        m << QStringLiteral("distribution");
    if (window_->findChild<ExplainPanel*>()->shownPartition() < 0) m << QStringLiteral("explain");
    return m;
}

void DemoRunner::tick() {
    if (done_) return;
    const QStringList m = missing();
    if (m.isEmpty() && clock_.elapsed() >= (demo_ ? kMinRunMs : 1000)) return capture(0);
    if (clock_.elapsed() > kTimeoutMs) {
        window_->findChild<LogRelay*>()->post(
            tr("screenshot: timed out waiting for %1").arg(m.join(", ")));
        return capture(2);
    }
}

void DemoRunner::capture(int codeIfWritten) {
    done_ = true;
    keyless_.stop();
    check_.stop();
    const QPixmap shot = window_->grab();
    const bool ok = !shot.isNull() && shot.save(path_, "PNG");
    sends_->cancelRepeat();
    Q_EMIT finished(ok ? codeIfWritten : 1);
}

}  // namespace bs::ui
