#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QString>
#include <QTimer>

namespace bs::ui {

class AppController;
class MainWindow;

// `batchscope --screenshot FILE [--demo]`: with --demo, drives a short built-in scenario
// (keyed and keyless records at a low rate, a long linger so batches are seen filling, one node
// slowed so requests are seen in flight), waits until every main view has data, then renders
// the window to FILE. Emits finished(exit code): 0 written, 1 could not write, 2 timed out
// waiting for data (the PNG is still written, showing what was there).
class DemoRunner : public QObject {
    Q_OBJECT
  public:
    DemoRunner(AppController* controller, MainWindow* window, QString screenshotPath, bool demo,
               QObject* parent = nullptr);
    void start();
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

    AppController* controller_;
    MainWindow* window_;
    QString path_;
    bool demo_;
    bool started_ = false;
    bool done_ = false;
    QTimer keyless_;
    QTimer check_;
    QElapsedTimer clock_;
};

}  // namespace bs::ui
