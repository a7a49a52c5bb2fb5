#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QString>
#include <QTimer>
#include <map>
#include <string>

class QWidget;

namespace bs::ui {

class AppController;
class ClusterSession;
class SendService;

// The built-in demo: keyed records (a repeat) and keyless ones (single sends) side by side, one
// node slowed so requests are seen in flight. `batchscope --screenshot FILE [--demo]` runs it
// (with a long linger so batches are seen filling), waits until every main view has data, then
// renders the window to FILE and emits finished(exit code): 0 written, 1 could not write, 2
// timed out waiting for data (the PNG is still written, showing what was there). Without a
// screenshot path it runs until stop() (Help ▸ Run the demo). GUI thread.
class DemoRunner : public QObject {
    Q_OBJECT
  public:
    DemoRunner(ClusterSession* session, SendService* sends, QWidget* window, QString screenshotPath,
               bool demo, QObject* parent = nullptr);
    DemoRunner(AppController* controller, QWidget* window, QString screenshotPath, bool demo,
               QObject* parent = nullptr);
    void start();
    // Stops sending and gives the slowed node its speed back.
    void stop();
    // What is still missing before the screenshot (empty when every view has data).
    QStringList missing() const;

    // Producer properties of the demo: long linger, small batches.
    static std::map<std::string, std::string> demoProducerProps();

  Q_SIGNALS:
    void finished(int exitCode);

  private:
    void onConnected();
    void tick();
    void capture(int codeIfWritten);

    ClusterSession* session_;
    SendService* sends_;
    QWidget* window_;
    QString path_;
    bool demo_;
    bool started_ = false;
    bool done_ = false;
    QTimer keyless_;
    QTimer check_;
    QElapsedTimer clock_;
};

}  // namespace bs::ui
