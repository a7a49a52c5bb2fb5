#pragma once

#include <QObject>
#include <QString>
#include <QStringList>
#include <memory>

namespace bs::ui {

// Routes spdlog (the core's logging) into the Log dock: the sink may be called on any thread;
// lines are coalesced and handed to the GUI thread by one queued call per burst.
class LogRelay : public QObject {
    Q_OBJECT
  public:
    explicit LogRelay(QObject* parent = nullptr);
    ~LogRelay() override;
    // Adds the sink to spdlog's default logger; call before other threads start logging.
    void install();
    void post(const QString& line);        // any thread
    void postLocked(const QString& line);  // with impl_->mu held (the sink)

  Q_SIGNALS:
    void lines(const QStringList& lines);

  public:
    struct Impl;  // shared with the spdlog sink, which may outlive the relay

  private:
    std::shared_ptr<Impl> impl_;
};

}  // namespace bs::ui
