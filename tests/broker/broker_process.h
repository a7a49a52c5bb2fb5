#pragma once

// Runs `batchscope-cli broker` as a child process for integration tests, and peers (kcat,
// python) against it.
#include <QByteArray>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QtTest>

namespace bs::test {

class BrokerProcess {
  public:
    ~BrokerProcess() {
        if (proc_.state() != QProcess::NotRunning) {
            proc_.kill();
            proc_.waitForFinished(10000);
        }
    }

    // Starts the broker and reads its first stdout line; returns false with a message on failure.
    // Logs at warn unless `extra` gives --log-level.
    bool start(const QString& dataDir, QStringList extra = {}) {
        QStringList args{"broker", "--port", "0", "--data-dir", dataDir};
        if (!extra.contains("--log-level")) args += QStringList{"--log-level", "warn"};
        args += extra;
        proc_.setProgram(BS_BINARY_DIR "/app/batchscope-cli");
        proc_.setArguments(args);
        proc_.setProcessChannelMode(QProcess::SeparateChannels);
        proc_.start();
        if (!proc_.waitForStarted(10000)) return false;
        const QByteArray line = readLine(30000);
        if (!line.startsWith("bootstrap.servers=")) {
            qWarning() << "broker first line:" << line << proc_.readAllStandardError();
            return false;
        }
        bootstrap_ = QString::fromUtf8(line.mid(18)).trimmed();
        // The second line names the embedded Schema Registry, unless it is off.
        const int port = extra.indexOf("--schema-registry-port");
        if (port >= 0 && extra.value(port + 1) == "-1") return true;
        const QByteArray second = readLine(30000);
        if (!second.startsWith("schema.registry.url=")) {
            qWarning() << "broker second line:" << second << proc_.readAllStandardError();
            return false;
        }
        registryUrl_ = QString::fromUtf8(second.mid(20)).trimmed();
        return true;
    }

    QString bootstrap() const { return bootstrap_; }
    QString schemaRegistryUrl() const { return registryUrl_; }
    QString node(int i) const { return bootstrap_.split(',').value(i); }

    // Sends a control command on stdin and returns the first line of its answer.
    QByteArray command(const QByteArray& line) {
        proc_.write(line + "\n");
        proc_.waitForBytesWritten(5000);
        return readLine(10000);
    }
    // The next line the broker prints (trimmed), waiting up to `timeoutMs`; empty when none came
    // in time or the broker exited.
    QByteArray readLine(int timeoutMs) {
        QElapsedTimer t;
        t.start();
        while (!proc_.canReadLine() && t.elapsed() < timeoutMs &&
               proc_.state() == QProcess::Running) {
            proc_.waitForReadyRead(100);
        }
        return proc_.readLine().trimmed();
    }

    // SIGTERM and wait; returns the exit code (-1 if it did not exit normally).
    int terminate() {
        proc_.terminate();
        if (!proc_.waitForFinished(30000)) return -1;
        return proc_.exitStatus() == QProcess::NormalExit ? proc_.exitCode() : -1;
    }
    void kill() {
        proc_.kill();
        proc_.waitForFinished(10000);
    }
    QProcess& process() { return proc_; }

  private:
    QProcess proc_;
    QString bootstrap_;
    QString registryUrl_;
};

struct ToolResult {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

// Runs a program to completion (with stdin), with a generous timeout.
inline ToolResult runTool(const QString& program, const QStringList& args,
                          const QByteArray& input = {}, int timeoutMs = 60000) {
    QProcess p;
    p.start(program, args);
    ToolResult r;
    if (!p.waitForStarted(10000)) return r;
    if (!input.isEmpty()) p.write(input);
    p.closeWriteChannel();
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished(5000);
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

}  // namespace bs::test
