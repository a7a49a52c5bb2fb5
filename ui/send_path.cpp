#include "send_path.h"

#include <QCheckBox>

#include "models/request_frame_format.h"
#include "models/timeline_model.h"
#include "session/cluster_session.h"
#include "widgets/request_frame_view.h"
#include "widgets/timeline_panel.h"

namespace bs::ui {

SendPath::SendPath(ClusterSession* session, QObject* parent)
    : QObject(parent),
      session_(session),
      model_(new TimelineModel(this)),
      panel_(new TimelinePanel(model_)),
      frames_(new RequestFrameView) {
    panel_->setObjectName(QStringLiteral("sendPathPanel"));
    frames_->setObjectName(QStringLiteral("requestFrameView"));
    model_->setTopicNames([this](uint32_t id) { return session_->topicName(id); });
    // At full speed ~150 000 events/s arrive: while a poll brings 500 events or more, lines
    // are added four times a second, the newest 500 each time (2 000 lines a second, more than
    // anyone reads; each insert makes the list lay out and redraw, CPU the pipeline does not
    // get on a small machine: docs/PERFORMANCE.md). Fewer events (single sends, Step) show at
    // once.
    model_->setThrottle(500, 250, 500);
    connect(panel_, &TimelinePanel::perRecordToggled, session_, &ClusterSession::setRecordEvents);
    connect(frames_, &RequestFrameView::keepToggled, session_, &ClusterSession::setFrameCapture);
    connect(panel_, &TimelinePanel::batchChosen, this, &SendPath::batchChosen);
    connect(panel_, &TimelinePanel::requestChosen, this, [this](int node, int corr) {
        showRequestFrame(node, corr);
        Q_EMIT requestChosen(node, corr);
    });
}

void SendPath::applyEvents(const std::vector<producer::Event>& events) {
    model_->applyEvents(events);
}

void SendPath::onConnected() {
    const auto& cfg = session_->config();
    model_->setSettings({cfg.acks, cfg.maxRequestSize, cfg.batchSize,
                         QString::fromStdString(cfg.partitionerClass)});
}

void SendPath::setNodes(const QList<int>& nodes) {
    panel_->setNodes(nodes);
}

void SendPath::clear() {
    model_->clear();
}

void SendPath::showRequestFrame(int node, int correlationId) {
    if (const auto frame = session_->requestFrame(node, correlationId)) {
        frames_->showText(describeRequestFrame(*frame));
        return;
    }
    frames_->showText(tr("node %1 request %2: no frame kept%3")
                          .arg(node)
                          .arg(correlationId)
                          .arg(frames_->keepBox()->isChecked()
                                   ? tr(" (only the last %1 are)").arg(ClusterSession::kFramesKept)
                                   : tr(": turn on keeping frames above, then send again")));
}

}  // namespace bs::ui
