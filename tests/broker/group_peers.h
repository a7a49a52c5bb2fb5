#pragma once

// Long-running consumer group members (kcat -G, a kafka-python KafkaConsumer) driven by the
// group tests: their stdout lines are records ("<partition> <offset> <value>"), their stderr is
// kept for failure messages and assignment notices.
#include <QByteArray>
#include <QCoreApplication>
#include <QProcess>
#include <QThread>
#include <QtTest>
#include <chrono>
#include <map>
#include <memory>
#include <set>
#include <vector>

namespace bs::test {

class GroupMember {
  public:
    explicit GroupMember(QString name) : name_(std::move(name)) {}
    ~GroupMember() {
        if (proc_.state() != QProcess::NotRunning) {
            proc_.kill();
            proc_.waitForFinished(5000);
        }
    }
    void start(const QString& program, const QStringList& args) {
        proc_.setProcessChannelMode(QProcess::SeparateChannels);
        proc_.start(program, args);
        proc_.waitForStarted(10000);
    }
    void pump() {
        proc_.waitForReadyRead(1);
        out_ += proc_.readAllStandardOutput();
        err_ += proc_.readAllStandardError();
    }
    // SIGTERM: the member closes its consumer (commits, leaves the group) and exits.
    bool stop() {
        proc_.terminate();
        const bool done = proc_.waitForFinished(30000);
        pump();
        return done;
    }
    // The complete records printed so far: (partition, offset) -> value.
    std::vector<std::tuple<int, int64_t, QByteArray>> records() const {
        std::vector<std::tuple<int, int64_t, QByteArray>> out;
        for (const auto& line : out_.split('\n')) {
            const auto f = line.trimmed().split(' ');
            if (f.size() != 3) continue;
            out.emplace_back(f[0].toInt(), f[1].toLongLong(), f[2]);
        }
        return out;
    }
    const QByteArray& err() const { return err_; }
    const QString& name() const { return name_; }
    bool running() const { return proc_.state() == QProcess::Running; }

  private:
    QString name_;
    QProcess proc_;
    QByteArray out_, err_;
};

// Pumps every member until `cond` holds or `limit` passes (real time bounds the wait only).
template <class Cond>
bool waitFor(std::vector<GroupMember*> members, Cond cond,
             std::chrono::seconds limit = std::chrono::seconds(40)) {
    QElapsedTimer t;
    t.start();
    while (true) {
        for (auto* m : members)
            m->pump();
        if (cond()) return true;
        if (t.elapsed() > std::chrono::milliseconds(limit).count()) return false;
        QThread::msleep(20);
    }
}

// The values of batch `tag` consumed by `members`, with how often each was seen.
inline std::map<QByteArray, int> countBatch(const std::vector<GroupMember*>& members,
                                            const QByteArray& tag) {
    std::map<QByteArray, int> seen;
    for (auto* m : members)
        for (const auto& [p, o, v] : m->records())
            if (v.startsWith(tag + "-")) ++seen[v];
    return seen;
}

inline QByteArray describe(const std::vector<GroupMember*>& members) {
    QByteArray s;
    for (auto* m : members)
        s += m->name().toUtf8() + ": " + QByteArray::number(m->records().size()) +
             " records; stderr: " + m->err().right(1500) + "\n";
    return s;
}

}  // namespace bs::test
