#pragma once

// Runs tests/tools/mock_cluster (librdkafka's mock cluster: an independent broker) for the
// integration tests, and kcat against it to read back what our producer wrote.

#include <QProcess>
#include <QString>
#include <QStringList>

#include <stdexcept>
#include <string>
#include <vector>

namespace bs::producer::test {

class MockClusterProcess {
  public:
    // e.g. MockClusterProcess(3, {"t:6"})
    MockClusterProcess(int brokers, const std::vector<std::string>& topics) {
        QStringList args{"--brokers", QString::number(brokers)};
        for (const auto& t : topics)
            args << "--topic" << QString::fromStdString(t);
        proc_.start(BS_BINARY_DIR "/tests/tools/mock_cluster", args);
        if (!proc_.waitForStarted(10000)) throw std::runtime_error("mock_cluster did not start");
        std::string first = readLine();
        const std::string prefix = "bootstrap.servers=";
        if (first.rfind(prefix, 0) != 0) throw std::runtime_error("mock_cluster said: " + first);
        bootstrap_ = first.substr(prefix.size());
    }
    ~MockClusterProcess() {
        proc_.write("quit\n");
        proc_.closeWriteChannel();
        if (!proc_.waitForFinished(10000)) {
            proc_.kill();
            proc_.waitForFinished(5000);
        }
    }
    const std::string& bootstrap() const { return bootstrap_; }

    // Sends one stdin command ("down 1", "rtt 2 500", "errors 0 6 3", ...); true on "ok".
    bool command(const std::string& line) {
        proc_.write((line + "\n").c_str());
        proc_.waitForBytesWritten(5000);
        return readLine() == "ok";
    }

    // kcat -C: every record of `topic` as "partition offset key value" lines (key "-" if null).
    std::vector<std::string> consumeAll(const std::string& topic, int expected = -1) const {
        QProcess kcat;
        kcat.start("kcat", {"-C", "-b", QString::fromStdString(bootstrap_), "-t",
                            QString::fromStdString(topic), "-e", "-q", "-f", "%p %o %k %s\n"});
        if (!kcat.waitForFinished(60000)) throw std::runtime_error("kcat did not finish");
        std::vector<std::string> lines;
        for (const auto& l : QString::fromUtf8(kcat.readAllStandardOutput()).split('\n')) {
            if (!l.isEmpty()) lines.push_back(l.toStdString());
        }
        (void)expected;
        return lines;
    }

  private:
    std::string readLine() {
        while (!proc_.canReadLine()) {
            if (!proc_.waitForReadyRead(10000))
                throw std::runtime_error("mock_cluster did not answer");
        }
        return QString::fromUtf8(proc_.readLine()).trimmed().toStdString();
    }

    QProcess proc_;
    std::string bootstrap_;
};

}  // namespace bs::producer::test
