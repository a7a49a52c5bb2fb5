#pragma once

#include <QObject>
#include <vector>

#include "producer/observation.h"

class QDockWidget;

namespace bs::ui {

class ClusterSession;
class TimelineModel;
class TimelinePanel;
class RequestFrameView;

// The Send path dock (the timeline of every pipeline step) and the Request frame dock, wired to
// the session: the timeline's per-record switch and the frame view's "keep frames" reach the
// producer, a request chosen in either view shows its frame. The main window feeds it the
// events the poller hands over (queued from the producer) and tells it what was selected.
// Lives on the GUI thread.
class SendPath : public QObject {
    Q_OBJECT
  public:
    SendPath(ClusterSession* session, QObject* parent = nullptr);

    TimelineModel* model() const { return model_; }
    TimelinePanel* panel() const { return panel_; }
    RequestFrameView* frameView() const { return frames_; }

    void applyEvents(const std::vector<producer::Event>& events);
    // A new producer: its acks and max.request.size for the lines.
    void onConnected();
    void setNodes(const QList<int>& nodes);
    void clear();
    // The request frame view shows this request's frame (or why it has none).
    void showRequestFrame(int node, int correlationId);

  Q_SIGNALS:
    // A line was clicked: the batch or request it names.
    void batchChosen(const QString& topic, int partition, quint64 batchId);
    void requestChosen(int nodeId, int correlationId);

  private:
    ClusterSession* const session_;
    TimelineModel* const model_;
    TimelinePanel* const panel_;      // owned by its dock once added
    RequestFrameView* const frames_;  // owned by its dock once added
};

}  // namespace bs::ui
